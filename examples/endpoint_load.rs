//! A load generator for the `exec --mode server` credential endpoint, for
//! `benches/exec.sh`: opens many keep-alive connections first (as SDK clients
//! keep theirs), then sends `GET` requests with the `Authorization` header and
//! times each one to the last byte of its answer (a burst from the instant all
//! requests were due, so it includes the client's own time to send them all).
//! Every latency is kept and sorted, so the percentiles are exact.
//!
//! Two shapes of load, both on the same open connections:
//! - `burst`: every connection sends one request at the same instant, ROUNDS
//!   times (1,000 requests in flight at once when there are 1,000 connections);
//! - `rate`: requests at a fixed total rate spread evenly over the connections
//!   for SECONDS seconds, each request timed from its write (open loop across
//!   connections: a slow answer delays only its own connection's next request).
//!
//! Usage: `endpoint_load burst CONNECTIONS ROUNDS`
//!    or: `endpoint_load rate CONNECTIONS REQUESTS_PER_SECOND SECONDS`
//!
//! The endpoint and token come from `AWS_CONTAINER_CREDENTIALS_FULL_URI` and
//! `AWS_CONTAINER_AUTHORIZATION_TOKEN`, as an SDK finds them (never on the
//! command line, where other users could read the token).
//!
//! Prints one line: requests, errors, p50/p90/p99/p99.9/max in milliseconds.
//! Runs on a current-thread runtime (one thread).
//!
//! `endpoint_load serve` runs the endpoint alone, on a two-worker runtime as
//! `exec --mode server` does, serving fake session credentials for an hour, and
//! prints those two variables as `NAME=value` lines: for measuring the server
//! without moto and a child.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::Barrier;

struct Args {
    addr: SocketAddr,
    request: Arc<Vec<u8>>,
    mode: Mode,
    connections: usize,
}

enum Mode {
    Burst { rounds: usize },
    Rate { per_second: f64, seconds: f64 },
}

