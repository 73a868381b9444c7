//! PQ116: a `shared` helper whose name is not scoped by a Kind.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::rules::{Context, Priority, Scope};

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
        scope: Scope::Content,
        check,
    };
}

fn check(cx: &mut Context<'_>) {
    let connector = cx.connector();
    let Some(section) = &connector.section else {
        return;
    };
    for member in &section.document.members {
        let Some(shared) = member.shared else {
            continue;
        };
        let name = &member.name.name;
        let is_data_source = connector
            .data_sources()
            .iter()
            .any(|d| std::ptr::eq(d.member, member));
        let scoped = connector.kinds().iter().any(|kind| {
            name.strip_prefix(kind.name.as_str())
                .is_some_and(|rest| rest.starts_with('.') && rest.len() > 1)
        });
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
    use crate::testing::{archive, listing, run_rule};

    fn run(members: &str) -> String {
        let source = format!(
            "section Wren;\n[DataSource.Kind = \"Wren\"]\nshared Wren.Contents = () => 1;\n{members}"
        );
        let package = archive("Wren.mez", &[("Wren.pq", source.as_bytes())]);
        listing(&run_rule(&UNSCOPED_SHARED_MEMBER, package))
    }

    /// Data source functions, Kind-scoped shared members and private helpers pass; other
    /// shared members fail.
    #[test]
    fn unscoped_shared_member() {
        assert_eq!(run("shared Wren.Helper = 1;\nGetPage = 2;"), "");
        insta::assert_snapshot!(run(
            "shared Table.ToNavigationTable = 1;\nshared GetPage = 2;\nshared WrenHelper = 3;"
        ));
    }
}
