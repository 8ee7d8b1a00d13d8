//! A hostile local client of the `exec --mode server` credential endpoint, for
//! the flood tests (tests/exec_flood.rs) and benches/exec.sh: it holds N
//! connections open without the token and reopens each as soon as it closes.
//!
//! ```text
//! endpoint_flood keepalive N SECONDS URL   # a request without a token every 5 s on each
//! endpoint_flood halfopen N SECONDS URL    # a head that never ends, a line every 500 ms
//! ```
//!
//! It prints `flooding N` once the first N connections are open (or tried),
//! then after SECONDS (0: when its stdin is closed) a line of counts:
//! connections opened, answers read, connections closed by the server. Run it as another user (`setpriv
//! --reuid=65534`) to probe the endpoint's refusal of other users.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

#[derive(Default)]
struct Counts {
    opened: AtomicU64,
    answers: AtomicU64,
    closed: AtomicU64,
}

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    KeepAlive,
    HalfOpen,
}

/// Raises the soft limit on open files to the hard one.
fn raise_open_file_limit() {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit/setrlimit with a valid pointer to a local rlimit.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) == 0 {
            limit.rlim_cur = limit.rlim_max;
            libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
        }
    }
}

/// One connection after another, as `mode` says, forever.
async fn attacker(mode: Mode, port: u16, counts: Arc<Counts>, first: Arc<tokio::sync::Barrier>) {
    let head = "GET /rolecall/credentials HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    let mut first = Some(first);
    loop {
        let stream = TcpStream::connect(("127.0.0.1", port)).await;
        if let Some(b) = first.take() {
            b.wait().await;
        }
        let Ok(mut s) = stream else {
            tokio::time::sleep(Duration::from_millis(50)).await;
            continue;
        };
        counts.opened.fetch_add(1, Ordering::Relaxed);
        let mut buf = [0u8; 4096];
        match mode {
            Mode::KeepAlive => loop {
                let req = format!("{head}Connection: keep-alive\r\n\r\n");
                if s.write_all(req.as_bytes()).await.is_err() {
                    break;
                }
                let wait = tokio::time::sleep(Duration::from_secs(5));
                tokio::pin!(wait);
                let mut gone = false;
                loop {
                    tokio::select! {
                        () = &mut wait => break,
                        r = s.read(&mut buf) => match r {
                            Ok(0) | Err(_) => { gone = true; break }
                            Ok(_) => { counts.answers.fetch_add(1, Ordering::Relaxed); }
                        }
                    }
                }
                if gone {
                    break;
                }
            },
            Mode::HalfOpen => {
                if s.write_all(head.as_bytes()).await.is_ok() {
                    loop {
                        tokio::select! {
                            () = tokio::time::sleep(Duration::from_millis(500)) => {
                                if s.write_all(b"X-Slow: 1\r\n").await.is_err() { break }
                            }
                            r = s.read(&mut buf) => match r {
                                Ok(0) | Err(_) => break,
                                Ok(_) => { counts.answers.fetch_add(1, Ordering::Relaxed); }
                            }
                        }
                    }
                }
            }
        }
        counts.closed.fetch_add(1, Ordering::Relaxed);
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: endpoint_flood keepalive|halfopen N SECONDS URL";
    let [mode, n, seconds, url] = args.as_slice() else {
        eprintln!("{usage}");
        std::process::exit(2);
    };
    let mode = match mode.as_str() {
        "keepalive" => Mode::KeepAlive,
        "halfopen" => Mode::HalfOpen,
        _ => {
            eprintln!("{usage}");
            std::process::exit(2);
        }
    };
    let (Ok(n), Ok(seconds)) = (n.parse::<usize>(), seconds.parse::<u64>()) else {
        eprintln!("{usage}");
        std::process::exit(2);
    };
    let port: u16 = url
        .strip_prefix("http://127.0.0.1:")
        .and_then(|r| r.split('/').next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| {
            eprintln!("not an endpoint URL: {url}");
            std::process::exit(2);
        });
    raise_open_file_limit();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(async {
        let counts = Arc::new(Counts::default());
        let first = Arc::new(tokio::sync::Barrier::new(n + 1));
        for _ in 0..n {
            tokio::spawn(attacker(mode, port, counts.clone(), first.clone()));
        }
        first.wait().await;
        println!("flooding {n}");
        if seconds == 0 {
            // Until whoever started it closes its stdin (a test's checks
            // then take as long as they take, under any load).
            let (closed, wait) = tokio::sync::oneshot::channel();
            std::thread::spawn(move || {
                let _ = std::io::copy(&mut std::io::stdin().lock(), &mut std::io::sink());
                let _ = closed.send(());
            });
            let _ = wait.await;
        } else {
            tokio::time::sleep(Duration::from_secs(seconds)).await;
        }
        println!(
            "opened {} answers {} closed {}",
            counts.opened.load(Ordering::Relaxed),
            counts.answers.load(Ordering::Relaxed),
            counts.closed.load(Ordering::Relaxed)
        );
    });
}
