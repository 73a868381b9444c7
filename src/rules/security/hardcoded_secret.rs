//! PQ708: a secret written in the connector's code.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::model::connector::Kinds;
use crate::names::name_words;
use crate::rules::{Context, Priority};
use crate::source::{FileId, Span};
use crate::syntax::ast::{Expr, ExprKind, Literal};

/// Name words that make a name hold a secret.
const SECRET_WORDS: &[&str] = &["secret", "password", "passwd", "pwd", "apikey", "token"];
/// Consecutive name words that do.
const SECRET_PAIRS: &[(&str, &str)] = &[
    ("api", "key"),
    ("access", "token"),
    ("client", "secret"),
    ("private", "key"),
    ("subscription", "key"),
    ("app", "key"),
    ("application", "key"),
    ("auth", "key"),
    ("master", "key"),
    ("account", "key"),
];
/// Last name words that make a name describe a secret rather than hold one (`TokenUrl`,
/// `token_type`, `PasswordLabel`, `ApiKeyName`).
const DESCRIBING_WORDS: &[&str] = &[
    "url",
    "uri",
    "endpoint",
    "path",
    "host",
    "name",
    "field",
    "label",
    "type",
    "caption",
    "description",
    "header",
    "parameter",
    "param",
    "id",
    "kind",
    "scope",
    "resource",
    "format",
    "prefix",
    "suffix",
    "location",
    "length",
    "expiry",
    "expires",
    "lifetime",
];
/// Shortest secret value, in characters.
const MIN_SECRET_CHARS: usize = 16;
/// The dashes around a PEM block's label.
const PRIVATE_KEY_MARKER: &str = "-----";
/// Least Shannon entropy of a secret value, in bits per character.
const MIN_SECRET_ENTROPY: f64 = 3.5;
/// Shortest token after `Basic ` / `Bearer `.
const MIN_HEADER_TOKEN_CHARS: usize = 8;
/// Least entropy of such a token, in bits per character: `Basic aaaaaaaa` is no credential.
const MIN_HEADER_TOKEN_ENTROPY: f64 = 3.0;
/// Average word length, in letters, of a value that reads as a name rather than a secret.
const MIN_IDENTIFIER_WORD_CHARS: usize = 4;
/// Words of sample or placeholder values.
const PLACEHOLDER_WORDS: &[&str] = &[
    "your",
    "placeholder",
    "example",
    "xxxx",
    "changeme",
    "replace",
    "redacted",
    "dummy",
];

declare_rule! {
    /// ## What it checks
    /// A text literal in the code is a secret: a key, password, token or private key.
    ///
    /// Four shapes. A text literal bound (section member, `let` variable, record or options
    /// field) to a name whose words include `secret`, `password`, `passwd`, `pwd`, `apikey`,
    /// `token`, or the pairs `api key`, `access token`, `client secret`, `private key`,
    /// `subscription key`, `app key`, `application key`, `auth key`, `master key`,
    /// `account key`, when it has at least 16 characters, no spaces and at least 3.5 bits of Shannon entropy per
    /// character; names that describe a secret (`TokenUrl`, `token_type`, `PasswordLabel`) and
    /// `client_id` values are not secrets, nor are URLs, paths and placeholders
    /// (`<your key>`) and values that read as names (`AccessTokenCacheKeyForContoso`). An
    /// `Authorization` field whose literal value is `Basic …` or `Bearer …` with a token
    /// (base64 or token characters, at least 8 of them, not a placeholder such as
    /// `Basic encoded_username:password`). A URL with `user:password@`. A PEM
    /// `-----BEGIN … PRIVATE KEY-----` block. Text inside `Documentation.*` fields (sample
    /// values, examples) is not checked.
    ///
    /// ## Why it matters
    /// Anyone can unzip a package and read its code; a secret shipped in it is public.
    ///
    /// ## Example
    /// `Headers = [#"X-Api-Key" = "q9Xr2LmZ7vT4kP1sW8nB3cJ6"]`.
    ///
    /// Use instead: declare `Key` authentication and send
    /// `Extension.CurrentCredential()[Key]`; rotate the leaked key.
    pub(crate) static HARDCODED_SECRET = Rule {
        code: "PQ708",
        name: "hardcoded-secret",
        default_severity: Severity::Error,
        priority: Priority::P1,
    };
}

const HELP: &str = "remove it and rotate it; let users enter secrets through an authentication kind (`Key`, `UsernamePassword`, `OAuth`)";

