//! PQ007: an entry nothing reads.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::model::Role;
use crate::package::{PackageKind, Packing};
use crate::rules::{Context, Priority};

declare_rule! {
    /// ## What it checks
    /// A package entry that no literal `Extension.Contents` names.
    ///
    /// Every entry other than the section document, `resources.resx` and
    /// `resources.<culture>.resx` (and, in a `.pqx`, `[Content_Types].xml` and the OPC
    /// relationship and signature parts) should be named by a literal `Extension.Contents`,
    /// in the section document or a module. `<X>80.png` is exempt when `<X>64.png` is
    /// referenced, as the SDK template packs it. The rule is silent when any
    /// `Extension.Contents` argument is computed, and for an entry that a reference names in
    /// another letter case (PQ006 reports that). It is also silent without a section
    /// document, or when the section document or a module has syntax errors. In a project
    /// folder, root files that only `MakePQX compile` would pack are included, and the
    /// message says so.
    ///
    /// ## Why it matters
    /// An unreferenced entry is dead weight or a leaked file: a test file, a build script, a
    /// module nobody loads anymore.
    ///
    /// ## Example
    /// A package holding `Contoso.pq`, `resources.resx` and `OldHelpers.pqm`, which nothing
    /// loads.
    ///
    /// Use instead: remove `OldHelpers.pqm` from the package.
    pub(crate) static UNREFERENCED_ENTRY = Rule {
        code: "PQ007",
        name: "unreferenced-entry",
        default_severity: Severity::Info,
        priority: Priority::P2,
    };
}

fn check(cx: &mut Context<'_>) {
    let model = cx.model();
    if model.package.kind == PackageKind::File || !references_are_known(cx) {
        return;
    }
    let mut referenced: Vec<&str> = Vec::new();
    for reference in cx.connector().contents() {
        if !crate::rules::document::is_connector_file(model, reference.file) {
            continue;
        }
        match &reference.target {
            Ok(target) => referenced.push(target),
            Err(_) => return,
        }
    }
    for (index, entry) in model.package.entries.iter().enumerate() {
        let exempt = matches!(
            model.role(index),
            Role::SectionDocument | Role::Resources | Role::ContentTypes | Role::OpcPart
        ) || entry.packing == Packing::Subfolder
            || (model.package.kind == PackageKind::Pqx
                && crate::model::is_opc_part(&entry.name.to_ascii_lowercase()));
        if exempt
            || referenced
                .iter()
                .any(|r| r.eq_ignore_ascii_case(&entry.name))
            || larger_icon_of_referenced(&entry.name, &referenced)
        {
            continue;
        }
        let (message, help) = match entry.packing {
            Packing::MakePqxOnly => (
                format!(
                    "`{}` is read by nothing, but `MakePQX compile` would pack it from the project root",
                    entry.name
                ),
                "move it out of the project root, or read it with `Extension.Contents`",
            ),
            _ => (
                format!(
                    "`{}` is packed but nothing reads it with `Extension.Contents`",
                    entry.name
                ),
                "remove it from the package, or read it with `Extension.Contents`",
            ),
        };
        cx.report(Finding::new(message).entry(entry.name.clone()).help(help));
    }
}

/// Whether every reference can be seen: there is a section document, and it and the modules
/// parsed without errors (a member that did not parse may be the one reading an entry).
fn references_are_known(cx: &Context<'_>) -> bool {
    let model = cx.model();
    cx.connector().section.is_some()
        && crate::rules::document::connector_documents(model).all(|d| d.parse.errors.is_empty())
}

/// `<X>80.png` while `<X>64.png` is referenced: the template packs the 80 px icon outside the
/// icon lists.
fn larger_icon_of_referenced(name: &str, referenced: &[&str]) -> bool {
    let lower = name.to_ascii_lowercase();
    let Some(stem) = lower.strip_suffix("80.png") else {
        return false;
    };
    let wanted = format!("{stem}64.png");
    referenced.iter().any(|r| r.eq_ignore_ascii_case(&wanted))
}

#[cfg(test)]
mod tests {
    use super::UNREFERENCED_ENTRY;
    use crate::testing::{archive, listing, run_rule};

    const SECTION: &[u8] = b"section Wren;\nA = Extension.Contents(\"Wren64.png\");";

    /// Referenced entries, resources, the 80 px icon beside a referenced 64 px one and OPC
    /// parts pass; other entries fail; computed targets silence the rule.
    #[test]
    fn unreferenced_entry() {
        let pass = archive(
            "Wren.pqx",
            &[
                ("Wren.m", SECTION),
                ("Wren64.png", b""),
                ("Wren80.png", b""),
                ("resources.resx", b"<root/>"),
                ("resources.de.resx", b"<root/>"),
                ("[Content_Types].xml", b"<Types/>"),
                ("_rels/.rels", b"<Relationships/>"),
            ],
        );
        assert_eq!(listing(&run_rule(&UNREFERENCED_ENTRY, pass)), "");
        let computed = archive(
            "Wren.mez",
            &[
                (
                    "Wren.pq",
                    b"section Wren; A = Extension.Contents(Text.Lower(\"A\"));",
                ),
                ("Old.pqm", b"1"),
            ],
        );
        assert_eq!(listing(&run_rule(&UNREFERENCED_ENTRY, computed)), "");
        let fail = archive(
            "Wren.mez",
            &[
                ("Wren.pq", SECTION),
                ("Wren64.png", b""),
                ("Wren80.png", b""),
                ("Other80.png", b""),
                ("Old.pqm", b"1"),
                ("notes.txt", b"x"),
            ],
        );
        insta::assert_snapshot!(listing(&run_rule(&UNREFERENCED_ENTRY, fail)));
    }
}
