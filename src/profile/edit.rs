//! Editing profiles and sso-sessions across both files, through the lossless layer.
//!
//! This is where the merge rules decide *which* line to touch: a key is changed
//! where its effective value is defined (the last definition, the credentials file
//! over the config file); a new key goes into the last section that the SDKs merge
//! into the profile; a new section is written the way both SDK families read it
//! (`[default]`, never `[profile default]`, for a new default). Section-level
//! operations (rename, copy, remove) act on every section of the profile, so no
//! stray duplicate is left behind to become effective.

use crate::ini::edit::{self as ini_edit, EditError, check_property, is_identifier};
use crate::ini::{Document, WHITESPACE};

use super::normalize::{Header, SectionClass, classify_section, normalize};
use super::{CREDENTIALS_FILE_KEYS, FileKind, Origin};

/// The two documents being edited (an absent file is an empty document).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Files {
    /// The config file.
    pub config: Document,
    /// The credentials file.
    pub credentials: Document,
}

impl Files {
    /// The document for `file`.
    pub fn get(&self, file: FileKind) -> &Document {
        match file {
            FileKind::Config => &self.config,
            FileKind::Credentials => &self.credentials,
        }
    }

    fn get_mut(&mut self, file: FileKind) -> &mut Document {
        match file {
            FileKind::Config => &mut self.config,
            FileKind::Credentials => &mut self.credentials,
        }
    }

    /// The merged view of both documents.
    pub fn profile_set(&self) -> super::ProfileSet {
        normalize(Some(&self.config), Some(&self.credentials))
    }
}

/// What an edit is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target<'a> {
    /// A profile.
    Profile(&'a str),
    /// An `[sso-session NAME]` section.
    SsoSession(&'a str),
}

impl Target<'_> {
    fn describe(&self) -> String {
        match self {
            Target::Profile(n) => format!("profile '{n}'"),
            Target::SsoSession(n) => format!("sso-session '{n}'"),
        }
    }
}

/// Why a profile edit was refused. Nothing was changed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProfileEditError {
    /// A key or value the files cannot hold safely.
    #[error(transparent)]
    Invalid(#[from] EditError),
    /// No such profile or session.
    #[error("there is no {0}; see `rolecall list`, or create it with `rolecall profile add`")]
    NotFound(String),
    /// The new name is taken.
    #[error("{0} already exists; pick another name or remove it first")]
    Exists(String),
    /// The key is not set.
    #[error("{target} has no '{key}' to unset")]
    NotSet {
        /// The profile or session.
        target: String,
        /// The key.
        key: String,
    },
    /// An sso-session lives in the config file only.
    #[error("sso-sessions live in the config file only")]
    SessionInCredentials,
    /// Other profiles depend on this one.
    #[error("profiles {0} use it as source_profile; update them first, or pass --force")]
    HasDependents(String),
    /// botocore reads a `[DEFAULT]` section as values for every profile.
    #[error(
        "a profile named 'DEFAULT' cannot go in the credentials file: botocore (the AWS CLI, boto3) reads a [DEFAULT] section there as values for every other profile; pick another name"
    )]
    DefaultInCredentials,
}

/// Refuses `DEFAULT` as the name of a new credentials-file section: Python's
/// configparser, under botocore, merges a `[DEFAULT]` section into every section
/// and hides it, while the other SDKs read it as an ordinary profile.
fn check_credentials_name(name: &str) -> Result<(), ProfileEditError> {
    if name == "DEFAULT" {
        Err(ProfileEditError::DefaultInCredentials)
    } else {
        Ok(())
    }
}

/// Indexes of the sections of `doc` that make up `target`. With `effective_only`, a
/// `[default]` hidden by `[profile default]` is left out.
pub fn sections_of(
    doc: &Document,
    file: FileKind,
    target: Target,
    effective_only: bool,
) -> Vec<usize> {
    // Headers are classified in place (borrowed, nothing copied): a `set`
    // looks a profile up several times in files of thousands of sections.
    fn header(file: FileKind, s: &crate::ini::syntax::Section) -> Option<Header<'_>> {
        (!s.broken).then(|| super::normalize::classify_header(file, &s.name))
    }
    // Only `[default]` can be hidden, by `[profile default]`.
    let hidden_default = effective_only
        && target == Target::Profile("default")
        && doc.sections().iter().any(|s| {
            matches!(
                header(file, s),
                Some(Header::Profile {
                    prefixed_default: true,
                    ..
                })
            )
        });
    doc.sections()
        .iter()
        .enumerate()
        .filter(|(_, s)| match (header(file, s), target) {
            (
                Some(Header::Profile {
                    name,
                    prefixed_default,
                }),
                Target::Profile(t),
            ) => name == t && (prefixed_default || !hidden_default),
            (Some(Header::SsoSession(name)), Target::SsoSession(t)) => name == t,
            _ => false,
        })
        .map(|(i, _)| i)
        .collect()
}

