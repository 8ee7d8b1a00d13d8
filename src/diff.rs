//! Line diffs for previews: what an edit is about to change, shown before saving.
//!
//! Edits change few lines of possibly large files, so the common head and tail
//! are cut first and only the middle is compared (longest common subsequence when
//! it is small, a plain replacement otherwise).

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

/// The changed lines of `old` → `new`, with up to `context` unchanged lines around.
pub fn diff_lines(old: &str, new: &str, context: usize) -> Vec<DiffLine> {
    let a: Vec<&str> = old.split_inclusive('\n').collect();
    let b: Vec<&str> = new.split_inclusive('\n').collect();
    let head = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let tail = a[head..]
        .iter()
        .rev()
        .zip(b[head..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (am, bm) = (&a[head..a.len() - tail], &b[head..b.len() - tail]);
    let show = |s: &str| s.trim_end_matches(['\n', '\r']).to_string();
    let mut out = Vec::new();
    let before = head.saturating_sub(context);
    for (i, line) in a.iter().enumerate().take(head).skip(before) {
        out.push(DiffLine::Same(i + 1, show(line)));
    }
    if am.len() * bm.len() <= 4_000_000 {
        out.extend(lcs_diff(am, bm, head, &show));
    } else {
        out.extend(
            am.iter()
                .enumerate()
                .map(|(i, l)| DiffLine::Removed(head + i + 1, show(l))),
        );
        out.extend(
            bm.iter()
                .enumerate()
                .map(|(i, l)| DiffLine::Added(head + i + 1, show(l))),
        );
    }
    let after = a.len() - tail;
    for (i, line) in a.iter().enumerate().skip(after).take(context) {
        out.push(DiffLine::Same(i + 1, show(line)));
    }
    if out.iter().all(|l| matches!(l, DiffLine::Same(..))) {
        out.clear();
    }
    out
}

fn lcs_diff(a: &[&str], b: &[&str], offset: usize, show: &dyn Fn(&str) -> String) -> Vec<DiffLine> {
    let (n, m) = (a.len(), b.len());
    let mut table = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            table[i][j] = if a[i] == b[j] {
                table[i + 1][j + 1] + 1
            } else {
                table[i + 1][j].max(table[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            out.push(DiffLine::Same(offset + i + 1, show(a[i])));
            i += 1;
            j += 1;
        } else if i < n && (j == m || table[i + 1][j] >= table[i][j + 1]) {
            // Removals first, as unified diffs show them.
            out.push(DiffLine::Removed(offset + i + 1, show(a[i])));
            i += 1;
        } else {
            out.push(DiffLine::Added(offset + j + 1, show(b[j])));
            j += 1;
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
}