fn check(cx: &mut Context<'_>) {
    let connector = cx.connector();
    let mut documentation: Vec<(FileId, Span)> = Vec::new();
    let mut bound: Vec<(&str, &Expr, FileId)> = Vec::new();
    let mut headers: Vec<(String, FileId, Span)> = Vec::new();
    let mut literals: Vec<(FileId, Span, &str)> = Vec::new();
    if let Some(section) = &connector.section {
        for member in &section.document.members {
            bound.push((&member.name.name, &member.value, section.file));
        }
    }
    let kinds = Kinds::RECORD.or(Kinds::LET).or(Kinds::TEXT);
    cx.for_each_expr_of(kinds, |expr, env, file| match &expr.kind {
        ExprKind::Record(fields) => {
            for field in fields {
                if field.name.name.starts_with("Documentation.") {
                    documentation.push((file, field.value.span));
                }
                if may_hold_secret(&field.value) {
                    bound.push((&field.name.name, &field.value, file));
                }
                if field.name.name.eq_ignore_ascii_case("Authorization")
                    && let Ok(text) = connector
                        .resolver
                        .text(&field.value, &env.with_record(file, fields))
                    && is_header_secret(&text)
                {
                    headers.push((field.name.name.to_string(), file, field.value.span));
                }
            }
        }
        ExprKind::Let(let_expr) => {
            for binding in &let_expr.bindings {
                if may_hold_secret(&binding.value) {
                    bound.push((&binding.name.name, &binding.value, file));
                }
            }
        }
        ExprKind::Literal(Literal::Text(text)) => {
            let message = if contains_private_key(text) {
                "hard-coded private key"
            } else if has_url_password(text) {
                "hard-coded password in a URL"
            } else {
                return;
            };
            literals.push((file, expr.span, message));
        }
        _ => {}
    });
    let documented = |file: FileId, span: Span| {
        documentation
            .iter()
            .any(|(f, s)| *f == file && s.start <= span.start && span.end <= s.end)
    };
    let mut findings: Vec<(FileId, Span, String)> = Vec::new();
    for (name, value, file) in bound {
        let Some(text) = text_literal(value) else {
            continue;
        };
        // Checked cheapest first: most bound texts are short, and most names hold no secret
        // word.
        if text.len() >= MIN_SECRET_CHARS
            && is_secret_name(name)
            && is_secret_value(text)
            && !documented(file, value.span)
        {
            findings.push((file, value.span, format!("hard-coded secret in `{name}`")));
        }
    }
    for (name, file, span) in headers {
        if !documented(file, span) {
            findings.push((
                file,
                span,
                format!("hard-coded credentials in an `{name}` header"),
            ));
        }
    }
    for (file, span, message) in literals {
        if !documented(file, span) {
            findings.push((file, span, message.into()));
        }
    }
    let mut seen: Vec<(FileId, Span)> = Vec::new();
    for (file, span, message) in findings {
        if seen.contains(&(file, span)) {
            continue;
        }
        seen.push((file, span));
        cx.report(
            Finding::new(message)
                .primary_label(file, span, "secret")
                .help(HELP),
        );
    }
}

/// Whether a bound value is literal text long enough to be a secret: what is worth keeping
/// for the name test.
fn may_hold_secret(value: &Expr) -> bool {
    text_literal(value).is_some_and(|text| text.len() >= MIN_SECRET_CHARS)
}

/// The text of a literal, through parentheses and `meta`.
fn text_literal(expr: &Expr) -> Option<&str> {
    match &expr.kind {
        ExprKind::Literal(Literal::Text(text)) => Some(text),
        ExprKind::Parens(inner) | ExprKind::Meta { value: inner, .. } => text_literal(inner),
        _ => None,
    }
}

pub(super) fn is_secret_name(name: &str) -> bool {
    // A name holds a secret word only if its lower-case text contains it: most names are
    // rejected here, without splitting them into words.
    let lower = name.to_ascii_lowercase();
    let mentions = |word: &str| lower.contains(word);
    if !SECRET_WORDS.iter().any(|w| mentions(w))
        && !SECRET_PAIRS.iter().any(|(a, b)| mentions(a) && mentions(b))
    {
        return false;
    }
    let words: Vec<String> = name_words(name).iter().map(|w| w.to_lowercase()).collect();
    let pair = |a: &str, b: &str| {
        words
            .windows(2)
            .any(|w| matches!(w, [first, second] if first == a && second == b))
    };
    if pair("client", "id")
        || words
            .last()
            .is_some_and(|w| DESCRIBING_WORDS.contains(&w.as_str()))
    {
        return false;
    }
    words.iter().any(|w| SECRET_WORDS.contains(&w.as_str()))
        || SECRET_PAIRS.iter().any(|(a, b)| pair(a, b))
}

