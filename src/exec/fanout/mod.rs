//! One command in many profiles at once (`exec --each`): which profiles
//! ([`select`]), running the children ([`run`]) and what is reported
//! ([`report`]). Credentials and the shared endpoint are the caller's
//! (`commands::fanout`); this module never touches a terminal.

pub mod report;
#[cfg(unix)]
pub mod run;
pub mod select;

/// Children at once unless asked otherwise (`-j`; the TUI's runs).
pub const DEFAULT_JOBS: usize = 8;

/// How a fan-out's children get their credentials (`exec --mode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The credentials themselves in the environment.
    Env,
    /// `AWS_PROFILE`: the child's SDK reads the files.
    Profile,
    /// The local endpoint, refreshed while the child runs.
    Server,
}

#[cfg(test)]
mod tests {
    use std::io::{Read, Write};
    use std::sync::{Arc, RwLock};
    use std::time::Duration;

    use crate::credential::secret::Credentials;
    use crate::exec::server::{self, Endpoint, Token};

    fn get(port: u16, token: &str) -> String {
        let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        write!(
            s,
            "GET {} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: {token}\r\nConnection: close\r\n\r\n",
            server::PATH
        )
        .unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).unwrap();
        out
    }

    #[test]
    fn one_endpoint_serves_each_token_only_its_own_profile() {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let expires = Some(crate::clock::now() + Duration::from_secs(3600));
        let endpoint = |profile: &str, key: &str| {
            let creds = Credentials::new(key, "secret", Some("session"), expires);
            Endpoint::new(
                Token::from(format!("token-of-{profile}").as_str()),
                Arc::new(RwLock::new(creds)),
                profile,
            )
        };
        let port = runtime.block_on(async {
            let listener = server::bind().await.unwrap();
            let port = listener.local_addr().unwrap().port();
            tokio::spawn(server::serve_all(
                listener,
                vec![
                    endpoint("a", "ASIAAAA"),
                    endpoint("b", "ASIABBB"),
                    endpoint("c", "ASIACCC"),
                ],
            ));
            port
        });
        let a = get(port, "token-of-a");
        assert!(
            a.starts_with("HTTP/1.1 200") && a.contains("ASIAAAA"),
            "{a}"
        );
        let b = get(port, "token-of-b");
        assert!(
            b.starts_with("HTTP/1.1 200") && b.contains("ASIABBB"),
            "{b}"
        );
        assert!(!b.contains("ASIAAAA") && !b.contains("ASIACCC"), "{b}");
        let c = get(port, "token-of-c");
        assert!(c.contains("ASIACCC") && !c.contains("ASIAAAA"), "{c}");
        let wrong = get(port, "token-of-d");
        assert!(wrong.starts_with("HTTP/1.1 403"), "{wrong}");
        assert!(!wrong.contains("ASIA"), "{wrong}");
        runtime.shutdown_background();
    }
}
