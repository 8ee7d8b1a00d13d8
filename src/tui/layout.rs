//! Where things go on the screen, computed once per resize (or details
//! toggle) and shared by `view` (to draw) and `update` (to map mouse clicks to
//! rows). From [`SIDE_BY_SIDE_FROM`] columns the details pane sits beside the
//! list; below, it is hidden unless asked for, and then sits under the list.

use ratatui::layout::{Constraint, Direction, Layout, Rect};

/// The screen's regions.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Areas {
    /// The whole screen.
    pub screen: Rect,
    /// The title line.
    pub title: Rect,
    /// The profile list, inside its border.
    pub list: Rect,
    /// The detail pane, inside its border.
    pub detail: Rect,
    /// The status line.
    pub status: Rect,
}

/// From this width the details pane sits beside the list.
pub const SIDE_BY_SIDE_FROM: u16 = 100;

/// Whether the details pane shows at `width`: `toggled` flips the default
/// (shown from [`SIDE_BY_SIDE_FROM`] columns, hidden below).
pub fn details_shown(width: u16, toggled: bool) -> bool {
    (width >= SIDE_BY_SIDE_FROM) != toggled
}

impl Areas {
    /// Regions for a screen of `width` × `height`; `toggled`: the user flipped
    /// the details pane's default (see [`details_shown`]).
    pub fn compute(width: u16, height: u16, toggled: bool) -> Areas {
        let screen = Rect::new(0, 0, width, height);
        let rows = Layout::default()
            .direction(Direction::Vertical)
            .constraints([
                Constraint::Length(1),
                Constraint::Min(3),
                Constraint::Length(1),
            ])
            .split(screen);
        let shown = details_shown(width, toggled);
        let (direction, list_pct) = match (shown, width >= SIDE_BY_SIDE_FROM) {
            (false, _) => (Direction::Horizontal, 100),
            (true, true) => (Direction::Horizontal, if width >= 120 { 60 } else { 55 }),
            (true, false) => (Direction::Vertical, 50),
        };
        let cols = Layout::default()
            .direction(direction)
            .constraints([
                Constraint::Percentage(list_pct),
                Constraint::Percentage(100 - list_pct),
            ])
            .split(rows[1]);
        Areas {
            screen,
            title: rows[0],
            list: inner(cols[0]),
            detail: inner(cols[1]),
            status: rows[2],
        }
    }

    /// How many profile rows fit (the list has a header line).
    pub fn list_rows(&self) -> u16 {
        self.list.height.saturating_sub(1)
    }

    /// The row index (relative to the first shown) at screen position, if any.
    pub fn list_row_at(&self, column: u16, row: u16) -> Option<usize> {
        let first = self.list.y + 1;
        let inside = column >= self.list.x && column < self.list.x + self.list.width;
        (inside && row >= first && row < self.list.y + self.list.height)
            .then(|| usize::from(row - first))
    }
}

fn inner(r: Rect) -> Rect {
    Rect::new(
        r.x.saturating_add(1),
        r.y.saturating_add(1),
        r.width.saturating_sub(2),
        r.height.saturating_sub(2),
    )
}
