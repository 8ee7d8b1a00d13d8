//! Which profiles a fan-out runs in: glob patterns over names (never fuzzy: a
//! fuzzy match could run `terraform destroy` where nobody meant it) and the
//! `--kind`, `--sso-session` and `--account` selectors. Pure: it reads a
//! [`ProfileSet`] and returns names.

use crate::profile::ProfileSet;
use crate::profile::kind::classify;

/// What the user asked for; empty lists select everything.
#[derive(Debug, Default, Clone)]
pub struct Selector {
    /// Glob patterns over names: a profile matching any of them.
    pub patterns: Vec<String>,
    /// Kind labels (`sso`, `role`, ...), as `list` shows them.
    pub kinds: Vec<String>,
    /// SSO session names.
    pub sso_sessions: Vec<String>,
    /// Account ids.
    pub accounts: Vec<String>,
}

/// Whether `name` matches `pattern`: `*` any run of characters, `?` one
/// character, `[abc]`, `[a-z]` and `[!a-z]` one of a set; everything else
/// literally. A `[` without its `]` is literal.
pub fn glob(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    // Iterative matching with one backtrack point (the last `*`).
    let (mut pi, mut ni) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ni < n.len() {
        if pi < p.len() {
            match p[pi] {
                '*' => {
                    star = Some((pi, ni));
                    pi += 1;
                    continue;
                }
                '?' => {
                    pi += 1;
                    ni += 1;
                    continue;
                }
                '[' => {
                    if let Some((matched, len)) = class(&p[pi..], n[ni]) {
                        if matched {
                            pi += len;
                            ni += 1;
                            continue;
                        }
                    } else if n[ni] == '[' {
                        pi += 1;
                        ni += 1;
                        continue;
                    }
                }
                c if c == n[ni] => {
                    pi += 1;
                    ni += 1;
                    continue;
                }
                _ => {}
            }
        }
        match star {
            Some((sp, sn)) => {
                pi = sp + 1;
                ni = sn + 1;
                star = Some((sp, sn + 1));
            }
            None => return false,
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

/// Matches `c` against the class at the start of `p` (`[...]`): whether it
/// matched and the class's length, or `None` when the class has no `]`.
fn class(p: &[char], c: char) -> Option<(bool, usize)> {
    let mut i = 1;
    let negated = matches!(p.get(1), Some('!' | '^'));
    if negated {
        i += 1;
    }
    let mut matched = false;
    let mut first = true;
    while i < p.len() {
        if p[i] == ']' && !first {
            return Some((matched != negated, i + 1));
        }
        first = false;
        if i + 2 < p.len() && p[i + 1] == '-' && p[i + 2] != ']' {
            if p[i] <= c && c <= p[i + 2] {
                matched = true;
            }
            i += 3;
        } else {
            if p[i] == c {
                matched = true;
            }
            i += 1;
        }
    }
    None
}

/// The account a profile works in: `sso_account_id`, else the account in its
/// `role_arn`.
pub fn account(set: &ProfileSet, name: &str) -> Option<String> {
    let p = set.profile(name)?;
    if let Some(id) = p.get("sso_account_id") {
        return Some(id.trim().to_string());
    }
    let arn = p.get("role_arn")?;
    let id = arn.split(':').nth(4)?;
    (!id.is_empty()).then(|| id.to_string())
}

/// The profiles of `set` that `selector` selects, sorted by name.
pub fn select(set: &ProfileSet, selector: &Selector) -> Vec<String> {
    let any =
        |list: &[String], f: &dyn Fn(&str) -> bool| list.is_empty() || list.iter().any(|v| f(v));
    set.profiles
        .iter()
        .filter(|(name, _)| any(&selector.patterns, &|p| glob(p, name)))
        .filter(|(_, p)| any(&selector.kinds, &|k| classify(p).label() == k))
        .filter(|(_, p)| {
            any(&selector.sso_sessions, &|s| {
                p.get("sso_session").is_some_and(|v| v.trim() == s)
            })
        })
        .filter(|(name, _)| {
            let acct = account(set, name);
            any(&selector.accounts, &|a| acct.as_deref() == Some(a))
        })
        .map(|(name, _)| name.to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_whole_names_and_never_fuzzily() {
        assert!(glob("prod-*", "prod-eu"));
        assert!(glob("prod-*", "prod-"));
        assert!(!glob("prod-*", "preprod-eu"));
        assert!(!glob("prod", "prod-eu"), "no prefix match");
        assert!(!glob("prd-eu", "prod-eu"), "no fuzzy match");
        assert!(glob("*-eu", "dev-eu"));
        assert!(glob("*", ""));
        assert!(glob("a*b*c", "axxbyyc"));
        assert!(!glob("a*b*c", "axxbyy"));
        assert!(glob("dev-?", "dev-1"));
        assert!(!glob("dev-?", "dev-10"));
        assert!(glob("acct-[0-3]", "acct-2"));
        assert!(!glob("acct-[0-3]", "acct-7"));
        assert!(glob("acct-[!0-3]", "acct-7"));
        assert!(glob("x[ab]y", "xby"));
        assert!(glob("a[b", "a[b"), "an open class is literal");
        assert!(glob("*é*", "café-1"));
    }

    #[test]
    fn selectors_narrow_the_patterns() {
        let text = "[profile prod-a]\nsso_session = corp\nsso_account_id = 111111111111\nsso_role_name = R\n\
[profile prod-b]\nrole_arn = arn:aws:iam::222222222222:role/x\nsource_profile = base\n\
[profile dev-a]\nsso_session = other\nsso_account_id = 333333333333\nsso_role_name = R\n\
[profile base]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = s\n\
[sso-session corp]\nsso_start_url = https://x\nsso_region = us-east-1\n";
        let set =
            crate::profile::normalize::normalize(Some(&crate::ini::Document::parse(text)), None);
        let sel = |f: &dyn Fn(&mut Selector)| {
            let mut s = Selector::default();
            f(&mut s);
            select(&set, &s)
        };
        assert_eq!(
            sel(&|s| s.patterns = vec!["prod-*".into()]),
            ["prod-a", "prod-b"]
        );
        assert_eq!(
            sel(&|s| s.patterns = vec!["prod-*".into(), "base".into()]),
            ["base", "prod-a", "prod-b"]
        );
        assert_eq!(sel(&|s| s.kinds = vec!["role".into()]), ["prod-b"]);
        assert_eq!(sel(&|s| s.sso_sessions = vec!["corp".into()]), ["prod-a"]);
        assert_eq!(
            sel(&|s| s.accounts = vec!["222222222222".into()]),
            ["prod-b"]
        );
        assert_eq!(
            sel(&|s| {
                s.patterns = vec!["*-a".into()];
                s.kinds = vec!["sso".into()];
            }),
            ["dev-a", "prod-a"]
        );
        assert!(sel(&|s| s.patterns = vec!["nope*".into()]).is_empty());
    }
}
