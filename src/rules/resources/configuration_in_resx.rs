//! PQ405: configuration values kept in `resources.resx`.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::model::connector::{Connector, EXTENSION_LOAD_STRING};
use crate::model::eval::resolve::call_of;
use crate::rules::{Context, Priority};

/// Longest string taken for a driver name; longer ones are prose.
const MAX_NAME_LENGTH: usize = 80;
/// Most words in a driver name.
const MAX_NAME_WORDS: usize = 10;

declare_rule! {
    /// ## What it checks
    /// A resx string looks like configuration: a URL, a GUID, an ODBC driver name or a connection string.
    ///
    /// Reported: a string that is an absolute URL (`https://…`) or a GUID; an ODBC driver name
    /// (`{…}`, or a short name containing `Driver` or the word `ODBC`, unless the string is the
    /// connector's title in `ButtonText` or `Documentation.Name`); a string with a
    /// connection-string fragment (`key=value;`).
    ///
    /// ## Why it matters
    /// `resources.resx` is for text users read, and it is translated: a translated or edited
    /// URL, driver name or connection string breaks the connector. Such values belong
    /// hard-coded in M, as certification requires.
    ///
    /// ## Example
    /// `<data name="DriverName"><value>{Contoso ODBC Driver}</value></data>` read with
    /// `Extension.LoadString("DriverName")`.
    ///
    /// Use instead: `DriverName = "{Contoso ODBC Driver}";` in the section document.
    pub(crate) static CONFIGURATION_IN_RESX = Rule {
        code: "PQ405",
        name: "configuration-in-resx",
        default_severity: Severity::Warning,
        priority: Priority::P2,
    };
}

fn check(cx: &mut Context<'_>) {
    let model = cx.model();
    let titles = title_keys(cx.connector());
    for resources in &model.resources {
        let file_name = &model.sources.get(resources.file).name;
        for (key, value, data) in resources.resx.strings() {
            let Some(what) = configuration_kind(value, titles.iter().any(|t| t == key)) else {
                continue;
            };
            cx.report(
                Finding::new(format!(
                    "resource string `{key}` in `{file_name}` looks like {what}"
                ))
                .primary_label(resources.file, data.value_span, what)
                .help("hard-code configuration in the M code; keep only text users read in `resources.resx`"),
            );
        }
    }
}

/// What configuration `value` looks like, if any.
fn configuration_kind(value: &str, is_title: bool) -> Option<&'static str> {
    let value = value.trim();
    if is_absolute_url(value) {
        return Some("an absolute URL");
    }
    if is_guid(value) {
        return Some("a GUID");
    }
    if is_connection_string(value) {
        return Some("a connection string");
    }
    if is_braced_name(value) || (!is_title && is_driver_name(value)) {
        return Some("an ODBC driver name");
    }
    None
}

/// `scheme://rest` with no whitespace.
fn is_absolute_url(value: &str) -> bool {
    let Some((scheme, rest)) = value.split_once("://") else {
        return false;
    };
    let mut scheme_chars = scheme.chars();
    scheme_chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && scheme_chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-'))
        && !rest.is_empty()
        && !value.chars().any(char::is_whitespace)
}

/// `8-4-4-4-12` hex digits, optionally in braces.
fn is_guid(value: &str) -> bool {
    let inner = value
        .strip_prefix('{')
        .and_then(|v| v.strip_suffix('}'))
        .unwrap_or(value);
    let groups: Vec<&str> = inner.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(group, len)| group.len() == len && group.chars().all(|c| c.is_ascii_hexdigit()))
}

/// `{Name}` on one line.
fn is_braced_name(value: &str) -> bool {
    value
        .strip_prefix('{')
        .and_then(|v| v.strip_suffix('}'))
        .is_some_and(|inner| {
            !inner.trim().is_empty()
                && !inner.contains(['{', '}', '\n'])
                && inner.len() <= MAX_NAME_LENGTH
        })
}

/// A short name, not a sentence, containing `Driver` or the word `ODBC`.
fn is_driver_name(value: &str) -> bool {
    let name_like = value.len() <= MAX_NAME_LENGTH
        && !value.contains('\n')
        && !value.ends_with(['.', '!', '?', ':'])
        && value.split_whitespace().count() <= MAX_NAME_WORDS;
    name_like
        && (value.contains("Driver")
            || value
                .split(|c: char| !c.is_ascii_alphanumeric())
                .any(|word| word == "ODBC"))
}

