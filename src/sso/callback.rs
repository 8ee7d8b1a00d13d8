//! The one-shot loopback listener a PKCE login sends the browser back to:
//! `http://127.0.0.1:{port}/oauth/callback?code=…&state=…`.
//!
//! It listens on 127.0.0.1 only (a random port), answers every request with a
//! short page, and takes exactly one authorization code: a request for another
//! path gets 404, one whose `state` is not the login's gets 400 and changes
//! nothing (a page elsewhere cannot end or hijack the login), and once the code
//! is taken the socket is closed, so a replay finds nobody listening. An
//! `error` redirect carrying the right `state` ends the wait with the
//! service's reason. Nothing here knows about tokens or the terminal.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use super::pkce::{CALLBACK_PATH, query_pairs};

/// How long one connection may take to send its request.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// The most of a request read.
const MAX_REQUEST: usize = 16 * 1024;

/// Why no code arrived.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CallbackError {
    /// The service redirected with `error` (the user refused, or a bad request).
    #[error("the sign-in page answered {0}")]
    Refused(String),
    /// The listener failed.
    #[error("the local listener failed: {0}")]
    Io(String),
}

/// What a request asked for, and how it was answered.
#[derive(Debug, PartialEq, Eq)]
enum Answer {
    /// The code: 200 and stop.
    Code(String),
    /// The service's error with the right state: 200 and stop.
    Refused(String),
    /// Not the callback, or the wrong state: this status, keep listening.
    Ignored(u16, &'static str),
}

/// A bound listener.
#[derive(Debug)]
pub struct Listener {
    socket: TcpListener,
    port: u16,
}

const DONE_PAGE: &str = "<!doctype html><html><head><meta charset=\"utf-8\"><title>rolecall</title></head><body><h1>Signed in</h1><p>rolecall has the authorization. You can close this tab and return to the terminal.</p></body></html>";
const REFUSED_PAGE: &str = "<!doctype html><html><head><meta charset=\"utf-8\"><title>rolecall</title></head><body><h1>Sign-in not completed</h1><p>The sign-in page did not authorize rolecall. Return to the terminal for details.</p></body></html>";

impl Listener {
    /// Listens on 127.0.0.1 on a port the system picks.
    pub async fn bind() -> std::io::Result<Listener> {
        let socket = TcpListener::bind(("127.0.0.1", 0)).await?;
        let port = socket.local_addr()?.port();
        Ok(Listener { socket, port })
    }

    /// The port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Waits for the browser to bring the code for `state`; consumes the
    /// listener, closing it when the code (or an error) has come.
    pub async fn code(self, state: &str) -> Result<String, CallbackError> {
        loop {
            let (stream, _) = self
                .socket
                .accept()
                .await
                .map_err(|e| CallbackError::Io(e.to_string()))?;
            let Ok(Ok(answer)) = tokio::time::timeout(REQUEST_TIMEOUT, serve(stream, state)).await
            else {
                continue; // a client that went away or stalled
            };
            match answer {
                Answer::Code(code) => return Ok(code),
                Answer::Refused(reason) => return Err(CallbackError::Refused(reason)),
                Answer::Ignored(..) => {}
            }
        }
    }
}

/// Reads one request from `stream`, answers it, and says what it was.
async fn serve(mut stream: TcpStream, state: &str) -> std::io::Result<Answer> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") && buf.len() < MAX_REQUEST {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let head = String::from_utf8_lossy(&buf);
    let line = head.lines().next().unwrap_or_default();
    let answer = judge(line, state);
    let (status, reason, page) = match &answer {
        Answer::Code(_) => (200, "OK", DONE_PAGE),
        Answer::Refused(_) => (200, "OK", REFUSED_PAGE),
        Answer::Ignored(404, _) => (404, "Not Found", "not found"),
        Answer::Ignored(status, why) => (*status, "Bad Request", *why),
    };
    let response = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n{page}",
        page.len()
    );
    stream.write_all(response.as_bytes()).await?;
    let _ = stream.shutdown().await;
    Ok(answer)
}

