//! Which browser opens a profile's console, so accounts sit side by side in
//! separate browser profiles: `--no-browser`, else `$ROLECALL_BROWSER` (one
//! program given the address, as for SSO login), else the settings' template
//! for the profile, its sso-session or the default (`[console]` in rolecall's
//! settings), else the system's browser.
//!
//! A template is a list of arguments, substituted without a shell: `{url}`,
//! `{browser_profile}`, `{profile}`, `{account}` and `{region}` are replaced
//! inside each argument and nothing is ever split or interpreted, so a value
//! with spaces or `&` stays one argument. Without `{url}` the address comes
//! last. `browser_profile` defaults to the account, else the profile's name.
//! Pure: [`choose`] and [`substitute`] only compute; `commands::console` spawns.

use crate::settings::{BrowserChoice, ConsoleSettings};

/// How the one-time address reaches a browser.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Launch {
    /// Run this program with these arguments.
    Command(Vec<String>),
    /// The system's browser (`open` / `xdg-open`).
    System,
    /// Print the address for the user (`--no-browser`).
    Print,
}

/// What a template's placeholders stand for (besides `{url}`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Vars {
    /// The profile.
    pub profile: String,
    /// Its account, when known.
    pub account: Option<String>,
    /// Its region, when known.
    pub region: Option<String>,
    /// Its sso-session, when it has one.
    pub sso_session: Option<String>,
}

fn fill(arg: &str, vars: &Vars, browser_profile: &str, url: &str) -> String {
    // One pass, so a value that contains `{url}` is never substituted again.
    let mut out = String::with_capacity(arg.len() + url.len());
    let mut rest = arg;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let tail = &rest[start..];
        let Some(end) = tail.find('}') else {
            out.push_str(tail);
            return out;
        };
        let value = match &tail[1..end] {
            "url" => Some(url),
            "browser_profile" => Some(browser_profile),
            "profile" => Some(vars.profile.as_str()),
            "account" => Some(vars.account.as_deref().unwrap_or_default()),
            "region" => Some(vars.region.as_deref().unwrap_or_default()),
            _ => None,
        };
        match value {
            Some(v) => out.push_str(v),
            None => out.push_str(&tail[..=end]),
        }
        rest = &tail[end + 1..];
    }
    out.push_str(rest);
    out
}

/// The effective choice for `vars.profile`: each field from the profile's
/// entry, else its sso-session's, else the default.
fn effective(settings: &ConsoleSettings, vars: &Vars) -> BrowserChoice {
    let by_profile = settings
        .profiles
        .iter()
        .find(|(n, _)| *n == vars.profile)
        .map(|(_, c)| c);
    let by_session = vars
        .sso_session
        .as_ref()
        .and_then(|s| settings.sso_sessions.iter().find(|(n, _)| n == s))
        .map(|(_, c)| c);
    let layers = [by_profile, by_session, Some(&settings.default)];
    BrowserChoice {
        browser: layers.iter().flatten().find_map(|c| c.browser.clone()),
        browser_profile: layers
            .iter()
            .flatten()
            .find_map(|c| c.browser_profile.clone()),
    }
}

/// The browser profile for `vars`: the setting (its placeholders filled),
/// else the account, else the profile's name.
pub fn browser_profile(settings: &ConsoleSettings, vars: &Vars) -> String {
    let fallback = vars.account.clone().unwrap_or_else(|| vars.profile.clone());
    match effective(settings, vars).browser_profile {
        Some(p) => fill(&p, vars, &fallback, ""),
        None => fallback,
    }
}

/// A template's arguments for `url`; the address is appended when no
/// argument names `{url}`.
pub fn substitute(
    template: &[String],
    vars: &Vars,
    browser_profile: &str,
    url: &str,
) -> Vec<String> {
    let mut args: Vec<String> = template
        .iter()
        .map(|a| fill(a, vars, browser_profile, url))
        .collect();
    if !template.iter().any(|a| a.contains("{url}")) {
        args.push(url.to_string());
    }
    args
}

