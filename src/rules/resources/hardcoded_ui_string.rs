//! PQ404: user-facing text written as literals instead of `resources.resx` strings.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::model::connector::Connector;
use crate::model::connector::kind::hardcoded_text;
use crate::model::eval::resolve::Env;
use crate::rules::{Context, Priority};
use crate::source::{FileId, Span};
use crate::syntax::ast::{Expr, Field};

/// Label fields of a Kind record and of its authentication kinds.
const LABEL_FIELDS: &[&str] = &["Label", "UsernameLabel", "PasswordLabel", "KeyLabel"];
/// Documentation fields of a function type.
const FUNCTION_FIELDS: &[&str] = &["Documentation.Name", "Documentation.LongDescription"];
/// Documentation fields of a parameter type.
const PARAMETER_FIELDS: &[&str] = &[
    "Documentation.FieldCaption",
    "Documentation.FieldDescription",
];

declare_rule! {
    /// ## What it checks
    /// User-facing text is written as a literal instead of `Extension.LoadString`.
    ///
    /// Checked: the Publish record's `ButtonText` items; the Kind record's and each
    /// authentication kind's `Label`, `UsernameLabel`, `PasswordLabel`, `KeyLabel`; and the
    /// `Documentation.Name`, `Documentation.LongDescription`, `Documentation.FieldCaption` and
    /// `Documentation.FieldDescription` of data source functions and their parameters. A value
    /// is hard-coded when it is (through names) a text literal or a join of them. One finding
    /// per record.
    ///
    /// ## Why it matters
    /// Strings in `resources.resx` can be reviewed and translated; literals cannot.
    ///
    /// ## Example
    /// `ButtonText = { "Contoso", "Connect to Contoso" }`
    ///
    /// Use instead:
    /// `ButtonText = { Extension.LoadString("ButtonTitle"), Extension.LoadString("ButtonHelp") }`
    pub(crate) static HARDCODED_UI_STRING = Rule {
        code: "PQ404",
        name: "hardcoded-ui-string",
        default_severity: Severity::Warning,
        priority: Priority::P2,
    };
}

/// One hard-coded value: the field (or list item) name and its span.
type Site = (String, FileId, Span);

fn check(cx: &mut Context<'_>) {
    let connector = cx.connector();
    let mut records: Vec<(String, Vec<Site>)> = Vec::new();
    for publish in connector.publishes() {
        if let Some((fields, env)) = &publish.fields {
            let sites = button_text_sites(connector, fields, env);
            records.push((format!("Publish record `{}`", publish.name), sites));
        }
    }
    for kind in connector.kinds() {
        if kind.member.is_none() {
            continue;
        }
        if let Some((fields, env)) = &kind.fields {
            let sites = field_sites(fields, env, LABEL_FIELDS);
            records.push((format!("data source kind `{}`", kind.name), sites));
        }
        for auth in &kind.authentication {
            if let Some((fields, env)) = &auth.fields {
                let sites = field_sites(fields, env, LABEL_FIELDS);
                records.push((
                    format!("authentication kind `{}` of `{}`", auth.kind(), kind.name),
                    sites,
                ));
            }
        }
    }
    for data_source in connector.data_sources() {
        let Ok(shape) = &data_source.shape else {
            continue;
        };
        if let Some((fields, env)) = &shape.metadata {
            let sites = field_sites(fields, env, FUNCTION_FIELDS);
            records.push((
                format!("the documentation of `{}`", data_source.name()),
                sites,
            ));
        }
        for param in &shape.params {
            if let Some((fields, env)) = &param.metadata {
                let sites = field_sites(fields, env, PARAMETER_FIELDS);
                records.push((
                    format!(
                        "the documentation of parameter `{}` of `{}`",
                        param.name,
                        data_source.name()
                    ),
                    sites,
                ));
            }
        }
    }
    for (record, sites) in records {
        report(cx, &record, &sites);
    }
}

