//! PQ205: an OAuth flow that uses a confidential client secret.
use super::{auth_kinds, walk_handlers};
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::rules::{Context, Priority};
use crate::source::{FileId, Span};
use crate::syntax::ast::{ExprKind, Literal};

/// The OAuth parameter that carries a confidential client's secret.
const CLIENT_SECRET: &str = "client_secret";

declare_rule! {
    /// ## What it checks
    /// An OAuth flow sends a confidential client secret.
    ///
    /// The token request of `FinishLogin` or `Refresh`, or of a function or value they use,
    /// builds a record field or query parameter named `client_secret`; or the package reads an
    /// entry whose name contains `secret` with `Extension.Contents`.
    ///
    /// ## Why it matters
    /// Connectors run on client machines, where anyone can unzip the package and extract the
    /// secret. Public clients should use PKCE instead.
    ///
    /// ## Example
    /// `Uri.BuildQueryString([ client_id = ClientId, client_secret = ClientSecret, code = code ])`
    /// with `ClientSecret = Text.FromBinary(Extension.Contents("client_secret"))`.
    ///
    /// Use instead: register a public client and send a `code_verifier` in the token request
    /// (and its `code_challenge` from `StartLogin`), with no secret.
    pub(crate) static OAUTH_CLIENT_SECRET = Rule {
        code: "PQ205",
        name: "oauth-client-secret",
        default_severity: Severity::Warning,
        priority: Priority::P2,
    };
}

fn check(cx: &mut Context<'_>) {
    let connector = cx.connector();
    for (kind, auth) in auth_kinds(connector, "OAuth") {
        let mut sites: Vec<(FileId, Span, &'static str)> = Vec::new();
        walk_handlers(
            connector,
            auth,
            &["FinishLogin", "Refresh"],
            &mut |expr, _, file| {
                let site = match &expr.kind {
                    ExprKind::Record(fields) => fields
                        .iter()
                        .find(|f| f.name.name == CLIENT_SECRET)
                        .map(|f| (f.name.span, "`client_secret` sent here")),
                    ExprKind::Literal(Literal::Text(text))
                        if text.contains(&format!("{CLIENT_SECRET}=")) =>
                    {
                        Some((expr.span, "`client_secret` sent here"))
                    }
                    _ => None,
                };
                if let Some((span, label)) = site
                    && !sites.iter().any(|(f, s, _)| *f == file && *s == span)
                {
                    sites.push((file, span, label));
                }
            },
        );
        for reference in connector.contents() {
            if let Ok(target) = &reference.target
                && target.to_ascii_lowercase().contains("secret")
                && !sites
                    .iter()
                    .any(|(f, s, _)| *f == reference.file && *s == reference.span)
            {
                sites.push((
                    reference.file,
                    reference.span,
                    "secret read from the package here",
                ));
            }
        }
        let Some(((file, span, label), rest)) = sites.split_first() else {
            continue;
        };
        let mut finding = Finding::new(format!(
            "the OAuth flow of `{}` uses a client secret",
            kind.name
        ))
        .primary_label(*file, *span, *label)
        .help("use a public client with PKCE (`code_verifier` in the token request, `code_challenge` in `StartLogin`) and remove the secret")
        .note("anyone can unzip a connector and read a secret shipped in it");
        for (file, span, label) in rest {
            finding = finding.secondary(*file, *span, *label);
        }
        cx.report(finding);
    }
}

#[cfg(test)]
mod tests {
    use super::OAUTH_CLIENT_SECRET;
    use crate::testing::{Fixture, RuleCase};

    /// Finch signing in with OAuth, whose `FinishLogin` and `Refresh` handlers are `helpers`.
    fn oauth(helpers: &str) -> Fixture {
        Fixture::finch()
            .replace(
                "[Anonymous = []]",
                "[OAuth = [StartLogin = (a, b, c) => b, FinishLogin = FinishLogin, Refresh = Refresh]]",
            )
            .members(helpers)
    }

    /// A PKCE token request passes; a `client_secret` field, a query text with it, or a
    /// secret read from the package fails.
    #[test]
    fn oauth_client_secret() {
        let cases = RuleCase::new(&OAUTH_CLIENT_SECRET)
            .pass([
                Fixture::finch(),
                Fixture::kestrel(),
                oauth(
                    "FinishLogin = (context, callbackUri, state) => Token([grant_type = \"authorization_code\", code_verifier = context]);\nRefresh = (resourceUrl, refreshToken) => Token([grant_type = \"refresh_token\"]);\nToken = (query) => Web.Contents(\"https://login.example/token\", [Content = Text.ToBinary(Uri.BuildQueryString(query))]);\nOther = [client_secret = \"unrelated\"];",
                ),
            ])
            .fail([oauth(
                "FinishLogin = (context, callbackUri, state) => Token([client_id = ClientId, client_secret = ClientSecret]);\nRefresh = (resourceUrl, refreshToken) => Web.Contents(\"https://login.example/token?grant_type=refresh_token&client_secret=\" & ClientSecret);\nToken = (query) => Web.Contents(\"https://login.example/token\", [Content = Text.ToBinary(Uri.BuildQueryString(query))]);\nClientId = \"finch\";\nClientSecret = Text.FromBinary(Extension.Contents(\"client_secret\"));",
            )
            .entry("client_secret", b"s3cr3t")]);
        insta::assert_snapshot!(cases.run());
    }
}
