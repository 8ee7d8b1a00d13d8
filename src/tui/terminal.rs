//! The terminal as a guard: entering raw mode and the alternate screen returns a
//! value whose `Drop` gives the terminal back, and a panic hook restores it before
//! the panic message is printed. [`Guard::suspend`] and [`Guard::resume`] lend
//! the terminal to a child program in between. The screen is stdout, or stderr
//! when stdout is captured (the shell function's picker, whose stdout the shell
//! evaluates): see [`Screen`].

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};

/// Whether the TUI draws on stderr (set once, before the guard is entered).
static ON_STDERR: AtomicBool = AtomicBool::new(false);

/// The stream the TUI draws on: stdout, unless [`Screen::use_stderr`] was called.
#[derive(Clone, Copy, Debug, Default)]
pub struct Screen;

impl Screen {
    /// Draws on stderr from now on, so stdout carries only a result.
    pub fn use_stderr() {
        ON_STDERR.store(true, Ordering::SeqCst);
    }

    /// Whether the screen is stderr.
    pub fn is_stderr() -> bool {
        ON_STDERR.load(Ordering::SeqCst)
    }
}

impl Write for Screen {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if Screen::is_stderr() {
            io::stderr().write(buf)
        } else {
            io::stdout().write(buf)
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        if Screen::is_stderr() {
            io::stderr().flush()
        } else {
            io::stdout().flush()
        }
    }
}

/// Owns the terminal while the TUI runs.
pub struct Guard {
    terminal: Terminal<CrosstermBackend<Screen>>,
}

/// Gives the terminal back: cooked mode, main screen, no mouse capture.
pub fn restore() {
    let _ = disable_raw_mode();
    let _ = execute!(
        Screen,
        DisableBracketedPaste,
        DisableMouseCapture,
        LeaveAlternateScreen
    );
}

impl Guard {
    /// Takes over the terminal.
    pub fn enter() -> io::Result<Guard> {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
        }));
        enable_raw_mode()?;
        if let Err(e) = execute!(
            Screen,
            EnterAlternateScreen,
            EnableMouseCapture,
            EnableBracketedPaste
        ) {
            restore();
            return Err(e);
        }
        let terminal = Terminal::new(CrosstermBackend::new(Screen)).inspect_err(|_| restore())?;
        Ok(Guard { terminal })
    }

    /// Gives the terminal back for a while (cooked mode, main screen, cursor
    /// shown), e.g. to a child program. Call [`Guard::resume`] afterwards,
    /// whatever happened meanwhile.
    pub fn suspend(&mut self) -> io::Result<()> {
        disable_raw_mode()?;
        execute!(
            Screen,
            DisableBracketedPaste,
            DisableMouseCapture,
            LeaveAlternateScreen
        )?;
        self.terminal.show_cursor()
    }

    /// Takes the terminal over again after [`Guard::suspend`], and clears it so
    /// the next draw repaints everything.
    pub fn resume(&mut self) -> io::Result<()> {
        enable_raw_mode()?;
        execute!(
            Screen,
            EnterAlternateScreen,
            EnableMouseCapture,
            EnableBracketedPaste
        )?;
        self.terminal.clear()
    }

    /// The terminal to draw on.
    pub fn terminal(&mut self) -> &mut Terminal<CrosstermBackend<Screen>> {
        &mut self.terminal
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
        let _ = self.terminal.show_cursor();
    }
}