/// The header text (between brackets) for a new section of `target` in `file`.
fn header(file: FileKind, target: Target) -> String {
    match (file, target) {
        (FileKind::Config, Target::Profile("default")) => "default".to_string(),
        (FileKind::Config, Target::Profile(n)) => format!("profile {n}"),
        (FileKind::Credentials, Target::Profile(n)) => n.to_string(),
        (_, Target::SsoSession(n)) => format!("sso-session {n}"),
    }
}

/// The last definition of `key` among `sections` of `doc`: (section, property).
fn last_definition(doc: &Document, sections: &[usize], key: &str) -> Option<(usize, usize)> {
    sections.iter().rev().find_map(|&si| {
        doc.sections()[si]
            .properties
            .iter()
            .rposition(|p| &*p.key == key)
            .map(|pi| (si, pi))
    })
}

/// Whether either file defines `target`, as the merged view would find it
/// (read from the sections' headers, without merging both files).
fn exists(files: &Files, target: Target) -> bool {
    [FileKind::Config, FileKind::Credentials]
        .into_iter()
        .any(|f| !sections_of(files.get(f), f, target, false).is_empty())
}

/// What a `set` did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetOutcome {
    /// The file that was changed.
    pub file: FileKind,
    /// Where a definition that still wins over the new one is (another file).
    pub shadowed_by: Option<Origin>,
}

/// Sets `key = value` for `target`. The file is `file` when given, else the one that
/// already holds the key, else the credentials file for keys and the config file
/// for everything else.
pub fn set(
    files: &mut Files,
    target: Target,
    key: &str,
    value: &str,
    file: Option<FileKind>,
) -> Result<SetOutcome, ProfileEditError> {
    let key = check_property(key, value)?;
    if matches!(target, Target::SsoSession(_)) && file == Some(FileKind::Credentials) {
        return Err(ProfileEditError::SessionInCredentials);
    }
    // Each file's sections of the target, found once (a lookup classifies
    // every header of the file).
    // (`found[slot(f)]`: the config file's, then the credentials file's.)
    let slot = |f: FileKind| usize::from(f == FileKind::Credentials);
    let mut found = [FileKind::Config, FileKind::Credentials]
        .map(|f| sections_of(files.get(f), f, target, true));
    if let Target::Profile(name) = target
        && found.iter().all(Vec::is_empty)
    {
        return Err(ProfileEditError::NotFound(format!("profile '{name}'")));
    }
    let holds = |f: FileKind| last_definition(files.get(f), &found[slot(f)], &key);
    let file = file.unwrap_or_else(|| match target {
        Target::SsoSession(_) => FileKind::Config,
        Target::Profile(_) => {
            if holds(FileKind::Credentials).is_some() {
                FileKind::Credentials
            } else if holds(FileKind::Config).is_some() {
                FileKind::Config
            } else if CREDENTIALS_FILE_KEYS.contains(&key.as_str()) {
                FileKind::Credentials
            } else {
                FileKind::Config
            }
        }
    });
    let doc = files.get(file);
    let sections = &found[slot(file)];
    let new_doc = if let Some((si, pi)) = last_definition(doc, sections, &key) {
        ini_edit::replace_property(doc, si, pi, value)?
    } else if let Some(&si) = sections.last() {
        ini_edit::insert_property(doc, si, &key, value)?
    } else {
        if let (FileKind::Credentials, Target::Profile(name)) = (file, target) {
            check_credentials_name(name)?;
        }
        let body = ini_edit::property_lines(doc, &[(key.clone(), value.to_string())]);
        ini_edit::append_section(doc, &header(file, target), &body)
    };
    found[slot(file)] = sections_of(&new_doc, file, target, true);
    *files.get_mut(file) = new_doc;
    // The definition the SDKs use now: the last one in the credentials file,
    // else the last one in the config file (as the merged view has it).
    let shadowed_by = [FileKind::Credentials, FileKind::Config]
        .into_iter()
        .find_map(|f| {
            let doc = files.get(f);
            let (si, pi) = last_definition(doc, &found[slot(f)], &key)?;
            Some(Origin {
                file: f,
                line: doc.sections()[si].properties[pi].line() + 1,
            })
        })
        .filter(|o| o.file != file);
    Ok(SetOutcome { file, shadowed_by })
}

