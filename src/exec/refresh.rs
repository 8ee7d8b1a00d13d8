//! Keeping the credentials behind the local endpoint fresh, for as long as the
//! child runs.
//!
//! [`refresh_at`] decides when to fetch again: a margin before the credentials
//! expire (the credential cache's margin, so the fetch goes through the same
//! locked cache and finds credentials another rolecall already refreshed), or
//! halfway to expiry when they live shorter than the margin. [`retry_in`] backs
//! off after a failure (an expired SSO session, a network outage) while the old
//! credentials are still served. [`keep_fresh`] runs the loop: it re-reads the
//! wall clock at least every [`WAKE_EVERY`], because tokio's timers do not count
//! time spent in suspend and a laptop that slept for a night must not serve
//! expired credentials. It reports what happened as [`Event`]s and never
//! prints: the caller decides where messages go (stderr, never the child's
//! stdout).

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::credential::secret::Credentials;

use super::server::Current;

/// Never fetch again sooner than this after a fetch.
pub const MIN_INTERVAL: Duration = Duration::from_secs(5);
/// Refresh this long past the margin, so the cache sees the credentials as due.
pub const SLACK: Duration = Duration::from_secs(1);
/// The longest wait between two looks at the wall clock.
pub const WAKE_EVERY: Duration = Duration::from_secs(30);
/// The longest wait between two tries after failures.
pub const MAX_RETRY: Duration = Duration::from_secs(60);

/// When to fetch again credentials fetched at `fetched` that expire at `expires`.
pub fn refresh_at(fetched: SystemTime, expires: SystemTime, margin: Duration) -> SystemTime {
    let earliest = fetched + MIN_INTERVAL;
    match expires.checked_sub(margin) {
        Some(ahead) if ahead + SLACK > earliest => ahead + SLACK,
        // They live shorter than the margin: halfway to their expiry.
        _ => (fetched + expires.duration_since(fetched).unwrap_or_default() / 2).max(earliest),
    }
}

/// How long to wait before trying again after `failures` failures in a row:
/// 5 s, 10 s, 20 s, 40 s, then every minute.
pub fn retry_in(failures: u32) -> Duration {
    let doubled = MIN_INTERVAL.saturating_mul(1 << failures.saturating_sub(1).min(8));
    doubled.min(MAX_RETRY)
}

/// What the refresher did.
#[derive(Debug, PartialEq, Eq)]
pub enum Event {
    /// New credentials are served; they expire then.
    Refreshed {
        /// When the new credentials expire.
        expires: Option<SystemTime>,
    },
    /// Fetching failed; the current credentials are still served.
    Failed {
        /// Why (an error chain, without secrets).
        error: String,
        /// When the next try is.
        retry_in: Duration,
        /// When the credentials still served expire.
        expires: Option<SystemTime>,
    },
}

/// Fetches again whenever due, forever, storing what `fetch` returns in
/// `current`. `fetch` blocks (it may take the cache's file lock and run its own
/// runtime), so it runs on tokio's blocking threads.
pub async fn keep_fresh<F, R>(
    current: Current,
    margin: Duration,
    now: fn() -> SystemTime,
    fetch: F,
    report: R,
) where
    F: Fn() -> anyhow::Result<Credentials> + Send + Sync + 'static,
    R: Fn(Event),
{
    let fetch = Arc::new(fetch);
    let expires = |c: &Current| c.read().unwrap_or_else(|e| e.into_inner()).expires;
    let mut due = match expires(&current) {
        Some(e) => refresh_at(now(), e, margin),
        None => now() + retry_in(1),
    };
    let mut failures = 0;
    loop {
        let t = now();
        if t < due {
            let wait = due.duration_since(t).unwrap_or_default().min(WAKE_EVERY);
            tokio::time::sleep(wait).await;
            continue;
        }
        let f = fetch.clone();
        let result = tokio::task::spawn_blocking(move || f())
            .await
            .unwrap_or_else(|e| Err(anyhow::anyhow!("the refresh task failed: {e}")));
        match result {
            Ok(creds) => {
                failures = 0;
                let new_expiry = creds.expires;
                *current.write().unwrap_or_else(|e| e.into_inner()) = creds;
                due = match new_expiry {
                    Some(e) => refresh_at(now(), e, margin),
                    None => now() + MAX_RETRY,
                };
                report(Event::Refreshed {
                    expires: new_expiry,
                });
            }
            Err(error) => {
                failures += 1;
                let wait = retry_in(failures);
                due = now() + wait;
                report(Event::Failed {
                    error: format!("{error:#}"),
                    retry_in: wait,
                    expires: expires(&current),
                });
            }
        }
    }
}