/// What a request line (`GET /oauth/callback?code=…&state=… HTTP/1.1`) is.
fn judge(line: &str, state: &str) -> Answer {
    let mut parts = line.split(' ');
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    if method != "GET" || path != CALLBACK_PATH {
        return Answer::Ignored(404, "not found");
    }
    let pairs = query_pairs(query);
    let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    if get("state") != Some(state) {
        return Answer::Ignored(400, "the state does not match this login");
    }
    if let Some(error) = get("error") {
        let detail = get("error_description").unwrap_or_default();
        return Answer::Refused(if detail.is_empty() {
            error.to_string()
        } else {
            format!("{error}: {detail}")
        });
    }
    match get("code").filter(|c| !c.is_empty()) {
        Some(code) => Answer::Code(code.to_string()),
        None => Answer::Ignored(400, "no code in the request"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_judged() {
        let s = "st-1";
        assert_eq!(
            judge("GET /oauth/callback?code=c%2B1&state=st-1 HTTP/1.1", s),
            Answer::Code("c+1".into())
        );
        assert_eq!(
            judge("GET /oauth/callback?state=st-1&code=c HTTP/1.1", s),
            Answer::Code("c".into())
        );
        assert!(matches!(
            judge("GET /oauth/callback?code=c&state=other HTTP/1.1", s),
            Answer::Ignored(400, _)
        ));
        assert!(matches!(
            judge("GET /oauth/callback?code=c HTTP/1.1", s),
            Answer::Ignored(400, _)
        ));
        assert!(matches!(
            judge("GET /favicon.ico HTTP/1.1", s),
            Answer::Ignored(404, _)
        ));
        assert!(matches!(
            judge("POST /oauth/callback?code=c&state=st-1 HTTP/1.1", s),
            Answer::Ignored(404, _)
        ));
        assert_eq!(
            judge(
                "GET /oauth/callback?error=access_denied&error_description=no&state=st-1 HTTP/1.1",
                s
            ),
            Answer::Refused("access_denied: no".into())
        );
        // An error from a page that does not know the state changes nothing.
        assert!(matches!(
            judge("GET /oauth/callback?error=access_denied HTTP/1.1", s),
            Answer::Ignored(400, _)
        ));
    }

    async fn get(port: u16, target: &str) -> std::io::Result<String> {
        let mut s = TcpStream::connect(("127.0.0.1", port)).await?;
        s.write_all(format!("GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").as_bytes())
            .await?;
        let mut out = String::new();
        s.read_to_string(&mut out).await?;
        Ok(out)
    }

    #[tokio::test]
    async fn one_code_then_closed() {
        let listener = Listener::bind().await.unwrap();
        let port = listener.port();
        let waiter = tokio::spawn(listener.code("the-state"));
        let wrong_path = get(port, "/?code=x&state=the-state").await.unwrap();
        assert!(wrong_path.starts_with("HTTP/1.1 404"), "{wrong_path}");
        let wrong_state = get(port, "/oauth/callback?code=x&state=guess")
            .await
            .unwrap();
        assert!(wrong_state.starts_with("HTTP/1.1 400"), "{wrong_state}");
        let ok = get(port, "/oauth/callback?code=the-code&state=the-state")
            .await
            .unwrap();
        assert!(ok.starts_with("HTTP/1.1 200"), "{ok}");
        assert!(ok.contains("close this tab"), "{ok}");
        assert_eq!(waiter.await.unwrap(), Ok("the-code".to_string()));
        // A replay finds the port closed.
        assert!(
            get(port, "/oauth/callback?code=the-code&state=the-state")
                .await
                .is_err()
        );
    }

    #[tokio::test]
    async fn an_error_redirect_ends_the_wait() {
        let listener = Listener::bind().await.unwrap();
        let port = listener.port();
        let waiter = tokio::spawn(listener.code("s"));
        let page = get(port, "/oauth/callback?error=access_denied&state=s")
            .await
            .unwrap();
        assert!(page.contains("not completed"), "{page}");
        assert_eq!(
            waiter.await.unwrap(),
            Err(CallbackError::Refused("access_denied".into()))
        );
    }
}
