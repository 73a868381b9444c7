//! PQ006: `Extension.Contents` names an entry the package does not have.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::model::connector::ContentsReference;
use crate::package::{Entry, PackageKind, Packing};
use crate::rules::{Context, Priority};

declare_rule! {
    /// ## What it checks
    /// `Extension.Contents("x")` names an entry that is not in the package (exact case).
    ///
    /// Every `Extension.Contents(x)` with literal `x`, in the section document or a module,
    /// names an existing entry with exactly that name; an entry differing only in letter case
    /// is named in the message. Targets reached through a loader helper
    /// (`Extension.LoadFunction("X.pqm")`) are checked at the call that names them. A
    /// computed `x` is reported at `info`; a bare `.pq`/`.m` file has no entries, so its
    /// targets are reported once, at `info`. A missing entry used several times (an icon in
    /// both icon lists) is one finding, at its first use, with the other uses as labels.
    ///
    /// In a project folder, package content is what the SDK build packs, plus any root file a
    /// literal `Extension.Contents` names (such as a `client_id` file), which counts as present.
    /// A target that exists only in a subfolder is PQ003's.
    ///
    /// ## Why it matters
    /// The call fails at runtime. A certified connector shipped an icon list naming an absent
    /// file.
    ///
    /// ## Example
    /// `Icon32 = { Extension.Contents("Contoso64.PNG") }` when the package holds
    /// `Contoso64.png`.
    ///
    /// Use instead: `Extension.Contents("Contoso64.png")`, the entry name exactly.
    pub(crate) static MISSING_CONTENTS_TARGET = Rule {
        code: "PQ006",
        name: "missing-contents-target",
        default_severity: Severity::Error,
        priority: Priority::P1,
    };
}

fn check(cx: &mut Context<'_>) {
    let model = cx.model();
    let references: Vec<&ContentsReference> = cx
        .connector()
        .contents()
        .iter()
        .filter(|r| crate::rules::document::is_connector_file(model, r.file))
        .collect();
    if model.package.kind == PackageKind::File {
        if let Some(first) = references.first() {
            cx.report_review(
                Finding::new(format!(
                    "could not be checked statically: a bare M file has no entries for its {} `Extension.Contents` target(s)",
                    references.len()
                ))
                .primary(first.file, first.span)
                .help("check the project folder or the built `.mez` to verify the targets"),
            );
        }
        return;
    }
    // One finding per missing target, at its first use; the other uses are labels.
    let mut missing: Vec<(&str, Finding)> = Vec::new();
    for reference in references {
        let with_via = |finding: Finding| match reference.via {
            Some((file, span)) => finding.secondary(file, span, "read by this call"),
            None => finding,
        };
        let target = match &reference.target {
            Ok(target) => target,
            Err(computed) => {
                cx.report_review(with_via(
                    Finding::new(format!(
                        "could not be checked statically: the `Extension.Contents` target is computed ({})",
                        computed.reason
                    ))
                    .primary(reference.file, reference.span),
                ));
                continue;
            }
        };
        let entries = &model.package.entries;
        if entries.iter().any(|e| is_packed(e) && e.name == *target)
            || in_subfolder(entries, target)
        {
            continue;
        }
        if let Some((_, finding)) = missing.iter_mut().find(|(t, _)| *t == target.as_str()) {
            finding.secondary.push(crate::diagnostic::Label {
                file: reference.file,
                span: reference.span,
                message: Some("also used here".to_owned()),
            });
            continue;
        }
        let mut finding = Finding::new(format!("`{target}` is not in the package"))
            .primary_label(reference.file, reference.span, "no such entry")
            .help("pack the file or correct the name; entry names are matched exactly");
        if let Some(variant) = entries
            .iter()
            .find(|e| is_packed(e) && e.name.eq_ignore_ascii_case(target))
        {
            finding.message = format!(
                "`{target}` is not in the package; `{}` differs only in letter case",
                variant.name
            );
            finding = finding.help(format!("write the entry name exactly: `{}`", variant.name));
        }
        missing.push((target.as_str(), with_via(finding)));
    }
    for (_, finding) in missing {
        cx.report(finding);
    }
}

/// Whether an entry ends up in the package: SDK content, or a root file that `MakePQX
/// compile` packs and that the connector reads by name.
fn is_packed(entry: &Entry) -> bool {
    matches!(entry.packing, Packing::Content | Packing::MakePqxOnly)
}

/// A project-folder target that exists only below the root: PQ003 reports it.
fn in_subfolder(entries: &[Entry], target: &str) -> bool {
    entries
        .iter()
        .any(|e| e.packing == Packing::Subfolder && e.name.rsplit('/').next() == Some(target))
}

#[cfg(test)]
mod tests {
    use super::MISSING_CONTENTS_TARGET;
    use crate::testing::{Fixture, RuleCase, fixture::FINCH};

    const LOADER: &str =
        "Load = (name) => Expression.Evaluate(Text.FromBinary(Extension.Contents(name)), #shared);";

    /// Present targets pass, and so does a helper that is never called; an absent one, a
    /// case-only variant, one reached through a loader and a computed one (info) fail.
    #[test]
    fn missing_contents_target() {
        let cases = RuleCase::new(&MISSING_CONTENTS_TARGET)
            .pass([
                Fixture::finch(),
                Fixture::kestrel(),
                Fixture::finch()
                    .members(&format!("A = Extension.Contents(\"Finch16.png\");\n{LOADER}\nB = Load(\"M.pqm\");\nUnused = (n) => Extension.Contents(n);"))
                    .entry("Finch16.png", b"")
                    .entry("M.pqm", b"1"),
            ])
            .fail([Fixture::finch()
                .members(&format!("A = Extension.Contents(\"Finch64.png\");\nB = Extension.Contents(\"finch16.PNG\");\n{LOADER}\nC = Load(\"Missing.pqm\");\nD = Extension.Contents(Text.Lower(\"X\"));"))
                .entry("Finch16.png", b"")]);
        insta::assert_snapshot!(cases.run());
    }

    /// One missing icon used in both icon lists is one finding with the other use labelled.
    #[test]
    fn one_finding_per_missing_entry() {
        let cases = RuleCase::new(&MISSING_CONTENTS_TARGET).fail([Fixture::finch().members(
            "Icons = [Icon16 = {Extension.Contents(\"Finch32.png\")}, Icon32 = {Extension.Contents(\"Finch32.png\")}];",
        )]);
        insta::assert_snapshot!(cases.run());
    }

    /// A bare section document gets one info finding, not one per call.
    #[test]
    fn bare_file_once() {
        let source = format!(
            "{FINCH}A = Extension.Contents(\"a.png\");\nB = Extension.Contents(\"b.png\");\n"
        );
        let cases = RuleCase::new(&MISSING_CONTENTS_TARGET)
            .fail([Fixture::bytes("Finch.pq", source.as_bytes())]);
        insta::assert_snapshot!(cases.run());
    }
}
