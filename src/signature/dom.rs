//! The XML tree of a signature part: qualified names, namespace declarations, attributes and
//! mixed content in document order, which is what Canonical XML and the XML-DSig structure need
//! and what the lighter tree of `package::xml` drops.
//!
//! Reading refuses what a verifier must not guess about: a `<!DOCTYPE>` (its default attributes
//! would change the canonical form, and no signer writes one), undeclared prefixes, duplicate
//! attributes, unknown entities. Depth and node count are bounded; comments are dropped, as
//! C14N without comments does.

use quick_xml::Reader;
use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};

use crate::package::xml::MAX_XML_DEPTH;
use crate::source::Span;

/// Elements, texts and processing instructions read from one signature part. A MakePQX
/// signature holds about five nodes per signed part, so 1,024 parts (the entry limit) need about
/// 5,000; past this the part is refused instead of building a tree of millions of nodes.
pub const MAX_XML_NODES: usize = 65_536;

/// The namespace the `xml` prefix is bound to without a declaration.
pub const XML_NAMESPACE: &str = "http://www.w3.org/XML/1998/namespace";

/// An element with everything C14N renders.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Element {
    /// The name as written, `ds:Reference` or `Reference`.
    pub qname: String,
    /// The local part of the name.
    pub local: String,
    /// The namespace URI of the element, `None` when it has none.
    pub namespace: Option<String>,
    /// Namespace declarations on this element, `("", uri)` for the default one.
    pub declarations: Vec<(String, String)>,
    /// Other attributes, values normalised as an XML parser reports them.
    pub attributes: Vec<Attribute>,
    pub children: Vec<Node>,
    /// The start tag.
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attribute {
    /// The name as written, `Id` or `xml:space`.
    pub qname: String,
    pub local: String,
    /// The namespace URI of a prefixed attribute; unprefixed attributes have none.
    pub namespace: Option<String>,
    pub value: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Node {
    Element(Element),
    /// Character data, references resolved and line ends normalised.
    Text(String),
    /// A processing instruction: target and data (without the leading white space).
    Pi(String, String),
}

/// Why a signature part could not be read as XML.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DomError {
    pub span: Span,
    pub message: String,
}

impl Element {
    pub fn attribute(&self, local: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|a| a.namespace.is_none() && a.local == local)
            .map(|a| a.value.as_str())
    }

    /// Child elements, in order.
    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|node| match node {
            Node::Element(element) => Some(element),
            _ => None,
        })
    }

    /// Child elements with this local name in this namespace.
    pub fn children_named<'a>(
        &'a self,
        namespace: &'a str,
        local: &'a str,
    ) -> impl Iterator<Item = &'a Element> {
        self.elements()
            .filter(move |e| e.local == local && e.namespace.as_deref() == Some(namespace))
    }

    pub fn child(&self, namespace: &str, local: &str) -> Option<&Element> {
        self.elements()
            .find(|e| e.local == local && e.namespace.as_deref() == Some(namespace))
    }

    /// The concatenated text of the direct text children.
    pub fn text(&self) -> String {
        self.children
            .iter()
            .filter_map(|node| match node {
                Node::Text(text) => Some(text.as_str()),
                _ => None,
            })
            .collect()
    }
}

