//! Line diffs for previews: what an edit is about to change, shown before saving.
//!
//! The `similar` crate computes the diff (Myers' algorithm, with a deadline so
//! a huge change to a huge file still answers at once); this module only turns
//! its hunks into numbered lines for the previews.

/// One line of a diff.
#[derive(Clone, PartialEq, Eq)]
pub enum DiffLine {
    /// Unchanged context (1-based line in the old text).
    Same(usize, String),
    /// Removed.
    Removed(usize, String),
    /// Added (1-based line in the new text).
    Added(usize, String),
}

impl std::fmt::Debug for DiffLine {
    /// Line numbers and lengths only: the lines may hold secrets.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (kind, n, text) = match self {
            DiffLine::Same(n, t) => ("Same", n, t),
            DiffLine::Removed(n, t) => ("Removed", n, t),
            DiffLine::Added(n, t) => ("Added", n, t),
        };
        write!(f, "{kind}({n}, <{} bytes>)", text.len())
    }
}

/// How long a diff may search for the smallest edit before settling for a
/// larger one (still correct, only less tidy).
const DEADLINE: std::time::Duration = std::time::Duration::from_millis(500);

/// The changed lines of `old` → `new`, with up to `context` unchanged lines around.
pub fn diff_lines(old: &str, new: &str, context: usize) -> Vec<DiffLine> {
    let diff = similar::TextDiff::configure()
        .algorithm(similar::Algorithm::Myers)
        .timeout(DEADLINE)
        .diff_lines(old, new);
    let show = |s: &str| s.trim_end_matches(['\n', '\r']).to_string();
    let mut out = Vec::new();
    for hunk in diff.grouped_ops(context) {
        for op in &hunk {
            for change in diff.iter_changes(op) {
                let text = show(change.value());
                out.push(match change.tag() {
                    similar::ChangeTag::Equal => {
                        DiffLine::Same(change.old_index().unwrap_or(0) + 1, text)
                    }
                    similar::ChangeTag::Delete => {
                        DiffLine::Removed(change.old_index().unwrap_or(0) + 1, text)
                    }
                    similar::ChangeTag::Insert => {
                        DiffLine::Added(change.new_index().unwrap_or(0) + 1, text)
                    }
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_only_the_change_with_context() {
        let old = "a\nb\nc\nd\ne\nf\n";
        let new = "a\nb\nc\nD\ne\nf\n";
        assert_eq!(
            diff_lines(old, new, 1),
            vec![
                DiffLine::Same(3, "c".into()),
                DiffLine::Removed(4, "d".into()),
                DiffLine::Added(4, "D".into()),
                DiffLine::Same(5, "e".into()),
            ]
        );
    }

    #[test]
    fn debug_hides_the_text() {
        let d = diff_lines("", "aws_secret_access_key = hunter2\n", 0);
        assert_eq!(format!("{d:?}"), "[Added(1, <31 bytes>)]");
    }

    #[test]
    fn insertions_and_no_change() {
        assert_eq!(
            diff_lines("a\n", "a\nb\n", 0),
            vec![DiffLine::Added(2, "b".into())]
        );
        assert!(diff_lines("same\n", "same\n", 3).is_empty());
        assert_eq!(diff_lines("", "x", 0), vec![DiffLine::Added(1, "x".into())]);
    }

    #[test]
    fn a_large_rewrite_of_a_large_file_answers() {
        let old: String = (0..20_000).map(|i| format!("line {i}\n")).collect();
        let new: String = (0..20_000)
            .map(|i| format!("line {}\n", i * 7 % 20_000))
            .collect();
        let d = diff_lines(&old, &new, 1);
        let removed = d
            .iter()
            .filter(|l| matches!(l, DiffLine::Removed(..)))
            .count();
        let added = d
            .iter()
            .filter(|l| matches!(l, DiffLine::Added(..)))
            .count();
        assert!(removed > 0 && removed == added, "{removed} {added}");
    }
}