/// Removes every definition of `key` for `target` from `file`, or from both files.
/// Returns how many definitions were removed.
pub fn unset(
    files: &mut Files,
    target: Target,
    key: &str,
    file: Option<FileKind>,
) -> Result<usize, ProfileEditError> {
    let key = key.to_ascii_lowercase();
    let kinds = match file {
        Some(f) => vec![f],
        None => vec![FileKind::Config, FileKind::Credentials],
    };
    let mut removed = 0;
    for f in kinds {
        loop {
            let doc = files.get(f);
            let sections = sections_of(doc, f, target, false);
            let Some((si, pi)) = last_definition(doc, &sections, &key) else {
                break;
            };
            *files.get_mut(f) = ini_edit::remove_property(doc, si, pi);
            removed += 1;
        }
    }
    if removed == 0 {
        return Err(ProfileEditError::NotSet {
            target: target.describe(),
            key,
        });
    }
    Ok(removed)
}

fn check_name(name: &str) -> Result<(), ProfileEditError> {
    if is_identifier(name) {
        Ok(())
    } else {
        Err(EditError::InvalidName(name.to_string()).into())
    }
}

/// Creates a profile. Keys go to the credentials file, everything else to the
/// config file; with no properties an empty section is added to the config file.
pub fn add_profile(
    files: &mut Files,
    name: &str,
    properties: &[(String, String)],
) -> Result<(), ProfileEditError> {
    check_name(name)?;
    let target = Target::Profile(name);
    if exists(files, target) {
        return Err(ProfileEditError::Exists(target.describe()));
    }
    let mut config = Vec::new();
    let mut credentials = Vec::new();
    for (k, v) in properties {
        let k = check_property(k, v)?;
        // A key given twice is written once, with its last value: botocore refuses a
        // file that repeats a key.
        config.retain(|(c, _): &(String, String)| *c != k);
        credentials.retain(|(c, _): &(String, String)| *c != k);
        if CREDENTIALS_FILE_KEYS.contains(&k.as_str()) {
            credentials.push((k, v.clone()));
        } else {
            config.push((k, v.clone()));
        }
    }
    if !credentials.is_empty() {
        check_credentials_name(name)?;
    }
    for (file, props) in [
        (FileKind::Config, config),
        (FileKind::Credentials, credentials),
    ] {
        if props.is_empty() && !(file == FileKind::Config && properties.is_empty()) {
            continue;
        }
        let doc = files.get(file);
        let body = ini_edit::property_lines(doc, &props);
        *files.get_mut(file) = ini_edit::append_section(doc, &header(file, target), &body);
    }
    Ok(())
}

/// Creates many profiles in the config file at once (one parse for all, so
/// thousands of generated profiles take no longer than one): every name is
/// checked and none may exist already. For config-file keys only.
pub fn add_config_profiles(
    files: &mut Files,
    profiles: &[(&str, &[(String, String)])],
) -> Result<(), ProfileEditError> {
    if profiles.is_empty() {
        return Ok(());
    }
    let set = files.profile_set();
    let mut seen = std::collections::HashSet::new();
    let mut sections = Vec::with_capacity(profiles.len());
    for &(name, props) in profiles {
        check_name(name)?;
        let target = Target::Profile(name);
        if set.profiles.contains_key(name) || !seen.insert(name) {
            return Err(ProfileEditError::Exists(target.describe()));
        }
        let mut checked = Vec::with_capacity(props.len());
        for (k, v) in props {
            checked.push((check_property(k, v)?, v.clone()));
        }
        sections.push((
            header(FileKind::Config, target),
            ini_edit::property_lines(&files.config, &checked),
        ));
    }
    files.config = ini_edit::append_sections(&files.config, &sections);
    Ok(())
}