/// Parses a signature part into its root element.
pub fn parse(text: &str) -> Result<Element, DomError> {
    let mut reader = Reader::from_str(text);
    reader.config_mut().trim_text(false);
    let mut open: Vec<Element> = Vec::new();
    let mut root = None;
    let mut nodes = 0usize;
    loop {
        let start = reader.buffer_position() as usize;
        let event = reader.read_event().map_err(|error| DomError {
            span: Span::from_range(start..reader.error_position() as usize),
            message: format!("XML is not well-formed: {error}"),
        })?;
        let span = Span::from_range(start..reader.buffer_position() as usize);
        let fail = |message: String| DomError { span, message };
        if matches!(
            event,
            Event::Start(_) | Event::Empty(_) | Event::Text(_) | Event::PI(_)
        ) {
            nodes += 1;
            if nodes > MAX_XML_NODES {
                return Err(fail(format!("more than {MAX_XML_NODES} XML nodes")));
            }
        }
        match event {
            Event::Start(tag) | Event::Empty(tag) if open.len() >= MAX_XML_DEPTH => {
                let _ = tag;
                return Err(fail(format!(
                    "XML elements are nested deeper than {MAX_XML_DEPTH} levels"
                )));
            }
            Event::Start(tag) => open.push(element(&tag, span, &open)?),
            Event::Empty(tag) => {
                let element = element(&tag, span, &open)?;
                attach(element, &mut open, &mut root, span)?;
            }
            Event::End(_) => {
                if let Some(element) = open.pop() {
                    attach(element, &mut open, &mut root, span)?;
                }
            }
            Event::Text(text) => push_text(&mut open, &text.xml10_content(), span)?,
            Event::CData(data) => push_text(&mut open, &data.xml10_content(), span)?,
            Event::GeneralRef(reference) => {
                let resolved = match reference.resolve_char_ref() {
                    Ok(Some(ch)) => Some(ch.to_string()),
                    Ok(None) => {
                        quick_xml::escape::resolve_predefined_entity(&reference).map(str::to_owned)
                    }
                    Err(_) => None,
                };
                let Some(resolved) = resolved else {
                    return Err(fail(
                        "XML is not well-formed: unknown entity or character reference".into(),
                    ));
                };
                push_text(&mut open, &resolved, span)?;
            }
            Event::PI(pi) => {
                if let Some(parent) = open.last_mut() {
                    let data = normalize_line_ends(pi.content().trim_start());
                    parent.children.push(Node::Pi(pi.target().to_owned(), data));
                }
            }
            Event::DocType(_) => {
                return Err(fail("a `<!DOCTYPE>` is not allowed in a signature".into()));
            }
            Event::Comment(_) | Event::Decl(_) => {}
            Event::Eof => break,
        }
    }
    if let Some(element) = open.last() {
        return Err(DomError {
            span: element.span,
            message: format!(
                "XML is not well-formed: element `{}` is never closed",
                element.qname
            ),
        });
    }
    root.ok_or_else(|| DomError {
        span: Span::empty(0),
        message: "no root element".into(),
    })
}

/// The namespace a prefix is bound to, looking from `declarations` outwards through `open`.
pub fn lookup<'a>(
    prefix: &str,
    declarations: &'a [(String, String)],
    open: &'a [Element],
) -> Option<&'a str> {
    if prefix == "xml" {
        return Some(XML_NAMESPACE);
    }
    declarations
        .iter()
        .rev()
        .chain(open.iter().rev().flat_map(|e| e.declarations.iter().rev()))
        .find(|(p, _)| p == prefix)
        .map(|(_, uri)| uri.as_str())
}

fn element(tag: &BytesStart<'_>, span: Span, open: &[Element]) -> Result<Element, DomError> {
    let fail = |message: String| DomError { span, message };
    let mut declarations = Vec::new();
    let mut raw_attributes = Vec::new();
    for attribute in tag.attributes() {
        let attribute = attribute.map_err(|e| fail(format!("XML is not well-formed: {e}")))?;
        let qname = attribute.key.as_ref().to_owned();
        let value = attribute
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|e| fail(format!("XML is not well-formed: {e}")))?
            .into_owned();
        if qname == "xmlns" {
            declarations.push((String::new(), value));
        } else if let Some(prefix) = qname.strip_prefix("xmlns:") {
            if value.is_empty() {
                return Err(fail(format!("namespace prefix `{prefix}` is undeclared")));
            }
            declarations.push((prefix.to_owned(), value));
        } else {
            raw_attributes.push((qname, value));
        }
    }
    let qname = tag.name().as_ref().to_owned();
    let (prefix, local) = split_qname(&qname);
    let namespace = match lookup(prefix, &declarations, open) {
        Some("") | None if prefix.is_empty() => None,
        Some(uri) => Some(uri.to_owned()),
        None => return Err(fail(format!("namespace prefix `{prefix}` is not declared"))),
    };
    let mut attributes = Vec::with_capacity(raw_attributes.len());
    for (qname, value) in raw_attributes {
        let (prefix, local) = split_qname(&qname);
        let namespace = if prefix.is_empty() {
            None
        } else {
            match lookup(prefix, &declarations, open) {
                Some(uri) if !uri.is_empty() => Some(uri.to_owned()),
                _ => return Err(fail(format!("namespace prefix `{prefix}` is not declared"))),
            }
        };
        let local = local.to_owned();
        if attributes
            .iter()
            .any(|a: &Attribute| a.local == local && a.namespace == namespace)
        {
            return Err(fail(format!("attribute `{qname}` is repeated")));
        }
        attributes.push(Attribute {
            qname,
            local,
            namespace,
            value,
        });
    }
    Ok(Element {
        local: local.to_owned(),
        qname,
        namespace,
        declarations,
        attributes,
        children: Vec::new(),
        span,
    })
}

