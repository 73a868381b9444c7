//! PQ806: Release State is not Preview or General Availability, or disagrees with Beta.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::rules::{Context, Priority};
use crate::submission::summary::{SummaryRow, find_row, row_value};

use super::{article, report, summary};

const PREVIEW: &str = "Preview";
const GENERAL_AVAILABILITY: &str = "General Availability";

declare_rule! {
    /// ## What it checks
    /// The Release State is not allowed, or disagrees with `Publish.Beta`.
    ///
    /// The summary table's Release State is not `Preview` or `General Availability`, or
    /// disagrees with the connector: `Publish.Beta = true` expects Preview, `false` or no
    /// `Beta` expects General Availability, and `--initial-release` expects Preview. Skipped
    /// while `Beta` is computed.
    ///
    /// ## Why it matters
    /// Only these two states are allowed, and the article should say what Get Data shows:
    /// a Beta connector is marked as a preview there.
    ///
    /// ## Example
    /// `| Release State | Beta |`, or `General Availability` while `Beta = true`.
    ///
    /// Use instead: `| Release State | Preview |` while `Beta = true`.
    pub(crate) static RELEASE_STATE_MISMATCH = Rule {
        code: "PQ806",
        name: "release-state-mismatch",
        default_severity: Severity::Warning,
        priority: Priority::P2,
    };
}

fn check(cx: &mut Context<'_>) {
    let Some((article, _)) = article(cx) else {
        return;
    };
    let Some(row) = summary(article).and_then(|t| find_row(t, SummaryRow::ReleaseState)) else {
        return; // PQ805
    };
    let value = row_value(row)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let stated = value.trim_end_matches('.');
    if stated.is_empty() {
        return; // PQ805
    }
    let state = [PREVIEW, GENERAL_AVAILABILITY]
        .into_iter()
        .find(|s| s.eq_ignore_ascii_case(stated));
    let Some(state) = state else {
        let finding = Finding::new(format!(
            "release state `{stated}` is not `Preview` or `General Availability`"
        ))
        .primary(article.file, row.span)
        .help("use `Preview` while `Publish.Beta` is true, `General Availability` otherwise");
        report(cx, finding);
        return;
    };
    let model = cx.model();
    let (expected, why) = if model.options.initial_release {
        (PREVIEW, "this is an initial release (`--initial-release`)")
    } else {
        match cx.facts().beta {
            Some(true) => (PREVIEW, "`Publish.Beta` is true"),
            Some(false) => (GENERAL_AVAILABILITY, "`Publish.Beta` is not true"),
            None => return,
        }
    };
    if state != expected {
        let finding = Finding::new(format!("release state is `{state}`, but {why}"))
            .primary(article.file, row.span)
            .help(format!("set the Release State to `{expected}`"));
        report(cx, finding);
    }
}

#[cfg(test)]
mod tests {
    use super::RELEASE_STATE_MISMATCH;
    use crate::testing::{Fixture, RuleCase};

    /// Kestrel (`Beta = false`, General Availability) whose article gives this release state.
    fn state(value: &str) -> Fixture {
        Fixture::kestrel().replace_in_article(
            "| Release State | General Availability |",
            &format!("| Release State | {value} |"),
        )
    }

    /// [`state`], with `Beta = beta` in Kestrel's Publish record.
    fn beta(value: &str, beta: &str) -> Fixture {
        state(value).replace("Beta = false", &format!("Beta = {beta}"))
    }

    /// A value that is not literal: whether the connector is in beta is unknown.
    const COMPUTED: &str = r#"Logical.FromText("false")"#;

    /// States that match Beta pass, and Preview for an initial release or an unknown Beta;
    /// other words, mismatches and General Availability on an initial release fail.
    #[test]
    fn release_state_mismatch() {
        let cases = RuleCase::new(&RELEASE_STATE_MISMATCH)
            .pass([
                Fixture::kestrel(),
                state("General availability"),
                beta("**Preview**", "true"),
                state("Preview").initial_release(),
                beta("Preview", COMPUTED),
            ])
            .fail([
                beta("Beta", "true"),
                beta("Deprecating", COMPUTED),
                Fixture::kestrel().replace("Beta = false", "Beta = true"),
                state("Preview"),
                Fixture::kestrel().initial_release(),
            ]);
        insta::assert_snapshot!(cases.run());
    }
}
