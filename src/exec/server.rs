//! The local container-credentials endpoint of `rolecall exec --mode server`.
//!
//! A minimal HTTP/1.1 server on 127.0.0.1 (a random port) that answers one
//! request, `GET /rolecall/credentials` with `Authorization: <token>`, with the
//! current credentials in the container provider's JSON shape
//! (`AccessKeyId`, `SecretAccessKey`, `Token`, `Expiration`). Request heads are
//! read by `httparse` and judged by [`check`]: a `Host` that is not loopback is
//! refused with 403 before anything else (a web page cannot reach the endpoint
//! through DNS rebinding), a missing token with 401, a wrong one with 403,
//! compared in constant time. Refusals are JSON in the ECS agent's shape
//! (`{"code", "message"}`, see [`error_body`]) so the SDKs can show why.
//!
//! It stays available to its child whatever other local processes do: on
//! Linux a connection from another user's socket is closed at once
//! ([`super::peer`]); every refusal closes its connection; a head must arrive
//! whole within [`HEAD_TIMEOUT`]; and when all slots are taken the oldest
//! connection that never showed the token (else the longest idle) is closed
//! to make room, so accepting never pauses. It never fetches credentials: it
//! serves what [`Current`] holds, which [`super::refresh`] keeps fresh.

use std::collections::HashMap;
use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant, SystemTime};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;
use zeroize::Zeroizing;

use crate::credential::expiry::format_rfc3339;
use crate::credential::secret::Credentials;

/// The path credentials are served at.
pub const PATH: &str = "/rolecall/credentials";
/// The largest request head accepted (request line and headers).
pub const MAX_HEAD: usize = 8 * 1024;
/// The most header lines a request may have.
const MAX_HEADERS: usize = 32;
/// How long a client has to send a whole request head: from the connection's
/// start, or on a kept-alive connection from the first byte of the next one.
pub const HEAD_TIMEOUT: Duration = Duration::from_secs(1);
/// How long a connection that was served may stay silent before its next request.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(30);
/// How long writing one answer may take.
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(5);
/// Connections served at once (fewer when the open-file limit is lower); one
/// more evicts the oldest untrusted or idle one.
pub const MAX_CONNECTIONS: usize = 1024;
/// The listen queue: a burst of a thousand connecting SDK clients must not
/// overflow it (tokio's default of 128 made clients wait for TCP's 1 s and 3 s
/// retries). The kernel caps it at `net.core.somaxconn`.
const BACKLOG: u32 = 4096;

/// The credentials being served, shared with the refresher.
pub type Current = Arc<RwLock<Credentials>>;
/// Why the last refresh failed (one sentence without secrets), or `None`
/// after a success: what a 503 answer tells the child.
pub type Failure = Arc<RwLock<Option<String>>>;

/// Everything the endpoint serves from.
pub struct Endpoint {
    /// The token a child must send.
    pub token: Token,
    /// The credentials served.
    pub current: Current,
    /// The profile they are for, named in 503 answers.
    pub profile: String,
    /// Why they could not be refreshed, when they could not.
    pub failure: Failure,
}

impl Endpoint {
    /// An endpoint for `profile` with no refresh failure yet.
    pub fn new(token: Token, current: Current, profile: &str) -> Endpoint {
        Endpoint {
            token,
            current,
            profile: profile.to_string(),
            failure: Failure::default(),
        }
    }
}

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
    /// 400: not a request this server can read.
    BadRequest,
    /// 401: no `Authorization` header.
    Unauthorized,
    /// 403: a wrong token, or a `Host` that is not loopback.
    Forbidden,
    /// 404: another path.
    NotFound,
    /// 405: another method than GET.
    MethodNotAllowed,
    /// 431: a head larger than [`MAX_HEAD`], or with too many headers.
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

    /// The `code` of the JSON error: a name, as the ECS agent gives.
    pub fn name(self) -> &'static str {
        match self {
            Status::BadRequest => "InvalidRequest",
            Status::Unauthorized => "MissingAuthorizationToken",
            Status::Forbidden => "AccessDenied",
            Status::NotFound => "NotFound",
            Status::MethodNotAllowed => "MethodNotAllowed",
            Status::HeadTooLarge => "RequestHeaderFieldsTooLarge",
            Status::Unavailable => "CredentialsUnavailable",
        }
    }

    /// The `message` of the JSON error, for every status but 503 (whose
    /// message names the profile and the cause: see [`unavailable`]).
    pub fn message(self) -> &'static str {
        match self {
            Status::BadRequest => "rolecall's credential endpoint could not read this HTTP request",
            Status::Unauthorized => {
                "rolecall's credential endpoint needs the token of AWS_CONTAINER_AUTHORIZATION_TOKEN in the Authorization header"
            }
            Status::Forbidden => {
                "rolecall's credential endpoint refused this request: the Authorization token is not the one `rolecall exec` gave its child, or the Host is not loopback"
            }
            Status::NotFound => "rolecall's credential endpoint serves only /rolecall/credentials",
            Status::MethodNotAllowed => "rolecall's credential endpoint answers only GET",
            Status::HeadTooLarge => {
                "rolecall's credential endpoint refused a request head over 8 KiB or 32 headers"
            }
            Status::Unavailable => "rolecall cannot serve credentials right now",
        }
    }
}