/// One line for stderr about `event`, for `profile` (never a secret).
pub fn message(profile: &str, event: &Event) -> String {
    let until = |e: &Option<SystemTime>| {
        e.map(crate::credential::expiry::format_rfc3339)
            .unwrap_or_else(|| "an unknown time".to_string())
    };
    match event {
        Event::Refreshed { expires } => format!(
            "rolecall: refreshed credentials for profile '{profile}' (valid until {})",
            until(expires)
        ),
        Event::Failed {
            error,
            retry_in,
            expires,
        } => format!(
            "rolecall: cannot refresh credentials for profile '{profile}': {}; retrying in {} s (the current ones expire at {})",
            error.split_whitespace().collect::<Vec<_>>().join(" "),
            retry_in.as_secs(),
            until(expires)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::RwLock;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::UNIX_EPOCH;

    fn at(s: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(s)
    }

    #[test]
    fn a_margin_before_expiry_or_halfway_when_they_live_shorter() {
        let m15 = Duration::from_secs(15 * 60);
        // An hour-long role session: 45 minutes (and a second) later.
        assert_eq!(refresh_at(at(1000), at(4600), m15), at(1000 + 2701));
        // 15-minute credentials with a 15-minute margin: halfway.
        assert_eq!(refresh_at(at(1000), at(1900), m15), at(1450));
        // A margin a few seconds short of the lifetime: every few seconds.
        assert_eq!(
            refresh_at(at(1000), at(4600), Duration::from_secs(3590)),
            at(1011)
        );
        // Never sooner than MIN_INTERVAL, even for credentials about to expire.
        assert_eq!(refresh_at(at(1000), at(1002), m15), at(1005));
        assert_eq!(refresh_at(at(1000), at(900), m15), at(1005));
    }

    #[test]
    fn messages_are_one_line() {
        let ok = message(
            "dev",
            &Event::Refreshed {
                expires: Some(at(1_795_340_236)),
            },
        );
        assert_eq!(
            ok,
            "rolecall: refreshed credentials for profile 'dev' (valid until 2026-11-22T09:37:16Z)"
        );
        let failed = message(
            "dev",
            &Event::Failed {
                error: "token expired:\n  run aws sso login".into(),
                retry_in: Duration::from_secs(10),
                expires: Some(at(1_795_340_236)),
            },
        );
        assert_eq!(
            failed,
            "rolecall: cannot refresh credentials for profile 'dev': token expired: run aws sso login; retrying in 10 s (the current ones expire at 2026-11-22T09:37:16Z)"
        );
    }

    #[test]
    fn retries_back_off_to_a_minute() {
        let secs: Vec<u64> = (1..=7).map(|n| retry_in(n).as_secs()).collect();
        assert_eq!(secs, [5, 10, 20, 40, 60, 60, 60]);
        assert_eq!(retry_in(u32::MAX), MAX_RETRY);
    }

    #[test]
    fn serves_what_it_fetches_and_keeps_the_old_on_failure() {
        static CLOCK: AtomicUsize = AtomicUsize::new(0);
        fn now() -> SystemTime {
            at(CLOCK.load(Ordering::SeqCst) as u64)
        }
        let current: Current = Arc::new(RwLock::new(Credentials::new(
            "OLD",
            "s",
            Some("t"),
            Some(at(20)),
        )));
        let calls = Arc::new(AtomicUsize::new(0));
        let events = Arc::new(std::sync::Mutex::new(Vec::new()));
        let task = {
            let (current, calls, events) = (current.clone(), calls.clone(), events.clone());
            keep_fresh(
                current,
                Duration::from_secs(10),
                now,
                move || {
                    let n = calls.fetch_add(1, Ordering::SeqCst);
                    if n == 0 {
                        anyhow::bail!("SSO session expired");
                    }
                    Ok(Credentials::new("NEW", "s", Some("t"), Some(at(1000))))
                },
                move |e| events.lock().unwrap().push(e),
            )
        };
        crate::credential::obtain::block_on(async {
            tokio::time::pause();
            let handle = tokio::spawn(task);
            tokio::task::yield_now().await; // it reads the clock at 0
            // Due at 11 (20 - 10 + 1 s): the first try fails, the old credentials stay.
            CLOCK.store(11, Ordering::SeqCst);
            while calls.load(Ordering::SeqCst) < 1 {
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
            tokio::task::yield_now().await;
            assert_eq!(current.read().unwrap().access_key_id, "OLD");
            // Five seconds later the retry succeeds.
            CLOCK.store(16, Ordering::SeqCst);
            while calls.load(Ordering::SeqCst) < 2 || events.lock().unwrap().len() < 2 {
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
            assert_eq!(current.read().unwrap().access_key_id, "NEW");
            handle.abort();
        });
        let events = events.lock().unwrap();
        assert_eq!(
            events[0],
            Event::Failed {
                error: "SSO session expired".into(),
                retry_in: Duration::from_secs(5),
                expires: Some(at(20)),
            }
        );
        assert_eq!(
            events[1],
            Event::Refreshed {
                expires: Some(at(1000))
            }
        );
    }
}
