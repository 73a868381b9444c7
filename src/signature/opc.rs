//! The Open Packaging Conventions a signature verifier needs: part names, content types,
//! relationship parts and the chain `_rels/.rels` → origin → signature parts (PQ010).

use super::dom::{self, Element};
use crate::package::content_types::{CONTENT_TYPES_ENTRY, ContentTypes, parse_content_types};
use crate::package::{Entry, Package};
use crate::source::Span;

pub const RELATIONSHIPS_NAMESPACE: &str =
    "http://schemas.openxmlformats.org/package/2006/relationships";
pub const ORIGIN_RELATIONSHIP: &str =
    "http://schemas.openxmlformats.org/package/2006/relationships/digital-signature/origin";
pub const SIGNATURE_RELATIONSHIP: &str =
    "http://schemas.openxmlformats.org/package/2006/relationships/digital-signature/signature";
pub use crate::package::content_types::{
    ORIGIN_CONTENT_TYPE, RELATIONSHIPS_CONTENT_TYPE, SIGNATURE_CONTENT_TYPE,
};
/// Where MakePQX puts the origin part; other signers may choose another name.
pub const ORIGIN_PART: &str = "/package/services/digital-signature/origin.psdsor";
pub const PACKAGE_RELATIONSHIPS: &str = "/_rels/.rels";

/// The parts of a package by name, with its content types.
pub struct Parts<'a> {
    pub package: &'a Package,
    /// `(part name, entry index)`, part names as in the package (`/Name.pq`).
    names: Vec<(String, usize)>,
    pub content_types: Option<ContentTypes>,
}

/// A problem of the relationship chain, for PQ010.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainProblem {
    /// The entry the problem is in or about.
    pub entry: Option<String>,
    /// Where in that entry, when it is a text the finding can point into.
    pub span: Option<Span>,
    pub message: String,
}

/// What following the chain found.
#[derive(Debug, Default)]
pub struct Chain {
    pub problems: Vec<ChainProblem>,
    /// Entry indexes of the signature parts the chain reaches.
    pub signatures: Vec<usize>,
}

/// One `Relationship` element.
#[derive(Clone, Debug)]
pub struct Relationship {
    pub kind: String,
    pub target: String,
    pub external: bool,
    pub span: Span,
}

impl<'a> Parts<'a> {
    pub fn new(package: &'a Package) -> Parts<'a> {
        let names = package
            .entries
            .iter()
            .enumerate()
            .filter(|(_, e)| e.name != CONTENT_TYPES_ENTRY)
            .map(|(index, e)| (part_name(&e.name), index))
            .collect();
        let content_types = package
            .entries
            .iter()
            .find(|e| e.name == CONTENT_TYPES_ENTRY && e.read)
            .map(|e| parse_content_types(&crate::source::decode(&e.data).text));
        Parts {
            package,
            names,
            content_types,
        }
    }

    /// The entry index of a part, by name, ignoring ASCII case.
    pub fn find(&self, part: &str) -> Option<usize> {
        self.names
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(part))
            .map(|(_, index)| *index)
    }