/// The 503 message: the profile and why its credentials are not served, in
/// one sentence.
pub fn unavailable(profile: &str, failure: Option<&str>) -> String {
    match failure {
        Some(cause) => format!(
            "rolecall could not refresh the credentials of profile '{profile}': {}",
            cause.split_whitespace().collect::<Vec<_>>().join(" ")
        ),
        None => format!(
            "the credentials of profile '{profile}' have expired and rolecall has not refreshed them yet; see rolecall's messages on its standard error"
        ),
    }
}

/// The JSON body of a refusal: the ECS agent's `code` and `message`, which
/// the Go SDKs decode, and the same as `Code` and `Message`, which the
/// JavaScript SDK v3 reads (botocore shows the body as it is).
pub fn error_body(status: Status, message: &str) -> String {
    serde_json::json!({
        "code": status.name(),
        "message": message,
        "Code": status.name(),
        "Message": message,
    })
    .to_string()
}

/// A request head, read by `httparse`.
struct Head<'h, 'b> {
    method: &'b str,
    target: &'b str,
    http10: bool,
    headers: &'h [httparse::Header<'b>],
}

impl<'b> Head<'_, 'b> {
    /// The values of header `name` (case-insensitive).
    fn all<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'b [u8]> + 's {
        self.headers
            .iter()
            .filter(move |h| h.name.eq_ignore_ascii_case(name))
            .map(|h| h.value.trim_ascii())
    }

    /// The one value of `name`: `Ok(None)` when absent, an error when repeated.
    fn one(&self, name: &str) -> Result<Option<&'b [u8]>, Status> {
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
            .flat_map(|v| v.split(|&b| b == b','))
            .map(<[u8]>::trim_ascii);
        if self.http10 {
            tokens.any(|t| t.eq_ignore_ascii_case(b"keep-alive"))
        } else {
            !tokens.any(|t| t.eq_ignore_ascii_case(b"close"))
        }
    }
}

/// What the start of a connection's buffer holds.
#[derive(Debug, PartialEq, Eq)]
enum Request {
    /// Not a whole head yet.
    Partial,
    /// A head of `len` bytes (or a refusal of what was read), judged.
    Read {
        /// Bytes to drop before the next request.
        len: usize,
        /// The answer.
        status: Result<(), Status>,
        /// Whether the connection stays open afterwards: only after
        /// credentials were served to a client that asked for it.
        keep: bool,
    },
}

/// Reads and judges the request at the start of `buf`. Lines may end in CRLF
/// or a bare LF (httparse takes both); anything it cannot read is a 400 at
/// once, without waiting for an end that may never come.
fn read_request(buf: &[u8], token: &Token) -> Request {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut req = httparse::Request::new(&mut headers);
    let refused = |status| Request::Read {
        len: buf.len(),
        status: Err(status),
        keep: false,
    };
    let len = match req.parse(buf) {
        Ok(httparse::Status::Complete(len)) if len <= MAX_HEAD => len,
        Ok(httparse::Status::Complete(_)) | Err(httparse::Error::TooManyHeaders) => {
            return refused(Status::HeadTooLarge);
        }
        Ok(httparse::Status::Partial) if buf.len() < MAX_HEAD => return Request::Partial,
        Ok(httparse::Status::Partial) => return refused(Status::HeadTooLarge),
        Err(_) => return refused(Status::BadRequest),
    };
    let (Some(method), Some(target), Some(version)) = (req.method, req.path, req.version) else {
        return refused(Status::BadRequest);
    };
    let head = Head {
        method,
        target,
        http10: version == 0,
        headers: req.headers,
    };
    let status = allowed(&head, token);
    Request::Read {
        len,
        status,
        keep: status.is_ok() && head.keep_alive(),
    }
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
    match read_request(format!("{head}\r\n\r\n").as_bytes(), token) {
        Request::Read { status, .. } => status,
        Request::Partial => Err(Status::BadRequest),
    }
}

