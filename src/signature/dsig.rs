//! The XML-DSig structure of one OPC signature part: `SignedInfo` with its references, the
//! signature value, `KeyInfo`, and the `Manifest` and `SignatureTime` inside the referenced
//! `Object`s. Reading only; [`super::verify`] checks what is read.

use super::dom::{self, Element};
use crate::source::Span;

pub const DSIG_NAMESPACE: &str = "http://www.w3.org/2000/09/xmldsig#";
pub const OPC_SIGNATURE_NAMESPACE: &str =
    "http://schemas.openxmlformats.org/package/2006/digital-signature";
pub const RELATIONSHIP_TRANSFORM: &str =
    "http://schemas.openxmlformats.org/package/2006/RelationshipTransform";

/// A `Reference` of `SignedInfo` or of a `Manifest`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference {
    pub uri: String,
    pub transforms: Vec<String>,
    pub digest_method: String,
    pub digest_value: String,
    pub span: Span,
}

/// A signature part as read.
#[derive(Debug)]
pub struct Signature {
    pub root: Element,
    /// Index of `SignedInfo` among the root's child elements.
    pub signed_info: usize,
    pub canonicalization: String,
    pub signature_method: String,
    pub signature_method_span: Span,
    pub references: Vec<Reference>,
    pub signature_value: String,
    pub signature_value_span: Span,
    pub key_name: Option<String>,
    /// `(Modulus, Exponent)` base64 texts of an `RSAKeyValue`.
    pub rsa_key_value: Option<(String, String)>,
    pub rsa_key_value_span: Span,
    /// Base64 texts of the `X509Certificate`s, in order.
    pub certificates: Vec<(String, Span)>,
    /// Elements with an `Id` attribute: `(id, path of child element indexes)`.
    pub ids: Vec<(String, Vec<usize>)>,
}

/// Reads a signature part's text.
pub fn read(text: &str) -> Result<Signature, dom::DomError> {
    let root = dom::parse(text)?;
    let fail = |span: Span, message: &str| dom::DomError {
        span,
        message: message.to_owned(),
    };
    if root.local != "Signature" || root.namespace.as_deref() != Some(DSIG_NAMESPACE) {
        return Err(fail(
            root.span,
            "the root is not `Signature` in the XML-DSig namespace",
        ));
    }
    let signed_info = root
        .elements()
        .position(|e| is_dsig(e, "SignedInfo"))
        .ok_or_else(|| fail(root.span, "`Signature` has no `SignedInfo`"))?;
    let signed_info_element = root
        .elements()
        .nth(signed_info)
        .ok_or_else(|| fail(root.span, "`Signature` has no `SignedInfo`"))?;
    let algorithm = |name: &str| {
        signed_info_element
            .child(DSIG_NAMESPACE, name)
            .map(|e| {
                (
                    e.attribute("Algorithm").unwrap_or_default().to_owned(),
                    e.span,
                )
            })
            .ok_or_else(|| {
                fail(
                    signed_info_element.span,
                    &format!("`SignedInfo` has no `{name}`"),
                )
            })
    };
    let (canonicalization, _) = algorithm("CanonicalizationMethod")?;
    let (signature_method, signature_method_span) = algorithm("SignatureMethod")?;
    let references: Vec<Reference> = signed_info_element
        .children_named(DSIG_NAMESPACE, "Reference")
        .map(reference)
        .collect();
    if references.is_empty() {
        return Err(fail(
            signed_info_element.span,
            "`SignedInfo` has no `Reference`",
        ));
    }
    let value_element = root
        .child(DSIG_NAMESPACE, "SignatureValue")
        .ok_or_else(|| fail(root.span, "`Signature` has no `SignatureValue`"))?;
    let key_info = root.child(DSIG_NAMESPACE, "KeyInfo");
    let key_name = key_info
        .and_then(|k| k.child(DSIG_NAMESPACE, "KeyName"))
        .map(Element::text);
    let rsa_element = key_info
        .and_then(|k| k.child(DSIG_NAMESPACE, "KeyValue"))
        .and_then(|k| k.child(DSIG_NAMESPACE, "RSAKeyValue"));
    let rsa_key_value = rsa_element.map(|rsa| {
        let text = |name: &str| {
            rsa.child(DSIG_NAMESPACE, name)
                .map(Element::text)
                .unwrap_or_default()
        };
        (text("Modulus"), text("Exponent"))
    });
    let certificates = key_info
        .into_iter()
        .flat_map(|k| k.children_named(DSIG_NAMESPACE, "X509Data"))
        .flat_map(|d| d.children_named(DSIG_NAMESPACE, "X509Certificate"))
        .map(|c| (c.text(), c.span))
        .collect();
    let mut ids = Vec::new();
    collect_ids(&root, &mut Vec::new(), &mut ids);
    let mut seen = std::collections::HashSet::new();
    if let Some((id, _)) = ids.iter().find(|(id, _)| !seen.insert(id.as_str())) {
        return Err(fail(root.span, &format!("the `Id` `{id}` is used twice")));
    }
    Ok(Signature {
        signed_info,
        canonicalization,
        signature_method,
        signature_method_span,
        references,
        signature_value: value_element.text(),
        signature_value_span: value_element.span,
        key_name,
        rsa_key_value,
        rsa_key_value_span: rsa_element.map_or(root.span, |e| e.span),
        certificates,
        ids,
        root,
    })
}

