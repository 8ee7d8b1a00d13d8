//! The terminal as a guard: entering raw mode and the alternate screen returns a
//! value whose `Drop` gives the terminal back, and a panic hook restores it before
//! the panic message is printed. [`Guard::suspend`] and [`Guard::resume`] lend
//! the terminal to a child program in between.

use std::io::{self, Stdout};

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};

/// Owns the terminal while the TUI runs.
pub struct Guard {
    terminal: Terminal<CrosstermBackend<Stdout>>,
}

/// Gives the terminal back: cooked mode, main screen, no mouse capture.
pub fn restore() {
    let _ = disable_raw_mode();
    let _ = execute!(io::stdout(), DisableMouseCapture, LeaveAlternateScreen);
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
        let mut stdout = io::stdout();
        if let Err(e) = execute!(stdout, EnterAlternateScreen, EnableMouseCapture) {
            restore();
            return Err(e);
        }
        let terminal = Terminal::new(CrosstermBackend::new(stdout)).inspect_err(|_| restore())?;
        Ok(Guard { terminal })
    }

    /// Gives the terminal back for a while (cooked mode, main screen, cursor
    /// shown), e.g. to a child program. Call [`Guard::resume`] afterwards,
    /// whatever happened meanwhile.
    pub fn suspend(&mut self) -> io::Result<()> {
        disable_raw_mode()?;
        execute!(io::stdout(), DisableMouseCapture, LeaveAlternateScreen)?;
        self.terminal.show_cursor()
    }

    /// Takes the terminal over again after [`Guard::suspend`], and clears it so
    /// the next draw repaints everything.
    pub fn resume(&mut self) -> io::Result<()> {
        enable_raw_mode()?;
        execute!(io::stdout(), EnterAlternateScreen, EnableMouseCapture)?;
        self.terminal.clear()
    }

    /// The terminal to draw on.
    pub fn terminal(&mut self) -> &mut Terminal<CrosstermBackend<Stdout>> {
        &mut self.terminal
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
        let _ = self.terminal.show_cursor();
    }
}
