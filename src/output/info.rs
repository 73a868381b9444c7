//! `mezcheck info`: a connector described for people, or as JSON whose objects use the field
//! names of the Power Query SDK's `PQTest info` output.

use std::io::{self, Write};

use serde_json::Value;

use super::sanitize::sanitize_line;
use crate::model::products::info::ExtensionInfo;

/// How `info` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InfoFormat {
    Text,
    Json,
}

/// Renders the descriptions of several packages.
pub fn render_info(
    infos: &[ExtensionInfo],
    format: InfoFormat,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        InfoFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, infos).map_err(io::Error::other)?;
            writeln!(out)
        }
        InfoFormat::Text => {
            for (index, info) in infos.iter().enumerate() {
                if index > 0 {
                    writeln!(out)?;
                }
                render_text(info, out)?;
            }
            Ok(())
        }
    }
}

fn render_text(info: &ExtensionInfo, out: &mut dyn Write) -> io::Result<()> {
    let name = info.name.as_deref().unwrap_or("(no section)");
    let kind = match info.package_kind {
        crate::package::PackageKind::Mez => ".mez package",
        crate::package::PackageKind::Pqx => ".pqx package",
        crate::package::PackageKind::Folder => "project folder",
        crate::package::PackageKind::File => "M file",
    };
    writeln!(out, "{}  ({}, {kind})", clean(name), clean(&info.source))?;
    if let Some(status) = &info.error_status {
        writeln!(out, "  status: {}", clean(status))?;
    }
    writeln!(
        out,
        "  version: {}",
        info.version
            .as_deref()
            .map_or("none declared".into(), clean)
    )?;
    if let Some(signature) = &info.signature {
        writeln!(out, "  signature: {}", signature_line(signature))?;
    }
    for data_source in &info.data_sources {
        writeln!(
            out,
            "  data source kind `{}`",
            clean(&data_source.data_source_kind)
        )?;
        let sign_in: Vec<String> = data_source
            .authentication_infos
            .iter()
            .map(|auth| {
                let labels: Vec<String> = auth
                    .properties
                    .iter()
                    .map(|(k, v)| format!("{k} {}", short(v)))
                    .collect();
                if labels.is_empty() {
                    clean(&auth.kind)
                } else {
                    format!("{} ({})", clean(&auth.kind), labels.join(", "))
                }
            })
            .collect();
        let sign_in = match (data_source.record_resolved, sign_in.is_empty()) {
            (false, _) => "unknown (the Kind record could not be resolved statically)".to_owned(),
            (true, true) => match &data_source.authentication_computed {
                Some(reason) => format!("computed, not known statically ({})", clean(reason)),
                None => "no authentication declared".to_owned(),
            },
            (true, false) => sign_in.join("; "),
        };
        writeln!(out, "    sign-in: {sign_in}")?;
        if data_source.record_resolved {
            let test = if data_source.has_test_connection {
                "yes"
            } else {
                "no"
            };
            writeln!(out, "    TestConnection: {test}")?;
        }
        if let Some(label) = &data_source.label {
            writeln!(out, "    label: {}", short(label))?;
        }
    }
    render_members(info, out)?;
    for (publish, record) in &info.publish_records {
        let field = |name: &str| record.get(name).cloned().unwrap_or(Value::Null);
        let button = field("ButtonText")
            .get(0)
            .map(short)
            .unwrap_or_else(|| "no ButtonText".into());
        writeln!(
            out,
            "  Get Data entry `{}`: {button}, category {}, beta {}",
            clean(publish),
            short(&field("Category")),
            short(&field("Beta"))
        )?;
        if let Some(url) = record.get("LearnMoreUrl") {
            writeln!(out, "    learn more: {}", short(url))?;
        }
    }
    render_icons(info, out)?;
    for (file, count) in &info.resources {
        writeln!(out, "  strings: {} ({count})", clean(file))?;
    }
    if !info.modules.is_empty() {
        writeln!(
            out,
            "  modules: {}",
            info.modules
                .iter()
                .map(|m| clean(m))
                .collect::<Vec<_>>()
                .join(", ")
        )?;
    }
    if !info.navigation_tables.is_empty() {
        writeln!(
            out,
            "  navigation tables built in: {}",
            info.navigation_tables
                .iter()
                .map(|m| clean(m))
                .collect::<Vec<_>>()
                .join(", ")
        )?;
    }
    if !info.unresolved.is_empty() {
        writeln!(out, "  not resolved statically:")?;
        for item in &info.unresolved {
            writeln!(out, "    {}", clean(item))?;
        }
    }
    Ok(())
}

