//! rolecall's own `credential_process` line: written by `keys add` and
//! `keys migrate`, and recognised when rolecall resolves a profile, so it
//! reads the keychain itself instead of running itself again.

/// The line that makes every SDK and tool ask rolecall for `profile`'s keys.
pub fn process_line(profile: &str) -> String {
    format!("rolecall credential-process --profile {profile}")
}

/// The profile named by one of rolecall's own lines (`rolecall` or a path
/// ending in `/rolecall`, then `credential-process --profile NAME` or
/// `credential-process NAME`), else `None`.
pub fn own_profile(command: &str) -> Option<&str> {
    let mut words = command.split_whitespace();
    let program = words.next()?.trim_matches(['"', '\'']);
    let name = program.rsplit(['/', '\\']).next()?;
    if name != "rolecall" && name != "rolecall.exe" {
        return None;
    }
    if words.next()? != "credential-process" {
        return None;
    }
    let rest: Vec<&str> = words.collect();
    match rest.as_slice() {
        ["--profile", p] => Some(p),
        [p] if !p.starts_with('-') => Some(p),
        [flag] => flag.strip_prefix("--profile="),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_its_own_lines_only() {
        assert_eq!(own_profile(&process_line("dev")), Some("dev"));
        assert_eq!(
            own_profile("/usr/local/bin/rolecall credential-process prod"),
            Some("prod")
        );
        assert_eq!(
            own_profile("rolecall credential-process --profile=a"),
            Some("a")
        );
        assert_eq!(
            own_profile("rolecall credential-process --profile a --refresh"),
            None
        );
        assert_eq!(own_profile("aws-vault export --format=json dev"), None);
        assert_eq!(own_profile("notrolecall credential-process dev"), None);
        assert_eq!(own_profile("rolecall exec dev"), None);
    }
}
