//! The local container-credentials endpoint of `rolecall exec --mode server`.
//!
//! A minimal HTTP/1.1 server on 127.0.0.1 (a random port) that answers one
//! request, `GET /rolecall/credentials` with `Authorization: <token>`, with the
//! current credentials in the container provider's JSON shape
//! (`AccessKeyId`, `SecretAccessKey`, `Token`, `Expiration`). Every request is
//! judged by [`check`], a pure function over the request head: a `Host` that is
//! not loopback is refused with 403 before anything else (a web page cannot
//! reach the endpoint through DNS rebinding), a missing token with 401, a wrong
//! one with 403, compared in constant time. Connections are kept alive for GET
//! requests; heads are bounded (8 KiB), idle connections and slow writers time
//! out, bodies are refused, and no input makes it panic. It never fetches
//! credentials: it serves what [`Current`] holds, which
//! [`super::refresh`] keeps fresh.

use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use zeroize::Zeroizing;

use crate::credential::expiry::format_rfc3339;
use crate::credential::secret::Credentials;

/// The path credentials are served at.
pub const PATH: &str = "/rolecall/credentials";
/// The largest request head accepted (request line and headers).
pub const MAX_HEAD: usize = 8 * 1024;
/// How long a connection may stay silent before a complete request head.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(30);
/// How long writing one answer may take.
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// Connections served at once; more wait in the listen queue.
pub const MAX_CONNECTIONS: usize = 1024;
/// The listen queue: a burst of a thousand connecting SDK clients must not
/// overflow it (tokio's default of 128 made clients wait for TCP's 1 s and 3 s
/// retries). The kernel caps it at `net.core.somaxconn`.
const BACKLOG: u32 = 4096;

/// The credentials being served, shared with the refresher.
pub type Current = Arc<RwLock<Credentials>>;

/// The secret a child must send in `Authorization`: 256 random bits, in hex.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(Zeroizing<String>);

impl Token {
    /// A new random token from the operating system's generator.
    pub fn generate() -> io::Result<Token> {
        let mut bytes = Zeroizing::new([0u8; 32]);
        getrandom::fill(bytes.as_mut()).map_err(|e| io::Error::other(e.to_string()))?;
        let hex = bytes.iter().map(|b| format!("{b:02x}")).collect::<String>();
        Ok(Token(Zeroizing::new(hex)))
    }

    /// The token, for the child's environment. Handle with care.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether `given` is this token, in time independent of where they differ.
    pub fn matches(&self, given: &[u8]) -> bool {
        constant_time_eq(self.0.as_bytes(), given)
    }
}

impl From<&str> for Token {
    fn from(s: &str) -> Token {
        Token(Zeroizing::new(s.to_string()))
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

/// Compares every byte whatever the first difference (the length is not secret).
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let diff = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    std::hint::black_box(diff) == 0
}

/// Why a request is not answered with credentials.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// 400: not a request this server can read (and the connection is closed).
    BadRequest,
    /// 401: no `Authorization` header.
    Unauthorized,
    /// 403: a wrong token, or a `Host` that is not loopback.
    Forbidden,
    /// 404: another path.
    NotFound,
    /// 405: another method than GET.
    MethodNotAllowed,
    /// 431: a head larger than [`MAX_HEAD`] (and the connection is closed).
    HeadTooLarge,
    /// 503: the credentials have expired and could not be refreshed.
    Unavailable,
}

impl Status {
    /// The status code.
    pub fn code(self) -> u16 {
        match self {
            Status::BadRequest => 400,
            Status::Unauthorized => 401,
            Status::Forbidden => 403,
            Status::NotFound => 404,
            Status::MethodNotAllowed => 405,
            Status::HeadTooLarge => 431,
            Status::Unavailable => 503,
        }
    }

