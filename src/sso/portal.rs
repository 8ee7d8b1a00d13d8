//! Calls to the SSO portal through aws-sdk-sso: the accounts and roles a token
//! may use (ListAccounts, ListAccountRoles: every page, many accounts at once
//! with a bound, backing off on throttling) and Logout.

use std::sync::Arc;
use std::time::Duration;

use aws_sdk_sso::Client;
use aws_types::SdkConfig;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::credential::secret::Secret;

/// An account the user is assigned to.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Account {
    /// The 12-digit id.
    pub id: String,
    /// Its name in the portal.
    pub name: String,
    /// Its e-mail address.
    pub email: String,
}

/// A role in an account.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Assignment {
    /// The account.
    pub account: Account,
    /// The permission set's role name.
    pub role: String,
}

/// How many accounts' roles are listed at once.
pub const CONCURRENCY: usize = 16;
/// How many times a throttled call is tried.
const ATTEMPTS: u32 = 8;

/// A portal client for one region.
#[derive(Clone, Debug)]
pub struct Portal {
    client: Client,
}

fn is_throttling<E: aws_smithy_types::error::metadata::ProvideErrorMetadata>(
    err: &aws_sdk_sso::error::SdkError<E>,
) -> bool {
    err.as_service_error()
        .and_then(|e| e.code())
        .is_some_and(|c| c == "TooManyRequestsException" || c == "ThrottlingException")
}

/// Runs `call` until it is not throttled, up to `ATTEMPTS` times, backing off
/// between attempts (on top of the SDK's own few retries).
async fn retrying<T, E, F, Fut>(mut call: F) -> Result<T, aws_sdk_sso::error::SdkError<E>>
where
    E: aws_smithy_types::error::metadata::ProvideErrorMetadata,
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, aws_sdk_sso::error::SdkError<E>>>,
{
    let mut attempt = 1;
    loop {
        match call().await {
            Err(e) if attempt < ATTEMPTS && is_throttling(&e) => {
                tokio::time::sleep(backoff(attempt)).await;
                attempt += 1;
            }
            other => return other,
        }
    }
}

/// The delay before attempt `n` (1-based) after throttling: exponential with jitter.
fn backoff(n: u32) -> Duration {
    let base = 100u64.saturating_mul(1 << n.min(6));
    let mut b = [0u8; 2];
    let jitter = getrandom::fill(&mut b).map_or(0, |()| u64::from(u16::from_le_bytes(b)) % base);
    Duration::from_millis(base / 2 + jitter / 2)
}

fn describe(e: &(dyn std::error::Error + 'static)) -> String {
    crate::credential::sdk_error::describe(e, None)
}

impl Portal {
    /// A client from shared SDK configuration.
    pub fn new(config: &SdkConfig) -> Portal {
        Portal {
            client: Client::new(config),
        }
    }

    /// Every account the token may use, all pages.
    pub async fn accounts(&self, token: &Secret) -> Result<Vec<Account>, String> {
        let mut out = Vec::new();
        let mut next: Option<String> = None;
        loop {
            let page = retrying(|| {
                self.client
                    .list_accounts()
                    .access_token(token.expose())
                    .max_results(100)
                    .set_next_token(next.clone())
                    .send()
            })
            .await
            .map_err(|e| format!("cannot list the accounts (ListAccounts): {}", describe(&e)))?;
            out.extend(page.account_list().iter().map(|a| Account {
                id: a.account_id().unwrap_or_default().to_string(),
                name: a.account_name().unwrap_or_default().to_string(),
                email: a.email_address().unwrap_or_default().to_string(),
            }));
            next = page
                .next_token()
                .filter(|t| !t.is_empty())
                .map(str::to_string);
            if next.is_none() {
                return Ok(out);
            }
        }
    }

    /// The roles of one account, all pages.
    pub async fn roles(&self, token: &Secret, account_id: &str) -> Result<Vec<String>, String> {
        let mut out = Vec::new();
        let mut next: Option<String> = None;
        loop {
            let page = retrying(|| {
                self.client
                    .list_account_roles()
                    .access_token(token.expose())
                    .account_id(account_id)
                    .max_results(100)
                    .set_next_token(next.clone())
                    .send()
            })
            .await
            .map_err(|e| {
                format!(
                    "cannot list the roles of account {account_id} (ListAccountRoles): {}",
                    describe(&e)
                )
            })?;
            out.extend(
                page.role_list()
                    .iter()
                    .filter_map(|r| r.role_name().map(str::to_string)),
            );
            next = page
                .next_token()
                .filter(|t| !t.is_empty())
                .map(str::to_string);
            if next.is_none() {
                return Ok(out);
            }
        }
    }

    /// Every (account, role) pair, accounts listed `CONCURRENCY` at a time, in
    /// account then role order.
    pub async fn assignments(&self, token: &Secret) -> Result<Vec<Assignment>, String> {
        let accounts = self.accounts(token).await?;
        let permits = Arc::new(Semaphore::new(CONCURRENCY));
        let mut tasks = JoinSet::new();
        for (i, account) in accounts.iter().enumerate() {
            let (portal, token, id, permits) = (
                self.clone(),
                token.clone(),
                account.id.clone(),
                permits.clone(),
            );
            tasks.spawn(async move {
                let _permit = permits.acquire_owned().await;
                (i, portal.roles(&token, &id).await)
            });
        }
        let mut roles: Vec<Vec<String>> = vec![Vec::new(); accounts.len()];
        while let Some(joined) = tasks.join_next().await {
            let (i, result) = joined.map_err(|e| e.to_string())?;
            roles[i] = result?;
        }
        let mut out = Vec::new();
        for (account, mut names) in accounts.into_iter().zip(roles) {
            names.sort();
            out.extend(names.into_iter().map(|role| Assignment {
                account: account.clone(),
                role,
            }));
        }
        Ok(out)
    }

    /// Logout: ends the portal session the token belongs to.
    pub async fn logout(&self, token: &Secret) -> Result<(), String> {
        self.client
            .logout()
            .access_token(token.expose())
            .send()
            .await
            .map(|_| ())
            .map_err(|e| format!("cannot sign out (Logout): {}", describe(&e)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_stays_bounded() {
        assert!(
            backoff(1) >= Duration::from_millis(100) && backoff(1) < Duration::from_millis(200)
        );
        assert!(backoff(6) >= Duration::from_millis(3200));
        assert!(backoff(30) < Duration::from_millis(6400));
    }
}
