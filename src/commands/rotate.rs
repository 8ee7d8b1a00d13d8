//! `rolecall keys rotate PROFILE`: a new access key replaces the one in the
//! keychain, and the old key is deleted only once the new one works.
//!
//! Order: who the old key is (STS GetCallerIdentity); IAM CreateAccessKey; the
//! new key must answer GetCallerIdentity as the same ARN (retried for up to
//! 30 s, since IAM takes a few seconds to spread a new key); the keychain gets
//! the new key, read back; only then IAM DeleteAccessKey of the old one, with
//! the new key. A failure before the keychain write deletes the new key again,
//! so the user is left exactly as before.

use std::io::Write;
use std::time::Duration;

use anyhow::bail;

use crate::credential::iam;
use crate::credential::obtain::{Request, block_on};
use crate::credential::secret::Credentials;
use crate::keychain::Store;
use crate::workspace::Workspace;

use super::keys::short_id;

const PROPAGATION_TRIES: u32 = 30;

/// `rolecall keys rotate`.
pub fn run(
    ws: &Workspace,
    store: &dyn Store,
    profile: &str,
    out: &mut dyn Write,
) -> anyhow::Result<u8> {
    let old = store.get(profile)?;
    let req = Request {
        profile: profile.to_string(),
        config: ws.config.path.clone(),
        credentials: ws.credentials.path.clone(),
        extract: None,
    };
    block_on(async {
        let who = iam::caller_arn(&req, &old).await?;
        let new = iam::create_access_key(&req, &old).await?;
        writeln!(out, "created {} for {who}", short_id(&new.access_key_id))?;
        let mut last = String::new();
        let mut works = false;
        for attempt in 0..PROPAGATION_TRIES {
            if attempt > 0 {
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
            match iam::caller_arn(&req, &new).await {
                Ok(arn) if arn == who => {
                    works = true;
                    break;
                }
                Ok(arn) => last = format!("it acts as {arn}, not {who}"),
                Err(e) => last = e.to_string(),
            }
        }
        if !works {
            return Err(undo(
                &req,
                &old,
                &new.access_key_id,
                format!(
                    "the new key {} does not work: {last}",
                    short_id(&new.access_key_id)
                ),
            )
            .await);
        }
        if let Err(e) = store.set_verified(profile, &new) {
            return Err(undo(
                &req,
                &old,
                &new.access_key_id,
                format!("cannot store the new key: {e}"),
            )
            .await);
        }
        writeln!(
            out,
            "stored {} in the {}",
            short_id(&new.access_key_id),
            store.backend()
        )?;
        if let Err(e) = iam::delete_access_key(&req, &new, &old.access_key_id).await {
            bail!(
                "the new key is in use, but deleting the old key {} failed: {e}; delete it in the IAM console",
                old.access_key_id
            );
        }
        writeln!(out, "deleted the old key {}", short_id(&old.access_key_id))?;
        Ok(0)
    })
}

/// Deletes the new key again after a failed rotation; the error to report.
async fn undo(req: &Request, old: &Credentials, new_id: &str, why: String) -> anyhow::Error {
    match iam::delete_access_key(req, old, new_id).await {
        Ok(()) => anyhow::anyhow!("{why}; the new key was deleted again and nothing changed"),
        Err(e) => anyhow::anyhow!(
            "{why}; deleting the new key {new_id} failed too ({e}): delete it in the IAM console"
        ),
    }
}