    fn reason(self) -> &'static str {
        match self {
            Status::BadRequest => "Bad Request",
            Status::Unauthorized => "Unauthorized",
            Status::Forbidden => "Forbidden",
            Status::NotFound => "Not Found",
            Status::MethodNotAllowed => "Method Not Allowed",
            Status::HeadTooLarge => "Request Header Fields Too Large",
            Status::Unavailable => "Service Unavailable",
        }
    }

    fn message(self) -> &'static str {
        match self {
            Status::BadRequest => "malformed request",
            Status::Unauthorized => "missing Authorization token",
            Status::Forbidden => "wrong token, or a Host that is not loopback",
            Status::NotFound => "unknown path",
            Status::MethodNotAllowed => "only GET is served",
            Status::HeadTooLarge => "request head too large",
            Status::Unavailable => {
                "rolecall could not refresh the credentials; see rolecall's messages on stderr"
            }
        }
    }

    /// Whether the connection must be closed after answering.
    fn closes(self) -> bool {
        matches!(self, Status::BadRequest | Status::HeadTooLarge)
    }
}

/// A request head, read.
#[derive(Debug, PartialEq, Eq)]
struct Head<'a> {
    method: &'a str,
    target: &'a str,
    http10: bool,
    headers: Vec<(&'a str, &'a str)>,
}

impl<'a> Head<'a> {
    /// The values of header `name` (case-insensitive).
    fn all<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'a str> + 's {
        self.headers
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| *v)
    }

    /// The one value of `name`: `Ok(None)` when absent, an error when repeated.
    fn one(&self, name: &str) -> Result<Option<&'a str>, Status> {
        let mut values = self.all(name);
        let first = values.next();
        match values.next() {
            Some(_) => Err(Status::BadRequest),
            None => Ok(first),
        }
    }

    /// Whether the client wants the connection kept open.
    fn keep_alive(&self) -> bool {
        let mut tokens = self
            .all("connection")
            .flat_map(|v| v.split(','))
            .map(str::trim);
        if self.http10 {
            tokens.any(|t| t.eq_ignore_ascii_case("keep-alive"))
        } else {
            !tokens.any(|t| t.eq_ignore_ascii_case("close"))
        }
    }
}

fn is_token_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&c)
}

/// Reads a request head (without the final empty line).
fn parse(head: &str) -> Result<Head<'_>, Status> {
    let mut lines = head.split("\r\n");
    let request_line = lines.next().ok_or(Status::BadRequest)?;
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(Status::BadRequest);
    };
    if method.is_empty() || !method.bytes().all(is_token_char) || !target.starts_with('/') {
        return Err(Status::BadRequest);
    }
    let http10 = match version {
        "HTTP/1.1" => false,
        "HTTP/1.0" => true,
        _ => return Err(Status::BadRequest),
    };
    let mut headers = Vec::new();
    for line in lines {
        let (name, value) = line.split_once(':').ok_or(Status::BadRequest)?;
        if name.is_empty() || !name.bytes().all(is_token_char) {
            // Also refuses folded lines, which start with a space.
            return Err(Status::BadRequest);
        }
        let value = value.trim_matches([' ', '\t']);
        if value.bytes().any(|b| b.is_ascii_control() && b != b'\t') {
            return Err(Status::BadRequest);
        }
        headers.push((name, value));
    }
    Ok(Head {
        method,
        target,
        http10,
        headers,
    })
}

/// Whether a `Host` value names this machine's loopback: `127.0.0.1`,
/// `localhost` or `[::1]`, with or without a port.
pub fn is_loopback_host(host: &str) -> bool {
    let (name, port) = if host.starts_with('[') {
        match host.find(']') {
            Some(i) => host.split_at(i + 1),
            None => return false,
        }
    } else {
        host.split_at(host.find(':').unwrap_or(host.len()))
    };
    let port_ok = match port.strip_prefix(':') {
        None => port.is_empty(),
        Some(digits) => {
            !digits.is_empty() && digits.len() <= 5 && digits.bytes().all(|b| b.is_ascii_digit())
        }
    };
    port_ok && (name == "127.0.0.1" || name.eq_ignore_ascii_case("localhost") || name == "[::1]")
}

/// Judges a request head (the text before the empty line): `Ok` when it asks
/// for the credentials from loopback with the right token.
pub fn check(head: &str, token: &Token) -> Result<(), Status> {
    judge(head, token).0
}

