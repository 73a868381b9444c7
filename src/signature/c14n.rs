//! Inclusive Canonical XML 1.0 without comments (`http://www.w3.org/TR/2001/REC-xml-c14n-20010315`)
//! of one element and its descendants as a document subset, which is what XML-DSig digests for a
//! same-document reference (`URI="#id"`) and for `SignedInfo`.
//!
//! Only this subset is implemented: an element with everything below it. The apex element
//! carries every namespace in scope and the `xml:*` attributes of its ancestors; below it a
//! declaration is written only where it changes the namespace in effect. XPath node-set
//! transforms, exclusive C14N and the comments variant are not implemented; callers report them
//! as "could not be checked". Tested against `xmllint --c14n` in `tests/signature_interop.rs`.

use std::collections::BTreeMap;

use super::dom::{Element, Node, XML_NAMESPACE};

/// The algorithm identifier.
pub const C14N_1_0: &str = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315";

/// The canonical form of `element`, as the apex of a document subset whose ancestors are
/// `ancestors` (outermost first): their namespace declarations and `xml:*` attributes are
/// inherited.
pub fn canonicalize(element: &Element, ancestors: &[&Element]) -> String {
    let mut in_scope: BTreeMap<String, String> = BTreeMap::new();
    let mut xml_attributes: BTreeMap<String, String> = BTreeMap::new();
    for ancestor in ancestors {
        for (prefix, uri) in &ancestor.declarations {
            if prefix.is_empty() && uri.is_empty() {
                in_scope.remove("");
            } else {
                in_scope.insert(prefix.clone(), uri.clone());
            }
        }
        for attribute in &ancestor.attributes {
            if attribute.namespace.as_deref() == Some(XML_NAMESPACE) {
                xml_attributes.insert(attribute.local.clone(), attribute.value.clone());
            }
        }
    }
    for attribute in &element.attributes {
        if attribute.namespace.as_deref() == Some(XML_NAMESPACE) {
            xml_attributes.remove(&attribute.local);
        }
    }
    let mut out = String::new();
    let inherited: Vec<(String, String)> = xml_attributes.into_iter().collect();
    write_element(element, &in_scope, &BTreeMap::new(), &inherited, &mut out);
    out
}

/// Writes one element. `scope` holds the namespaces in scope at the parent; `rendered` those
/// the nearest written ancestor declared (what the output already has in effect).
fn write_element(
    element: &Element,
    scope: &BTreeMap<String, String>,
    rendered: &BTreeMap<String, String>,
    inherited_xml: &[(String, String)],
    out: &mut String,
) {
    let mut scope = scope.clone();
    for (prefix, uri) in &element.declarations {
        if prefix.is_empty() && uri.is_empty() {
            scope.remove("");
        } else {
            scope.insert(prefix.clone(), uri.clone());
        }
    }
    out.push('<');
    out.push_str(&element.qname);
    let mut now_rendered = rendered.clone();
    // The default namespace sorts first (it has no local name), then prefixes in order: the
    // order of a BTreeMap keyed by prefix, where "" is least.
    if rendered.get("").is_some_and(|uri| !uri.is_empty()) && !scope.contains_key("") {
        out.push_str(" xmlns=\"\"");
        now_rendered.remove("");
    }
    for (prefix, uri) in &scope {
        if rendered.get(prefix) == Some(uri) {
            continue;
        }
        if prefix.is_empty() {
            out.push_str(" xmlns=\"");
        } else {
            out.push_str(" xmlns:");
            out.push_str(prefix);
            out.push_str("=\"");
        }
        escape_attribute(uri, out);
        out.push('"');
        now_rendered.insert(prefix.clone(), uri.clone());
    }
    let mut attributes: Vec<(&str, &str, &str, &str)> = element
        .attributes
        .iter()
        .map(|a| {
            (
                a.namespace.as_deref().unwrap_or(""),
                a.local.as_str(),
                a.qname.as_str(),
                a.value.as_str(),
            )
        })
        .collect();
    let inherited: Vec<(String, String)> = inherited_xml
        .iter()
        .map(|(local, value)| (format!("xml:{local}"), value.clone()))
        .collect();
    for ((qname, value), (local, _)) in inherited.iter().zip(inherited_xml) {
        attributes.push((XML_NAMESPACE, local, qname, value));
    }
    attributes.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
    for (_, _, qname, value) in attributes {
        out.push(' ');
        out.push_str(qname);
        out.push_str("=\"");
        escape_attribute(value, out);
        out.push('"');
    }
    out.push('>');
    for child in &element.children {
        match child {
            Node::Element(child) => write_element(child, &scope, &now_rendered, &[], out),
            Node::Text(text) => escape_text(text, out),
            Node::Pi(target, data) => {
                out.push_str("<?");
                out.push_str(target);
                if !data.is_empty() {
                    out.push(' ');
                    out.push_str(data);
                }
                out.push_str("?>");
            }
        }
    }
    out.push_str("</");
    out.push_str(&element.qname);
    out.push('>');
}

