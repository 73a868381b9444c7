//! PQ115: the connector reads the local file system.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::model::connector::Kinds;
use crate::rules::{Context, Priority};
use crate::syntax::ast::ExprKind;

/// Library functions that read local files and folders.
const FILE_SYSTEM_FUNCTIONS: &[&str] = &["File.Contents", "Folder.Files", "Folder.Contents"];

declare_rule! {
    /// ## What it checks
    /// The connector uses `File.Contents`, `Folder.Files` or `Folder.Contents`.
    ///
    /// Any reference to these library functions, called or passed as a value, in the section
    /// document or a module, unless the name is defined by the connector itself.
    ///
    /// ## Why it matters
    /// Connectors cannot read the local file system: the engine raises an unpermitted-resource
    /// error. Only Web, OData, ODBC, OLE DB and ADO.NET sources are enabled for extensions.
    ///
    /// ## Example
    /// `Settings = Json.Document(File.Contents("C:\config\contoso.json"));`
    ///
    /// Use instead: pack the file with the connector and read it with
    /// `Json.Document(Extension.Contents("contoso.json"))`, or fetch it with `Web.Contents`.
    pub(crate) static FILE_SYSTEM_ACCESS = Rule {
        code: "PQ115",
        name: "file-system-access",
        default_severity: Severity::Error,
        priority: Priority::P1,
    };
}

fn check(cx: &mut Context<'_>) {
    if !FILE_SYSTEM_FUNCTIONS
        .iter()
        .any(|name| cx.model().may_mention(name))
    {
        return;
    }
    let mut found = Vec::new();
    super::for_each_connector_expr(cx, Kinds::IDENT, |expr, env, file| {
        let ExprKind::Ident(ident) = &expr.kind else {
            return;
        };
        if FILE_SYSTEM_FUNCTIONS.contains(&ident.name.as_str())
            && env.lookup_at(&ident.name, expr.span).is_external()
        {
            found.push(
                Finding::new(format!(
                    "`{}` reads the local file system, which connectors cannot do",
                    ident.name
                ))
                .primary(file, ident.span)
                .help("pack the file and read it with `Extension.Contents`, or fetch the data over the network"),
            );
        }
    });
    for finding in found {
        cx.report(finding);
    }
}

#[cfg(test)]
mod tests {
    use super::FILE_SYSTEM_ACCESS;
    use crate::testing::{Fixture, RuleCase};

    /// `Extension.Contents` and a connector's own `File.Contents` pass; library file-system
    /// functions, called or referenced, in the section or a module, fail.
    #[test]
    fn file_system_access() {
        let cases = RuleCase::new(&FILE_SYSTEM_ACCESS)
            .pass([
                Fixture::finch(),
                Fixture::kestrel(),
                Fixture::finch().members(
                    "A = Extension.Contents(\"a.json\");\nB = let File.Contents = (p) => p in File.Contents(\"x\");",
                ),
            ])
            .fail([
                Fixture::finch()
                    .members(
                        "A = File.Contents(\"C:\\\\a.json\");\nB = List.Transform({\"C:\\\\\"}, Folder.Files);",
                    )
                    .entry("Helpers.pqm", b"Folder.Contents(\"D:\\\\\")"),
                // The name spelled with an escape is the same name.
                Fixture::finch().members("A = #\"File#(002E)Contents\"(\"C:\\\\a.json\");"),
            ]);
        insta::assert_snapshot!(cases.run());
    }
}
