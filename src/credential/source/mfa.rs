//! MFA in the credential pipeline: the code is asked through the front end's
//! [`Prompter`] (the CLI asks on `/dev/tty`, never stdout, which
//! `credential_process` hands to an SDK), up to three times; the session from
//! STS is cached by [`Source`] until it expires, so the user is asked once per
//! session.

use std::sync::Arc;

use anyhow::bail;
use zeroize::Zeroizing;

use crate::credential::mfa::{self, Plan, Step};
use crate::credential::obtain::{Request, block_on};
use crate::credential::saved::DEFAULT_MARGIN;
use crate::credential::secret::Credentials;
use crate::profile::ProfileSet;
use crate::workspace::Workspace;

use super::{Prompter, Source};

/// An MFA profile's plan and where its signing credentials come from.
#[derive(Clone)]
pub struct Mfa {
    plan: Plan,
    profile: String,
    /// The source profile, for AssumeRole from another profile.
    source: Option<Box<Source>>,
    /// The role profile's own keys, for AssumeRole with `source_profile` = itself.
    own_keys: Option<Credentials>,
    prompter: Arc<dyn Prompter>,
}

impl std::fmt::Debug for Mfa {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mfa")
            .field("plan", &self.plan)
            .field("profile", &self.profile)
            .finish_non_exhaustive()
    }
}

impl Mfa {
    /// The MFA handling `profile` needs, if any.
    pub fn new(
        ws: &Workspace,
        set: &ProfileSet,
        profile: &str,
        prompter: Arc<dyn Prompter>,
    ) -> anyhow::Result<Option<Mfa>> {
        let Some(plan) = mfa::plan(set, profile) else {
            return Ok(None);
        };
        let (mut source, mut own_keys) = (None, None);
        if let Step::AssumeRole { source: from, .. } = &plan.step {
            if from != profile {
                // The role asks for the code; its source signs as it is.
                source = Some(Box::new(Source::with_mfa(
                    ws,
                    set,
                    from,
                    false,
                    prompter.clone(),
                )?));
            } else {
                let p = set.profile(profile);
                let get = |k: &str| p.and_then(|p| p.get(k));
                let (Some(id), Some(secret)) =
                    (get("aws_access_key_id"), get("aws_secret_access_key"))
                else {
                    bail!(
                        "profile '{profile}' assumes its role with its own keys (source_profile = {profile}) but holds none: add aws_access_key_id and aws_secret_access_key, or point source_profile at a profile with credentials"
                    );
                };
                own_keys = Some(Credentials::new(id, secret, None, None));
            }
        }
        Ok(Some(Mfa {
            plan,
            profile: profile.to_string(),
            source,
            own_keys,
            prompter,
        }))
    }

    /// A new session: the signing credentials, the code, the STS call.
    pub fn fetch(
        &self,
        req: &Request,
        own: impl Fn() -> anyhow::Result<Credentials>,
    ) -> anyhow::Result<Credentials> {
        let base = match (&self.source, &self.own_keys) {
            _ if self.plan.step == Step::SessionToken => own()?,
            (Some(source), _) => source.get(false, DEFAULT_MARGIN)?,
            (None, Some(keys)) => keys.clone(),
            (None, None) => bail!(
                "profile '{}': no credentials to sign the MFA call with",
                self.profile
            ),
        };
        let code = self.ask()?;
        let now = crate::clock::now();
        Ok(block_on(mfa::call(req, &self.plan, &base, &code, now))?)
    }
}

impl Mfa {
    /// The code, asked up to three times.
    fn ask(&self) -> anyhow::Result<Zeroizing<String>> {
        let (profile, serial) = (&self.profile, &self.plan.serial);
        for _ in 0..3 {
            let code = self.prompter.mfa_code(profile, serial).map_err(|why| {
                anyhow::anyhow!(
                    "profile '{profile}' needs a code from MFA device {serial}, and {why}: run `rolecall exec {profile}` or `rolecall export {profile}` in a terminal once; the session is cached until it expires"
                )
            })?;
            if mfa::valid_code(&code) {
                return Ok(code);
            }
            self.prompter.note("an MFA code is 6 digits");
        }
        bail!("no valid MFA code for {serial} after three tries")
    }
}