/// Sets many keys in many profiles' sections of the config file at once, each
/// exactly as [`set`] would edit it, with one parse at the end instead of one
/// per key (a re-run of `sso setup` may update thousands). Each profile's last
/// section in the config file is edited on its own, then the file is rebuilt.
/// Every profile must have a section there; `default` goes through [`set`].
pub fn set_many(
    files: &mut Files,
    updates: &[(String, String, String)],
) -> Result<(), ProfileEditError> {
    let (defaults, updates): (Vec<_>, Vec<_>) =
        updates.iter().partition(|(p, _, _)| p == "default");
    for (p, k, v) in defaults {
        set(files, Target::Profile(p), k, v, Some(FileKind::Config))?;
    }
    let doc = &files.config;
    let mut sections: std::collections::HashMap<String, Vec<usize>> = Default::default();
    for (i, s) in doc.sections().iter().enumerate().filter(|(_, s)| !s.broken) {
        if let SectionClass::Profile { name, .. } = classify_section(FileKind::Config, &s.name) {
            sections.entry(name).or_default().push(i);
        }
    }
    let mut by_section: std::collections::BTreeMap<usize, Vec<(&str, &str)>> = Default::default();
    for &(p, k, v) in &updates {
        let Some(own) = sections.get(p.as_str()) else {
            return Err(ProfileEditError::NotFound(format!("profile '{p}'")));
        };
        // As `set`: the section holding the key's last definition, else the last one.
        let key = k.to_ascii_lowercase();
        let si = last_definition(doc, own, &key).map_or(own[own.len() - 1], |(si, _)| si);
        by_section
            .entry(si)
            .or_default()
            .push((k.as_str(), v.as_str()));
    }
    let text = doc.text();
    let mut out = String::with_capacity(text.len() + updates.len() * 16);
    let mut copied = 0;
    for (si, edits) in by_section {
        let section = &doc.sections()[si];
        let start = doc.lines()[section.header()].start();
        let end = doc.lines()[section.end() - 1].end();
        let mut part = Document::parse(&text[start..end]);
        for (key, value) in edits {
            let key = check_property(key, value)?;
            let found = part.sections()[0]
                .properties
                .iter()
                .rposition(|p| *p.key == *key);
            part = match found {
                Some(pi) => ini_edit::replace_property(&part, 0, pi, value)?,
                None => ini_edit::insert_property(&part, 0, &key, value)?,
            };
        }
        out.push_str(&text[copied..start]);
        out.push_str(part.text());
        copied = end;
    }
    out.push_str(&text[copied..]);
    files.config = Document::parse(out);
    Ok(())
}

/// Profiles whose `source_profile` is `name`.
pub fn dependents(files: &Files, name: &str) -> Vec<String> {
    files
        .profile_set()
        .profiles
        .iter()
        .filter(|(n, p)| n.as_str() != name && p.get("source_profile") == Some(name))
        .map(|(n, _)| n.to_string())
        .collect()
}

/// Checks that profile `from` exists and `to` is a free, valid name (also for
/// the credentials file when `from` has a section there; `effective_only` as in
/// [`sections_of`]).
fn check_new_name(
    files: &Files,
    from: &str,
    to: &str,
    effective_only: bool,
) -> Result<(), ProfileEditError> {
    check_name(to)?;
    if !exists(files, Target::Profile(from)) {
        return Err(ProfileEditError::NotFound(format!("profile '{from}'")));
    }
    if exists(files, Target::Profile(to)) {
        return Err(ProfileEditError::Exists(format!("profile '{to}'")));
    }
    let in_credentials = sections_of(
        &files.credentials,
        FileKind::Credentials,
        Target::Profile(from),
        effective_only,
    );
    if !in_credentials.is_empty() {
        check_credentials_name(to)?;
    }
    Ok(())
}

/// Renames a profile in both files. With `update_references`, other profiles'
/// `source_profile` follow; returns the profiles that point at the old name.
pub fn rename_profile(
    files: &mut Files,
    old: &str,
    new: &str,
    update_references: bool,
) -> Result<Vec<String>, ProfileEditError> {
    check_new_name(files, old, new, false)?;
    let deps = dependents(files, old);
    for file in [FileKind::Config, FileKind::Credentials] {
        let header = header(file, Target::Profile(new));
        loop {
            let doc = files.get(file);
            let Some(&si) = sections_of(doc, file, Target::Profile(old), false).first() else {
                break;
            };
            *files.get_mut(file) = ini_edit::rename_section(doc, si, &header);
        }
    }
    if update_references {
        for dep in &deps {
            for file in [FileKind::Config, FileKind::Credentials] {
                loop {
                    let doc = files.get(file);
                    let sections = sections_of(doc, file, Target::Profile(dep), false);
                    let found = sections.iter().find_map(|&si| {
                        doc.sections()[si]
                            .properties
                            .iter()
                            .position(|p| &*p.key == "source_profile" && p.value(doc) == old)
                            .map(|pi| (si, pi))
                    });
                    let Some((si, pi)) = found else { break };
                    *files.get_mut(file) = ini_edit::replace_property(doc, si, pi, new)?;
                }
            }
        }
    }
    Ok(deps)
}

