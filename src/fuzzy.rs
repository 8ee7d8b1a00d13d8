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

/// Edits (insert, delete, substitute, swap two neighbours) between two words,
/// counted up to `limit + 1` at most: the optimal string alignment distance.
pub fn distance(a: &str, b: &str, limit: usize) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().abs_diff(b.len()) > limit {
        return limit + 1;
    }
    let width = b.len() + 1;
    let mut d: Vec<usize> = vec![0; (a.len() + 1) * width];
    for (i, row) in d.chunks_mut(width).enumerate() {
        row[0] = i;
    }
    for (j, cell) in d.iter_mut().take(width).enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * width + j] + 1)
                .min(d[i * width + j - 1] + 1)
                .min(d[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * width + j - 2] + 1);
            }
            d[i * width + j] = v;
        }
    }
    d[a.len() * width + b.len()].min(limit + 1)
}

/// The candidate nearest to `word` within `limit` edits (the first of equals);
/// `None` when `word` is itself a candidate or none is that near.
pub fn nearest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    limit: usize,
) -> Option<&'a str> {
    let mut best: Option<(usize, &'a str)> = None;
    for c in candidates {
        let d = distance(word, c, limit);
        if d == 0 {
            return None;
        }
        if d <= limit && best.is_none_or(|(b, _)| d < b) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

/// Orders names as people count: runs of digits compare as numbers, so
/// `acct-3` comes before `acct-29`; otherwise byte order, and equal-looking
/// names (`a01`, `a1`) fall back to byte order so the order is total.
pub fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let (x, y) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);
    while i < x.len() && j < y.len() {
        if x[i].is_ascii_digit() && y[j].is_ascii_digit() {
            let (si, sj) = (i, j);
            while i < x.len() && x[i].is_ascii_digit() {
                i += 1;
            }
            while j < y.len() && y[j].is_ascii_digit() {
                j += 1;
            }
            let (m, n) = (&x[si..i], &y[sj..j]);
            let strip = |s: &[u8]| -> usize { s.iter().take_while(|&&c| c == b'0').count() };
            let (m, n) = (&m[strip(m)..], &n[strip(n)..]);
            let o = m.len().cmp(&n.len()).then_with(|| m.cmp(n));
            if o != Ordering::Equal {
                return o;
            }
        } else {
            if x[i] != y[j] {
                return x[i].cmp(&y[j]);
            }
            i += 1;
            j += 1;
        }
    }
    (x.len() - i).cmp(&(y.len() - j)).then_with(|| a.cmp(b))
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

    #[test]
    fn distances_and_nearest_words() {
        assert_eq!(distance("regoin", "region", 2), 1);
        assert_eq!(distance("region", "region", 2), 0);
        assert_eq!(distance("rgion", "region", 2), 1);
        assert_eq!(distance("manager", "region", 2), 3);
        assert_eq!(nearest("devv", ["dev", "prod"], 2), Some("dev"));
        assert_eq!(nearest("dev", ["dev", "devv"], 2), None);
        assert_eq!(nearest("zzzzzz", ["dev"], 2), None);
    }

    #[test]
    fn natural_order_counts_numbers() {
        let mut v = vec!["acct-29", "acct-3", "acct-100", "acct-03", "b", "acct"];
        v.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(v, ["acct", "acct-03", "acct-3", "acct-29", "acct-100", "b"]);
    }
}