fn render_members(info: &ExtensionInfo, out: &mut dyn Write) -> io::Result<()> {
    if info.members.is_empty() {
        return writeln!(out, "  shared functions: none");
    }
    writeln!(out, "  shared functions:")?;
    for member in &info.members {
        let role = match (&member.data_source_kind, &member.publish) {
            (Some(kind), Some(publish)) => format!(
                "  [data source `{}`, published by `{}`]",
                clean(kind),
                clean(publish)
            ),
            (Some(kind), None) => format!("  [data source `{}`, not published]", clean(kind)),
            _ => String::new(),
        };
        writeln!(
            out,
            "    {} {}{role}",
            clean(&member.name),
            clean(&member.type_text)
        )?;
        if let Some(title) = member.documentation.get("Documentation.Name") {
            writeln!(out, "      title: {}", short(title))?;
        }
        if let Some(description) = member.documentation.get("Documentation.LongDescription") {
            writeln!(out, "      description: {}", short(description))?;
        }
        for param in &member.function_parameters {
            let caption = param
                .documentation
                .get("Documentation.FieldCaption")
                .map(short)
                .unwrap_or_else(|| "no caption".into());
            let required = if param.is_required {
                "required"
            } else {
                "optional"
            };
            writeln!(
                out,
                "      {} ({required} {}): {caption}",
                clean(&param.name),
                clean(&param.type_text)
            )?;
        }
    }
    Ok(())
}

fn render_icons(info: &ExtensionInfo, out: &mut dyn Write) -> io::Result<()> {
    for list in ["Icon16", "Icon32"] {
        let icons: Vec<String> = info
            .icons
            .iter()
            .filter(|icon| icon.list == list)
            .map(|icon| match (icon.width, icon.height) {
                (Some(w), Some(h)) => format!("{} {w}×{h}", clean(&icon.entry)),
                _ => format!("{} ({})", clean(&icon.entry), clean(&icon.status)),
            })
            .collect();
        if !icons.is_empty() {
            writeln!(out, "  {list}: {}", icons.join(", "))?;
        }
    }
    Ok(())
}

/// `signed by CN=… (thumbprint …), certificate valid … to …, signed …: valid`.
fn signature_line(signature: &crate::signature::summary::SignatureInfo) -> String {
    if !signature.signed {
        return "not signed".to_owned();
    }
    let verdict = match (signature.valid, signature.certificate_valid_then) {
        (false, _) => "INVALID (see `mezcheck verify`)",
        (true, Some(false)) => "valid, but the certificate was not valid then",
        (true, _) => "valid",
    };
    let unknown = || "?".to_owned();
    format!(
        "signed by {} (thumbprint {}), certificate valid {} to {}, signed {}: {verdict}",
        clean(signature.signer.as_deref().unwrap_or("an unknown signer")),
        signature.thumbprint.clone().unwrap_or_else(unknown),
        signature.not_before.clone().unwrap_or_else(unknown),
        signature.not_after.clone().unwrap_or_else(unknown),
        signature.signing_time.clone().unwrap_or_else(unknown),
    )
}

/// A JSON value on one line, texts quoted, capped for the terminal.
fn short(value: &Value) -> String {
    let text = match value {
        Value::String(text) => format!("\"{text}\""),
        Value::Null => "(computed)".to_owned(),
        Value::Bool(true) => "yes".to_owned(),
        Value::Bool(false) => "no".to_owned(),
        other => other.to_string(),
    };
    clean(&text)
}

fn clean(text: &str) -> String {
    super::sanitize::cap_chars(sanitize_line(text), 160).into_owned()
}
