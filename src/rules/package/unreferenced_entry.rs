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
    use crate::testing::{Fixture, RuleCase};

    /// The connector reading `Finch64.png`.
    fn reads_icon() -> Fixture {
        Fixture::finch()
            .members("A = Extension.Contents(\"Finch64.png\");")
            .entry("Finch64.png", b"")
    }

    /// Referenced entries, resources, the 80 px icon beside a referenced 64 px one and OPC
    /// parts pass, and computed targets silence the rule; other entries fail.
    #[test]
    fn unreferenced_entry() {
        let cases = RuleCase::new(&UNREFERENCED_ENTRY)
            .pass([
                Fixture::finch(),
                Fixture::kestrel(),
                reads_icon()
                    .named("Finch.pqx")
                    .entry("Finch80.png", b"")
                    .entry("resources.resx", b"<root/>")
                    .entry("resources.de.resx", b"<root/>")
                    .entry("[Content_Types].xml", b"<Types/>")
                    .entry("_rels/.rels", b"<Relationships/>"),
                Fixture::finch()
                    .members("A = Extension.Contents(Text.Lower(\"A\"));")
                    .entry("Old.pqm", b"1"),
            ])
            .fail([reads_icon()
                .entry("Finch80.png", b"")
                .entry("Other80.png", b"")
                .entry("Old.pqm", b"1")
                .entry("notes.txt", b"x")]);
        insta::assert_snapshot!(cases.run());
    }
}
