//! PQ102: the section declaration carries no version.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::model::connector::{attribute, field};
use crate::rules::{Context, Priority};

declare_rule! {
    /// ## What it checks
    /// The section declaration has no `[Version = "…"]` attribute.
    ///
    /// The section document's literal attribute record, written before `section Name;`, has
    /// no `Version` field. When a member carries a `Version` attribute instead, or a member is
    /// named `Version`, the finding points at it. A document with syntax errors is left to
    /// PQ100: its attributes may be what failed to parse.
    ///
    /// ## Why it matters
    /// Certified connectors must be versioned; the version tells users and support which
    /// release they run, and the changelog is checked against it.
    ///
    /// ## Example
    /// `section Contoso;` with no attributes.
    ///
    /// Use instead: `[Version = "1.0.0"] section Contoso;`
    pub(crate) static MISSING_VERSION = Rule {
        code: "PQ102",
        name: "missing-version",
        default_severity: Severity::Error,
        priority: Priority::P1,
    };
}

fn check(cx: &mut Context<'_>) {
    let Some(section) = super::clean_section(cx) else {
        return;
    };
    let document = section.document;
    let versioned = document
        .attributes
        .as_ref()
        .is_some_and(|attributes| field(&attributes.fields, "Version").is_some());
    if versioned {
        return;
    }
    let mut finding = Finding::new(format!(
        "section `{}` has no `Version` attribute",
        document.name.name
    ))
    .primary_label(section.file, document.name.span, "no `Version` attribute")
    .help(format!(
        "declare the version before the section: `[Version = \"1.0.0\"] section {};`",
        document.name.name
    ));
    for member in &document.members {
        if let Some(version) = attribute(member, "Version") {
            finding.message = format!(
                "{}; member `{}` carries one instead",
                finding.message, member.name.name
            );
            finding = finding.secondary(
                section.file,
                version.span,
                "a member attribute, not the section version",
            );
        } else if member.name.name == "Version" {
            finding = finding.secondary(
                section.file,
                member.name.span,
                "a member named `Version` is not the section version",
            );
        }
    }
    cx.report(finding);
}

#[cfg(test)]
mod tests {
    use super::MISSING_VERSION;
    use crate::testing::{Fixture, RuleCase};

    /// A versioned section passes, and so does a broken one (PQ100's); a section without a
    /// version fails, naming a member that carries one.
    #[test]
    fn missing_version() {
        let cases = RuleCase::new(&MISSING_VERSION)
            .pass([
                Fixture::finch(),
                Fixture::kestrel(),
                Fixture::finch().replace("[Version = \"1.0.0\"]", "[Version = ]"),
            ])
            .fail([
                Fixture::finch().replace("[Version = \"1.0.0\"]\n", ""),
                Fixture::finch()
                    .replace("[Version = \"1.0.0\"]", "[Description = \"x\"]")
                    .replace("[DataSource.Kind", "[Version = \"1.0.0\", DataSource.Kind"),
            ]);
        insta::assert_snapshot!(cases.run());
    }
}
