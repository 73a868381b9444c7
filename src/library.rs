//! The global names of M's standard library and of the Power Query SDK (`Extension.*`,
//! `Credential.*`, `Diagnostics.Trace`…), with their kinds and parameter counts: what a name
//! the connector does not define refers to. The table is data, `grammar/library.tsv`, generated
//! by `grammar/gen-library.py` from Microsoft's published symbol libraries; its header says how
//! to regenerate it.

use std::sync::OnceLock;

use rustc_hash::FxHashMap;

/// The table, one line per name, sorted by name in byte order.
const TABLE: &str = include_str!("../grammar/library.tsv");

/// What a library name is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LibraryKind {
    /// A function with this many required and optional parameters, when the table knows.
    Function(Option<Arity>),
    Constant,
    Type,
}

/// The parameters of a library function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Arity {
    pub required: usize,
    pub optional: usize,
}

impl Arity {
    /// Whether a call with `count` arguments is within the function's parameters.
    pub fn accepts(&self, count: usize) -> bool {
        self.required <= count && count <= self.required + self.optional
    }
}

/// A global name of the library.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LibraryName {
    pub name: &'static str,
    pub kind: LibraryKind,
}

/// The name `name` of the library, if it is one.
pub fn lookup(name: &str) -> Option<LibraryName> {
    static BY_NAME: OnceLock<FxHashMap<&'static str, LibraryName>> = OnceLock::new();
    BY_NAME
        .get_or_init(|| names().iter().map(|entry| (entry.name, *entry)).collect())
        .get(name)
        .copied()
}

/// Whether some library name starts with `namespace` and a dot (`Text` for `Text.Combine`).
pub fn is_namespace(namespace: &str) -> bool {
    let names = names();
    let at = names.partition_point(|entry| entry.name < namespace);
    names.get(at..).unwrap_or_default().iter().any(|entry| {
        entry
            .name
            .strip_prefix(namespace)
            .is_some_and(|rest| rest.starts_with('.'))
    }) && !namespace.is_empty()
}

/// Every name of the table, sorted.
pub fn names() -> &'static [LibraryName] {
    static NAMES: OnceLock<Vec<LibraryName>> = OnceLock::new();
    NAMES.get_or_init(|| {
        let mut names: Vec<LibraryName> = TABLE.lines().filter_map(parse_line).collect();
        names.sort_by(|a, b| a.name.cmp(b.name));
        names
    })
}

/// One line of the table; `None` for the header and anything malformed (the table's test
/// checks there is none).
fn parse_line(line: &'static str) -> Option<LibraryName> {
    if line.starts_with('#') {
        return None;
    }
    let mut columns = line.split('\t');
    let (name, kind, required, optional) = (
        columns.next()?,
        columns.next()?,
        columns.next()?,
        columns.next()?,
    );
    if name.is_empty() || columns.next().is_some() {
        return None;
    }
    let kind = match kind {
        "function" => LibraryKind::Function(match (required.parse(), optional.parse()) {
            (Ok(required), Ok(optional)) => Some(Arity { required, optional }),
            _ if required == "?" && optional == "?" => None,
            _ => return None,
        }),
        "constant" => LibraryKind::Constant,
        "type" => LibraryKind::Type,
        _ => return None,
    };
    Some(LibraryName { name, kind })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every line but the header parses, names are unique and sorted.
    #[test]
    fn table_is_well_formed() {
        let lines: Vec<&str> = TABLE.lines().filter(|l| !l.starts_with('#')).collect();
        assert_eq!(
            names().len(),
            lines.len(),
            "a line does not parse: {:?}",
            lines
                .iter()
                .find(|l| parse_line(l).is_none())
                .unwrap_or(&"")
        );
        assert!(lines.windows(2).all(|w| w[0] < w[1]), "sorted and unique");
        assert!(names().len() > 800);
    }

    /// Known names, kinds and arities; names the library does not have.
    #[test]
    fn lookups() {
        let arity = |name: &str| match lookup(name).map(|n| n.kind) {
            Some(LibraryKind::Function(Some(arity))) => Some((arity.required, arity.optional)),
            _ => None,
        };
        assert_eq!(arity("Web.Contents"), Some((1, 1)));
        assert_eq!(arity("Duration.From"), Some((1, 0)));
        assert_eq!(arity("Extension.CurrentCredential"), Some((0, 1)));
        assert_eq!(lookup("Uri.Type").map(|n| n.kind), Some(LibraryKind::Type));
        assert!(
            lookup("Diagnostics.LogValue").is_none(),
            "a connector's own helper"
        );
        assert!(lookup("client_secret").is_none());
        assert!(is_namespace("Text") && is_namespace("Extension"));
        assert!(!is_namespace("Tex") && !is_namespace("Kestrel") && !is_namespace(""));
        assert!(
            Arity {
                required: 1,
                optional: 1
            }
            .accepts(2)
        );
        assert!(
            !Arity {
                required: 1,
                optional: 1
            }
            .accepts(3)
        );
    }
}