/// Copies a profile under a new name, in each file that defines it. A single
/// section is copied line for line (comments included); merged duplicates are
/// written out as their effective properties.
pub fn copy_profile(files: &mut Files, from: &str, to: &str) -> Result<(), ProfileEditError> {
    check_new_name(files, from, to, true)?;
    for file in [FileKind::Config, FileKind::Credentials] {
        let doc = files.get(file);
        let sections = sections_of(doc, file, Target::Profile(from), true);
        if sections.is_empty() {
            continue;
        }
        let body = copied_body(doc, &sections);
        *files.get_mut(file) =
            ini_edit::append_section(doc, &header(file, Target::Profile(to)), &body);
    }
    Ok(())
}

/// The lines a copy of `sections` gets: each key's winning definition with its
/// indented lines, an inline comment moved to its own line above (so the copy
/// reads the same in every SDK family). A single section also keeps its comments
/// and blank lines in place; lines the SDKs refuse are not copied.
fn copied_body(doc: &Document, sections: &[usize]) -> Vec<String> {
    let winners: Vec<(usize, usize)> = {
        let mut last: Vec<(usize, usize)> = Vec::new();
        for &si in sections {
            for (pi, p) in doc.sections()[si].properties.iter().enumerate() {
                last.retain(|&(s2, p2)| doc.sections()[s2].properties[p2].key != p.key);
                last.push((si, pi));
            }
        }
        last.sort();
        last
    };
    let mut out = Vec::new();
    if let [si] = sections {
        let s = &doc.sections()[*si];
        let (start, end) = ini_edit::section_span(doc, s);
        let mut i = start + 1;
        while i < end {
            if let Some((pi, p)) = s.properties.iter().enumerate().find(|(_, p)| p.line() == i) {
                if winners.contains(&(*si, pi)) {
                    out.extend(property_block(doc, p));
                }
                i = p.end();
                continue;
            }
            if !doc.errors().iter().any(|e| e.line == i) {
                out.push(doc.line(i).to_string());
            }
            i += 1;
        }
    } else {
        for (si, pi) in winners {
            out.extend(property_block(doc, &doc.sections()[si].properties[pi]));
        }
    }
    while out
        .last()
        .is_some_and(|l| l.trim_matches(WHITESPACE).is_empty())
    {
        out.pop();
    }
    out
}

/// A property's lines, with an inline comment moved to a line of its own above.
fn property_block(doc: &Document, p: &crate::ini::Property) -> Vec<String> {
    let mut out = Vec::new();
    let first = doc.line(p.line());
    match &p.inline_comment() {
        Some(c) => {
            let line_start = doc.lines()[p.line()].start();
            out.push(doc.text()[c.clone()].to_string());
            out.push(first[..c.start - line_start].trim_end().to_string());
        }
        None => out.push(first.to_string()),
    }
    out.extend((p.line() + 1..p.end()).map(|i| doc.line(i).to_string()));
    out
}

