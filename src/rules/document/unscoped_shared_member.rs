//! PQ116: a `shared` helper whose name is not scoped by a Kind.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::rules::{Context, Priority};
use crate::syntax::ast::SectionMember;

declare_rule! {
    /// ## What it checks
    /// A `shared` member that is not a data source function is not named `K.…` for a Kind K.
    ///
    /// Every `shared` member other than the data source functions must start with the name
    /// of one of the package's Kinds and a dot (`Contoso.Helper`); a shared
    /// `Table.ToNavigationTable` or `GetPage` is reported.
    ///
    /// ## Why it matters
    /// Shared names are global across every connector Desktop loads. A shared helper can
    /// clash with another connector's (the load then fails) or with a library function.
    ///
    /// ## Example
    /// `shared Table.ToNavigationTable = …;`
    ///
    /// Use instead: `Table.ToNavigationTable = …;` (not shared), or `shared
    /// Contoso.NavigationTable = …;` when users need it.
    pub(crate) static UNSCOPED_SHARED_MEMBER = Rule {
        code: "PQ116",
        name: "unscoped-shared-member",
        default_severity: Severity::Warning,
        priority: Priority::P2,
    };
}

fn check(cx: &mut Context<'_>) {
    let connector = cx.connector();
    let Some(section) = &connector.section else {
        return;
    };
    // Sets, so a section with 100,000 members is not compared member by member.
    let data_sources: std::collections::HashSet<*const SectionMember> = connector
        .data_sources()
        .iter()
        .map(|d| std::ptr::from_ref(d.member))
        .collect();
    let kinds: std::collections::HashSet<&str> =
        connector.kinds().iter().map(|k| k.name.as_str()).collect();
    for member in &section.document.members {
        let Some(shared) = member.shared else {
            continue;
        };
        let name = &member.name.name;
        let is_data_source = data_sources.contains(&std::ptr::from_ref(member));
        // Named after a Kind: some prefix before a `.` (with something after it) is a Kind.
        let scoped = name
            .match_indices('.')
            .filter(|(at, _)| at + 1 < name.len())
            .any(|(at, _)| name.get(..at).is_some_and(|prefix| kinds.contains(prefix)));
        if is_data_source || scoped {
            continue;
        }
        let help = match connector.kinds().first() {
            Some(kind) => format!(
                "remove `shared`, or name it `{}.{}` if users need it",
                kind.name,
                name.rsplit('.').next().unwrap_or(name)
            ),
            None => "remove `shared` from helpers".to_owned(),
        };
        cx.report(
            Finding::new(format!(
                "shared member `{name}` is neither a data source function nor named after a Kind"
            ))
            .primary(section.file, member.name.span)
            .secondary(section.file, shared, "makes it global")
            .help(help),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::UNSCOPED_SHARED_MEMBER;
    use crate::testing::{Fixture, RuleCase};

    /// Data source functions, Kind-scoped shared members and private helpers pass; other
    /// shared members fail.
    #[test]
    fn unscoped_shared_member() {
        let cases = RuleCase::new(&UNSCOPED_SHARED_MEMBER)
            .pass([
                Fixture::finch(),
                Fixture::kestrel(),
                Fixture::finch().members("shared Finch.Helper = 1;\nGetPage = 2;"),
            ])
            .fail([Fixture::finch().members(
                "shared Table.ToNavigationTable = 1;\nshared GetPage = 2;\nshared FinchHelper = 3;",
            )]);
        insta::assert_snapshot!(cases.run());
    }
}