    pub fn entry(&self, index: usize) -> Option<&'a Entry> {
        self.package.entries.get(index)
    }

    pub fn content_type(&self, part: &str) -> Option<&str> {
        self.content_types.as_ref()?.lookup(part)
    }

    /// Content parts: every part but relationships, the origin, signatures and content types.
    pub fn content_parts(&self) -> impl Iterator<Item = (&str, usize)> {
        self.names
            .iter()
            .filter(|(name, _)| is_content_part(name))
            .map(|(name, index)| (name.as_str(), *index))
    }

    /// Entry indexes of every `.psdsxs` part.
    pub fn signature_parts(&self) -> impl Iterator<Item = usize> {
        self.names
            .iter()
            .filter(|(name, _)| name.to_ascii_lowercase().ends_with(".psdsxs"))
            .map(|(_, index)| *index)
    }

    /// Whether the package has any relationship, origin or signature part.
    pub fn has_signature_parts(&self) -> bool {
        self.names.iter().any(|(name, _)| {
            let lower = name.to_ascii_lowercase();
            lower.ends_with(".rels") || lower.ends_with(".psdsor") || lower.ends_with(".psdsxs")
        })
    }

    /// The relationships in the relationship part of `source` (`/` for the package).
    fn relationships_of(
        &self,
        source: &str,
        problems: &mut Vec<ChainProblem>,
    ) -> Option<(usize, Vec<Relationship>)> {
        let rels_part = relationships_part(source);
        let Some(index) = self.find(&rels_part) else {
            problems.push(ChainProblem {
                entry: None,
                span: None,
                message: format!("the relationship part `{rels_part}` is missing"),
            });
            return None;
        };
        let entry = self.entry(index)?;
        let fail = |message: String, span: Option<Span>| ChainProblem {
            entry: Some(entry.name.clone()),
            span,
            message,
        };
        if !entry.read {
            problems.push(fail(format!("`{rels_part}` could not be read"), None));
            return None;
        }
        match parse_relationships(&crate::source::decode(&entry.data).text) {
            Ok(relationships) => Some((index, relationships)),
            Err(error) => {
                problems.push(fail(
                    format!("`{rels_part}`: {}", error.message),
                    Some(error.span),
                ));
                None
            }
        }
    }

    /// Follows `_rels/.rels` → origin → signatures and notes every break (PQ010).
    pub fn chain(&self) -> Chain {
        let mut chain = Chain::default();
        if !self.has_signature_parts() {
            return chain;
        }
        let origin = self.follow("/", ORIGIN_RELATIONSHIP, None, &mut chain.problems);
        if let Some(&(origin, _)) = origin.first() {
            let origin_part = self
                .entry(origin)
                .map(|e| part_name(&e.name))
                .unwrap_or_default();
            let signatures = self.follow(
                &origin_part,
                SIGNATURE_RELATIONSHIP,
                Some(SIGNATURE_CONTENT_TYPE),
                &mut chain.problems,
            );
            chain.signatures = signatures.into_iter().map(|(index, _)| index).collect();
        }
        for index in self.signature_parts() {
            if !chain.signatures.contains(&index) {
                let name = self.entry(index).map(|e| e.name.clone());
                chain.problems.push(ChainProblem {
                    message: format!(
                        "signature part `{}` is not reachable from the origin relationships",
                        name.as_deref().map(part_name).unwrap_or_default()
                    ),
                    entry: name,
                    span: None,
                });
            }
        }
        chain
    }

    /// The existing targets of the relationships of `kind` from `source`, with their spans.
    fn follow(
        &self,
        source: &str,
        kind: &str,
        content_type: Option<&str>,
        problems: &mut Vec<ChainProblem>,
    ) -> Vec<(usize, Span)> {
        let Some((rels_index, relationships)) = self.relationships_of(source, problems) else {
            return Vec::new();
        };
        let rels_entry = self.entry(rels_index).map(|e| e.name.clone());
        let problem = |message: String, span: Option<Span>| ChainProblem {
            entry: rels_entry.clone(),
            span,
            message,
        };
        let short = kind.rsplit('/').next().unwrap_or(kind);
        let mut found = Vec::new();
        let mut any = false;
        for relationship in relationships
            .iter()
            .filter(|r| r.kind == kind && !r.external)
        {
            any = true;
            let target = resolve_target(source, &relationship.target);
            let Some(index) = self.find(&target) else {
                problems.push(problem(
                    format!("the {short} relationship points to `{target}`, which is missing"),
                    Some(relationship.span),
                ));
                continue;
            };
            if let Some(expected) = content_type
                && self
                    .content_type(&target)
                    .is_none_or(|actual| !actual.eq_ignore_ascii_case(expected))
            {
                problems.push(problem(
                    format!("`{target}` does not have the content type `{expected}`"),
                    Some(relationship.span),
                ));
                continue;
            }
            if !found.iter().any(|(i, _)| *i == index) {
                found.push((index, relationship.span));
            }
        }
        if !any {
            let rels_part = relationships_part(source);
            problems.push(problem(
                format!("`{rels_part}` holds no {short} relationship"),
                None,
            ));
        }
        found
    }
}

