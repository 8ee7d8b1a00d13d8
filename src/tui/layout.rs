//! Where things go on the screen, computed once per resize (or details
//! toggle) and shared by `view` (to draw) and `update` (to map mouse clicks to
//! rows, and to stop scrolling at the last page: help's, doctor's and the SSO
//! setup preview's limits are computed here from the screen size, so `update`
//! never asks the view). From [`SIDE_BY_SIDE_FROM`] columns the details pane
//! sits beside the list; below, it is hidden unless asked for, and then sits
//! under the list.

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

/// A box of at most `width` × `height` centred on `screen`.
pub fn centred(screen: Rect, width: u16, height: u16) -> Rect {
    let (width, height) = (width.min(screen.width), height.min(screen.height));
    Rect::new(
        screen.x + (screen.width - width) / 2,
        screen.y + (screen.height - height) / 2,
        width,
        height,
    )
}

/// Help's box on `screen` for `content` lines (up to 120 columns wide).
pub fn help_area(screen: Rect, content: u16) -> Rect {
    centred(screen, 120, content.saturating_add(2))
}

/// The doctor panel's box on `screen` (up to 110 columns, two rows of margin).
pub fn doctor_area(screen: Rect) -> Rect {
    centred(screen, 110, screen.height.saturating_sub(2).max(3))
}

/// How many rows lines of these widths (in characters) take once wrapped
/// inside a bordered box `width` columns wide.
pub fn wrapped_rows(widths: impl IntoIterator<Item = usize>, width: u16) -> usize {
    let inner = usize::from(width.saturating_sub(2)).max(1);
    widths.into_iter().map(|w| w.max(1).div_ceil(inner)).sum()
}

/// The first line that can be shown of `rows` rows in a bordered box of
/// `height` rows: the last page starts there.
pub fn max_scroll(rows: usize, height: u16) -> u16 {
    let visible = usize::from(height.saturating_sub(2));
    u16::try_from(rows.saturating_sub(visible)).unwrap_or(u16::MAX)
}

/// How many diff lines the SSO setup's preview shows on `screen`.
pub fn onboard_preview_rows(screen: Rect) -> usize {
    usize::from(screen.height.saturating_sub(8)).max(3)
}

/// The SSO setup preview's first line shown at most, for a diff of `lines`.
pub fn onboard_preview_max(screen: Rect, lines: usize) -> usize {
    lines.saturating_sub(onboard_preview_rows(screen))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scroll_limits_are_the_last_page() {
        assert_eq!(max_scroll(30, 12), 20, "10 rows inside the border");
        assert_eq!(max_scroll(5, 12), 0);
        assert_eq!(wrapped_rows([0, 10, 25], 12), 1 + 1 + 3);
        let screen = Rect::new(0, 0, 80, 24);
        assert_eq!(help_area(screen, 100), Rect::new(0, 0, 80, 24));
        assert_eq!(help_area(screen, 10), Rect::new(0, 6, 80, 12));
        assert_eq!(doctor_area(Rect::new(0, 0, 130, 40)).width, 110);
        assert_eq!(onboard_preview_max(screen, 100), 100 - 16);
    }
}