/// Removes every section of a profile from both files. Refuses when other profiles
/// depend on it, unless `force`.
pub fn remove_profile(files: &mut Files, name: &str, force: bool) -> Result<(), ProfileEditError> {
    if !exists(files, Target::Profile(name)) {
        return Err(ProfileEditError::NotFound(format!("profile '{name}'")));
    }
    let deps = dependents(files, name);
    if !deps.is_empty() && !force {
        return Err(ProfileEditError::HasDependents(deps.join(", ")));
    }
    for file in [FileKind::Config, FileKind::Credentials] {
        loop {
            let doc = files.get(file);
            let Some(&si) = sections_of(doc, file, Target::Profile(name), false).first() else {
                break;
            };
            *files.get_mut(file) = ini_edit::remove_section(doc, si);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(config: &str, credentials: &str) -> Files {
        Files {
            config: Document::parse(config),
            credentials: Document::parse(credentials),
        }
    }

    #[test]
    fn set_many_edits_like_set_one_at_a_time() {
        let config = "# top\n[profile a]\nregion = x # old\ns3 =\n  k = 1\n\n[profile b]\r\noutput = json\r\n[profile a]\nsso_role_name = R\n[default]\nregion = d\n[profile c]\nregion = z";
        let updates: Vec<(String, String, String)> = [
            ("a", "region", "eu-west-1"),
            ("a", "output", "text"),
            ("b", "output", "yaml"),
            ("c", "region", "us-east-2"),
            ("c", "output", "json"),
            ("default", "output", "table"),
        ]
        .iter()
        .map(|(p, k, v)| (p.to_string(), k.to_string(), v.to_string()))
        .collect();
        let mut one_by_one = files(config, "");
        for (p, k, v) in &updates {
            set(
                &mut one_by_one,
                Target::Profile(p),
                k,
                v,
                Some(FileKind::Config),
            )
            .unwrap();
        }
        let mut at_once = files(config, "");
        set_many(&mut at_once, &updates).unwrap();
        assert_eq!(at_once.config.text(), one_by_one.config.text());
        assert!(matches!(
            set_many(&mut at_once, &[("zz".into(), "region".into(), "x".into())]),
            Err(ProfileEditError::NotFound(_))
        ));
    }

    #[test]
    fn add_writes_a_repeated_key_once_with_its_last_value() {
        let mut f = files("", "");
        let props = [
            ("region", "a"),
            ("Region", "b"),
            ("aws_access_key_id", "K1"),
        ]
        .map(|(k, v)| (k.to_string(), v.to_string()));
        let props = [&props[..], &props[2..]].concat();
        add_profile(&mut f, "p", &props).unwrap();
        assert_eq!(f.config.text(), "[profile p]\nregion = b\n");
        assert_eq!(f.credentials.text(), "[p]\naws_access_key_id = K1\n");
    }

    #[test]
    fn never_writes_a_default_section_into_the_credentials_file() {
        let key = |k: &str| vec![(k.to_string(), "v".to_string())];
        let start = files(
            "[profile DEFAULT]\nregion = r\n",
            "[keys]\naws_access_key_id = K\n",
        );
        let refused = |f: &mut Files| -> Vec<Result<(), ProfileEditError>> {
            vec![
                add_profile(f, "DEFAULT", &key("aws_access_key_id")),
                set(
                    f,
                    Target::Profile("DEFAULT"),
                    "aws_access_key_id",
                    "K",
                    None,
                )
                .map(drop),
                rename_profile(f, "keys", "DEFAULT", false).map(drop),
                copy_profile(f, "keys", "DEFAULT"),
            ]
        };
        let mut f = files("", "[keys]\naws_access_key_id = K\n");
        let results = refused(&mut f);
        assert_eq!(results[0], Err(ProfileEditError::DefaultInCredentials));
        assert_eq!(results[2], Err(ProfileEditError::DefaultInCredentials));
        assert_eq!(results[3], Err(ProfileEditError::DefaultInCredentials));
        let mut f = start.clone();
        assert_eq!(
            refused(&mut f)[1],
            Err(ProfileEditError::DefaultInCredentials)
        );
        assert_eq!(f, start);
        // In the config file it is [profile DEFAULT], which every SDK reads alike.
        let mut f = files("", "");
        add_profile(&mut f, "DEFAULT", &key("region")).unwrap();
        assert_eq!(f.config.text(), "[profile DEFAULT]\nregion = v\n");
        assert_eq!(f.credentials.text(), "");
    }

    #[test]
    fn copy_keeps_comments_sub_properties_and_writes_only_portable_lines() {
        let mut files = Files {
            config: Document::parse(
                "[profile a]\n# about a\nregion = x # note\nregion = y\ns3 =\n  style = path\n\n[profile b]\n",
            ),
            credentials: Document::parse(""),
        };
        copy_profile(&mut files, "a", "c").unwrap();
        assert!(
            files
                .config
                .text()
                .ends_with("[profile c]\n# about a\nregion = y\ns3 =\n  style = path\n"),
            "{}",
            files.config.text()
        );

        let mut files = Files {
            config: Document::parse(
                "[profile a]\nregion = x # note\n[profile a]\ns3 =\n  style = path\n",
            ),
            credentials: Document::parse(""),
        };
        copy_profile(&mut files, "a", "c").unwrap();
        assert!(
            files
                .config
                .text()
                .ends_with("[profile c]\n# note\nregion = x\ns3 =\n  style = path\n"),
            "{}",
            files.config.text()
        );
        let set = files.profile_set();
        assert_eq!(set.profiles["c"].properties.len(), 2);
        assert_eq!(set.profiles["c"].get("s3"), Some("\nstyle = path"));
    }
}
