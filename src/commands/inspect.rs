//! `rolecall inspect [PROFILE]`: effective properties with their file and line,
//! the chain, and findings. Secrets are masked unless `--show-secrets`.

use std::io::Write;

use serde_json::{Map, Value as Json, json};

use crate::cli::InspectArgs;
use crate::profile::{ProfileSet, Section, chain, is_secret, kind, mask};
use crate::workspace::Workspace;

use super::{diagnostic_json, place, print_diagnostics};
use crate::profile::summary::chain_summary;

fn shown(key: &str, value: &str, show_secrets: bool) -> String {
    if is_secret(key) && !show_secrets {
        mask(value)
    } else {
        value.to_string()
    }
}

fn plain_map(section: &Section, show_secrets: bool) -> Map<String, Json> {
    section
        .properties
        .iter()
        .map(|(k, v)| {
            (
                k.to_string(),
                Json::String(shown(k, &v.value, show_secrets)),
            )
        })
        .collect()
}

fn sections_json(sections: &crate::profile::SectionMap, show_secrets: bool) -> Json {
    Json::Object(
        sections
            .iter()
            .map(|(n, s)| (n.to_string(), Json::Object(plain_map(s, show_secrets))))
            .collect(),
    )
}

/// The whole model in the shape of the SDKs' test vectors, plus findings.
pub fn model_json(ws: &Workspace, set: &ProfileSet, show_secrets: bool) -> Json {
    json!({
        "profiles": sections_json(&set.profiles, show_secrets),
        "sso_sessions": sections_json(&set.sso_sessions, show_secrets),
        "services": sections_json(&set.services, show_secrets),
        "diagnostics": set.findings(crate::profile::Severity::Info).map(|d| diagnostic_json(ws, &d)).collect::<Vec<_>>(),
    })
}

/// [`model_json`] written out, byte for byte what `to_writer_pretty` gives for
/// it, but one section and one diagnostic at a time: the whole tree at a
/// million sections took several gigabytes. (serde_json's maps are sorted, so the keys go in that order.)
pub fn write_model_json<W: Write>(
    ws: &Workspace,
    set: &ProfileSet,
    show_secrets: bool,
    out: &mut W,
) -> std::io::Result<()> {
    out.write_all(b"{\n  \"diagnostics\": ")?;
    super::write_diagnostics_json(ws, set.findings(crate::profile::Severity::Info), 1, out)?;
    for (key, sections) in [
        ("profiles", &set.profiles),
        ("services", &set.services),
        ("sso_sessions", &set.sso_sessions),
    ] {
        write!(out, ",\n  \"{key}\": ")?;
        if sections.is_empty() {
            out.write_all(b"{}")?;
            continue;
        }
        out.write_all(b"{")?;
        for (i, (name, section)) in sections.iter().enumerate() {
            out.write_all(if i == 0 { b"\n    " } else { b",\n    " })?;
            serde_json::to_writer(&mut *out, &**name)?;
            out.write_all(b": ")?;
            let props = Json::Object(plain_map(section, show_secrets));
            let text = serde_json::to_vec_pretty(&props)?;
            for (j, line) in text.split(|&b| b == b'\n').enumerate() {
                if j > 0 {
                    out.write_all(b"\n    ")?;
                }
                out.write_all(line)?;
            }
        }
        out.write_all(b"\n  }")?;
    }
    out.write_all(b"\n}")
}

/// One profile in detail.
pub fn profile_json(
    ws: &Workspace,
    set: &ProfileSet,
    name: &str,
    show_secrets: bool,
) -> Option<Json> {
    let p = set.profile(name)?;
    let kind = kind::classify(p);
    let properties: Map<String, Json> = p
        .properties
        .iter()
        .map(|(k, v)| {
            (
                k.to_string(),
                json!({
                    "value": shown(k, &v.value, show_secrets),
                    "file": v.origin.file,
                    "path": ws.path(v.origin.file),
                    "line": v.origin.line,
                }),
            )
        })
        .collect();
    let (chain, chain_error) = match chain::resolve(set, name) {
        Ok(c) => (serde_json::to_value(&c).ok(), None),
        Err(e) => (None, Some(format!("{e}"))),
    };
    let sso_session = p
        .get("sso_session")
        .and_then(|s| set.sso_sessions.get(s).map(|sec| (s, sec)))
        .map(|(s, sec)| json!({"name": s, "properties": plain_map(sec, show_secrets)}));
    Some(json!({
        "name": name,
        "kind": kind.label(),
        "description": kind.describe(),
        "defined_at": p.headers.iter().map(|o| json!({"file": o.file, "path": ws.path(o.file), "line": o.line})).collect::<Vec<_>>(),
        "properties": properties,
        "chain": chain,
        "chain_error": chain_error,
        "sso_session": sso_session,
        "diagnostics": set.diagnostics_for(name).iter().map(|d| diagnostic_json(ws, d)).collect::<Vec<_>>(),
    }))
}

