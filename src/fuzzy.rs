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
    // Character positions: in ASCII text (nearly every profile) they are the
    // bytes, so the haystack is not decoded into a vector of chars.
    if haystack.is_ascii() {
        best_match(&needle, haystack.as_bytes(), &fold)
    } else {
        let hay: Vec<char> = haystack.chars().collect();
        best_match(&needle, &hay, &fold)
    }
}

/// Tries each start of the needle's first character and keeps the best greedy
/// match (the first of equal scores); only the winner's positions are collected.
fn best_match<C: Copy + Into<char>>(
    needle: &[char],
    hay: &[C],
    fold: &dyn Fn(char) -> char,
) -> Option<Match> {
    let first = needle[0];
    let mut best: Option<(i64, usize)> = None;
    for start in (0..hay.len()).filter(|&i| fold(hay[i].into()) == first) {
        let Some(score) = greedy_from(needle, hay, start, fold, None) else {
            break; // later starts cannot match if this one ran out of haystack
        };
        if best.is_none_or(|(b, _)| score > b) {
            best = Some((score, start));
        }
    }
    let (score, start) = best?;
    let mut positions = Vec::with_capacity(needle.len());
    greedy_from(needle, hay, start, fold, Some(&mut positions));
    Some(Match { score, positions })
}

/// The score of the greedy match of `needle` in `hay` from `start`, recording
/// the matched positions in `positions` if given.
fn greedy_from<C: Copy + Into<char>>(
    needle: &[char],
    hay: &[C],
    start: usize,
    fold: &dyn Fn(char) -> char,
    mut positions: Option<&mut Vec<usize>>,
) -> Option<i64> {
    let mut score: i64 = 0;
    let mut n = 0;
    let mut prev_match: Option<usize> = None;
    for (i, &c) in hay.iter().enumerate().skip(start) {
        if n == needle.len() {
            break;
        }
        if fold(c.into()) == needle[n] {
            score += 16;
            if is_boundary(i.checked_sub(1).map(|p| hay[p].into())) {
                score += 10;
            }
            match prev_match {
                Some(p) if p + 1 == i => score += 12,
                Some(p) => score -= (i - p - 1).min(8) as i64,
                None => score -= (i as i64).min(10),
            }
            if let Some(positions) = positions.as_deref_mut() {
                positions.push(i);
            }
            prev_match = Some(i);
            n += 1;
        }
    }
    (n == needle.len()).then_some(score)
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

    proptest::proptest! {
        /// ASCII haystacks take a byte path; a non-ASCII character after the
        /// text (which no ASCII needle matches) sends the same text down the
        /// char path, which must agree.
        #[test]
        fn the_ascii_path_agrees_with_the_char_path(
            needle in "[a-cA-C.-]{0,4}",
            hay in "[a-cA-C.-]{0,24}",
        ) {
            proptest::prop_assert_eq!(
                fuzzy_match(&needle, &hay),
                fuzzy_match(&needle, &format!("{hay}é"))
            );
        }
    }
}
