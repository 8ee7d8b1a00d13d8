//! MFA for `exec`, `export` and `credential-process`: the code is asked on
//! the terminal (`/dev/tty`, never stdout, which `credential_process` hands to
//! an SDK), up to three times; the session from STS is cached by the caller
//! (`creds::Source`) until it expires, so the user is asked once per session.

use anyhow::bail;
use zeroize::Zeroizing;

use crate::credential::mfa::{self, Plan, Step};
use crate::credential::obtain::{Request, block_on};
use crate::credential::saved::DEFAULT_MARGIN;
use crate::credential::secret::Credentials;
use crate::profile::ProfileSet;
use crate::workspace::Workspace;

use super::creds::Source;

/// An MFA profile's plan and where its signing credentials come from.
#[derive(Clone, Debug)]
pub struct Mfa {
    plan: Plan,
    profile: String,
    /// The source profile, for AssumeRole from another profile.
    source: Option<Box<Source>>,
    /// The role profile's own keys, for AssumeRole with `source_profile` = itself.
    own_keys: Option<Credentials>,
}

impl Mfa {
    /// The MFA handling `profile` needs, if any.
    pub fn new(ws: &Workspace, set: &ProfileSet, profile: &str) -> anyhow::Result<Option<Mfa>> {
        let Some(plan) = mfa::plan(set, profile) else {
            return Ok(None);
        };
        let (mut source, mut own_keys) = (None, None);
        if let Step::AssumeRole { source: from, .. } = &plan.step {
            if from != profile {
                // The role asks for the code; its source signs as it is.
                source = Some(Box::new(Source::with_mfa(ws, set, from, false)?));
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
        }))
    }

    /// What sets this session apart in the credential cache.
    pub fn cache_key(&self) -> String {
        format!("MFA {} {:?}", self.plan.serial, self.plan.duration_seconds)
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
        let code = ask(&self.profile, &self.plan.serial)?;
        let now = crate::clock::now();
        Ok(block_on(mfa::call(req, &self.plan, &base, &code, now))?)
    }
}

/// The code, typed on the terminal.
fn ask(profile: &str, serial: &str) -> anyhow::Result<Zeroizing<String>> {
    for _ in 0..3 {
        let code = crate::tty::line(&format!("MFA code for {serial} (profile {profile}): "))
            .map_err(|e| {
                anyhow::anyhow!(
                    "profile '{profile}' needs a code from MFA device {serial}, and there is {e}: run `rolecall exec {profile}` or `rolecall export {profile}` in a terminal once; the session is cached until it expires"
                )
            })?;
        if mfa::valid_code(&code) {
            return Ok(code);
        }
        let _ = crate::tty::say("an MFA code is 6 digits");
    }
    bail!("no valid MFA code for {serial} after three tries")
}
