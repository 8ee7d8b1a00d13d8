//! Questions asked on the controlling terminal (`/dev/tty`), never on stdout
//! or stdin, so they work inside `credential_process` (whose stdout is JSON
//! read by an SDK) and under pipes: a line of text, a secret typed without
//! echo, a yes/no confirmation. Without a terminal each fails with a message
//! that says what to pass instead.

use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, Write};

use zeroize::Zeroizing;

/// The terminal, for reading and writing.
fn open() -> io::Result<File> {
    OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/tty")
        .map_err(|e| io::Error::new(e.kind(), format!("no terminal to ask on (/dev/tty: {e})")))
}

/// Turns echo off on `tty` until dropped.
#[cfg(unix)]
struct NoEcho {
    fd: i32,
    saved: libc::termios,
}

#[cfg(unix)]
impl NoEcho {
    fn new(tty: &File) -> io::Result<NoEcho> {
        use std::os::fd::AsRawFd;
        let fd = tty.as_raw_fd();
        // SAFETY: termios is plain data; tcgetattr fills it for a valid fd.
        let mut saved: libc::termios = unsafe { std::mem::zeroed() };
        if unsafe { libc::tcgetattr(fd, &mut saved) } != 0 {
            return Err(io::Error::last_os_error());
        }
        let mut quiet = saved;
        quiet.c_lflag &= !libc::ECHO;
        quiet.c_lflag |= libc::ECHONL;
        // SAFETY: a valid fd and a termios obtained from it.
        if unsafe { libc::tcsetattr(fd, libc::TCSANOW, &quiet) } != 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(NoEcho { fd, saved })
    }
}

#[cfg(unix)]
impl Drop for NoEcho {
    fn drop(&mut self) {
        // SAFETY: restores the settings read in `new` on the same fd.
        unsafe { libc::tcsetattr(self.fd, libc::TCSANOW, &self.saved) };
    }
}

fn ask(prompt: &str, secret: bool) -> io::Result<Zeroizing<String>> {
    let mut tty = open()?;
    tty.write_all(prompt.as_bytes())?;
    tty.flush()?;
    #[cfg(unix)]
    let _guard = if secret {
        Some(NoEcho::new(&tty)?)
    } else {
        None
    };
    #[cfg(not(unix))]
    let _ = secret;
    let mut line = Zeroizing::new(String::new());
    BufReader::new(tty).read_line(&mut line)?;
    let trimmed = Zeroizing::new(line.trim().to_string());
    Ok(trimmed)
}

/// Writes a line to the terminal.
pub fn say(text: &str) -> io::Result<()> {
    writeln!(open()?, "{text}")
}

/// A line typed on the terminal, shown as typed.
pub fn line(prompt: &str) -> io::Result<Zeroizing<String>> {
    ask(prompt, false)
}

/// A secret typed on the terminal without echo.
pub fn secret(prompt: &str) -> io::Result<Zeroizing<String>> {
    ask(prompt, true)
}

/// `y` or `yes` typed on the terminal.
pub fn confirm(prompt: &str) -> io::Result<bool> {
    let answer = line(&format!("{prompt} [y/N] "))?;
    Ok(matches!(answer.to_ascii_lowercase().as_str(), "y" | "yes"))
}
