//! PQ111: a data source function asks for a credential as a parameter.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::model::connector::ParamInfo;
use crate::names::name_words;
use crate::rules::{Context, Priority};

/// Name words that mark a credential.
const CREDENTIAL_WORDS: &[&str] = &[
    "password",
    "passwd",
    "pwd",
    "secret",
    "token",
    "apikey",
    "credential",
    "credentials",
];
/// Consecutive name words that mark a credential.
const CREDENTIAL_PAIRS: &[(&str, &str)] = &[
    ("api", "key"),
    ("access", "key"),
    ("client", "secret"),
    ("access", "token"),
    ("subscription", "key"),
    ("app", "key"),
    ("application", "key"),
    ("auth", "key"),
    ("master", "key"),
    ("account", "key"),
];
/// Texts in a parameter caption that mark a credential (compared case-insensitively).
const CREDENTIAL_CAPTIONS: &[&str] = &["password", "secret", "token", "api key"];
/// Calls that make `uid` a credential word: the user id of an ODBC-family connection string.
const ODBC_FAMILY: &[&str] = &[
    "Odbc.DataSource",
    "Odbc.Query",
    "OleDb.DataSource",
    "OleDb.Query",
    "AdoDotNet.DataSource",
    "AdoDotNet.Query",
];

declare_rule! {
    /// ## What it checks
    /// A data source function parameter asks for a password, secret, token or key.
    ///
    /// A parameter (required or optional) whose name words include `password`, `passwd`,
    /// `pwd`, `secret`, `token`, `apikey`, `credential`, `credentials`, or the pairs `api key`,
    /// `access key`, `client secret`, `access token`, `subscription key`, `app key`,
    /// `application key`, `auth key`, `master key`, `account key` (and `uid` when the package
    /// calls an
    /// ODBC-family function); or whose `Documentation.FieldCaption` contains "password",
    /// "secret", "token" or "API key". A parameter with `Documentation.AllowedValues` is a
    /// choice from a fixed list, not a credential. A function whose parameters cannot be
    /// determined statically is reported at `info`.
    ///
    /// ## Why it matters
    /// Values typed into the connect dialog are saved in plain text in the user's query and
    /// shared with the report. Credentials belong in the Kind's `Authentication`.
    ///
    /// ## Example
    /// `shared Contoso.Contents = (url as text, apiKey as text) => …;`
    ///
    /// Use instead: `Contoso = [Authentication = [Key = []], …];` and read the key with
    /// `Extension.CurrentCredential()[Key]`.
    pub(crate) static CREDENTIAL_PARAMETER = Rule {
        code: "PQ111",
        name: "credential-parameter",
        default_severity: Severity::Error,
        priority: Priority::P1,
    };
}

fn check(cx: &mut Context<'_>) {
    let connector = cx.connector();
    let odbc = ODBC_FAMILY
        .iter()
        .any(|name| connector.library_calls(name).next().is_some());
    for data_source in connector.data_sources() {
        let shape = match &data_source.shape {
            Ok(shape) => shape,
            Err(computed) => {
                cx.report_review(
                    Finding::new(format!(
                        "could not be checked statically: the parameters of `{}` ({})",
                        data_source.name(),
                        computed.reason
                    ))
                    .primary(data_source.file, data_source.member.name.span),
                );
                continue;
            }
        };
        let file = data_source.file;
        for param in &shape.params {
            // A value picked from a fixed list is a choice, not a secret.
            if param
                .metadata_field("Documentation.AllowedValues")
                .is_some()
            {
                continue;
            }
            let Some(why) =
                credential_word(&param.name, odbc).or_else(|| credential_caption(cx, param))
            else {
                continue;
            };
            cx.report(
                Finding::new(format!(
                    "parameter `{}` of `{}` asks for a credential ({why})",
                    param.name,
                    data_source.name()
                ))
                .primary(file, param.span)
                .help("remove the parameter; declare an `Authentication` kind (`Key`, `UsernamePassword`, `OAuth`) and read it with `Extension.CurrentCredential()`")
                .note("values typed into the connect dialog are saved in plain text in the query"),
            );
        }
    }
}

/// The credential word or pair in a parameter name, as written.
fn credential_word(name: &str, odbc: bool) -> Option<String> {
    let words: Vec<String> = name_words(name).iter().map(|w| w.to_lowercase()).collect();
    if let Some(word) = words
        .iter()
        .find(|w| CREDENTIAL_WORDS.contains(&w.as_str()) || (odbc && w.as_str() == "uid"))
    {
        return Some(format!("`{word}`"));
    }
    words.windows(2).find_map(|pair| match pair {
        [first, second] if CREDENTIAL_PAIRS.contains(&(first.as_str(), second.as_str())) => {
            Some(format!("`{first} {second}`"))
        }
        _ => None,
    })
}

/// The credential text in a parameter's resolved caption.
fn credential_caption(cx: &Context<'_>, param: &ParamInfo<'_>) -> Option<String> {
    let (field, env) = param.metadata_field("Documentation.FieldCaption")?;
    let caption = cx.connector().resolver.text(&field.value, &env).ok()?;
    let lower = caption.to_lowercase();
    CREDENTIAL_CAPTIONS
        .iter()
        .any(|word| lower.contains(word))
        .then(|| format!("its caption is \"{caption}\""))
}

#[cfg(test)]
mod tests {
    use super::{CREDENTIAL_PARAMETER, credential_word};
    use crate::testing::{Fixture, RuleCase};

    /// Words and pairs are matched as whole name words.
    #[test]
    fn credential_words() {
        assert_eq!(
            credential_word("apiKey", false).as_deref(),
            Some("`api key`")
        );
        assert_eq!(
            credential_word("client_secret", false).as_deref(),
            Some("`secret`")
        );
        assert_eq!(
            credential_word("AccessKey", false).as_deref(),
            Some("`access key`")
        );
        assert_eq!(credential_word("UID", true).as_deref(), Some("`uid`"));
        assert_eq!(credential_word("UID", false), None);
        assert_eq!(credential_word("tokenizer", false), None);
        assert_eq!(credential_word("keyColumn", false), None);
    }

    fn function(value: &str) -> Fixture {
        Fixture::finch().set("Finch.Contents", value)
    }

    /// Ordinary parameters pass; credential names, a credential caption, `uid` beside an ODBC
    /// call and an unresolvable shape (info) fail.
    #[test]
    fn credential_parameter() {
        let cases = RuleCase::new(&CREDENTIAL_PARAMETER)
            .pass([
                Fixture::finch(),
                Fixture::kestrel(),
                function("(url as text, optional top as number) => 1"),
                // A choice from a fixed list, even named like a credential.
                function("Value.ReplaceType((getToken) => 1, type function (getToken as (type text meta [Documentation.FieldCaption = \"Operation\", Documentation.AllowedValues = {\"Get\", \"Refresh\"}])) as any)"),
            ])
            .fail([
                function("(url as text, optional apiKey as text) => 1"),
                function("(url as text, subscription_key as text) => 1"),
                function("Value.ReplaceType((a) => 1, type function (a as (type text meta [Documentation.FieldCaption = \"Your API Key\"])) as any)"),
                function("(server as text, uid as text) => Odbc.DataSource([Server = server])"),
                function("Function.From(type function () as any, (l) => l)"),
            ]);
        insta::assert_snapshot!(cases.run());
    }
}
