//! A readable, deterministic dump of the connector model, for snapshot tests and debugging:
//! what each data source declares, how names resolved, and what stayed computed.

use std::fmt::Write;

use crate::model::connector::{Connector, field};
use crate::model::eval::resolve::Resolved;
use crate::source::Span;

/// Dumps the connector model as indented text.
pub fn dump(connector: &Connector<'_>) -> String {
    let mut out = String::new();
    let model = connector.model;
    let at = |file, span: Span| {
        let source = model.sources.get(file);
        let position = source.line_col(span.start);
        format!("{}:{}:{}", source.name, position.line, position.column)
    };
    match &connector.section {
        Some(section) => {
            let version = section
                .document
                .attributes
                .as_ref()
                .and_then(|a| a.fields.iter().find(|f| f.name.name == "Version"))
                .map(|f| describe(&connector.resolver.resolve(&f.value, &section.env)))
                .unwrap_or_else(|| "none".to_owned());
            let _ = writeln!(
                out,
                "section {} version={version}",
                section.document.name.name
            );
            for member in &section.document.members {
                let shared = if member.shared.is_some() {
                    "shared "
                } else {
                    ""
                };
                let _ = writeln!(
                    out,
                    "  member {shared}{} @{}",
                    member.name.name,
                    at(section.file, member.name.span)
                );
            }
        }
        None => out.push_str("no section\n"),
    }
    for data_source in connector.data_sources() {
        let publish = data_source
            .publish
            .as_ref()
            .map_or("none", |(p, _)| p.as_str());
        let _ = writeln!(
            out,
            "data source {} kind={} publish={publish}",
            data_source.name(),
            data_source.kind
        );
        match &data_source.shape {
            Ok(shape) => {
                let _ = writeln!(
                    out,
                    "  shape {} ascribed={} documented={}",
                    shape.signature(),
                    shape.ascribed,
                    shape.metadata.is_some()
                );
                for param in &shape.params {
                    let caption = param
                        .metadata_field("Documentation.FieldCaption")
                        .map(|(f, env)| describe(&connector.resolver.resolve(&f.value, &env)))
                        .unwrap_or_else(|| "none".to_owned());
                    let _ = writeln!(out, "  param {} caption={caption}", param.name);
                }
            }
            Err(computed) => {
                let _ = writeln!(out, "  shape computed: {}", computed.reason);
            }
        }
    }
    for kind in connector.kinds() {
        let fields = kind.fields.as_ref().map(|(fields, _)| {
            fields
                .iter()
                .map(|f| f.name.name.to_string())
                .collect::<Vec<_>>()
                .join(",")
        });
        let _ = writeln!(
            out,
            "kind {} record={}",
            kind.name,
            fields.as_deref().unwrap_or("computed")
        );
        for auth in &kind.authentication {
            let fields = auth.fields.as_ref().map(|(fields, _)| {
                fields
                    .iter()
                    .map(|f| f.name.name.to_string())
                    .collect::<Vec<_>>()
                    .join(",")
            });
            let _ = writeln!(
                out,
                "  auth {} fields={}",
                auth.kind(),
                fields.as_deref().unwrap_or("computed")
            );
        }
    }
    for publish in connector.publishes() {
        let _ = write!(out, "publish {}", publish.name);
        match &publish.fields {
            Some((fields, env)) => {
                for name in ["ButtonText", "Category", "Beta"] {
                    if let Some(f) = field(fields, name) {
                        let value = match connector.resolver.resolve(&f.value, env) {
                            Resolved::List(items, env) => {
                                let items: Vec<String> = items
                                    .iter()
                                    .map(|i| describe(&connector.resolver.resolve(i, &env)))
                                    .collect();
                                format!("[{}]", items.join(", "))
                            }
                            other => describe(&other),
                        };
                        let _ = write!(out, " {name}={value}");
                    }
                }
                out.push('\n');
            }
            None => out.push_str(" computed\n"),
        }
    }
    for icon in connector.icons() {
        let size = match &icon.size {
            Some(Ok(size)) => format!("{}x{}", size.width, size.height),
            Some(Err(problem)) => format!("bad ({problem})"),
            None => "missing".to_owned(),
        };
        let _ = writeln!(
            out,
            "icon {}[{}] {} {size}",
            icon.list, icon.position, icon.entry
        );
    }
    for reference in connector.contents() {
        let target = reference
            .target
            .as_ref()
            .map_or_else(|c| format!("computed ({})", c.reason), |t| format!("`{t}`"));
        let via = if reference.via.is_some() {
            " via helper"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "contents {target} @{}{via}",
            at(reference.file, reference.span)
        );
    }
    for reference in connector.strings() {
        let key = reference
            .key
            .as_ref()
            .map_or_else(|c| format!("computed ({})", c.reason), |k| format!("`{k}`"));
        let _ = writeln!(out, "string {key} @{}", at(reference.file, reference.span));
    }
    for load in connector.module_loads() {
        let target = load
            .target
            .as_ref()
            .map_or_else(|c| format!("computed ({})", c.reason), |t| format!("`{t}`"));
        let _ = writeln!(
            out,
            "module {target} environment={} @{}",
            load.has_environment,
            at(load.file, load.span)
        );
    }
    let mut library: Vec<&str> = connector
        .calls()
        .iter()
        .filter(|c| c.callee.is_external())
        .map(|c| c.name)
        .collect();
    library.sort_unstable();
    library.dedup();
    let _ = writeln!(out, "library calls: {}", library.join(", "));
    out
}

fn describe(value: &Resolved<'_>) -> String {
    match value {
        Resolved::Text(text) => format!("{text:?}"),
        Resolved::Number(n) => n.to_string(),
        Resolved::Logical(b) => b.to_string(),
        Resolved::Null => "null".to_owned(),
        Resolved::Computed(computed) => format!("computed ({})", computed.reason),
        other => other.describe().to_owned(),
    }
}
