//! A small element tree over quick-xml, with byte spans and a depth limit, for the XML parts of a
//! package (`resources.resx`, `[Content_Types].xml`, `.proj`, OPC relationships).
//!
//! DTD entities are never expanded (quick-xml does not), so a `<!DOCTYPE>` cannot inflate or
//! reach outside the package; it is only recorded so rules can report it.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use crate::source::Span;

/// Deepest element nesting read; real resx and OPC parts are three or four levels deep.
pub const MAX_XML_DEPTH: usize = 32;

/// An XML element with its attributes, text and children.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct XmlElement {
    /// The local name, without prefix.
    pub name: String,
    /// The namespace URI the prefix (or default namespace) resolves to.
    pub namespace: Option<String>,
    pub attributes: Vec<XmlAttribute>,
    pub children: Vec<XmlElement>,
    /// Text content directly inside this element, references resolved.
    pub text: String,
    /// The start tag.
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct XmlAttribute {
    /// The name as written (`xml:space`, `Include`).
    pub name: String,
    pub value: String,
}

impl XmlElement {
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|a| a.name == name)
            .map(|a| a.value.as_str())
    }

    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a XmlElement> {
        self.children.iter().filter(move |c| c.name == name)
    }

    pub fn child(&self, name: &str) -> Option<&XmlElement> {
        self.children.iter().find(|c| c.name == name)
    }
}

/// A problem that makes the document not well-formed, or that a reader should know about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct XmlProblem {
    pub span: Span,
    pub message: String,
}

#[derive(Clone, Debug, Default)]
pub struct XmlDocument {
    pub root: Option<XmlElement>,
    /// Well-formedness problems; the tree holds what was read before the first one.
    pub problems: Vec<XmlProblem>,
    /// Where a `<!DOCTYPE>` declaration is, if any.
    pub doctype: Option<Span>,
}

/// Parses XML text into an element tree. Never fails; problems are recorded.
pub fn parse_xml(text: &str) -> XmlDocument {
    let mut reader = Reader::from_str(text);
    reader.config_mut().trim_text(false);
    let mut document = XmlDocument::default();
    let mut open: Vec<(XmlElement, Vec<(String, String)>)> = Vec::new();
    loop {
        let start = reader.buffer_position();
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(error) => {
                let at = reader.error_position();
                document.problems.push(XmlProblem {
                    span: Span::from_range(at as usize..at as usize),
                    message: format!("XML is not well-formed: {error}"),
                });
                break;
            }
        };
        let span = Span::from_range(start as usize..reader.buffer_position() as usize);
        match event {
            Event::Start(tag) | Event::Empty(tag) if open.len() >= MAX_XML_DEPTH => {
                let _ = tag;
                document.problems.push(XmlProblem {
                    span,
                    message: format!("XML elements are nested deeper than {MAX_XML_DEPTH} levels"),
                });
                break;
            }
            Event::Start(tag) => {
                let (element, scope) = element_from(&tag, span, &open);
                open.push((element, scope));
            }
            Event::Empty(tag) => {
                let (element, _) = element_from(&tag, span, &open);
                attach(element, &mut open, &mut document);
            }
            Event::End(_) => {
                if let Some((element, _)) = open.pop() {
                    attach(element, &mut open, &mut document);
                }
            }
            Event::Text(text) => push_text(&mut open, &text.xml10_content()),
            Event::CData(data) => push_text(&mut open, &data.xml10_content()),
            Event::GeneralRef(reference) => {
                let resolved = match reference.resolve_char_ref() {
                    Ok(Some(ch)) => Some(ch.to_string()),
                    Ok(None) => {
                        quick_xml::escape::resolve_predefined_entity(&reference).map(str::to_owned)
                    }
                    Err(_) => None,
                };
                match resolved {
                    Some(text) => push_text(&mut open, &text),
                    None => document.problems.push(XmlProblem {
                        span,
                        message: "XML is not well-formed: unknown entity or character reference"
                            .into(),
                    }),
                }
            }
            Event::DocType(_) => document.doctype = document.doctype.or(Some(span)),
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) => {}
        }
    }
    if let Some((element, _)) = open.last()
        && document.problems.is_empty()
    {
        document.problems.push(XmlProblem {
            span: element.span,
            message: format!(
                "XML is not well-formed: element `{}` is never closed",
                element.name
            ),
        });
    }
    document
}

