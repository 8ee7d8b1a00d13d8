//! The one-time loopback redirect: the sign-in URL is a bearer token, so the
//! browser is never given it on its command line (where every user on the
//! machine can read it in the process list). It gets
//! `http://127.0.0.1:PORT/RANDOM` instead, which answers one request with a
//! redirect to the sign-in URL and then closes. Requests for another path or
//! with a foreign `Host` (DNS rebinding) get 404 and change nothing.
//!
//! [`answer`] decides from the request's head alone (pure); [`OneTime::serve`]
//! runs the listener with a deadline.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

use crate::credential::secret::Secret;

/// A bound, not yet answered one-time URL.
pub struct OneTime {
    listener: TcpListener,
    path: String,
    port: u16,
}

/// What the server does with one request.
#[derive(Debug, PartialEq, Eq)]
pub enum Answer {
    /// The one request: redirect, then close.
    Redirect,
    /// Anything else: 404, keep waiting.
    NotFound,
}

/// The answer to a request whose head (request line and headers) is `head`,
/// for a server at `127.0.0.1:port` expecting `path`.
pub fn answer(head: &str, port: u16, path: &str) -> Answer {
    let mut lines = head.split("\r\n");
    let mut first = lines.next().unwrap_or_default().split(' ');
    let (method, target) = (first.next(), first.next());
    let host_ok = lines
        .filter_map(|l| l.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("host"))
        .is_some_and(|(_, v)| {
            let v = v.trim();
            v == format!("127.0.0.1:{port}") || v == format!("localhost:{port}")
        });
    if method == Some("GET") && target == Some(path) && host_ok {
        Answer::Redirect
    } else {
        Answer::NotFound
    }
}

/// Why the one-time URL was not used.
#[derive(Debug, thiserror::Error)]
pub enum RedirectError {
    /// No browser came in time.
    #[error(
        "no browser opened the sign-in page within {0} seconds; run again (or use --no-browser and open the address yourself)"
    )]
    Timeout(u64),
    /// The loopback socket failed.
    #[error("the local sign-in address failed: {0}")]
    Io(#[from] std::io::Error),
}

impl OneTime {
    /// Binds a random port on 127.0.0.1 with a random path.
    pub fn bind() -> std::io::Result<OneTime> {
        let listener = TcpListener::bind(("127.0.0.1", 0))?;
        let port = listener.local_addr()?.port();
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes).map_err(|e| std::io::Error::other(e.to_string()))?;
        let path = format!(
            "/{}",
            bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
        );
        Ok(OneTime {
            listener,
            path,
            port,
        })
    }

    /// The address to give the browser.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}{}", self.port, self.path)
    }

    /// Waits up to `wait` for the one request, answers it with a redirect to
    /// `target`, and closes.
    pub fn serve(self, target: &Secret, wait: Duration) -> Result<(), RedirectError> {
        let deadline = Instant::now() + wait;
        self.listener.set_nonblocking(true)?;
        loop {
            match self.listener.accept() {
                Ok((stream, _)) => {
                    if self.handle(stream, target)? == Answer::Redirect {
                        return Ok(());
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    if Instant::now() >= deadline {
                        return Err(RedirectError::Timeout(wait.as_secs()));
                    }
                    std::thread::sleep(Duration::from_millis(10));
                }
                Err(e) => return Err(e.into()),
            }
        }
    }

    fn handle(&self, mut stream: TcpStream, target: &Secret) -> std::io::Result<Answer> {
        stream.set_nonblocking(false)?;
        stream.set_read_timeout(Some(Duration::from_secs(5)))?;
        let mut head = Vec::new();
        let mut buf = [0u8; 1024];
        while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 16 * 1024 {
            match stream.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => head.extend_from_slice(&buf[..n]),
            }
        }
        let head = String::from_utf8_lossy(&head);
        let answer = answer(&head, self.port, &self.path);
        let response = match answer {
            Answer::Redirect => zeroize::Zeroizing::new(format!(
                "HTTP/1.1 302 Found\r\nLocation: {}\r\nCache-Control: no-store\r\nReferrer-Policy: no-referrer\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                target.expose()
            )),
            Answer::NotFound => zeroize::Zeroizing::new(
                "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    .to_string(),
            ),
        };
        // A browser that went away changes nothing: the answer was given.
        let _ = stream.write_all(response.as_bytes());
        let _ = stream.flush();
        Ok(answer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_exact_get_with_a_loopback_host_is_answered() {
        let ok = "GET /abc HTTP/1.1\r\nHost: 127.0.0.1:4000\r\nAccept: */*\r\n\r\n";
        assert_eq!(answer(ok, 4000, "/abc"), Answer::Redirect);
        let local = "GET /abc HTTP/1.1\r\nhost: localhost:4000\r\n\r\n";
        assert_eq!(answer(local, 4000, "/abc"), Answer::Redirect);
        for bad in [
            "GET /abd HTTP/1.1\r\nHost: 127.0.0.1:4000\r\n\r\n",
            "GET /abc/ HTTP/1.1\r\nHost: 127.0.0.1:4000\r\n\r\n",
            "POST /abc HTTP/1.1\r\nHost: 127.0.0.1:4000\r\n\r\n",
            "GET /abc HTTP/1.1\r\nHost: evil.example:4000\r\n\r\n",
            "GET /abc HTTP/1.1\r\nHost: 127.0.0.1:4001\r\n\r\n",
            "GET /abc HTTP/1.1\r\n\r\n",
            "",
        ] {
            assert_eq!(answer(bad, 4000, "/abc"), Answer::NotFound, "{bad:?}");
        }
    }

    fn get(url: &str) -> std::io::Result<String> {
        let rest = url.strip_prefix("http://").unwrap();
        let (host, path) = rest.split_at(rest.find('/').unwrap());
        let mut s = TcpStream::connect(host)?;
        write!(s, "GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n")?;
        let mut text = String::new();
        s.read_to_string(&mut text)?;
        Ok(text)
    }

    #[test]
    fn answers_once_then_closes() {
        let one = OneTime::bind().unwrap();
        let url = one.url();
        assert!(url.starts_with("http://127.0.0.1:"));
        assert_eq!(
            url.len(),
            "http://127.0.0.1:".len() + url[17..].find('/').unwrap() + 33
        );
        let target = Secret::new("https://signin.example/federation?SigninToken=t");
        let server = std::thread::spawn(move || one.serve(&target, Duration::from_secs(10)));
        let (base, _) = url.rsplit_once('/').unwrap();
        let wrong = get(&format!("{base}/nope")).unwrap();
        assert!(wrong.starts_with("HTTP/1.1 404"), "{wrong}");
        let right = get(&url).unwrap();
        assert!(right.starts_with("HTTP/1.1 302 Found\r\n"), "{right}");
        assert!(
            right.contains("\r\nLocation: https://signin.example/federation?SigninToken=t\r\n")
        );
        assert!(right.contains("Cache-Control: no-store"));
        server.join().unwrap().unwrap();
        assert!(get(&url).is_err(), "the address is closed after one answer");
    }

    #[test]
    fn gives_up_after_the_wait() {
        let one = OneTime::bind().unwrap();
        let err = one
            .serve(&Secret::new("x"), Duration::from_millis(50))
            .unwrap_err();
        assert!(matches!(err, RedirectError::Timeout(0)));
    }
}
