//! PQ210: a Kind `Label` that hides the data source path in credential prompts.
use super::{computed_message, kind_records};
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::model::connector::kind::is_path_parameter;
use crate::rules::{Context, Priority};

declare_rule! {
    /// ## What it checks
    /// A Kind record has a `Label` while one of its data source functions has a path parameter.
    ///
    /// A path parameter is a required parameter whose type does not set
    /// `DataSource.Path = false`. Functions whose parameters cannot be resolved are reported at
    /// info.
    ///
    /// ## Why it matters
    /// With a `Label`, the credential dialogs and the data source settings show the label
    /// instead of the path, so users cannot tell the credentials of different paths apart.
    ///
    /// ## Example
    /// `Contoso = [ Label = "Contoso", Authentication = … ]` with
    /// `Contoso.Contents = (server as text) => …`.
    ///
    /// Use instead: remove the `Label` and let the path (`server`) identify the credentials.
    pub(crate) static LABEL_HIDES_DATA_SOURCE_PATH = Rule {
        code: "PQ210",
        name: "label-hides-data-source-path",
        default_severity: Severity::Warning,
        priority: Priority::P2,
    };
}

fn check(cx: &mut Context<'_>) {
    let connector = cx.connector();
    for kind in kind_records(connector) {
        let Some((label, _)) = kind.field("Label") else {
            continue;
        };
        // A singleton has no path for the label to hide.
        if kind.is_singleton(&connector.resolver) {
            continue;
        }
        for data_source in kind.data_sources(connector) {
            let shape = match &data_source.shape {
                Ok(shape) => shape,
                Err(computed) => {
                    cx.report_review(
                        Finding::new(computed_message(
                            &format!("the parameter list of `{}`", data_source.name()),
                            computed,
                        ))
                        .primary(data_source.file, data_source.member.name.span),
                    );
                    continue;
                }
            };
            let Some(path) = shape
                .params
                .iter()
                .find(|p| is_path_parameter(&connector.resolver, p))
            else {
                continue;
            };
            let shape_file = shape
                .metadata
                .as_ref()
                .map_or(data_source.file, |(_, env)| env.file());
            cx.report(
                Finding::new(format!(
                    "data source kind `{}` has a `Label`, which hides the path parameter `{}` of `{}`",
                    kind.name,
                    path.name,
                    data_source.name()
                ))
                .primary(kind.file(), label.span)
                .secondary(shape_file, path.span, "path parameter")
                .help("remove the `Label` so credential prompts show the data source path"),
            );
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::LABEL_HIDES_DATA_SOURCE_PATH;
    use crate::testing::{Fixture, RuleCase};

    /// Finch (with its `Label`) whose data source function is `function`.
    fn function(function: &str) -> Fixture {
        Fixture::finch().set("Finch.Contents", function)
    }

    /// A label without path parameters, a path without a label, or a singleton Kind passes;
    /// both fail; a
    /// computed parameter list is info.
    #[test]
    fn label_hides_data_source_path() {
        let cases = RuleCase::new(&LABEL_HIDES_DATA_SOURCE_PATH)
            .pass([
                Fixture::finch(),
                Fixture::kestrel(),
                function("(optional server as text) => 1"),
                function(
                    "Value.ReplaceType(Impl, type function (top as (type number meta [DataSource.Path = false])) as any)",
                )
                .members("Impl = (a, b) => a;"),
                function("(server as text) => server").replace(", Label = \"Finch\"", ""),
                // A singleton has no path to hide.
                function("(server as text) => server").replace(
                    "Finch = [Authentication",
                    "Finch = [Type = \"Singleton\", Authentication",
                ),
            ])
            .fail([
                function("(server as text, optional db as text) => server"),
                function("Other"),
            ]);
        insta::assert_snapshot!(cases.run());
    }
}
