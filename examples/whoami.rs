//! A small AWS SDK for Rust program for the server-mode tests: calls STS
//! GetCallerIdentity N times through the default credential chain, one call
//! every INTERVAL milliseconds, and prints `ARN ACCESS_KEY_ID` per call. The
//! access key id comes from asking the chain directly each time, so a test can
//! see credentials change under a long-running client.
//!
//! Usage: `whoami [N] [INTERVAL_MS]` (default 1 call).

use std::time::Duration;

use aws_config::BehaviorVersion;
use aws_credential_types::provider::ProvideCredentials;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let mut args = std::env::args().skip(1);
    let calls: u32 = args.next().and_then(|a| a.parse().ok()).unwrap_or(1);
    let interval: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(0);
    let config = aws_config::defaults(BehaviorVersion::latest())
        .http_client(rolecall::credential::obtain::http_client())
        .load()
        .await;
    let Some(provider) = config.credentials_provider() else {
        eprintln!("whoami: no credentials provider");
        std::process::exit(1);
    };
    let sts = aws_sdk_sts::Client::new(&config);
    for call in 1..=calls {
        let arn = match sts.get_caller_identity().send().await {
            Ok(out) => out.arn().unwrap_or_default().to_string(),
            Err(err) => {
                eprintln!(
                    "whoami: call {call}: {}",
                    aws_smithy_types::error::display::DisplayErrorContext(&err)
                );
                std::process::exit(1);
            }
        };
        let key = match provider.provide_credentials().await {
            Ok(c) => c.access_key_id().to_string(),
            Err(err) => {
                eprintln!(
                    "whoami: credentials {call}: {}",
                    aws_smithy_types::error::display::DisplayErrorContext(&err)
                );
                std::process::exit(1);
            }
        };
        println!("{arn} {key}");
        if call < calls {
            tokio::time::sleep(Duration::from_millis(interval)).await;
        }
    }
}
