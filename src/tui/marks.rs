//! Marked rows (issue 19): the model's `marks` are profile names, so they
//! survive filtering, sorting, grouping and reloads the way the selection's
//! anchor does; these are the operations on them. The keys are the keymap's
//! (Space, `V`, `*`, Esc), the run on them `update::fanout`'s.

use super::model::Model;

impl Model {
    /// Marks the selected profile, or unmarks it.
    pub fn toggle_mark(&mut self) {
        let Some(name) = self.selected_name().map(str::to_string) else {
            return;
        };
        if !self.marks.remove(&name) {
            self.marks.insert(name);
        }
    }

    /// Marks every row shown; when all of them are marked already, unmarks them.
    pub fn toggle_mark_shown(&mut self) {
        let shown: Vec<String> = self
            .visible
            .iter()
            .map(|v| self.name_of(&self.entries[v.entry]).to_string())
            .collect();
        if shown.iter().all(|n| self.marks.contains(n)) {
            for n in &shown {
                self.marks.remove(n);
            }
        } else {
            self.marks.extend(shown);
        }
    }

    /// The profiles a command runs on: the marked ones (by name), else the
    /// selected one.
    pub fn targets(&self) -> Vec<String> {
        if self.marks.is_empty() {
            return self
                .selected_name()
                .map(|n| vec![n.to_string()])
                .unwrap_or_default();
        }
        self.marks.iter().cloned().collect()
    }
}
