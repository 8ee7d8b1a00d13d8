//! What help says, as data: its sections (the keys of a mode from the keymap
//! in force, or every text field's keys), arranged in two columns from 100
//! columns up and one below, and how far it can scroll on a screen. Pure:
//! `view::help` styles and draws these lines; `update` stops scrolling at
//! [`max_scroll`] without asking the view.

use ratatui::layout::Rect;

use super::keymap::Keymap;
use super::layout;
use super::model::Mode;

/// A help section: the keys of a mode, or (`None`) those of every text field.
type Section = (&'static str, Option<Mode>);

const LEFT: &[Section] = &[
    ("In the list", Some(Mode::Normal)),
    ("While filtering", Some(Mode::Filter)),
    ("Editing text (every field)", None),
    ("Running a command", Some(Mode::RunPick)),
    ("Results of a run on marked rows", Some(Mode::Results)),
];

const RIGHT: &[Section] = &[
    ("In the edit form", Some(Mode::Form)),
    ("Typing into a field", Some(Mode::FormInput)),
    ("Choosing a region", Some(Mode::RegionPick)),
    ("Changing the kind (K)", Some(Mode::FormKind)),
    ("Previewing a save", Some(Mode::Preview)),
    ("Questions", Some(Mode::Confirm)),
    ("In help", Some(Mode::Help)),
];

/// Below this width help is one column.
pub const TWO_COLUMNS_FROM: u16 = 100;

/// One section as shown: its title and its (keys, description) lines.
pub type Shown = (&'static str, Vec<(String, &'static str)>);

fn column(keys: &Keymap, sections: &[Section]) -> Vec<Shown> {
    sections
        .iter()
        .map(|(title, mode)| {
            let lines = match mode {
                Some(mode) => keys.help(*mode),
                None => super::keymap::text_help(),
            };
            (*title, lines)
        })
        .collect()
}

/// Help's columns at screen width `width`: two side by side, or one below
/// [`TWO_COLUMNS_FROM`].
pub fn columns(keys: &Keymap, width: u16) -> Vec<Vec<Shown>> {
    if width < TWO_COLUMNS_FROM {
        let mut one = column(keys, LEFT);
        one.extend(column(keys, RIGHT));
        vec![one]
    } else {
        vec![column(keys, LEFT), column(keys, RIGHT)]
    }
}

/// The lines of the longest column: per section a title, its keys and a blank.
pub fn rows(columns: &[Vec<Shown>]) -> u16 {
    let len = |c: &Vec<Shown>| c.iter().map(|(_, keys)| keys.len() + 2).sum::<usize>();
    u16::try_from(columns.iter().map(len).max().unwrap_or(0)).unwrap_or(u16::MAX)
}

/// Where help sits on `screen`, and how many lines it has.
pub fn area(keys: &Keymap, screen: Rect) -> (Rect, u16) {
    let content = rows(&columns(keys, screen.width));
    (layout::help_area(screen, content), content)
}

/// How far help can scroll on `screen`: the first line of its last page.
pub fn max_scroll(keys: &Keymap, screen: Rect) -> u16 {
    let (area, content) = area(keys, screen);
    layout::max_scroll(usize::from(content), area.height)
}