/// Parses a relationship part.
pub fn parse_relationships(text: &str) -> Result<Vec<Relationship>, dom::DomError> {
    let root = dom::parse(text)?;
    if root.local != "Relationships" || root.namespace.as_deref() != Some(RELATIONSHIPS_NAMESPACE) {
        return Err(dom::DomError {
            span: root.span,
            message: "the root is not `Relationships` in the OPC relationships namespace".into(),
        });
    }
    Ok(root
        .children_named(RELATIONSHIPS_NAMESPACE, "Relationship")
        .map(|r: &Element| Relationship {
            kind: r.attribute("Type").unwrap_or_default().to_owned(),
            target: r.attribute("Target").unwrap_or_default().to_owned(),
            external: r.attribute("TargetMode") == Some("External"),
            span: r.span,
        })
        .collect())
}

/// The OPC part name of a ZIP item name: `/` plus the percent-decoded name.
pub fn part_name(item_name: &str) -> String {
    format!("/{}", percent_decode(item_name))
}

/// Whether a part is content (the connector), not OPC bookkeeping.
pub fn is_content_part(part: &str) -> bool {
    let lower = part.to_ascii_lowercase();
    !(lower.ends_with(".rels") && lower.contains("/_rels/")
        || lower.ends_with(".psdsor")
        || lower.ends_with(".psdsxs")
        || lower == "/[content_types].xml")
}

/// `/a/b.ext` → `/a/_rels/b.ext.rels`; `/` → `/_rels/.rels`.
pub fn relationships_part(source: &str) -> String {
    let (folder, name) = source.rsplit_once('/').unwrap_or(("", source));
    format!("{folder}/_rels/{name}.rels")
}

/// Resolves a relationship target against the folder of its source part.
pub fn resolve_target(source: &str, target: &str) -> String {
    let target = percent_decode(target);
    let joined = if target.starts_with('/') {
        target
    } else {
        let folder = source.rsplit_once('/').map_or("", |(folder, _)| folder);
        format!("{folder}/{target}")
    };
    let mut segments: Vec<&str> = Vec::new();
    for segment in joined.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            other => segments.push(other),
        }
    }
    format!("/{}", segments.join("/"))
}

/// Decodes `%XX` escapes; invalid escapes stay as they are.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        let value = bytes
            .get(at + 1..at + 3)
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match (byte, value) {
            (b'%', Some(value)) => {
                out.push(value);
                at += 3;
            }
            _ => {
                out.push(byte);
                at += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Relationship parts and targets resolve as OPC says, relative to the source's folder.
    #[test]
    fn names_and_targets() {
        assert_eq!(relationships_part("/"), "/_rels/.rels");
        assert_eq!(
            relationships_part(ORIGIN_PART),
            "/package/services/digital-signature/_rels/origin.psdsor.rels"
        );
        assert_eq!(resolve_target("/", "/a/b.x"), "/a/b.x");
        assert_eq!(resolve_target("/", "a/./b.x"), "/a/b.x");
        assert_eq!(
            resolve_target(ORIGIN_PART, "xml-signature/s.psdsxs"),
            "/package/services/digital-signature/xml-signature/s.psdsxs"
        );
        assert_eq!(resolve_target("/a/b.x", "../../../c%20d.x"), "/c d.x");
        assert_eq!(part_name("Product%20API.m"), "/Product API.m");
        assert_eq!(percent_decode("100%.m%"), "100%.m%");
        assert!(is_content_part("/Kestrel.pq"));
        assert!(is_content_part("/x.rels"));
        assert!(!is_content_part("/_rels/.rels"));
        assert!(!is_content_part(
            "/package/services/digital-signature/origin.psdsor"
        ));
    }
}
