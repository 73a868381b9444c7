//! PQ216: a comment marks the `TestConnection` handler, or the function it calls, unfinished.
use super::{kind_records, test_connection_results};
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::model::connector::test_connection::HandlerResult;
use crate::rules::{Context, Priority};
use crate::source::{FileId, Span};

declare_rule! {
    /// ## What it checks
    /// A comment marks the `TestConnection` handler, or what it calls, as unfinished.
    ///
    /// A `//` or `/* */` comment containing `TODO`, `FIXME`, `HACK` or `XXX` (as a word, any
    /// case) inside a Kind's `TestConnection` handler, or inside the data source function the
    /// handler names (`{"Contoso.Check"}`).
    ///
    /// ## Why it matters
    /// The gateway and the Power BI service call `TestConnection` to check saved credentials;
    /// a test left pointing at a placeholder endpoint passes or fails for the wrong reason, and
    /// a reviewer reading the note stops the submission.
    ///
    /// ## Example
    /// `// TODO: use a real health endpoint` above the request of the function
    /// `TestConnection` names.
    ///
    /// Use instead: call a cheap endpoint that needs the saved credentials, and remove the
    /// note.
    pub(crate) static UNFINISHED_TEST_CONNECTION = Rule {
        code: "PQ216",
        name: "unfinished-test-connection",
        default_severity: Severity::Warning,
        priority: Priority::P2,
    };
}

/// Words that mark unfinished code.
const MARKERS: &[&str] = &["TODO", "FIXME", "HACK", "XXX"];

fn check(cx: &mut Context<'_>) {
    let connector = cx.connector();
    let model = cx.model();
    // The handler and the functions it names, where a note would describe the test.
    let mut regions: Vec<(FileId, Span)> = Vec::new();
    for kind in kind_records(connector) {
        let Some((field, env)) = kind.field("TestConnection") else {
            continue;
        };
        regions.push((env.file(), field.value.span));
        for result in test_connection_results(connector, kind)
            .into_iter()
            .flatten()
        {
            let HandlerResult::List { items, env, .. } = result else {
                continue;
            };
            let Some(name) = items
                .first()
                .and_then(|first| connector.resolver.text(first, &env).ok())
            else {
                continue;
            };
            if let (Some(member), Some(section)) = (connector.member(&name), &connector.section) {
                regions.push((section.file, member.value.span));
            }
        }
    }
    regions.sort_by_key(|(file, span)| (file.0, span.start));
    regions.dedup();
    let mut reported: Vec<(FileId, Span)> = Vec::new();
    for document in &model.documents {
        let text = &model.sources.get(document.file).text;
        for comment in &document.parse.comments {
            let inside = regions.iter().any(|(file, span)| {
                *file == document.file && span.start <= comment.start && comment.end <= span.end
            });
            if !inside || reported.contains(&(document.file, *comment)) {
                continue;
            }
            let Some(body) = text.get(comment.start as usize..comment.end as usize) else {
                continue;
            };
            let Some(marker) = marker_in(body) else {
                continue;
            };
            reported.push((document.file, *comment));
            cx.report(
                Finding::new(format!(
                    "a `{marker}` note in the `TestConnection` path says it is unfinished"
                ))
                .primary_label(document.file, *comment, "unfinished")
                .help("finish the connection test (a cheap request that needs the saved credentials) and remove the note"),
            );
        }
    }
}

/// The first marker word in a comment, matched as a whole word in any case.
fn marker_in(comment: &str) -> Option<&'static str> {
    let words: Vec<String> = comment
        .split(|c: char| !c.is_ascii_alphanumeric())
        .map(str::to_ascii_uppercase)
        .collect();
    MARKERS
        .iter()
        .find(|marker| words.iter().any(|word| word == *marker))
        .copied()
}

#[cfg(test)]
mod tests {
    use super::UNFINISHED_TEST_CONNECTION;
    use crate::testing::{Fixture, RuleCase};

    /// Finch whose Kind's `TestConnection` names `Finch.Check`, defined as `check`.
    fn checked(check: &str) -> Fixture {
        Fixture::finch()
            .set(
                "Finch",
                r#"[TestConnection = (path) => {"Finch.Check"}, Authentication = [Anonymous = []], Label = "Finch"]"#,
            )
            .members(&format!("[DataSource.Kind = \"Finch\"]\nshared Finch.Check = {check};"))
    }

    /// Notes elsewhere and words that only contain a marker pass; a marker in the function the
    /// handler names, or in the handler itself, fails.
    #[test]
    fn unfinished_test_connection() {
        let cases = RuleCase::new(&UNFINISHED_TEST_CONNECTION)
            .pass([
                Fixture::finch(),
                Fixture::kestrel(),
                checked("() => Web.Contents(\"https://api.contoso.example/health\") // checks the key"),
                checked("() => 1").members("// TODO: paging\nHelper = 1;"),
                checked("() => 1 /* TODOS are tracked elsewhere; xxxl sizes */"),
            ])
            .fail([
                checked("() =>\n    // TODO: need to change to a real test endpoint\n    Web.Contents(\"https://api.contoso.example/anything\")"),
                Fixture::finch().set(
                    "Finch",
                    r#"[TestConnection = (path) => /* fixme */ {"Finch.Contents"}, Authentication = [Anonymous = []], Label = "Finch"]"#,
                ),
            ]);
        insta::assert_snapshot!(cases.run());
    }
}