/// A `key=value;` fragment: a name directly before `=`, and a `;` ending a value without
/// spaces (or a braced value).
fn is_connection_string(value: &str) -> bool {
    let bytes = value.as_bytes();
    bytes.iter().enumerate().any(|(at, &b)| {
        if b != b'=' || at == 0 {
            return false;
        }
        let key_ok = bytes
            .get(at - 1)
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_');
        let rest = value.get(at + 1..).unwrap_or_default();
        let value_ok = if let Some(braced) = rest.strip_prefix('{') {
            braced.find('}').is_some_and(|end| {
                braced
                    .get(end + 1..)
                    .is_some_and(|after| after.starts_with(';'))
            })
        } else {
            rest.find(';').is_some_and(|end| {
                rest.get(..end)
                    .is_some_and(|v| !v.contains(char::is_whitespace))
            })
        };
        key_ok && value_ok
    })
}

/// Keys read with a literal `Extension.LoadString` as the connector's title: `ButtonText`
/// items and `Documentation.Name`.
fn title_keys(connector: &Connector<'_>) -> Vec<String> {
    let mut keys = Vec::new();
    let mut add = |expr: &crate::syntax::ast::Expr| {
        if let Some((name, [key])) = call_of(expr)
            && name == EXTENSION_LOAD_STRING
            && let Some(key) = key.as_text()
        {
            keys.push(key.to_owned());
        }
    };
    for publish in connector.publishes() {
        if let Some((fields, env)) = &publish.fields
            && let Some(button_text) = fields.iter().find(|f| f.name.name == "ButtonText")
            && let Some((items, _)) = connector.resolver.list(&button_text.value, env)
        {
            items.iter().for_each(&mut add);
        }
    }
    for data_source in connector.data_sources() {
        if let Ok(shape) = &data_source.shape
            && let Some((field, _)) = shape.metadata_field("Documentation.Name")
        {
            add(&field.value);
        }
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::{CONFIGURATION_IN_RESX, configuration_kind};
    use crate::testing::{Fixture, RuleCase};

    /// Each kind of configuration is recognised; prose mentioning drivers or URLs is not.
    #[test]
    fn recognises_configuration() {
        for (value, what) in [
            ("https://api.contoso.example/v2", Some("an absolute URL")),
            ("See https://contoso.example for help", None),
            ("{8e3f2a4b-1c2d-4e5f-9a8b-7c6d5e4f3a2b}", Some("a GUID")),
            ("{Contoso ODBC Driver}", Some("an ODBC driver name")),
            ("Simba Spark ODBC Driver", Some("an ODBC driver name")),
            ("The Contoso ODBC driver is not installed.", None),
            ("Driver={SQL Server};Server=db", Some("a connection string")),
            ("Port=443;", Some("a connection string")),
            ("Use a = b; c", None),
            ("Contoso Analytics", None),
        ] {
            assert_eq!(configuration_kind(value, false), what, "{value}");
        }
        assert_eq!(configuration_kind("Contoso ODBC", true), None);
        assert_eq!(
            configuration_kind("Contoso ODBC", false),
            Some("an ODBC driver name")
        );
    }

    /// Finch whose button text comes from the resource strings `Title` and `Help`.
    fn strings() -> Fixture {
        Fixture::finch().replace(
            "{\"Finch\", \"Finch data\"}",
            "{Extension.LoadString(\"Title\"), Extension.LoadString(\"Help\")}",
        )
    }

    /// Text passes (a title naming the ODBC driver too); a driver name, a URL and a connection
    /// string fail, each at its value.
    #[test]
    fn configuration_in_resx() {
        let cases = RuleCase::new(&CONFIGURATION_IN_RESX)
            .pass([
                Fixture::finch(),
                Fixture::kestrel(),
                strings().entry("resources.resx", b"<root><data name=\"Title\"><value>Finch ODBC</value></data><data name=\"Help\"><value>Install the Finch ODBC Driver first.</value></data></root>"),
            ])
            .fail([strings()
                .entry("resources.resx", b"<root>\n<data name=\"Title\"><value>Finch</value></data>\n<data name=\"DriverName\"><value>{Finch ODBC Driver}</value></data>\n<data name=\"BaseUrl\"><value>https://api.finch.example/</value></data>\n</root>")
                .entry("resources.de.resx", b"<root>\n<data name=\"Options\"><value>SSL=1;Port=443;</value></data>\n</root>")]);
        insta::assert_snapshot!(cases.run());
    }
}
