//! Fuzzy matching for filters, in the spirit of fzf: the needle's characters must
//! appear in order; runs of consecutive characters and starts of words score
//! higher, gaps cost. Case-insensitive unless the needle has an uppercase letter.
//! Pure and allocation-light, so filtering ten thousand profiles per keystroke
//! stays well under a frame.

/// A successful match.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Match {
    /// Higher is better.
    pub score: i64,
    /// Character indices of the matched characters in the haystack.
    pub positions: Vec<usize>,
}

fn is_boundary(prev: Option<char>) -> bool {
    match prev {
        None => true,
        Some(c) => !c.is_alphanumeric(),
    }
}

/// Matches `needle` against `haystack`; an empty needle matches everything.
pub fn fuzzy_match(needle: &str, haystack: &str) -> Option<Match> {
    if needle.is_empty() {
        return Some(Match {
            score: 0,
            positions: Vec::new(),
        });
    }
    let case_sensitive = needle.chars().any(char::is_uppercase);
    let fold = |c: char| {
        if case_sensitive {
            c
        } else {
            c.to_ascii_lowercase()
        }
    };
    let needle: Vec<char> = needle.chars().map(fold).collect();
    let hay: Vec<char> = haystack.chars().collect();
    let first = needle[0];
    let mut best: Option<Match> = None;
    // Try each start of the first character; keep the best greedy match.
    for start in (0..hay.len()).filter(|&i| fold(hay[i]) == first) {
        let Some(m) = greedy_from(&needle, &hay, start, &fold) else {
            break; // later starts cannot match if this one ran out of haystack
        };
        if best.as_ref().is_none_or(|b| m.score > b.score) {
            best = Some(m);
        }
    }
    best
}

fn greedy_from(
    needle: &[char],
    hay: &[char],
    start: usize,
    fold: &dyn Fn(char) -> char,
) -> Option<Match> {
    let mut positions = Vec::with_capacity(needle.len());
    let mut score: i64 = 0;
    let mut n = 0;
    let mut prev_match: Option<usize> = None;
    for (i, &c) in hay.iter().enumerate().skip(start) {
        if n == needle.len() {
            break;
        }
        if fold(c) == needle[n] {
            score += 16;
            if is_boundary(i.checked_sub(1).map(|p| hay[p])) {
                score += 10;
            }
            match prev_match {
                Some(p) if p + 1 == i => score += 12,
                Some(p) => score -= (i - p - 1).min(8) as i64,
                None => score -= (i as i64).min(10),
            }
            positions.push(i);
            prev_match = Some(i);
            n += 1;
        }
    }
    (n == needle.len()).then_some(Match { score, positions })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_in_order_and_reports_positions() {
        let m = fuzzy_match("pdv", "prod-dev").unwrap();
        assert_eq!(m.positions.len(), 3);
        assert!(fuzzy_match("vdp", "prod-dev").is_none());
        assert_eq!(fuzzy_match("", "x").unwrap().positions, Vec::<usize>::new());
    }

    #[test]
    fn prefers_word_starts_and_runs() {
        let a = fuzzy_match("dev", "acme-dev.Admin").unwrap();
        let b = fuzzy_match("dev", "d-e-v").unwrap();
        assert!(a.score > b.score);
        assert_eq!(a.positions, vec![5, 6, 7]);
    }

    #[test]
    fn smart_case() {
        assert!(fuzzy_match("admin", "Admin").is_some());
        assert!(fuzzy_match("Admin", "admin").is_none());
    }
}