fn report(cx: &mut Context<'_>, record: &str, sites: &[Site]) {
    let Some(((name, file, span), rest)) = sites.split_first() else {
        return;
    };
    let mut names: Vec<String> = Vec::new();
    for (name, _, _) in sites {
        let name = format!("`{name}`");
        if !names.contains(&name) {
            names.push(name);
        }
    }
    let mut finding = Finding::new(format!(
        "{record} gives {} as literal text",
        names.join(", ")
    ))
    .primary_label(*file, *span, format!("`{name}`"))
    .help("move the text to `resources.resx` and read it with `Extension.LoadString`");
    for (name, file, span) in rest {
        finding = finding.secondary(*file, *span, format!("`{name}`"));
    }
    cx.report(finding);
}

/// The hard-coded fields among `names` of a record.
fn field_sites<'a>(fields: &'a [Field], env: &Env<'a>, names: &[&str]) -> Vec<Site> {
    let file = env.file();
    fields
        .iter()
        .filter(|f| names.contains(&&*f.name.name))
        .filter(|f| hardcoded_text(&f.value, env).is_some())
        .map(|f| (f.name.name.to_string(), file, f.value.span))
        .collect()
}

/// The hard-coded `ButtonText` items of a Publish record.
fn button_text_sites<'a>(
    connector: &Connector<'a>,
    fields: &'a [Field],
    env: &Env<'a>,
) -> Vec<Site> {
    let Some(button_text) = fields.iter().find(|f| f.name.name == "ButtonText") else {
        return Vec::new();
    };
    let Some((items, items_env)) = connector.resolver.list(&button_text.value, env) else {
        return Vec::new();
    };
    let file = items_env.file();
    items
        .iter()
        .filter(|item: &&Expr| hardcoded_text(item, &items_env).is_some())
        .map(|item| ("ButtonText".to_owned(), file, item.span))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::HARDCODED_UI_STRING;
    use crate::testing::{Fixture, RuleCase};

    /// Finch with these Publish and Kind records, and documentation type `FinchType` on its
    /// data source function.
    fn strings(publish: &str, kind: &str, documentation: &str) -> Fixture {
        Fixture::finch()
            .set("Finch.Contents", "Value.ReplaceType(Impl, FinchType)")
            .set("Finch", kind)
            .set("Finch.Publish", publish)
            .members(&format!(
                "Impl = (url) => url;\nFinchType = {documentation};\nTitle = \"Finch\";"
            ))
    }

    /// `Extension.LoadString` everywhere passes; literals fail, one finding per record.
    #[test]
    fn hardcoded_ui_string() {
        let cases = RuleCase::new(&HARDCODED_UI_STRING)
            .pass([
                Fixture::kestrel(),
                strings(
                    "[ButtonText = {Extension.LoadString(\"A\"), Extension.LoadString(\"B\")}]",
                    "[Label = Extension.LoadString(\"L\"), Authentication = [Key = [KeyLabel = Extension.LoadString(\"K\")]]]",
                    "type function (url as (Uri.Type meta [Documentation.FieldCaption = Extension.LoadString(\"C\"), Documentation.SampleValues = {\"https://x.example\"}])) as table meta [Documentation.Name = Extension.LoadString(\"N\"), Documentation.Examples = {[Description = \"d\", Code = \"c\", Result = \"r\"]}]",
                ),
            ])
            .fail([
                Fixture::finch(),
                strings(
                    "[ButtonText = {Title, \"Connect to \" & Title}]",
                    "[Label = \"Finch\", Authentication = [UsernamePassword = [UsernameLabel = \"User\", PasswordLabel = \"Password\"], Anonymous = []]]",
                    "type function (url as (Uri.Type meta [Documentation.FieldCaption = \"URL\", Documentation.FieldDescription = Extension.LoadString(\"D\")])) as table meta [Documentation.Name = \"Finch\", Documentation.LongDescription = \"Reads Finch\"]",
                ),
            ]);
        insta::assert_snapshot!(cases.run());
    }
}