fn args() -> Result<Args, String> {
    let var = |name: &str| std::env::var(name).map_err(|_| format!("{name} is not set"));
    let mut a = vec![
        var("AWS_CONTAINER_CREDENTIALS_FULL_URI")?,
        var("AWS_CONTAINER_AUTHORIZATION_TOKEN")?,
    ];
    a.extend(std::env::args().skip(1));
    let usage = "usage: endpoint_load (burst CONNECTIONS ROUNDS | rate CONNECTIONS RPS SECONDS)";
    if a.len() < 4 {
        return Err(usage.into());
    }
    let rest = a[0]
        .strip_prefix("http://")
        .ok_or("the URL must start with http://")?;
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let addr: SocketAddr = host.parse().map_err(|e| format!("{host}: {e}"))?;
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: {}\r\nAccept: */*\r\nUser-Agent: endpoint_load\r\n\r\n",
        a[1]
    );
    let num = |i: usize| -> Result<f64, String> {
        a.get(i)
            .ok_or_else(|| usage.to_string())?
            .parse()
            .map_err(|e| format!("{}: {e}", a[i]))
    };
    let connections = num(3)? as usize;
    let mode = match a[2].as_str() {
        "burst" => Mode::Burst {
            rounds: num(4)? as usize,
        },
        "rate" => Mode::Rate {
            per_second: num(4)?,
            seconds: num(5)?,
        },
        _ => return Err(usage.into()),
    };
    Ok(Args {
        addr,
        request: Arc::new(request.into_bytes()),
        mode,
        connections,
    })
}

/// Sends one request and reads one whole answer; `Ok(true)` for a 200. Sets
/// `written` to when the request was handed to the kernel.
async fn exchange(
    stream: &mut TcpStream,
    request: &[u8],
    buf: &mut Vec<u8>,
    written: &mut Instant,
) -> std::io::Result<bool> {
    stream.write_all(request).await?;
    *written = Instant::now();
    buf.clear();
    loop {
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buf.extend_from_slice(&chunk[..n]);
        let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") else {
            continue;
        };
        let head = std::str::from_utf8(&buf[..end]).map_err(std::io::Error::other)?;
        let length: usize = head
            .lines()
            .find_map(|l| {
                let (name, value) = l.split_once(':')?;
                name.eq_ignore_ascii_case("content-length")
                    .then(|| value.trim().parse().ok())?
            })
            .ok_or_else(|| std::io::Error::other("no Content-Length"))?;
        if buf.len() >= end + 4 + length {
            return Ok(head.starts_with("HTTP/1.1 200 "));
        }
    }
}

/// One connection's share of the load: its latencies in microseconds and its errors.
async fn client(
    mut stream: TcpStream,
    args: Arc<Args>,
    index: usize,
    start: Arc<Barrier>,
) -> (Vec<u32>, usize, u32) {
    let mut buf = Vec::with_capacity(4096);
    let mut latencies = Vec::new();
    let mut errors = 0;
    // Burst: the latest write of each round after the round began, in µs.
    let mut send_spread = 0u32;
    let mut written = Instant::now();
    let mut record = |due: Instant, ok: std::io::Result<bool>| match ok {
        Ok(true) => latencies.push(due.elapsed().as_micros().min(u32::MAX as u128) as u32),
        _ => errors += 1,
    };
    match args.mode {
        Mode::Burst { rounds } => {
            for _ in 0..rounds {
                start.wait().await;
                let due = Instant::now();
                let ok = exchange(&mut stream, &args.request, &mut buf, &mut written).await;
                let failed = ok.is_err();
                record(due, ok);
                send_spread = send_spread.max((written - due).as_micros() as u32);
                start.wait().await;
                if failed {
                    break;
                }
            }
        }
        Mode::Rate {
            per_second,
            seconds,
        } => {
            start.wait().await;
            let t0 = tokio::time::Instant::now();
            let each = Duration::from_secs_f64(args.connections as f64 / per_second);
            // Connections take turns evenly across each period.
            let offset = each.mul_f64(index as f64 / args.connections as f64);
            let mut due = t0 + offset;
            let end = t0 + Duration::from_secs_f64(seconds);
            while due < end {
                tokio::time::sleep_until(due).await;
                // Timed from the write: tokio's timers fire up to 1 ms late, which
                // is the client's delay, not the server's.
                let sent = Instant::now();
                let ok = exchange(&mut stream, &args.request, &mut buf, &mut written).await;
                let failed = ok.is_err();
                record(sent, ok);
                if failed {
                    break;
                }
                due += each;
            }
        }
    }
    (latencies, errors, send_spread)
}

/// `endpoint_load serve`: the endpoint as `exec --mode server` runs it.
fn serve() {
    use rolecall::credential::secret::Credentials;
    use rolecall::exec::server;
    // ENDPOINT_WORKERS: for trying other runtime sizes than exec's two.
    let workers = std::env::var("ENDPOINT_WORKERS")
        .ok()
        .and_then(|w| w.parse().ok())
        .unwrap_or(2);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(async {
        let listener = server::bind().await.expect("bind");
        let token = server::Token::generate().expect("a token");
        println!(
            "AWS_CONTAINER_CREDENTIALS_FULL_URI={}\nAWS_CONTAINER_AUTHORIZATION_TOKEN={}",
            server::url(listener.local_addr().expect("addr")),
            token.as_str()
        );
        let creds = Credentials::new(
            "ASIAEXAMPLE000000001",
            &"s".repeat(40),
            Some(&"t".repeat(800)),
            Some(rolecall::clock::now() + Duration::from_secs(3600)),
        );
        let current = Arc::new(std::sync::RwLock::new(creds));
        server::serve(listener, server::Endpoint::new(token, current, "load")).await;
    });
}

fn main() {
    if std::env::args().nth(1).as_deref() == Some("serve") {
        return serve();
    }
    let args = match args() {
        Ok(a) => Arc::new(a),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(async {
        let mut streams = Vec::with_capacity(args.connections);
        let opened = Instant::now();
        for _ in 0..args.connections {
            let s = TcpStream::connect(args.addr).await.expect("connect");
            s.set_nodelay(true).expect("nodelay");
            streams.push(s);
        }
        let opened = opened.elapsed();
        let start = Arc::new(Barrier::new(args.connections));
        let tasks: Vec<_> = streams
            .into_iter()
            .enumerate()
            .map(|(i, s)| tokio::spawn(client(s, args.clone(), i, start.clone())))
            .collect();
        let began = Instant::now();
        let mut all = Vec::new();
        let mut errors = 0;
        let mut spread = 0;
        for t in tasks {
            let (l, e, s) = t.await.expect("a client task");
            all.extend(l);
            errors += e;
            spread = spread.max(s);
        }
        let took = began.elapsed();
        all.sort_unstable();
        let pct = |p: f64| {
            if all.is_empty() {
                return f64::NAN;
            }
            let i = ((p / 100.0) * all.len() as f64).ceil() as usize;
            all[i.clamp(1, all.len()) - 1] as f64 / 1000.0
        };
        println!(
            "requests {} errors {} connections {} (opened in {:.1} ms) wall {:.1} ms: p50 {:.3} ms, p90 {:.3} ms, p99 {:.3} ms, p99.9 {:.3} ms, max {:.3} ms",
            all.len(),
            errors,
            args.connections,
            opened.as_secs_f64() * 1e3,
            took.as_secs_f64() * 1e3,
            pct(50.0),
            pct(90.0),
            pct(99.0),
            pct(99.9),
            pct(100.0),
        );
        if let Mode::Burst { .. } = args.mode {
            // How long this one client thread took to write a round's requests:
            // the part of a burst's latency that is the client's own.
            println!(
                "  last request of a round written {:.3} ms after the round began",
                spread as f64 / 1000.0
            );
        }
    });
}