impl Signature {
    /// The element a same-document reference (`#id`) names, with its path.
    pub fn by_id(&self, id: &str) -> Option<&[usize]> {
        self.ids
            .iter()
            .find(|(candidate, _)| candidate == id)
            .map(|(_, path)| path.as_slice())
    }

    /// The `SignedInfo` element.
    pub fn signed_info_element(&self) -> Option<&Element> {
        self.root.elements().nth(self.signed_info)
    }
}

/// The `Reference`s of every `Manifest` inside an element.
pub fn manifest_references(element: &Element) -> Vec<Reference> {
    let mut found = Vec::new();
    walk(element, &mut |e| {
        if is_dsig(e, "Manifest") {
            found.extend(e.children_named(DSIG_NAMESPACE, "Reference").map(reference));
        }
    });
    found
}

/// The `Value` of the first OPC `SignatureTime` inside an element, with its span.
pub fn signature_time(element: &Element) -> Option<(String, Span)> {
    let mut found = None;
    walk(element, &mut |e| {
        if found.is_none()
            && e.local == "SignatureTime"
            && e.namespace.as_deref() == Some(OPC_SIGNATURE_NAMESPACE)
            && let Some(value) = e.child(OPC_SIGNATURE_NAMESPACE, "Value")
        {
            found = Some((value.text(), value.span));
        }
    });
    found
}

fn reference(element: &Element) -> Reference {
    let transforms = element
        .child(DSIG_NAMESPACE, "Transforms")
        .map(|t| {
            t.children_named(DSIG_NAMESPACE, "Transform")
                .map(|t| t.attribute("Algorithm").unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default();
    let child_text = |name: &str| {
        element
            .child(DSIG_NAMESPACE, name)
            .map(|e| {
                (
                    e.attribute("Algorithm").unwrap_or_default().to_owned(),
                    e.text(),
                )
            })
            .unwrap_or_default()
    };
    Reference {
        uri: element.attribute("URI").unwrap_or_default().to_owned(),
        transforms,
        digest_method: child_text("DigestMethod").0,
        digest_value: child_text("DigestValue").1,
        span: element.span,
    }
}

fn is_dsig(element: &Element, local: &str) -> bool {
    element.local == local && element.namespace.as_deref() == Some(DSIG_NAMESPACE)
}

/// Visits an element and its descendants; depth is bounded by the parser.
fn walk(element: &Element, visit: &mut dyn FnMut(&Element)) {
    visit(element);
    for child in element.elements() {
        walk(child, visit);
    }
}

fn collect_ids(element: &Element, path: &mut Vec<usize>, ids: &mut Vec<(String, Vec<usize>)>) {
    if let Some(id) = element.attribute("Id") {
        ids.push((id.to_owned(), path.clone()));
    }
    for (index, child) in element.elements().enumerate() {
        path.push(index);
        collect_ids(child, path, ids);
        path.pop();
    }
}
