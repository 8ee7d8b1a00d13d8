//! The region chooser: under a region field being typed into (the form's
//! `region` and `sso_region`, the SSO setup's region question), the known
//! regions ([`crate::profile::region::known`], the one list) that the typed
//! text filters, with a highlight. Pure state: the text stays the field's
//! own [`TextInput`]; picking puts the highlighted region in it, and with no
//! match the typed text is kept (a well-shaped region rolecall does not know
//! is a warning, as `profile::region::check` says, not a refusal).

use crate::profile::region;

use super::input::TextInput;

/// The keys whose values are regions: their fields get the chooser.
pub const REGION_KEYS: &[&str] = &["region", "sso_region"];

/// Whether a field of this key gets the chooser.
pub fn is_region_key(key: &str) -> bool {
    REGION_KEYS.contains(&key)
}

/// The chooser's state: which of the shown regions is highlighted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Chooser {
    /// The highlighted row: an index into [`Chooser::shown`].
    pub at: usize,
    /// Whether ↑/↓ moved since the text last changed: an emptied field
    /// highlights nothing until then, so Enter keeps it empty.
    pub moved: bool,
}

impl Chooser {
    /// A chooser over `input`, highlighting its region when it is a known one.
    pub fn open(input: &TextInput) -> Chooser {
        let at = Chooser::shown(input)
            .iter()
            .position(|r| *r == input.text())
            .unwrap_or(0);
        Chooser { at, moved: false }
    }

    /// The known regions `input` filters, case-insensitively: the text itself
    /// if it is one, those that start with it, then those that contain it. A prefilled, selected
    /// text (about to be replaced) filters nothing.
    pub fn shown(input: &TextInput) -> Vec<&'static str> {
        let text = if input.is_selected() {
            String::new()
        } else {
            input.text().trim().to_ascii_lowercase()
        };
        let (mut first, rest): (Vec<_>, Vec<_>) = region::known()
            .filter(|r| r.contains(text.as_str()))
            .partition(|r| r.starts_with(text.as_str()));
        // The region typed in full comes first, whatever the list's order.
        first.sort_by_key(|r| *r != text);
        first.extend(rest);
        first
    }

    /// Moves the highlight down (`true`) or up, within the shown regions.
    pub fn step(&mut self, input: &TextInput, down: bool) {
        let last = Chooser::shown(input).len().saturating_sub(1);
        self.moved = true;
        self.at = if down {
            (self.at + 1).min(last)
        } else {
            self.at.saturating_sub(1)
        };
    }

    /// The text changed: the highlight goes back to the best match.
    pub fn edited(&mut self) {
        self.at = 0;
        self.moved = false;
    }

    /// The highlighted region, if any region is shown (none in an emptied
    /// field until ↑/↓ is pressed).
    pub fn highlighted(&self, input: &TextInput) -> Option<&'static str> {
        if input.text().trim().is_empty() && !self.moved {
            return None;
        }
        let shown = Chooser::shown(input);
        shown
            .get(self.at.min(shown.len().saturating_sub(1)))
            .copied()
    }

    /// Picks: `input` holds the highlighted region, or keeps its typed text
    /// when no known region matches it.
    pub fn pick(&self, input: &mut TextInput) {
        if let Some(r) = self.highlighted(input) {
            *input = TextInput::with_text(r);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::input::Edit;

    fn typed(text: &str) -> TextInput {
        let mut i = TextInput::new();
        for c in text.chars() {
            i.apply(Edit::Insert(c));
        }
        i
    }

    #[test]
    fn typing_filters_prefixes_first_and_picking_fills_the_field() {
        let all = Chooser::shown(&TextInput::new());
        assert_eq!(all.len(), region::known().count(), "the one list, whole");
        let mut input = typed("west");
        let shown = Chooser::shown(&input);
        assert!(shown.contains(&"eu-west-1") && shown.contains(&"us-gov-west-1"));
        assert!(shown.iter().all(|r| r.contains("west")));
        let input2 = typed("eu-w");
        assert_eq!(
            Chooser::shown(&input2)[..3],
            ["eu-west-1", "eu-west-2", "eu-west-3"]
        );
        let mut c = Chooser::open(&input);
        c.step(&input, true);
        c.step(&input, false);
        c.step(&input, false);
        assert_eq!(c.at, 0, "stops at the top");
        for _ in 0..100 {
            c.step(&input, true);
        }
        assert_eq!(c.at, shown.len() - 1, "stops at the bottom");
        c.pick(&mut input);
        assert_eq!(input.text(), *shown.last().unwrap());
    }

    #[test]
    fn an_unknown_region_of_the_right_shape_is_kept_and_a_prefill_lists_all() {
        let mut input = typed("ap-newplace-9");
        let c = Chooser::open(&input);
        assert_eq!(c.highlighted(&input), None);
        c.pick(&mut input);
        assert_eq!(input.text(), "ap-newplace-9");
        let prefilled = TextInput::prefilled("eu-north-1");
        let c = Chooser::open(&prefilled);
        assert_eq!(Chooser::shown(&prefilled).len(), region::known().count());
        assert_eq!(
            c.highlighted(&prefilled),
            Some("eu-north-1"),
            "its own region highlighted"
        );
        assert!(is_region_key("sso_region") && !is_region_key("output"));
        // An emptied field stays empty on Enter, unless a region was moved to.
        let mut empty = TextInput::new();
        let mut c = Chooser::open(&empty);
        assert_eq!(c.highlighted(&empty), None);
        c.pick(&mut empty);
        assert_eq!(empty.text(), "");
        c.step(&empty, true);
        c.step(&empty, false);
        assert_eq!(c.highlighted(&empty), Some("af-south-1"));
    }
}