fn allowed(head: &Head<'_, '_>, token: &Token) -> Result<(), Status> {
    if !head.target.starts_with('/') {
        return Err(Status::BadRequest);
    }
    let host = head.one("host")?.and_then(|h| std::str::from_utf8(h).ok());
    if !host.is_some_and(is_loopback_host) {
        return Err(Status::Forbidden);
    }
    if head.one("transfer-encoding")?.is_some()
        || head.one("content-length")?.is_some_and(|n| n != b"0")
    {
        return Err(Status::BadRequest);
    }
    if head.method != "GET" {
        return Err(Status::MethodNotAllowed);
    }
    match head.one("authorization")? {
        None => return Err(Status::Unauthorized),
        Some(given) if !token.matches(given) => return Err(Status::Forbidden),
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
    let (code, reason) = match status {
        Ok(()) => (200, "OK"),
        Err(s) => (s.code(), s.reason()),
    };
    out.clear();
    out.reserve(body.len() + 200);
    let _ = write!(
        out,
        "HTTP/1.1 {code} {reason}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: {}\r\n",
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

/// Descriptors kept free for everything else (the refresher, config files).
const SPARE_FILES: usize = 64;

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
                let want =
                    ((MAX_CONNECTIONS + 4 * SPARE_FILES) as libc::rlim_t).min(limit.rlim_max);
                if limit.rlim_cur < want {
                    limit.rlim_cur = want;
                    libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
                }
            }
        }
    }
}

/// How many connections fit under the open-file limit: eviction must start
/// before accepting fails for want of descriptors.
fn connection_limit() -> usize {
    #[cfg(unix)]
    {
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit with a valid pointer to a local rlimit.
        if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } == 0 {
            let files = usize::try_from(limit.rlim_cur).unwrap_or(usize::MAX);
            return files.saturating_sub(SPARE_FILES).clamp(16, MAX_CONNECTIONS);
        }
    }
    MAX_CONNECTIONS
}

/// The URL children are given for a listener's address.
pub fn url(addr: SocketAddr) -> String {
    format!("http://127.0.0.1:{}{PATH}", addr.port())
}

/// The open connections, for choosing which one to close when all slots are
/// taken.
struct Slots {
    max: usize,
    table: Mutex<Table>,
}

#[derive(Default)]
struct Table {
    next: u64,
    open: HashMap<u64, Entry>,
}

struct Entry {
    /// Whether it was served credentials (it showed the token).
    trusted: bool,
    /// When it was accepted or last answered.
    since: Instant,
    evict: Arc<Notify>,
}

/// A connection's place in [`Slots`], given up when dropped.
struct Slot {
    id: u64,
    slots: Arc<Slots>,
    evict: Arc<Notify>,
}