/// How to open `url` for `vars`.
pub fn choose(
    no_browser: bool,
    env_browser: Option<&str>,
    settings: &ConsoleSettings,
    vars: &Vars,
    url: &str,
) -> Launch {
    if no_browser {
        return Launch::Print;
    }
    if let Some(program) = env_browser.filter(|b| !b.trim().is_empty()) {
        return Launch::Command(vec![program.to_string(), url.to_string()]);
    }
    match effective(settings, vars).browser {
        Some(template) if !template.is_empty() => Launch::Command(substitute(
            &template,
            vars,
            &browser_profile(settings, vars),
            url,
        )),
        _ => Launch::System,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    fn vars(profile: &str, session: Option<&str>) -> Vars {
        Vars {
            profile: profile.into(),
            account: Some("111122223333".into()),
            region: Some("eu-west-1".into()),
            sso_session: session.map(str::to_string),
        }
    }

    fn settings() -> ConsoleSettings {
        ConsoleSettings {
            default: BrowserChoice {
                browser: Some(strings(&["firefox", "-P", "{browser_profile}", "{url}"])),
                browser_profile: None,
            },
            profiles: vec![(
                "prod".into(),
                BrowserChoice {
                    browser: None,
                    browser_profile: Some("Prod & Ops {account}".into()),
                },
            )],
            sso_sessions: vec![(
                "corp".into(),
                BrowserChoice {
                    browser: Some(strings(&[
                        "chromium",
                        "--profile-directory={browser_profile}",
                    ])),
                    browser_profile: Some("corp-{region}".into()),
                },
            )],
        }
    }

    #[test]
    fn placeholders_fill_arguments_without_splitting_them() {
        let s = settings();
        let url = "http://127.0.0.1:5/x";
        assert_eq!(
            choose(false, None, &s, &vars("dev", None), url),
            Launch::Command(strings(&["firefox", "-P", "111122223333", url]))
        );
        assert_eq!(
            choose(false, None, &s, &vars("prod", None), url),
            Launch::Command(strings(&["firefox", "-P", "Prod & Ops 111122223333", url]))
        );
        assert_eq!(
            choose(false, None, &s, &vars("p0", Some("corp")), url),
            Launch::Command(strings(&[
                "chromium",
                "--profile-directory=corp-eu-west-1",
                url
            ])),
            "the session's template, the address appended"
        );
        let prod_in_corp = choose(false, None, &s, &vars("prod", Some("corp")), url);
        assert_eq!(
            prod_in_corp,
            Launch::Command(strings(&[
                "chromium",
                "--profile-directory=Prod & Ops 111122223333",
                url
            ])),
            "field by field: the profile's browser_profile, the session's browser"
        );
    }

    #[test]
    fn flags_and_the_environment_come_first() {
        let s = settings();
        let v = vars("dev", None);
        assert_eq!(choose(true, Some("b"), &s, &v, "u"), Launch::Print);
        assert_eq!(
            choose(false, Some("/bin/b"), &s, &v, "u"),
            Launch::Command(strings(&["/bin/b", "u"]))
        );
        assert_eq!(
            choose(false, None, &ConsoleSettings::default(), &v, "u"),
            Launch::System
        );
        let mut no_account = vars("dev", None);
        no_account.account = None;
        assert_eq!(
            browser_profile(&ConsoleSettings::default(), &no_account),
            "dev"
        );
    }

    #[test]
    fn values_are_never_substituted_twice_and_unknown_braces_stay() {
        let v = Vars {
            profile: "{url}".into(),
            ..Vars::default()
        };
        let args = substitute(
            &strings(&["{profile}", "{x}", "{url", "a{url}b"]),
            &v,
            "bp",
            "U",
        );
        assert_eq!(args, strings(&["{url}", "{x}", "{url", "aUb"]));
    }
}