/// `rolecall inspect`.
pub fn run(ws: &Workspace, args: &InspectArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let set = ws.view();
    let refused = u8::from(set.refused_by_sdk());
    let Some(name) = args.profile.as_deref().or(args.profile_flag.as_deref()) else {
        // Every profile: buffered, as in `list` (stdout is line-buffered).
        let mut out = std::io::BufWriter::with_capacity(64 * 1024, out);
        if args.json {
            write_model_json(ws, &set, args.show_secrets, &mut out)?;
            writeln!(out)?;
            out.flush()?;
        } else {
            for i in set.profiles.natural_order() {
                let Some((name, _)) = set.profiles.at(i) else {
                    continue;
                };
                write_profile(ws, &set, name, args.show_secrets, &mut out)?;
                writeln!(out)?;
            }
            out.flush()?;
            print_diagnostics(ws, set.findings(crate::profile::Severity::Info));
        }
        return Ok(refused);
    };
    if set.profile(name).is_none() {
        return Err(anyhow::anyhow!(
            "there is no profile '{name}'{} in {} or {}; see `rolecall list`",
            super::did_you_mean(&set, name),
            place(ws, crate::profile::FileKind::Config, None),
            place(ws, crate::profile::FileKind::Credentials, None)
        ));
    }
    if args.json {
        let v = profile_json(ws, &set, name, args.show_secrets).unwrap_or_default();
        serde_json::to_writer_pretty(&mut *out, &v)?;
        writeln!(out)?;
    } else {
        write_profile(ws, &set, name, args.show_secrets, out)?;
        write_findings(ws, &set, name, out)?;
    }
    let chain_ok = chain::resolve(&set, name).is_ok();
    Ok(if refused == 1 || !chain_ok { 1 } else { 0 })
}

fn write_findings(
    ws: &Workspace,
    set: &ProfileSet,
    name: &str,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let found = set.diagnostics_for(name);
    if found.is_empty() {
        return writeln!(out, "  findings: none");
    }
    writeln!(out, "  findings:")?;
    for d in found {
        let at = d
            .origin
            .map(|o| format!("{}: ", place(ws, o.file, Some(o.line))))
            .unwrap_or_default();
        writeln!(
            out,
            "    {}: {at}{}\n      fix: {}",
            d.severity.as_str(),
            d.message,
            d.fix
        )?;
    }
    Ok(())
}

fn write_profile(
    ws: &Workspace,
    set: &ProfileSet,
    name: &str,
    show_secrets: bool,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let Some(p) = set.profile(name) else {
        return Ok(());
    };
    writeln!(out, "{name}: {}", kind::classify(p).describe())?;
    for o in &p.headers {
        writeln!(out, "  defined at {}", place(ws, o.file, Some(o.line)))?;
    }
    let wk = p.properties.keys().map(|k| k.len()).max().unwrap_or(0);
    let values: Vec<String> = p
        .properties
        .iter()
        .map(|(k, v)| shown(k, &v.value, show_secrets).replace('\n', "\n      "))
        .collect();
    let wv = values
        .iter()
        .map(|v| v.lines().next().unwrap_or("").chars().count())
        .max()
        .unwrap_or(0)
        .min(60);
    for ((k, v), value) in p.properties.iter().zip(&values) {
        // Padding by hand: the formatter's `{:w$}` panics from a width of 65,536.
        writeln!(
            out,
            "    {}  {}  {}",
            crate::text::pad(k, wk),
            crate::text::pad(value, wv),
            place(ws, v.origin.file, Some(v.origin.line))
        )?;
    }
    match chain::resolve(set, name) {
        Ok(c) => {
            writeln!(out, "  chain: {}", chain_summary(&c))?;
            for role in &c.roles {
                writeln!(out, "    {} assumes {}", role.profile, role.role_arn)?;
            }
        }
        Err(e) => writeln!(out, "  chain: cannot be resolved: {}", e.message())?,
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_streamed_model_is_byte_for_byte_the_tree() {
        let generated: String = (0..50)
            .map(|i| format!("[profile p{i}]\nregion = r{i}\nz = 1\na = \"q\"\n[sso-session s{i}]\nsso_region = x\n"))
            .collect();
        for ws in [
            Workspace::demo(),
            Workspace {
                config: crate::store::StoredFile::in_memory("/c".into(), &generated),
                credentials: crate::store::StoredFile::in_memory(
                    "/k".into(),
                    "[b]\naws_secret_access_key = s\n",
                ),
                demo: false,
                ..Workspace::demo()
            },
            Workspace {
                config: crate::store::StoredFile::in_memory("/c".into(), ""),
                credentials: crate::store::StoredFile::in_memory("/k".into(), ""),
                demo: false,
                ..Workspace::demo()
            },
        ] {
            let set = ws.view();
            for secrets in [false, true] {
                let tree = serde_json::to_vec_pretty(&model_json(&ws, &set, secrets)).unwrap();
                let mut streamed = Vec::new();
                write_model_json(&ws, &set, secrets, &mut streamed).unwrap();
                assert_eq!(
                    String::from_utf8(streamed).unwrap(),
                    String::from_utf8(tree).unwrap()
                );
            }
        }
    }
}
