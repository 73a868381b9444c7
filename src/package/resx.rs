//! The `resources.resx` reader: a .NET ResX document's strings with their positions, read with
//! an XML parser so keys inside comments (the SDK template's sample `<data>` elements) are not
//! mistaken for strings.

use super::xml::{XmlDocument, XmlElement, XmlProblem, parse_xml};
use crate::source::Span;

/// The `resmimetype` header value every ResX file carries.
pub const RESX_MIME_TYPE: &str = "text/microsoft-resx";

/// One `<data>` element.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResxData {
    pub name: Option<String>,
    /// `None` when the element has no `<value>` child.
    pub value: Option<String>,
    /// A `data` with a `type` or `mimetype` attribute is not a string.
    pub is_string: bool,
    /// The `<data ...>` start tag.
    pub span: Span,
    /// The `<value>` start tag, or the data span when there is none.
    pub value_span: Span,
}

/// A parsed ResX document.
#[derive(Clone, Debug, Default)]
pub struct Resx {
    pub xml: XmlDocument,
    pub data: Vec<ResxData>,
    /// Structural problems besides well-formedness, in document order.
    pub structure: Vec<XmlProblem>,
}

impl Resx {
    /// String resources: `data` elements with a name, a value and no type.
    pub fn strings(&self) -> impl Iterator<Item = (&str, &str, &ResxData)> {
        self.data
            .iter()
            .filter(|d| d.is_string)
            .filter_map(|d| Some((d.name.as_deref()?, d.value.as_deref()?, d)))
    }

    /// The value of a string key (exact case), if present.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.strings()
            .find(|(name, _, _)| *name == key)
            .map(|(_, value, _)| value)
    }
}

/// Parses a ResX text. Never fails.
pub fn parse_resx(text: &str) -> Resx {
    let xml = parse_xml(text);
    let mut resx = Resx::default();
    if let Some(root) = &xml.root {
        check_structure(root, &mut resx.structure);
        resx.data = root.children_named("data").map(read_data).collect();
        for data in &resx.data {
            match (&data.name, &data.value) {
                (None, _) => resx.structure.push(XmlProblem {
                    span: data.span,
                    message: "`data` element has no `name` attribute".into(),
                }),
                (Some(name), None) if data.is_string => resx.structure.push(XmlProblem {
                    span: data.span,
                    message: format!("string `{name}` has no `value` element"),
                }),
                _ => {}
            }
        }
    }
    resx.xml = xml;
    resx
}

fn check_structure(root: &XmlElement, problems: &mut Vec<XmlProblem>) {
    if root.name != "root" {
        problems.push(XmlProblem {
            span: root.span,
            message: format!("root element is `{}`, not `root`", root.name),
        });
        return;
    }
    let header = |name: &str| {
        root.children_named("resheader")
            .find(|h| h.attribute("name") == Some(name))
            .map(|h| {
                h.child("value")
                    .map(|v| v.text.trim().to_owned())
                    .unwrap_or_default()
            })
    };
    if header("resmimetype").as_deref() != Some(RESX_MIME_TYPE) {
        problems.push(XmlProblem {
            span: root.span,
            message: format!("no `resmimetype` header with value `{RESX_MIME_TYPE}`"),
        });
    }
    for required in ["reader", "writer"] {
        if header(required).is_none() {
            problems.push(XmlProblem {
                span: root.span,
                message: format!("no `{required}` header"),
            });
        }
    }
}

fn read_data(element: &XmlElement) -> ResxData {
    let value = element.child("value");
    ResxData {
        name: element.attribute("name").map(str::to_owned),
        value: value.map(|v| v.text.clone()),
        is_string: element.attribute("type").is_none() && element.attribute("mimetype").is_none(),
        span: element.span,
        value_span: value.map_or(element.span, |v| v.span),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADERS: &str = r#"<resheader name="resmimetype"><value>text/microsoft-resx</value></resheader><resheader name="reader"><value>R</value></resheader><resheader name="writer"><value>W</value></resheader>"#;

    /// Strings come with positions; commented-out samples and typed data are not strings.
    #[test]
    fn reads_strings() {
        let text = format!(
            r#"<root><!-- <data name="Name1"><value>x</value></data> -->{HEADERS}<data name="ButtonTitle" xml:space="preserve"><value>Kestrel &amp; Co</value></data><data name="Icon1" type="System.Drawing.Bitmap"><value>AAA</value></data></root>"#
        );
        let resx = parse_resx(&text);
        assert!(resx.structure.is_empty(), "{:?}", resx.structure);
        let strings: Vec<_> = resx.strings().map(|(k, v, _)| (k, v)).collect();
        assert_eq!(strings, vec![("ButtonTitle", "Kestrel & Co")]);
        let (_, _, data) = resx.strings().next().expect("one string");
        assert!(text[data.span.range()].starts_with("<data name=\"ButtonTitle\""));
        assert_eq!(resx.get("Name1"), None);
    }

    /// Missing headers, nameless data and value-less strings are structural problems.
    #[test]
    fn reports_structure() {
        let resx = parse_resx(r#"<root><data><value>x</value></data><data name="K"/></root>"#);
        let messages: Vec<_> = resx.structure.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(
            messages,
            vec![
                "no `resmimetype` header with value `text/microsoft-resx`",
                "no `reader` header",
                "no `writer` header",
                "`data` element has no `name` attribute",
                "string `K` has no `value` element",
            ]
        );
        assert_eq!(
            parse_resx("<Root/>").structure[0].message,
            "root element is `Root`, not `root`"
        );
    }
}