pub(super) fn is_secret_value(text: &str) -> bool {
    text.chars().count() >= MIN_SECRET_CHARS
        && !text.chars().any(char::is_whitespace)
        && !text.contains("://")
        && !text.starts_with('/')
        && !is_placeholder(text)
        && !looks_like_identifier(text)
        && entropy(text) >= MIN_SECRET_ENTROPY
}

/// A name made of words (`AccessTokenCacheKeyForContosoV2`, `refresh_token_expires_in`),
/// whose entropy comes from its mixed case rather than from randomness: long words, at most
/// one of a single letter.
fn looks_like_identifier(text: &str) -> bool {
    let words = name_words(text);
    let letters: usize = words.iter().map(|w| w.chars().count()).sum();
    let single_letters = words.iter().filter(|w| w.chars().count() == 1).count();
    !words.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
        && letters >= MIN_IDENTIFIER_WORD_CHARS * words.len()
        && single_letters <= 1
}

fn is_placeholder(text: &str) -> bool {
    let lower = text.to_lowercase();
    // Template markers (`<…>`, `{…}`, `%…%`, `$…`, `#lib(…)`), and calls written as text.
    matches!(text.chars().next(), Some('<' | '{' | '[' | '%' | '$' | '#'))
        || (text.contains('(') && text.ends_with(')'))
        || text.chars().all(|c| c == '*' || c == 'x' || c == 'X')
        || PLACEHOLDER_WORDS.iter().any(|w| lower.contains(w))
}

/// Shannon entropy in bits per character.
fn entropy(text: &str) -> f64 {
    let mut counts: Vec<(char, usize)> = Vec::new();
    let mut total = 0usize;
    for c in text.chars() {
        total += 1;
        match counts.iter_mut().find(|(seen, _)| *seen == c) {
            Some((_, count)) => *count += 1,
            None => counts.push((c, 1)),
        }
    }
    if total == 0 {
        return 0.0;
    }
    counts
        .iter()
        .map(|(_, count)| {
            let p = *count as f64 / total as f64;
            -p * p.log2()
        })
        .sum()
}

/// `Basic dXNlcjpwYXNz` or `Bearer eyJ…` with a real token.
fn is_header_secret(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    let rest = ["basic ", "bearer "].iter().find_map(|scheme| {
        lower
            .starts_with(scheme)
            .then(|| text.get(scheme.len()..))?
    });
    rest.is_some_and(|token| {
        let token = token.trim();
        token.chars().count() >= MIN_HEADER_TOKEN_CHARS
            && token
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-._~+/=".contains(c))
            && !is_placeholder(token)
            && entropy(token) >= MIN_HEADER_TOKEN_ENTROPY
    })
}

/// A URL with `user:password@` whose password is not a placeholder.
fn has_url_password(text: &str) -> bool {
    // Most literals have no `@`: skip them before searching for `://`.
    text.contains('@')
        && text.match_indices("://").any(|(at, marker)| {
            let rest = text.get(at + marker.len()..).unwrap_or_default();
            let authority = rest
                .split(|c: char| matches!(c, '/' | '?' | '#') || c.is_whitespace())
                .next()
                .unwrap_or_default();
            let Some((userinfo, _)) = authority.rsplit_once('@') else {
                return false;
            };
            let Some((user, password)) = userinfo.split_once(':') else {
                return false;
            };
            !user.is_empty()
                && !password.is_empty()
                && !is_placeholder(password)
                && !matches!(
                    password.to_ascii_lowercase().as_str(),
                    "password" | "pass" | "pwd" | "secret"
                )
        })
}

/// A PEM private key block header.
fn contains_private_key(text: &str) -> bool {
    // Most literals are short and have no dash: rejected by one byte search before the
    // substring search is set up.
    text.len() > PRIVATE_KEY_MARKER.len()
        && memchr::memchr(b'-', text.as_bytes()).is_some()
        && text.contains(PRIVATE_KEY_MARKER)
        && text.match_indices("-----BEGIN ").any(|(at, marker)| {
            let rest = text.get(at + marker.len()..).unwrap_or_default();
            let line = rest.split('\n').next().unwrap_or_default();
            line.find("-----")
                .and_then(|end| line.get(..end))
                .is_some_and(|label| label.ends_with("PRIVATE KEY"))
        })
}

