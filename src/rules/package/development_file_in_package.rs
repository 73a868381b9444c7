//! PQ005: development files shipped in the package.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::package::{Packing, file_extension};
use crate::rules::{Context, Priority};

/// Extensions of project, test and script files that never belong in a package.
const DEVELOPMENT_EXTENSIONS: &[&str] =
    &["proj", "mproj", "sln", "pqout", "ps1", "cmd", "bat", "sh"];
/// Folders of editors and build output.
const DEVELOPMENT_FOLDERS: &[&str] = &[".vscode", "bin", "obj"];

declare_rule! {
    /// ## What it checks
    /// Test queries, project files or scripts are shipped in the package.
    ///
    /// An entry (or a project-folder root file that `MakePQX compile` would pack) matching
    /// `*.query.pq`, `*.test.pq`, `*.proj`, `*.mproj`, `*.sln`, `*.pqout`, `*.ps1`, `*.cmd`,
    /// `*.bat`, `*.sh`, or under `.vscode/`, `bin/` or `obj/`. In a project folder the project
    /// file and test queries are expected and not reported; scripts and other leftovers are.
    ///
    /// ## Why it matters
    /// Test queries and build scripts leak into shipped packages: `MakePQX compile` packs every
    /// root file, and real packages have shipped `.ps1` build scripts.
    ///
    /// ## Example
    /// A package holding `Contoso.query.pq` and `build.ps1` next to `Contoso.pq`.
    ///
    /// Use instead: build with the SDK's `.proj` `MezContent` list, or move scripts out of the
    /// folder you compile.
    pub(crate) static DEVELOPMENT_FILE_IN_PACKAGE = Rule {
        code: "PQ005",
        name: "development-file-in-package",
        default_severity: Severity::Warning,
        priority: Priority::P2,
    };
}

fn check(cx: &mut Context<'_>) {
    for entry in &cx.model().package.entries {
        if entry.packing == Packing::Subfolder || !is_development_file(&entry.name) {
            continue;
        }
        let finding = match entry.packing {
            Packing::MakePqxOnly => Finding::new(format!(
                "development file `{}` is in the project root, where `MakePQX compile` would pack it",
                entry.name
            ))
            .help("move it out of the connector folder, or build with the `.proj` `MezContent` list"),
            _ => Finding::new(format!("development file `{}` is in the package", entry.name))
                .help("remove it from the package; only the connector's files belong there"),
        };
        cx.report(finding.entry(entry.name.clone()));
    }
}

fn is_development_file(name: &str) -> bool {
    let lower = name.to_ascii_lowercase().replace('\\', "/");
    let in_folder = lower
        .split('/')
        .rev()
        .skip(1)
        .any(|segment| DEVELOPMENT_FOLDERS.contains(&segment));
    in_folder
        || lower.ends_with(".query.pq")
        || lower.ends_with(".test.pq")
        || DEVELOPMENT_EXTENSIONS.contains(&file_extension(&lower).as_str())
}

#[cfg(test)]
mod tests {
    use super::DEVELOPMENT_FILE_IN_PACKAGE;
    use crate::testing::{Fixture, RuleCase};

    /// Connector files pass; test queries, scripts, project files and editor folders fail.
    #[test]
    fn development_file_in_package() {
        let cases = RuleCase::new(&DEVELOPMENT_FILE_IN_PACKAGE)
            .pass([
                Fixture::finch(),
                Fixture::kestrel(),
                Fixture::finch()
                    .entry("Finch.pqm", b"1")
                    .entry("resources.resx", b"<root/>"),
            ])
            .fail([Fixture::finch()
                .entry("Finch.query.pq", b"1")
                .entry("build.ps1", b"")
                .entry("Finch.proj", b"")
                .entry(".vscode/settings.json", b"{}")
                .entry("Finch.pqout", b"")]);
        insta::assert_snapshot!(cases.run());
    }
}