/// [`check`], and whether the connection stays open afterwards: the head is
/// read once for both.
fn judge(head: &str, token: &Token) -> (Result<(), Status>, bool) {
    let head = match parse(head) {
        Ok(head) => head,
        Err(status) => return (Err(status), false),
    };
    let status = allowed(&head, token);
    let keep = head.keep_alive() && !status.is_err_and(Status::closes);
    (status, keep)
}

fn allowed(head: &Head<'_>, token: &Token) -> Result<(), Status> {
    match head.one("host")? {
        Some(host) if is_loopback_host(host) => {}
        _ => return Err(Status::Forbidden),
    }
    if head.one("transfer-encoding")?.is_some()
        || head.one("content-length")?.is_some_and(|n| n != "0")
    {
        return Err(Status::BadRequest);
    }
    if head.method != "GET" {
        return Err(Status::MethodNotAllowed);
    }
    match head.one("authorization")? {
        None => return Err(Status::Unauthorized),
        Some(given) if !token.matches(given.as_bytes()) => return Err(Status::Forbidden),
        Some(_) => {}
    }
    let path = head.target.split_once('?').map_or(head.target, |(p, _)| p);
    if path != PATH {
        return Err(Status::NotFound);
    }
    Ok(())
}

/// Whether `creds` may be served at `now`: a session that has not expired.
fn servable(creds: &Credentials, now: SystemTime) -> Result<(), Status> {
    match (creds.session_token(), creds.expires) {
        (Some(_), Some(expires)) if expires > now => Ok(()),
        _ => Err(Status::Unavailable),
    }
}

/// The container provider's JSON for `creds`, or 503 once they have expired.
pub fn body(creds: &Credentials, now: SystemTime) -> Result<Zeroizing<String>, Status> {
    servable(creds, now)?;
    let (Some(token), Some(expires)) = (creds.session_token(), creds.expires) else {
        return Err(Status::Unavailable);
    };
    #[derive(serde::Serialize)]
    #[serde(rename_all = "PascalCase")]
    struct Body<'a> {
        access_key_id: &'a str,
        secret_access_key: &'a str,
        token: &'a str,
        expiration: String,
    }
    let body = Body {
        access_key_id: &creds.access_key_id,
        secret_access_key: creds.secret_access_key(),
        token,
        expiration: format_rfc3339(expires),
    };
    // Serialised straight into the one buffer that is wiped after use.
    Ok(Zeroizing::new(
        serde_json::to_string(&body).map_err(|_| Status::Unavailable)?,
    ))
}

/// The last body served with the credentials it was made from, shared by all
/// connections: serialised once per refresh instead of once per request.
#[derive(Default)]
struct Answers(std::sync::Mutex<Option<Arc<Answer>>>);

struct Answer {
    creds: Credentials,
    body: Zeroizing<String>,
}

impl Answers {
    /// The body for what `current` holds at `now` (the expiry is checked on
    /// every request, whatever is cached). No lock is held across an await.
    fn get(&self, current: &Current, now: SystemTime) -> Result<Arc<Answer>, Status> {
        let creds = current.read().unwrap_or_else(|e| e.into_inner());
        servable(&creds, now)?;
        let mut slot = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(answer) = slot.as_ref().filter(|a| a.creds == *creds) {
            return Ok(answer.clone());
        }
        let answer = Arc::new(Answer {
            body: body(&creds, now)?,
            creds: creds.clone(),
        });
        *slot = Some(answer.clone());
        Ok(answer)
    }
}

/// Writes a whole answer into `out` (cleared first; it is wiped when dropped).
fn response(out: &mut Vec<u8>, status: Result<(), Status>, body: &str, close: bool) {
    use std::io::Write;
    let (code, reason, kind) = match status {
        Ok(()) => (200, "OK", "application/json"),
        Err(s) => (s.code(), s.reason(), "text/plain; charset=utf-8"),
    };
    out.clear();
    out.reserve(body.len() + 200);
    let _ = write!(
        out,
        "HTTP/1.1 {code} {reason}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: {}\r\n",
        body.len(),
        if close { "close" } else { "keep-alive" }
    );
    if status == Err(Status::MethodNotAllowed) {
        out.extend_from_slice(b"Allow: GET\r\n");
    }
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(body.as_bytes());
}

