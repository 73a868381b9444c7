//! PQ003: entries in folders inside the package.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::model::{Role, is_opc_part};
use crate::package::{Fact, PackageKind, Packing};
use crate::rules::{Context, Priority};

declare_rule! {
    /// ## What it checks
    /// An archive entry sits in a folder instead of at the package root.
    ///
    /// Directory entries, or entry names containing `/` or `\`, in a `.mez` or `.pqx` (the OPC
    /// parts of a `.pqx`, `_rels/…` and `package/services/digital-signature/…`, are where they
    /// belong and do not count). In a project folder, a literal `Extension.Contents` target
    /// that exists only in a subfolder.
    ///
    /// ## Why it matters
    /// Every build tool writes flat packages: `Extension.Contents` takes bare entry names, and
    /// `MakePQX compile` does not pack modules from subfolders, so the connector fails at
    /// runtime when it loads them.
    ///
    /// ## Example
    /// `Extension.Contents("Diagnostics.pqm")` in a project whose module is
    /// `lib/Diagnostics.pqm`.
    ///
    /// Use instead: move `Diagnostics.pqm` to the project root (and list it in the `.proj`
    /// `MezContent` items).
    pub(crate) static NESTED_ENTRY_PATH = Rule {
        code: "PQ003",
        name: "nested-entry-path",
        default_severity: Severity::Warning,
        priority: Priority::P2,
    };
}

fn check(cx: &mut Context<'_>) {
    let model = cx.model();
    for fact in &model.package.facts {
        if let Fact::DirectoryEntry { name } = fact {
            cx.report(
                Finding::new(format!("package holds a directory entry `{name}`"))
                    .entry(name.clone())
                    .help("build a flat package: every file at the root, no directories"),
            );
        }
    }
    if matches!(model.package.kind, PackageKind::Mez | PackageKind::Pqx) {
        for (index, entry) in model.content_entries() {
            let opc = model.package.kind == PackageKind::Pqx
                && is_opc_part(&entry.name.to_ascii_lowercase());
            if entry.is_root() || opc || model.role(index) == Role::ContentTypes {
                continue;
            }
            cx.report(
                Finding::new(format!(
                    "entry `{}` is in a folder inside the package",
                    entry.name
                ))
                .entry(entry.name.clone())
                .help("build a flat package: `Extension.Contents` takes bare entry names"),
            );
        }
    }
    for reference in cx.connector().contents() {
        let Ok(target) = &reference.target else {
            continue;
        };
        let in_root = model
            .package
            .entries
            .iter()
            .any(|e| e.is_root() && e.name == *target);
        let below = model.package.entries.iter().find(|e| {
            e.packing == Packing::Subfolder && e.name.rsplit('/').next() == Some(target.as_str())
        });
        if let (false, Some(below)) = (in_root, below) {
            cx.report(
                Finding::new(format!(
                    "`{target}` exists only in a subfolder, as `{}`",
                    below.name
                ))
                .primary_label(reference.file, reference.span, "loaded here")
                .help(format!(
                    "move `{}` to the project root so it is packed",
                    below.name
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::NESTED_ENTRY_PATH;
    use crate::testing::{Fixture, RuleCase};

    /// Flat packages and OPC parts pass; folders in a `.mez` fail.
    #[test]
    fn nested_entry_path() {
        let cases = RuleCase::new(&NESTED_ENTRY_PATH)
            .pass([
                Fixture::finch().entry("Finch16.png", b""),
                Fixture::kestrel(),
                Fixture::finch()
                    .named("Finch.pqx")
                    .entry("_rels/.rels", b"<Relationships/>")
                    .entry("[Content_Types].xml", b"<Types/>"),
            ])
            .fail([Fixture::finch()
                .entry("lib/Helpers.pqm", b"1")
                .entry("lib\\Icons.png", b"")]);
        insta::assert_snapshot!(cases.run());
    }
}
