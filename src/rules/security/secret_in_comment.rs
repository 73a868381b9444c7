//! PQ713: a secret written in a comment.
use super::hardcoded_secret::{is_secret_name, is_secret_value};
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::rules::{Context, Priority};
use crate::source::Span;

declare_rule! {
    /// ## What it checks
    /// A comment holds a secret: an old key, token or password left next to the code.
    ///
    /// In a `//` or `/* */` comment of the section document or a module, an assignment
    /// `name = value`, `name: value` or `name = "value"` whose name is a secret's name (the
    /// words of PQ708: `secret`, `password`, `token`, `api key`, `subscription key`, …) and
    /// whose value looks like a secret as PQ708 judges values (at least 16 characters, no
    /// spaces, high entropy, not a placeholder).
    ///
    /// ## Why it matters
    /// Comments ship in the package like code: anyone who unzips it reads the secret, which
    /// often still works.
    ///
    /// ## Example
    /// `// client_secret = "8Q~xv3kLmN5rT7wE2uH9sB4aC6fG8jK"` above the code that now reads it
    /// from a file.
    ///
    /// Use instead: delete the comment and rotate the secret.
    pub(crate) static SECRET_IN_COMMENT = Rule {
        code: "PQ713",
        name: "secret-in-comment",
        default_severity: Severity::Warning,
        priority: Priority::P1,
    };
}

fn check(cx: &mut Context<'_>) {
    let model = cx.model();
    for document in &model.documents {
        let text = &model.sources.get(document.file).text;
        for comment in &document.parse.comments {
            let Some(body) = text.get(comment.start as usize..comment.end as usize) else {
                continue;
            };
            if let Some((name, at, len)) = secret_assignment(body) {
                let start = comment.start + at as u32;
                cx.report(
                    Finding::new(format!("a comment holds a secret in `{name}`"))
                        .primary_label(
                            document.file,
                            Span::new(start, start + len as u32),
                            "secret",
                        )
                        .help("delete the comment and rotate the secret; comments ship in the package"),
                );
            }
        }
    }
}

/// The first `name = value` or `name: value` of a comment whose name and value are a
/// secret's: the name, and the value's byte offset and length in the comment.
fn secret_assignment(comment: &str) -> Option<(String, usize, usize)> {
    let is_name = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.');
    for (at, separator) in comment.match_indices(['=', ':']) {
        let before = comment.get(..at)?.trim_end().trim_end_matches(['"', '\'']);
        let name_start = before
            .char_indices()
            .rev()
            .find(|(_, c)| !is_name(*c))
            .map_or(0, |(i, c)| i + c.len_utf8());
        let name = before.get(name_start..)?;
        if name.is_empty() || !is_secret_name(name) {
            continue;
        }
        let after = comment.get(at + separator.len()..)?;
        let trimmed = after.trim_start();
        let quoted = trimmed.starts_with(['"', '\'']);
        let value_start =
            at + separator.len() + (after.len() - trimmed.len()) + usize::from(quoted);
        let value: String = comment
            .get(value_start..)?
            .chars()
            .take_while(|c| !c.is_whitespace() && !matches!(c, '"' | '\'' | ',' | ';'))
            .collect();
        // Commented-out code (`token = GetToken(url)[value]`) is not a secret: a secret is
        // made of token characters only, and an unquoted one mixes letters and digits.
        let token_like = value.chars().all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=' | '_' | '~' | '-' | '.')
        });
        let mixed = value.chars().any(|c| c.is_ascii_digit())
            && value.chars().any(|c| c.is_ascii_alphabetic());
        if token_like && (quoted || mixed) && is_secret_value(&value) {
            return Some((name.to_owned(), value_start, value.len()));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::SECRET_IN_COMMENT;
    use crate::testing::{Fixture, RuleCase};

    /// Comments without secrets pass (placeholders, names that describe a secret, prose);
    /// old secrets left in comments fail, in modules too.
    #[test]
    fn secret_in_comment() {
        let cases = RuleCase::new(&SECRET_IN_COMMENT)
            .pass([
                Fixture::finch(),
                Fixture::kestrel(),
                Fixture::finch().members(
                    "// client_secret = <your client secret>\n// token_url: https://login.contoso.example/oauth2/v2.0/token\n/* The password must be entered in the dialog. */\n// apiKey = Extension.CurrentCredential()[access_token],\n// refreshToken = RefreshTokenInfo(authUrl, currentTokenValue)[tokenValue]\nA = 1;",
                ),
            ])
            .fail([
                Fixture::finch().members(
                    "// client_secret = \"8Q~xv3kLmN5rT7wE2uH9sB4aC6fG8jK\"\nA = 1;",
                ),
                Fixture::finch().entry(
                    "Old.pqm",
                    b"/* apiKey: q9Xr2LmZ7vT4kP1sW8nB3cJ6dF */ 1",
                ),
            ]);
        insta::assert_snapshot!(cases.run());
    }
}