impl Slots {
    fn new(max: usize) -> Slots {
        Slots {
            max,
            table: Mutex::default(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Table> {
        self.table.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A slot for a new connection, evicting (see [`victim`]) when all are
    /// taken: accepting never waits.
    fn admit(self: &Arc<Slots>) -> Slot {
        let mut table = self.lock();
        while table.open.len() >= self.max {
            let Some(id) = victim(table.open.iter().map(|(id, e)| (*id, e.trusted, e.since)))
            else {
                break;
            };
            if let Some(entry) = table.open.remove(&id) {
                entry.evict.notify_one();
            }
        }
        let id = table.next;
        table.next += 1;
        let evict = Arc::new(Notify::new());
        table.open.insert(
            id,
            Entry {
                trusted: false,
                since: Instant::now(),
                evict: evict.clone(),
            },
        );
        Slot {
            id,
            slots: self.clone(),
            evict,
        }
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.lock().open.len()
    }
}

/// The connection to close: the oldest that never showed the token, else the
/// one idle the longest.
fn victim(open: impl Iterator<Item = (u64, bool, Instant)>) -> Option<u64> {
    open.min_by_key(|&(id, trusted, since)| (trusted, since, id))
        .map(|(id, _, _)| id)
}

impl Slot {
    /// Notes an answer: the connection is active, and trusted once served.
    fn answered(&self, served: bool) {
        if let Some(entry) = self.slots.lock().open.get_mut(&self.id) {
            entry.trusted |= served;
            entry.since = Instant::now();
        }
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.slots.lock().open.remove(&self.id);
    }
}

/// Accepts and serves connections until the task is dropped.
pub async fn serve(listener: TcpListener, endpoint: Endpoint) {
    serve_all(listener, vec![endpoint]).await;
}

/// Serves several endpoints on one listener (`exec --each`: one per child):
/// a request gets the credentials of the endpoint whose token it sends, and
/// no other; a token that is none of them is refused as a wrong token.
pub async fn serve_all(listener: TcpListener, endpoints: Vec<Endpoint>) {
    let local = listener.local_addr().ok();
    assert!(!endpoints.is_empty(), "an endpoint to serve");
    let shared = Arc::new(Shared {
        answers: endpoints.iter().map(|_| Answers::default()).collect(),
        endpoints,
    });
    let slots = Arc::new(Slots::new(connection_limit()));
    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(_) => {
                // Out of descriptors, for instance: wait rather than spin.
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        let slot = slots.admit();
        let shared = shared.clone();
        tokio::spawn(async move {
            if let Some(local) = local
                && !super::peer::same_user(peer, local)
            {
                return;
            }
            // Each answer is one write; never hold it back waiting for an ACK.
            let _ = stream.set_nodelay(true);
            let mut stream = stream;
            tokio::select! {
                () = slot.evict.notified() => {}
                _ = connection(&mut stream, &shared, &slot) => {}
            }
        });
    }
}

/// What every connection reads: the endpoints and their last answers.
struct Shared {
    endpoints: Vec<Endpoint>,
    answers: Vec<Answers>,
}

impl Shared {
    /// The endpoint whose token the request at the start of `buf` sends (the
    /// first one when none matches, whose check then refuses it). Every token
    /// is compared in constant time; how many there are is no secret.
    fn pick(&self, buf: &[u8]) -> usize {
        if self.endpoints.len() == 1 {
            return 0;
        }
        let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut req = httparse::Request::new(&mut headers);
        if req.parse(buf).is_err() {
            return 0;
        }
        let given = req
            .headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case("authorization"))
            .map(|h| h.value);
        let Some(given) = given else { return 0 };
        let mut found = 0;
        for (i, e) in self.endpoints.iter().enumerate() {
            if e.token.matches(given) {
                found = i;
            }
        }
        found
    }
}

/// Serves one connection: request after request while the client keeps it
/// open and is served credentials.
async fn connection(stream: &mut TcpStream, shared: &Shared, slot: &Slot) -> io::Result<()> {
    let mut buf: Vec<u8> = Vec::with_capacity(1024);
    let mut out: Zeroizing<Vec<u8>> = Zeroizing::new(Vec::new());
    let mut answered = false;
    loop {
        if buf.is_empty() && answered {
            // A served client may wait before its next request.
            match tokio::time::timeout(IDLE_TIMEOUT, read_some(stream, &mut buf)).await {
                Ok(Ok(0)) | Err(_) => return Ok(()),
                Ok(Err(e)) => return Err(e),
                Ok(Ok(_)) => {}
            }
        }
        let (len, status, keep) =
            match tokio::time::timeout(HEAD_TIMEOUT, read_head(stream, &mut buf, shared)).await {
                // Too slow, or gone: closed without an answer.
                Err(_) | Ok(Ok(None)) => return Ok(()),
                Ok(Err(e)) => return Err(e),
                Ok(Ok(Some(read))) => read,
            };
        let who = shared.pick(&buf);
        let endpoint = &shared.endpoints[who];
        let now = crate::clock::now();
        match status.and_then(|()| shared.answers[who].get(&endpoint.current, now)) {
            Ok(answer) => response(&mut out, Ok(()), &answer.body, !keep),
            Err(Status::Unavailable) => {
                let failure = endpoint.failure.read().unwrap_or_else(|e| e.into_inner());
                let message = unavailable(&endpoint.profile, failure.as_deref());
                let body = error_body(Status::Unavailable, &message);
                response(&mut out, Err(Status::Unavailable), &body, true);
            }
            Err(s) => response(&mut out, Err(s), &error_body(s, s.message()), true),
        }
        let served = status.is_ok() && out.starts_with(b"HTTP/1.1 200");
        tokio::time::timeout(WRITE_TIMEOUT, stream.write_all(&out))
            .await
            .map_err(|_| io::Error::from(io::ErrorKind::TimedOut))??;
        slot.answered(served);
        answered = true;
        if !(keep && served) {
            let _ = stream.shutdown().await;
            return Ok(());
        }
        buf.drain(..len);
    }
}

/// Reads what is there into `buf` (at most 1 KiB): the byte count, 0 at the end.
async fn read_some(stream: &mut TcpStream, buf: &mut Vec<u8>) -> io::Result<usize> {
    buf.reserve(1024);
    (&mut *stream).take(1024).read_buf(buf).await
}

/// Reads until `buf` starts with a whole head (or something refused):
/// `Ok(None)` when the client closed before.
async fn read_head(
    stream: &mut TcpStream,
    buf: &mut Vec<u8>,
    shared: &Shared,
) -> io::Result<Option<(usize, Result<(), Status>, bool)>> {
    loop {
        if !buf.is_empty()
            && let Request::Read { len, status, keep } =
                read_request(buf, &shared.endpoints[shared.pick(buf)].token)
        {
            return Ok(Some((len, status, keep)));
        }
        if read_some(stream, buf).await? == 0 {
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

    /// Reads `raw` as a connection's buffer.
    fn read(raw: &str) -> Request {
        read_request(raw.as_bytes(), &token())
    }

    #[test]
    fn keep_alive_only_after_credentials_and_as_asked() {
        let ok = "Host: localhost\r\nAuthorization: s3cr3t";
        let keep = |raw: &str| match read(raw) {
            Request::Read { keep, .. } => keep,
            Request::Partial => panic!("partial: {raw:?}"),
        };
        assert!(keep(&format!("GET {PATH} HTTP/1.1\r\n{ok}\r\n\r\n")));
        assert!(!keep(&format!(
            "GET {PATH} HTTP/1.1\r\n{ok}\r\nConnection: Close\r\n\r\n"
        )));
        assert!(!keep(&format!("GET {PATH} HTTP/1.0\r\n{ok}\r\n\r\n")));
        assert!(keep(&format!(
            "GET {PATH} HTTP/1.0\r\n{ok}\r\nConnection: keep-alive\r\n\r\n"
        )));
        // Every refusal closes the connection.
        assert!(!keep("GET /other HTTP/1.1\r\nHost: localhost\r\n\r\n"));
        assert!(!keep(&format!(
            "GET /other HTTP/1.1\r\n{ok}\r\nConnection: keep-alive\r\n\r\n"
        )));
    }

    #[test]
    fn bare_line_feeds_partial_heads_and_pipelining() {
        let lf = format!("GET {PATH} HTTP/1.1\nHost: localhost\nAuthorization: s3cr3t\n\n");
        assert_eq!(
            read(&lf),
            Request::Read {
                len: lf.len(),
                status: Ok(()),
                keep: true
            }
        );
        // Incomplete: wait for more, whatever the line ends so far.
        for cut in [1, 10, lf.len() - 1] {
            assert_eq!(read(&lf[..cut]), Request::Partial, "{cut}");
        }
        // What can never become a request is refused at once.
        for raw in [
            "\x16\x03\x01",
            "GET /x HTTP/1.1\rX",
            "GET /\r\n",
            "GET / HTTP/1.1\r\nA B: c\r\n",
        ] {
            assert!(
                matches!(
                    read(raw),
                    Request::Read {
                        status: Err(Status::BadRequest),
                        ..
                    }
                ),
                "{raw:?}"
            );
        }
        // The length of the first of two pipelined requests.
        let two = format!("{lf}{lf}");
        assert!(matches!(read(&two), Request::Read { len, .. } if len == lf.len()));
        // Too many headers, or an endless head.
        let many = format!("GET {PATH} HTTP/1.1\r\n{}\r\n", "X: y\r\n".repeat(40));
        assert!(matches!(
            read(&many),
            Request::Read {
                status: Err(Status::HeadTooLarge),
                ..
            }
        ));
        let endless = format!("GET {PATH} HTTP/1.1\r\nX: {}", "a".repeat(MAX_HEAD));
        assert!(matches!(
            read(&endless),
            Request::Read {
                status: Err(Status::HeadTooLarge),
                ..
            }
        ));
    }

    #[test]
    fn errors_are_json_in_the_ecs_agents_shape() {
        let json: serde_json::Value =
            serde_json::from_str(&error_body(Status::Forbidden, Status::Forbidden.message()))
                .unwrap();
        assert_eq!(json["code"], "AccessDenied");
        assert_eq!(json["Code"], "AccessDenied");
        assert_eq!(json["message"], Status::Forbidden.message());
        assert_eq!(json["Message"], json["message"]);
        let cause = "the SSO session has expired;\n  run `rolecall login dev`";
        let message = unavailable("dev", Some(cause));
        assert_eq!(
            message,
            "rolecall could not refresh the credentials of profile 'dev': the SSO session has expired; run `rolecall login dev`"
        );
        assert!(unavailable("dev", None).contains("profile 'dev' have expired"));
        // Quotes and newlines stay inside the JSON string.
        let body = error_body(Status::Unavailable, "a \"quoted\"\nline");
        let json: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(json["message"], "a \"quoted\"\nline");
    }

    #[test]
    fn eviction_picks_the_oldest_untrusted_then_the_longest_idle() {
        let t0 = Instant::now();
        let at = |ms| t0 + Duration::from_millis(ms);
        assert_eq!(
            victim([(1, true, at(0)), (2, false, at(5)), (3, false, at(9))].into_iter()),
            Some(2)
        );
        assert_eq!(
            victim([(1, true, at(7)), (2, true, at(5))].into_iter()),
            Some(2)
        );
        assert_eq!(victim(std::iter::empty()), None);
        let slots = Arc::new(Slots::new(2));
        let a = slots.admit();
        let b = slots.admit();
        b.answered(true);
        let c = slots.admit();
        assert_eq!(slots.len(), 2);
        // `a` was told to go (its permit is stored); `b`, trusted, stays.
        let gone = crate::credential::obtain::block_on(async {
            tokio::time::timeout(Duration::from_millis(50), a.evict.notified())
                .await
                .is_ok()
        });
        assert!(gone);
        drop(c);
        assert_eq!(slots.len(), 1);
        drop(a);
        assert_eq!(
            slots.len(),
            1,
            "an evicted slot is already out of the table"
        );
        drop(b);
        assert_eq!(slots.len(), 0);
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
            tokio::spawn(serve(listener, Endpoint::new(token(), current, "dev")));
            let mut s = TcpStream::connect(addr).await.unwrap();
            let req =
                format!("GET {PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: s3cr3t\r\n\r\n");
            // Two requests in one write, then one more: three answers on one connection.
            s.write_all(format!("{req}{req}").as_bytes()).await.unwrap();
            s.write_all(req.as_bytes()).await.unwrap();
            s.write_all(req.replace("s3cr3t", "nope").as_bytes())
                .await
                .unwrap();
            let mut out = String::new();
            s.read_to_string(&mut out).await.unwrap();
            assert_eq!(out.matches("HTTP/1.1 200 OK").count(), 3, "{out}");
            assert_eq!(out.matches("HTTP/1.1 403 Forbidden").count(), 1, "{out}");
            assert!(
                out.ends_with("\"}"),
                "a refusal closes the connection: {out}"
            );
            // Bare line feeds are read too.
            let mut s = TcpStream::connect(addr).await.unwrap();
            s.write_all(
                req.replace("\r\n", "\n")
                    .replace("HTTP/1.1", "HTTP/1.0")
                    .as_bytes(),
            )
            .await
            .unwrap();
            let mut out = String::new();
            s.read_to_string(&mut out).await.unwrap();
            assert!(out.starts_with("HTTP/1.1 200 OK"), "{out}");
            // A client too slow to send its head is dropped without an answer.
            let mut s = TcpStream::connect(addr).await.unwrap();
            s.write_all(b"GET / HTTP/1.1\r\n").await.unwrap();
            let started = Instant::now();
            let mut out = String::new();
            s.read_to_string(&mut out).await.unwrap();
            assert_eq!(out, "");
            assert!(
                started.elapsed() >= HEAD_TIMEOUT / 2,
                "{:?}",
                started.elapsed()
            );
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