/// The loopback listener on a random port, with room for bursts of clients.
pub async fn bind() -> io::Result<TcpListener> {
    raise_open_file_limit();
    let socket = tokio::net::TcpSocket::new_v4()?;
    socket.bind(SocketAddr::from(([127, 0, 0, 1], 0)))?;
    socket.listen(BACKLOG)
}

/// Lets this process hold as many connections as [`MAX_CONNECTIONS`]: raises the
/// soft limit on open files towards the hard one (best effort).
fn raise_open_file_limit() {
    #[cfg(unix)]
    {
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit/setrlimit with a valid pointer to a local rlimit.
        unsafe {
            if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) == 0 {
                let want = (MAX_CONNECTIONS as libc::rlim_t + 256).min(limit.rlim_max);
                if limit.rlim_cur < want {
                    limit.rlim_cur = want;
                    libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
                }
            }
        }
    }
}

/// The URL children are given for a listener's address.
pub fn url(addr: SocketAddr) -> String {
    format!("http://127.0.0.1:{}{PATH}", addr.port())
}

/// Accepts and serves connections until the task is dropped.
pub async fn serve(listener: TcpListener, token: Token, current: Current) {
    let shared = Arc::new(Shared {
        token,
        current,
        answers: Answers::default(),
    });
    let permits = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    loop {
        let Ok(permit) = permits.clone().acquire_owned().await else {
            return;
        };
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(_) => {
                // Out of descriptors, for instance: wait rather than spin.
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        // Each answer is one write; never hold it back waiting for an ACK.
        let _ = stream.set_nodelay(true);
        let shared = shared.clone();
        tokio::spawn(async move {
            let _ = connection(stream, &shared).await;
            drop(permit);
        });
    }
}

/// What every connection reads.
struct Shared {
    token: Token,
    current: Current,
    answers: Answers,
}

/// Where the head ends in `buf` (the index of its `\r\n\r\n`).
fn head_end(buf: &[u8]) -> Option<usize> {
    buf.windows(4).position(|w| w == b"\r\n\r\n")
}

/// Serves one connection: request after request while the client keeps it open.
async fn connection(mut stream: TcpStream, shared: &Shared) -> io::Result<()> {
    let mut buf: Vec<u8> = Vec::with_capacity(1024);
    let mut out: Zeroizing<Vec<u8>> = Zeroizing::new(Vec::new());
    loop {
        let end = match tokio::time::timeout(IDLE_TIMEOUT, read_head(&mut stream, &mut buf)).await {
            Err(_) | Ok(Ok(None)) => return Ok(()),
            Ok(Err(e)) => return Err(e),
            Ok(Ok(Some(end))) => end,
        };
        let (status, keep) = match end {
            Err(status) => (Err(status), false),
            Ok(end) => match std::str::from_utf8(&buf[..end]) {
                Err(_) => (Err(Status::BadRequest), false),
                Ok(head) => judge(head, &shared.token),
            },
        };
        match status.and_then(|()| shared.answers.get(&shared.current, crate::clock::now())) {
            Ok(answer) => response(&mut out, Ok(()), &answer.body, !keep),
            Err(s) => response(&mut out, Err(s), s.message(), !keep),
        }
        tokio::time::timeout(WRITE_TIMEOUT, stream.write_all(&out))
            .await
            .map_err(|_| io::Error::from(io::ErrorKind::TimedOut))??;
        if !keep {
            let _ = stream.shutdown().await;
            return Ok(());
        }
        if let Ok(end) = end {
            buf.drain(..end + 4);
        }
    }
}

/// Reads until `buf` holds a whole head: `Ok(Some(Ok(end)))`, `Ok(None)` when
/// the client closed before sending one, `Ok(Some(Err(HeadTooLarge)))`.
async fn read_head(
    stream: &mut TcpStream,
    buf: &mut Vec<u8>,
) -> io::Result<Option<Result<usize, Status>>> {
    loop {
        if let Some(end) = head_end(buf) {
            return Ok(Some(if end > MAX_HEAD {
                Err(Status::HeadTooLarge)
            } else {
                Ok(end)
            }));
        }
        if buf.len() > MAX_HEAD + 3 {
            return Ok(Some(Err(Status::HeadTooLarge)));
        }
        // Straight into the buffer's spare room, at most 1 KiB at a time.
        buf.reserve(1024);
        let n = (&mut *stream).take(1024).read_buf(buf).await?;
        if n == 0 {
            return Ok(None);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token() -> Token {
        Token::from("s3cr3t")
    }

    fn get(headers: &str) -> String {
        format!("GET {PATH} HTTP/1.1\r\n{headers}")
    }

    #[test]
    fn accepts_the_token_from_loopback() {
        for host in [
            "127.0.0.1",
            "127.0.0.1:8080",
            "localhost",
            "LocalHost:1",
            "[::1]",
            "[::1]:65535",
        ] {
            let head = get(&format!("Host: {host}\r\nAuthorization: s3cr3t"));
            assert_eq!(check(&head, &token()), Ok(()), "{host}");
        }
        let head = format!("GET {PATH}?x=1 HTTP/1.0\r\nhost: 127.0.0.1\r\nauthorization:s3cr3t");
        assert_eq!(check(&head, &token()), Ok(()));
    }

    #[test]
    fn refuses_foreign_hosts_before_anything_else() {
        for host in [
            "evil.example",
            "127.0.0.1.evil.example",
            "localhost.",
            "127.0.0.2",
            "[::2]",
            "127.0.0.1:",
            "127.0.0.1:80x",
            "[::1",
            "",
        ] {
            let head = get(&format!("Host: {host}\r\nAuthorization: s3cr3t"));
            assert_eq!(check(&head, &token()), Err(Status::Forbidden), "{host:?}");
        }
        assert_eq!(
            check(&get("Authorization: s3cr3t"), &token()),
            Err(Status::Forbidden)
        );
        let post = "POST /x HTTP/1.1\r\nHost: evil";
        assert_eq!(check(post, &token()), Err(Status::Forbidden));
    }

    #[test]
    fn wants_the_right_token() {
        let host = "Host: 127.0.0.1:1\r\n";
        assert_eq!(
            check(&get(host.trim_end()), &token()),
            Err(Status::Unauthorized)
        );
        for wrong in ["s3cr3", "s3cr3t ", "S3CR3T", "s3cr3tx", "Bearer s3cr3t"] {
            let head = get(&format!("{host}Authorization: {wrong}"));
            // Surrounding spaces are not part of a header's value.
            let want = if wrong.trim() == "s3cr3t" {
                Ok(())
            } else {
                Err(Status::Forbidden)
            };
            assert_eq!(check(&head, &token()), want, "{wrong:?}");
        }
        let twice = get(&format!(
            "{host}Authorization: s3cr3t\r\nAuthorization: s3cr3t"
        ));
        assert_eq!(check(&twice, &token()), Err(Status::BadRequest));
    }

    #[test]
    fn other_methods_paths_and_bodies() {
        let ok = "Host: localhost\r\nAuthorization: s3cr3t";
        assert_eq!(
            check(&format!("POST {PATH} HTTP/1.1\r\n{ok}"), &token()),
            Err(Status::MethodNotAllowed)
        );
        assert_eq!(
            check(&format!("GET /other HTTP/1.1\r\n{ok}"), &token()),
            Err(Status::NotFound)
        );
        assert_eq!(
            check("GET /other HTTP/1.1\r\nHost: localhost", &token()),
            Err(Status::Unauthorized),
            "no path is revealed without the token"
        );
        assert_eq!(
            check(&get(&format!("{ok}\r\nContent-Length: 5")), &token()),
            Err(Status::BadRequest)
        );
        assert_eq!(
            check(
                &get(&format!("{ok}\r\nTransfer-Encoding: chunked")),
                &token()
            ),
            Err(Status::BadRequest)
        );
        assert_eq!(
            check(&get(&format!("{ok}\r\nContent-Length: 0")), &token()),
            Ok(())
        );
    }

    #[test]
    fn garbage_is_a_bad_request() {
        for head in [
            "",
            "GET",
            "GET /",
            "GET / HTTP/2",
            "GET  / HTTP/1.1",
            "GET rolecall HTTP/1.1",
            "G(T / HTTP/1.1",
            "GET / HTTP/1.1\r\nno colon",
            "GET / HTTP/1.1\r\n folded: x",
            "GET / HTTP/1.1\r\nHost: a\u{1}b",
            "GET / HTTP/1.1\r\n: empty name",
            "\u{0}\u{0}\u{0}",
        ] {
            assert_eq!(check(head, &token()), Err(Status::BadRequest), "{head:?}");
        }
    }

    #[test]
    fn keep_alive_follows_the_version_and_connection_header() {
        let h = |s: &str| parse(s).unwrap().keep_alive();
        assert!(h("GET / HTTP/1.1\r\nHost: x"));
        assert!(!h("GET / HTTP/1.1\r\nConnection: Close"));
        assert!(!h("GET / HTTP/1.0\r\nHost: x"));
        assert!(h("GET / HTTP/1.0\r\nConnection: keep-alive"));
    }

    #[test]
    fn body_has_the_four_fields_and_never_serves_expired_credentials() {
        use std::time::UNIX_EPOCH;
        let at = |s| UNIX_EPOCH + Duration::from_secs(s);
        let creds = Credentials::new("ASIA1", "sk", Some("tok"), Some(at(1_795_340_236)));
        let json: serde_json::Value =
            serde_json::from_str(&body(&creds, at(1_795_340_000)).unwrap()).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "AccessKeyId": "ASIA1",
                "SecretAccessKey": "sk",
                "Token": "tok",
                "Expiration": "2026-11-22T09:37:16Z",
            })
        );
        assert_eq!(
            body(&creds, at(1_795_340_236)).map(|_| ()),
            Err(Status::Unavailable)
        );
        let keys = Credentials::new("AKIA1", "sk", None, None);
        assert_eq!(body(&keys, at(0)).map(|_| ()), Err(Status::Unavailable));
    }

    #[test]
    fn tokens_are_random_long_and_redacted() {
        let a = Token::generate().unwrap();
        let b = Token::generate().unwrap();
        assert_ne!(a, b);
        assert_eq!(a.as_str().len(), 64, "256 bits in hex");
        assert!(a.matches(a.as_str().as_bytes()));
        assert!(!a.matches(b.as_str().as_bytes()));
        assert!(!a.matches(b""));
        assert_eq!(format!("{a:?}"), "Token(<redacted>)");
        assert!(!format!("{a:?}").contains(a.as_str()));
    }

    #[test]
    fn serves_over_tcp_with_keep_alive_and_bounds() {
        crate::credential::obtain::block_on(async {
            let listener = bind().await.unwrap();
            let addr = listener.local_addr().unwrap();
            let creds = Credentials::new(
                "ASIA1",
                "sk",
                Some("tok"),
                Some(crate::clock::now() + Duration::from_secs(3600)),
            );
            let current = Arc::new(RwLock::new(creds));
            tokio::spawn(serve(listener, token(), current));
            let mut s = TcpStream::connect(addr).await.unwrap();
            let req =
                format!("GET {PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: s3cr3t\r\n\r\n");
            // Two requests in one write, then one more: three answers on one connection.
            s.write_all(format!("{req}{req}").as_bytes()).await.unwrap();
            s.write_all(req.replace("s3cr3t", "nope").as_bytes())
                .await
                .unwrap();
            s.write_all(b"\x00garbage\r\n\r\n").await.unwrap();
            let mut out = String::new();
            s.read_to_string(&mut out).await.unwrap();
            assert_eq!(out.matches("HTTP/1.1 200 OK").count(), 2, "{out}");
            assert_eq!(out.matches("HTTP/1.1 403 Forbidden").count(), 1, "{out}");
            assert!(out.ends_with("malformed request"), "{out}");
            // A head that never ends is cut at the bound.
            let mut s = TcpStream::connect(addr).await.unwrap();
            let big = format!("GET {PATH} HTTP/1.1\r\nX: {}", "a".repeat(MAX_HEAD));
            s.write_all(big.as_bytes()).await.unwrap();
            let mut out = String::new();
            s.read_to_string(&mut out).await.unwrap();
            assert!(out.starts_with("HTTP/1.1 431 "), "{out}");
        });
    }
}
