//! `[Content_Types].xml` of a `.pqx` (OPC): the `Default` (by extension) and `Override` (by part
//! name) mappings, their structural problems, and the lookup every part must pass.

use super::xml::{XmlProblem, parse_xml};
use crate::source::Span;

/// The content types of the OPC digital-signature parts.
pub const SIGNATURE_CONTENT_TYPE: &str =
    "application/vnd.openxmlformats-package.digital-signature-xmlsignature+xml";
pub const ORIGIN_CONTENT_TYPE: &str =
    "application/vnd.openxmlformats-package.digital-signature-origin";
pub const RELATIONSHIPS_CONTENT_TYPE: &str =
    "application/vnd.openxmlformats-package.relationships+xml";
/// The content-types part's entry name.
pub const CONTENT_TYPES_ENTRY: &str = "[Content_Types].xml";
/// The OPC content-types namespace.
pub const CONTENT_TYPES_NAMESPACE: &str =
    "http://schemas.openxmlformats.org/package/2006/content-types";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mapping {
    /// The extension (no dot) of a `Default`, or the part name of an `Override`.
    pub key: String,
    pub content_type: String,
    pub span: Span,
}

#[derive(Clone, Debug, Default)]
pub struct ContentTypes {
    pub defaults: Vec<Mapping>,
    pub overrides: Vec<Mapping>,
    /// Well-formedness and structure problems, in document order.
    pub problems: Vec<XmlProblem>,
}

impl ContentTypes {
    /// The content type of a part (`/Name.pq`): an `Override` wins, else the `Default` for its
    /// extension; both compared ASCII case-insensitively.
    pub fn lookup(&self, part_name: &str) -> Option<&str> {
        if let Some(o) = self
            .overrides
            .iter()
            .find(|o| o.key.eq_ignore_ascii_case(part_name))
        {
            return Some(&o.content_type);
        }
        let base = part_name.rsplit('/').next().unwrap_or(part_name);
        let ext = base.rsplit_once('.').map(|(_, e)| e)?;
        self.defaults
            .iter()
            .find(|d| d.key.eq_ignore_ascii_case(ext))
            .map(|d| d.content_type.as_str())
    }
}

/// Parses `[Content_Types].xml`. Never fails.
pub fn parse_content_types(text: &str) -> ContentTypes {
    let document = parse_xml(text);
    let mut types = ContentTypes {
        problems: document.problems,
        ..ContentTypes::default()
    };
    let Some(root) = document.root else {
        if types.problems.is_empty() {
            types.problems.push(XmlProblem {
                span: Span::empty(0),
                message: "no root element".into(),
            });
        }
        return types;
    };
    if root.name != "Types" || root.namespace.as_deref() != Some(CONTENT_TYPES_NAMESPACE) {
        types.problems.push(XmlProblem {
            span: root.span,
            message: format!(
                "root element is `{}`{}, not `Types` in the OPC content-types namespace",
                root.name,
                root.namespace
                    .as_deref()
                    .map(|n| format!(" in `{n}`"))
                    .unwrap_or_default()
            ),
        });
    }
    for child in &root.children {
        let (key_attribute, list) = match child.name.as_str() {
            "Default" => ("Extension", &mut types.defaults),
            "Override" => ("PartName", &mut types.overrides),
            _ => continue,
        };
        match (
            child.attribute(key_attribute),
            child.attribute("ContentType"),
        ) {
            (Some(key), Some(content_type)) if !key.is_empty() && !content_type.is_empty() => {
                if list.iter().any(|m| m.key.eq_ignore_ascii_case(key)) {
                    types.problems.push(XmlProblem {
                        span: child.span,
                        message: format!("duplicate `{}` for `{key}`", child.name),
                    });
                }
                list.push(Mapping {
                    key: key.to_owned(),
                    content_type: content_type.to_owned(),
                    span: child.span,
                });
            }
            _ => types.problems.push(XmlProblem {
                span: child.span,
                message: format!(
                    "`{}` without `{key_attribute}` and `ContentType`",
                    child.name
                ),
            }),
        }
    }
    types
}

#[cfg(test)]
mod tests {
    use super::*;

    const UNSIGNED: &str = r#"<?xml version="1.0" encoding="utf-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="m" ContentType="application/x-ms-m" /><Default Extension="PNG" ContentType="image/png" /><Override PartName="/client_id" ContentType="text/plain" /></Types>"#;

    /// Overrides win; defaults match extensions case-insensitively; unmapped parts have none.
    #[test]
    fn looks_up_parts() {
        let types = parse_content_types(UNSIGNED);
        assert!(types.problems.is_empty(), "{:?}", types.problems);
        assert_eq!(types.lookup("/Kestrel.m"), Some("application/x-ms-m"));
        assert_eq!(types.lookup("/Kestrel16.png"), Some("image/png"));
        assert_eq!(types.lookup("/CLIENT_ID"), Some("text/plain"));
        assert_eq!(types.lookup("/Helpers.pqm"), None);
    }

    /// A wrong root, incomplete mappings and duplicates are problems.
    #[test]
    fn reports_structure() {
        let types = parse_content_types(
            r#"<Types xmlns="urn:wrong"><Default Extension="png"/><Default Extension="m" ContentType="a"/><Default Extension="M" ContentType="b"/></Types>"#,
        );
        let messages: Vec<_> = types.problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(messages.len(), 3, "{messages:?}");
        assert!(messages[0].contains("not `Types` in the OPC"));
        assert!(
            parse_content_types("").problems[0]
                .message
                .contains("no root")
        );
    }
}