fn element_from(
    tag: &BytesStart<'_>,
    span: Span,
    open: &[(XmlElement, Vec<(String, String)>)],
) -> (XmlElement, Vec<(String, String)>) {
    let mut attributes = Vec::new();
    let mut scope = Vec::new();
    for attribute in tag.attributes().flatten() {
        let name = attribute.key.as_ref().to_owned();
        let value = attribute
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_or_else(|_| attribute.value.clone().into_owned(), |v| v.into_owned());
        if name == "xmlns" {
            scope.push((String::new(), value.clone()));
        } else if let Some(prefix) = name.strip_prefix("xmlns:") {
            scope.push((prefix.to_owned(), value.clone()));
        }
        attributes.push(XmlAttribute { name, value });
    }
    let qualified = tag.name().as_ref().to_owned();
    let (prefix, local) = qualified.split_once(':').unwrap_or(("", &qualified));
    let namespace = scope
        .iter()
        .rev()
        .chain(open.iter().rev().flat_map(|(_, s)| s.iter().rev()))
        .find(|(p, _)| p == prefix)
        .map(|(_, uri)| uri.clone());
    let element = XmlElement {
        name: local.to_owned(),
        namespace,
        attributes,
        children: Vec::new(),
        text: String::new(),
        span,
    };
    (element, scope)
}

fn attach(
    element: XmlElement,
    open: &mut [(XmlElement, Vec<(String, String)>)],
    document: &mut XmlDocument,
) {
    match open.last_mut() {
        Some((parent, _)) => parent.children.push(element),
        None if document.root.is_none() => document.root = Some(element),
        None => document.problems.push(XmlProblem {
            span: element.span,
            message: "XML is not well-formed: more than one root element".into(),
        }),
    }
}

fn push_text(open: &mut [(XmlElement, Vec<(String, String)>)], text: &str) {
    if let Some((element, _)) = open.last_mut() {
        element.text.push_str(text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Elements, attributes, namespaces and references come out resolved, with spans.
    #[test]
    fn builds_a_tree() {
        let text = r#"<?xml version="1.0"?><Types xmlns="urn:t"><Default Extension="png" ContentType="image/png"/><v>a &amp; b&#x41;</v></Types>"#;
        let document = parse_xml(text);
        assert!(document.problems.is_empty(), "{:?}", document.problems);
        let root = document.root.expect("root");
        assert_eq!(
            (root.name.as_str(), root.namespace.as_deref()),
            ("Types", Some("urn:t"))
        );
        let default = root.child("Default").expect("Default");
        assert_eq!(default.attribute("Extension"), Some("png"));
        assert_eq!(default.namespace.as_deref(), Some("urn:t"));
        assert_eq!(
            &text[default.span.range()],
            r#"<Default Extension="png" ContentType="image/png"/>"#
        );
        assert_eq!(root.child("v").expect("v").text, "a & bA");
    }

    /// Broken, unclosed and too-deep documents are problems, never panics.
    #[test]
    fn records_problems() {
        assert!(!parse_xml("<a><b></a>").problems.is_empty());
        assert!(!parse_xml("<a>").problems.is_empty());
        assert!(!parse_xml("<a>&bogus;</a>").problems.is_empty());
        let deep = "<a>".repeat(100_000);
        let document = parse_xml(&deep);
        assert!(document.problems[0].message.contains("deeper than 32"));
        let doctype = parse_xml("<!DOCTYPE r [<!ENTITY x \"y\">]><r>&x;</r>");
        assert!(doctype.doctype.is_some());
        assert!(
            !doctype.problems.is_empty(),
            "DTD entities are not expanded"
        );
    }
}