fn escape_text(text: &str, out: &mut String) {
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#xD;"),
            other => out.push(other),
        }
    }
}

fn escape_attribute(value: &str, out: &mut String) {
    for ch in value.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '"' => out.push_str("&quot;"),
            '\t' => out.push_str("&#x9;"),
            '\n' => out.push_str("&#xA;"),
            '\r' => out.push_str("&#xD;"),
            other => out.push(other),
        }
    }
}

/// The element at `path` (child element indexes from the root) and its ancestors, for
/// [`canonicalize`].
pub fn with_ancestors<'a>(
    root: &'a Element,
    path: &[usize],
) -> Option<(&'a Element, Vec<&'a Element>)> {
    let mut ancestors = Vec::with_capacity(path.len());
    let mut current = root;
    for &index in path {
        let child = current.elements().nth(index)?;
        ancestors.push(current);
        current = child;
    }
    Some((current, ancestors))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signature::dom::parse;

    fn c14n_of(text: &str, path: &[usize]) -> String {
        let root = parse(text).expect("well-formed");
        let (element, ancestors) = with_ancestors(&root, path).expect("path");
        canonicalize(element, &ancestors)
    }

    /// The spec's example: the apex gains the inherited default namespace, children carry
    /// none, attributes are sorted, empty elements are expanded.
    #[test]
    fn object_of_a_signature() {
        let text = r##"<Signature Id="S" xmlns="http://www.w3.org/2000/09/xmldsig#"><SignedInfo><Reference URI="#o" Type="t"><DigestValue>x</DigestValue></Reference></SignedInfo><Object Id="o"><SignatureTime xmlns="urn:t"><Value>1</Value></SignatureTime></Object></Signature>"##;
        assert_eq!(
            c14n_of(text, &[1]),
            r#"<Object xmlns="http://www.w3.org/2000/09/xmldsig#" Id="o"><SignatureTime xmlns="urn:t"><Value>1</Value></SignatureTime></Object>"#
        );
        assert_eq!(
            c14n_of(text, &[0]),
            r##"<SignedInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><Reference Type="t" URI="#o"><DigestValue>x</DigestValue></Reference></SignedInfo>"##
        );
    }

    /// Escapes, line ends, prefixed attributes, `xml:*` inheritance, undeclared defaults and
    /// processing instructions follow C14N 1.0.
    #[test]
    fn details() {
        let text = "<r xmlns:p=\"urn:p\" xml:lang=\"en\"><a b=\"&#9;&#xA;&#xD;&quot;&amp;&lt;>\" p:z=\"1\" a=\"2\">&lt;&gt;&amp;\r\n&#xD;<e/><?pi  data ?><f xmlns=\"\"/></a></r>";
        assert_eq!(
            c14n_of(text, &[0]),
            "<a xmlns:p=\"urn:p\" a=\"2\" b=\"&#x9;&#xA;&#xD;&quot;&amp;&lt;>\" xml:lang=\"en\" p:z=\"1\">&lt;&gt;&amp;\n&#xD;<e></e><?pi data ?><f></f></a>"
        );
        let text = "<r xmlns=\"urn:d\"><a><b xmlns=\"\"><c xmlns=\"urn:d\"/></b></a></r>";
        assert_eq!(
            c14n_of(text, &[0]),
            "<a xmlns=\"urn:d\"><b xmlns=\"\"><c xmlns=\"urn:d\"></c></b></a>"
        );
    }
}