fn split_qname(qname: &str) -> (&str, &str) {
    qname.split_once(':').unwrap_or(("", qname))
}

fn attach(
    element: Element,
    open: &mut [Element],
    root: &mut Option<Element>,
    span: Span,
) -> Result<(), DomError> {
    match open.last_mut() {
        Some(parent) => parent.children.push(Node::Element(element)),
        None if root.is_none() => *root = Some(element),
        None => {
            return Err(DomError {
                span,
                message: "XML is not well-formed: more than one root element".into(),
            });
        }
    }
    Ok(())
}

fn push_text(open: &mut [Element], text: &str, span: Span) -> Result<(), DomError> {
    let Some(parent) = open.last_mut() else {
        if text.chars().all(|c| matches!(c, ' ' | '\t' | '\r' | '\n')) {
            return Ok(());
        }
        return Err(DomError {
            span,
            message: "XML is not well-formed: text outside the root element".into(),
        });
    };
    match parent.children.last_mut() {
        Some(Node::Text(previous)) => previous.push_str(text),
        _ => parent.children.push(Node::Text(text.to_owned())),
    }
    Ok(())
}

/// CRLF and lone CR become LF, as an XML parser reports every line end.
fn normalize_line_ends(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Names, namespaces, attributes and mixed content come out in document order.
    #[test]
    fn reads_a_tree() {
        let root = parse(
            "<?xml version=\"1.0\"?><a xmlns=\"urn:a\" xmlns:b=\"urn:b\" b:x=\"1\" y=\"&lt;\">t<b:c/><?p  d?>&amp;<![CDATA[<]]></a>",
        )
        .expect("well-formed");
        assert_eq!(root.namespace.as_deref(), Some("urn:a"));
        assert_eq!(root.declarations.len(), 2);
        assert_eq!(root.attributes[0].namespace.as_deref(), Some("urn:b"));
        assert_eq!(root.attribute("y"), Some("<"));
        assert_eq!(root.children.len(), 4);
        assert_eq!(root.children[2], Node::Pi("p".into(), "d".into()));
        assert_eq!(root.children[3], Node::Text("&<".into()));
        assert_eq!(
            root.elements().next().map(|e| e.namespace.as_deref()),
            Some(Some("urn:b"))
        );
    }

    /// A DOCTYPE, undeclared prefixes, repeated attributes, unknown entities, deep nesting and
    /// broken documents are errors, never panics.
    #[test]
    fn refuses_what_it_cannot_trust() {
        for bad in [
            "<!DOCTYPE a [<!ENTITY x \"y\">]><a/>",
            "<p:a/>",
            "<a x=\"1\" x=\"2\"/>",
            "<a>&x;</a>",
            "<a><b></a>",
            "<a>",
            "<a/><b/>",
            "",
            "text",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        let deep = "<a>".repeat(100_000);
        assert!(parse(&deep).unwrap_err().message.contains("deeper than 32"));
        let wide = format!("<a>{}</a>", "<b/>".repeat(MAX_XML_NODES + 1));
        assert!(parse(&wide).unwrap_err().message.contains("XML nodes"));
    }
}
