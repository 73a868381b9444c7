//! PQ112: a URL path parameter not typed `Uri.Type`.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::model::connector::ParamInfo;
use crate::model::connector::params::path_parameters;
use crate::names::name_words;
use crate::rules::{Context, Priority};

/// Name words that make a parameter look like a URL.
const URL_WORDS: &[&str] = &["url", "uri", "endpoint"];

declare_rule! {
    /// ## What it checks
    /// A data source function's only path parameter is a URL but is not typed `Uri.Type`.
    ///
    /// When a data source function has exactly one path parameter and it looks like a URL
    /// (name words `url`, `uri`, `endpoint`, or a literal `Documentation.SampleValues` item
    /// starting with `http`), the function type ascribed through `Value.ReplaceType` should
    /// declare it `Uri.Type`. Functions whose shape cannot be determined are not reported:
    /// this rule is advisory.
    ///
    /// ## Why it matters
    /// With `Uri.Type` users can scope credentials to a base URL, and `Aad` authentication
    /// derives its default `Resource` from it.
    ///
    /// ## Example
    /// `shared Contoso.Contents = (url as text) => …;`
    ///
    /// Use instead: `shared Contoso.Contents = Value.ReplaceType(ContosoImpl, type function
    /// (url as Uri.Type) as table);`
    pub(crate) static MISSING_URI_TYPE = Rule {
        code: "PQ112",
        name: "missing-uri-type",
        default_severity: Severity::Info,
        priority: Priority::P2,
    };
}

fn check(cx: &mut Context<'_>) {
    let connector = cx.connector();
    for data_source in connector.data_sources() {
        let Ok(shape) = &data_source.shape else {
            continue;
        };
        let Ok(path) = path_parameters(shape, &connector.resolver) else {
            continue;
        };
        let [param] = path.as_slice() else {
            continue;
        };
        if shape.ascribed && param.type_name == "Uri.Type" {
            continue;
        }
        let Some(why) = url_like(cx, param) else {
            continue;
        };
        cx.report(
            Finding::new(format!(
                "path parameter `{}` of `{}` is a URL ({why}) but is not typed `Uri.Type`",
                param.name,
                data_source.name()
            ))
            .primary(data_source.file, param.span)
            .help(format!(
                "ascribe a function type with `{} as Uri.Type` through `Value.ReplaceType`",
                param.name
            )),
        );
    }
}

/// Why a parameter looks like a URL, if it does.
fn url_like(cx: &Context<'_>, param: &ParamInfo<'_>) -> Option<&'static str> {
    let by_name = name_words(&param.name)
        .iter()
        .any(|word| URL_WORDS.contains(&word.to_lowercase().as_str()));
    if by_name {
        return Some("by its name");
    }
    let (field, env) = param.metadata_field("Documentation.SampleValues")?;
    let resolver = &cx.connector().resolver;
    let (items, env) = resolver.list(&field.value, &env)?;
    items
        .iter()
        .filter_map(|item| resolver.text(item, &env).ok())
        .any(|text| {
            text.get(..4)
                .is_some_and(|scheme| scheme.eq_ignore_ascii_case("http"))
        })
        .then_some("by its sample values")
}

#[cfg(test)]
mod tests {
    use super::MISSING_URI_TYPE;
    use crate::testing::{Fixture, RuleCase};

    fn function(value: &str) -> Fixture {
        Fixture::finch().set("Finch.Contents", value)
    }

    /// `Uri.Type` ascribed passes, and so do non-URL and several path parameters; a URL by
    /// name or by sample values without `Uri.Type` fails.
    #[test]
    fn missing_uri_type() {
        let cases = RuleCase::new(&MISSING_URI_TYPE)
            .pass([
                Fixture::finch(),
                Fixture::kestrel(),
                function(
                    "Value.ReplaceType((url) => 1, type function (url as (Uri.Type meta [])) as table)",
                ),
                function("(server as text) => 1"),
                function("(url as text, db as text) => 1"),
            ])
            .fail([
                function("(serviceUrl as text, optional top as number) => 1"),
                function("Value.ReplaceType((site) => 1, type function (site as (type text meta [Documentation.SampleValues = {\"https://x.example\"}])) as table)"),
            ]);
        insta::assert_snapshot!(cases.run());
    }
}
