//! PQ121: a section member takes the name of a library function.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::library::{self, LibraryKind};
use crate::model::eval::resolve::is_library_alias;
use crate::rules::{Context, Priority};

declare_rule! {
    /// ## What it checks
    /// A section member takes the name of a function of M's standard library or the Power
    /// Query SDK.
    ///
    /// A member named like a library function (`Text.Combine = …`, `Extension.Contents = …`),
    /// unless its value is the library function itself read from the global environment
    /// (`Record.FieldOrDefault(#shared, "Extension.Contents", …)`,
    /// `try #shared[Extension.Contents] otherwise …`): that
    /// pattern only supplies a fallback where the host lacks the function.
    ///
    /// ## Why it matters
    /// Inside the section the member hides the library function: every call of the name, in
    /// the section and in the modules it loads, runs the connector's version instead, which
    /// reviewers and tools reading the code take for the library's. When the library function
    /// exists, the connector silently replaces its behaviour.
    ///
    /// ## Example
    /// `Text.Combine = (texts as list) => List.Accumulate(texts, "", (a, b) => a & b);`
    ///
    /// Use instead: give the helper a name of its own (`Contoso.Combine`), or use the library
    /// function.
    pub(crate) static SHADOWED_LIBRARY_FUNCTION = Rule {
        code: "PQ121",
        name: "shadowed-library-function",
        default_severity: Severity::Warning,
        priority: Priority::P2,
    };
}

fn check(cx: &mut Context<'_>) {
    let connector = cx.connector();
    let Some(section) = &connector.section else {
        return;
    };
    for member in &section.document.members {
        let name = &*member.name.name;
        let Some(LibraryKind::Function(_)) = library::lookup(name).map(|n| n.kind) else {
            continue;
        };
        if is_library_alias(name, &member.value) {
            continue;
        }
        cx.report(
            Finding::new(format!(
                "section member `{name}` hides the library function of the same name"
            ))
            .primary_label(section.file, member.name.span, "shadows the library")
            .help("give the member a name of its own, or use the library function"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::SHADOWED_LIBRARY_FUNCTION;
    use crate::testing::{Fixture, RuleCase};

    /// Helpers with names of their own and fallbacks read from `#shared` pass; a member named
    /// like a library function fails.
    #[test]
    fn shadowed_library_function() {
        let cases = RuleCase::new(&SHADOWED_LIBRARY_FUNCTION)
            .pass([
                Fixture::finch(),
                Fixture::kestrel(),
                Fixture::finch().members(
                    r#"Table.ToNavigationTable = (t) => t;
Extension.LoadFunction = (name) => Expression.Evaluate(Text.FromBinary(Extension.Contents(name)), #shared);
Value.WaitFor = (producer, interval) => producer(0);
Text.Format = Record.FieldOrDefault(#shared, "Text.Format", (f, a) => f);
Extension.Cache = try #shared[Extension.Cache] otherwise () => [];"#,
                ),
            ])
            .fail([Fixture::finch()
                .members(r#"Text.Combine = (texts as list) => List.Accumulate(texts, "", (a, b) => a & b);"#)]);
        insta::assert_snapshot!(cases.run());
    }
}
