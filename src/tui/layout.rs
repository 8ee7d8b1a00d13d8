//! Where things go on the screen, computed once per resize and shared by `view`
//! (to draw) and `update` (to map mouse clicks to rows).

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

impl Areas {
    /// Regions for a screen of `width` × `height`.
    pub fn compute(width: u16, height: u16) -> Areas {
        let screen = Rect::new(0, 0, width, height);
        let rows = Layout::default()
            .direction(Direction::Vertical)
            .constraints([
                Constraint::Length(1),
                Constraint::Min(3),
                Constraint::Length(1),
            ])
            .split(screen);
        let (list_pct, detail_pct) = if width < 100 { (100, 0) } else { (55, 45) };
        let cols = Layout::default()
            .direction(Direction::Horizontal)
            .constraints([
                Constraint::Percentage(list_pct),
                Constraint::Percentage(detail_pct),
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
