//! PQ214: an `OAuth` flow that signs in with Entra ID by hand instead of using `Aad`.
use super::{auth_kinds, walk_handlers};
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::rules::{Context, Priority};
use crate::source::{FileId, Span};
use crate::syntax::ast::{ExprKind, Literal};

/// The Entra ID (Azure AD) sign-in hosts.
const ENTRA_HOSTS: &[&str] = &[
    "login.microsoftonline.com",
    "login.windows.net",
    "login.microsoft.com",
];

/// The handlers that sign in. `Logout` is left out: many OAuth connectors for other services
/// copied the SDK sample's Entra ID `logout.srf` address without signing in with Entra ID.
const SIGN_IN_HANDLERS: [&str; 3] = ["StartLogin", "FinishLogin", "Refresh"];

declare_rule! {
    /// ## What it checks
    /// An `OAuth` kind's handlers use an Entra ID sign-in URL; the `Aad` kind does this natively.
    ///
    /// The sign-in handlers (`StartLogin`, `FinishLogin`, `Refresh`) and every function or
    /// value they use contain a literal URL on `login.microsoftonline.com`,
    /// `login.windows.net` or `login.microsoft.com`. `Logout` alone does not count: many
    /// connectors for other services copied the Entra ID sign-out address from an SDK sample.
    ///
    /// ## Why it matters
    /// A hand-made Entra ID flow can break service refresh under Conditional Access, and
    /// single sign-on needs the `Aad` kind.
    ///
    /// ## Example
    /// `OAuth = [ StartLogin = StartLogin, FinishLogin = FinishLogin ]` with
    /// `StartLogin` building `https://login.microsoftonline.com/common/oauth2/v2.0/authorize?…`.
    ///
    /// Use instead: `Aad = [ AuthorizationUri = "https://login.microsoftonline.com/common/oauth2/authorize",
    /// Resource = "https://contoso.example" ]`
    pub(crate) static CUSTOM_ENTRA_OAUTH_FLOW = Rule {
        code: "PQ214",
        name: "custom-entra-oauth-flow",
        default_severity: Severity::Info,
        priority: Priority::P2,
    };
}

fn check(cx: &mut Context<'_>) {
    let connector = cx.connector();
    for (kind, auth) in auth_kinds(connector, "OAuth") {
        let mut sites: Vec<(FileId, Span, &'static str)> = Vec::new();
        walk_handlers(connector, auth, &SIGN_IN_HANDLERS, &mut |expr, _, file| {
            if let ExprKind::Literal(Literal::Text(text)) = &expr.kind
                && let Some(host) = entra_host(text)
                && !sites.iter().any(|(f, s, _)| *f == file && *s == expr.span)
            {
                sites.push((file, expr.span, host));
            }
        });
        let Some(((file, span, host), rest)) = sites.split_first() else {
            continue;
        };
        let mut finding = Finding::new(format!(
            "the `OAuth` kind of `{}` signs in with Entra ID (`{host}`) by hand",
            kind.name
        ))
        .primary_label(*file, *span, "Entra ID sign-in URL")
        .help("use the `Aad` authentication kind instead of a custom `OAuth` flow");
        for (file, span, _) in rest {
            finding = finding.secondary(*file, *span, "Entra ID URL");
        }
        cx.report(finding);
    }
}

/// The Entra ID host of a URL in the text (`https://login.microsoftonline.com/…`), if any.
fn entra_host(text: &str) -> Option<&'static str> {
    let (_, rest) = text.split_once("://")?;
    let host = rest
        .split(['/', '?', '#', ':'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    ENTRA_HOSTS.iter().copied().find(|h| host == *h)
}

#[cfg(test)]
mod tests {
    use super::{CUSTOM_ENTRA_OAUTH_FLOW, entra_host};
    use crate::testing::{Fixture, RuleCase};

    /// Entra ID and other sign-in addresses, and handlers that reach them.
    const MEMBERS: &str = "AuthorizeUrl = \"https://login.microsoftonline.com/common/oauth2/v2.0/authorize\";\nTokenUrl = \"https://LOGIN.windows.net:443/common/oauth2/token\";\nStart = (a, b, c) => [LoginUri = AuthorizeUrl & \"?state=\" & b];\nFinish = (a, b, c) => Web.Contents(TokenUrl);\nOtherStart = (a, b, c) => [LoginUri = \"https://auth.finch.example/authorize\"];";

    /// Finch with these members and `authentication` as its `Authentication` record.
    fn authentication(authentication: &str) -> Fixture {
        Fixture::finch()
            .replace("[Anonymous = []]", authentication)
            .members(MEMBERS)
    }

    /// Other identity providers and `Aad` pass; Entra ID hosts reached from `OAuth` handlers
    /// fail.
    #[test]
    fn custom_entra_oauth_flow() {
        let cases = RuleCase::new(&CUSTOM_ENTRA_OAUTH_FLOW)
            .pass([
                Fixture::finch(),
                Fixture::kestrel(),
                authentication("[OAuth = [StartLogin = OtherStart, FinishLogin = (a, b, c) => c]]"),
                authentication(
                    "[OAuth = [StartLogin = OtherStart, FinishLogin = (a, b, c) => c, Logout = (token) => AuthorizeUrl]]",
                ),
                authentication(
                    "[Aad = [AuthorizationUri = AuthorizeUrl, Resource = \"https://finch.example\"]]",
                ),
            ])
            .fail([authentication(
                "[OAuth = [StartLogin = Start, FinishLogin = Finish]]",
            )]);
        insta::assert_snapshot!(cases.run());
    }

    /// Entra ID sign-in hosts are recognised in URLs only, not as a prefix of another host.
    #[test]
    fn entra_hosts() {
        assert_eq!(
            entra_host("https://login.microsoft.com"),
            Some("login.microsoft.com")
        );
        assert_eq!(
            entra_host("https://login.microsoftonline.com.evil.example/"),
            None
        );
        assert_eq!(entra_host("login.microsoftonline.com"), None);
    }
}