#[cfg(test)]
mod tests {
    use super::{HARDCODED_SECRET, entropy, is_secret_name};
    use crate::testing::{Fixture, RuleCase};

    /// Name words decide; describing names and client ids are not secrets.
    #[test]
    fn secret_names() {
        for name in [
            "ClientSecret",
            "client_secret",
            "api_key",
            "X-Api-Key",
            "APIKEY",
            "AccessToken",
            "refresh_token",
            "DbPassword",
            "PrivateKey",
            "pwd",
        ] {
            assert!(is_secret_name(name), "{name}");
        }
        for name in [
            "client_id",
            "ClientId",
            "TokenUrl",
            "token_type",
            "PasswordLabel",
            "ApiKeyName",
            "KeyLabel",
            "Key",
            "Private",
            "Tokenizer",
        ] {
            assert!(!is_secret_name(name), "{name}");
        }
        assert!(entropy("aaaaaaaaaaaaaaaa") < 1.0);
        assert!(entropy("q9Xr2LmZ7vT4kP1sW8nB3cJ6") > 4.0);
    }

    /// Realistic values that are not secrets pass: a GUID client id, sample keys in
    /// documentation, a base64 icon, token field names read from a response, token URLs,
    /// labels, placeholders, low-entropy values. A client secret, an API key header, a bearer
    /// token, a password in a URL and a private key fail, in modules too.
    #[test]
    fn hardcoded_secret() {
        let cases = RuleCase::new(&HARDCODED_SECRET)
            .pass([
                Fixture::kestrel(),
                Fixture::finch().members(
                    r##"client_id = "6731de76-14a6-49ae-97bc-6eba6914391e";
TokenUrl = "https://login.contoso.example/oauth2/v2.0/token";
TokenPath = "/oauth2/v2.0/token_endpoint_x9";
ApiKeyName = "x-api-key";
GetApiToken = "#lib(GetApiToken)";
RefreshToken = "Token.Refresh(Xq7pL2vN9mK4)";
Token = "<your token here>";
AccessToken = "aaaaaaaaaaaaaaaaaaaa";
AccessTokenCacheKey = "AccessTokenCacheKeyForContosoV2";
RefreshTokenField = [refresh_token_name = "refresh_token_expires_in"];
Icon = "iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAYAAAAf8/9hAAAAGXRFWHRTb2Z0d2FyZQ";
KeyType = type text meta [
    Documentation.FieldCaption = "API key",
    Documentation.SampleValues = {"sk_test_4eC39HqLyjWDarjtT1zdp7dc"},
    Documentation.Examples = {[Code = "Contoso.Contents(""https://admin:Xq7pL2vR@contoso.example"")"]}
];
ParseToken = (response) =>
    let json = Json.Document(response)
    in [access_token = json[access_token], token_type = json[token_type], expires_in = json[expires_in]];
Headers = [Authorization = "Bearer " & Extension.CurrentCredential()[access_token], Accept = "application/json"];
TokenQuery = [Authorization = "Basic encoded_username:password"];
Weak = [Authorization = "Basic aaaaaaaaaaaa"];
Docs = "See https://contoso.example/auth for the -----BEGIN CERTIFICATE----- format.";"##,
                ),
            ])
            .fail([Fixture::finch()
                .members(
                    r#"ClientSecret = "3q~Kd8Q~vXy1Zp0LmN5rT7wE2uH9sB4aC6fG8jK";
Get = (url) =>
    let
        access_token = "ya29.a0AfH6SMBx7Yq3kLmN0pQ2rS5tU8vW",
        response = Web.Contents(url, [Headers = [#"X-Api-Key" = "q9Xr2LmZ7vT4kP1sW8nB3cJ6", Authorization = "Basic YWRtaW46aHVudGVyMg=="]])
    in
        response;
Mirror = "https://admin:Hunter2Pass@files.contoso.example/export";
SubscriptionKey = "7f3c9a1be4d24c8f9e0a6b5d2c1f8e73";"#,
                )
                .entry(
                    "Keys.pqm",
                    b"[SigningKey = \"-----BEGIN RSA PRIVATE KEY-----\\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX\\n-----END RSA PRIVATE KEY-----\"]",
                )]);
        insta::assert_snapshot!(cases.run());
    }
}
