//! Whole failing articles and changelogs under `tests/docs/`, checked by every 8xx and 9xx
//! rule on Kestrel turned into the connector they describe; one snapshot per file.

use crate::rules::ALL;
use crate::testing::{Fixture, RuleCase};

/// Kestrel turned into the imaginary Contoso Warehouse connector the cases describe: version
/// 2.1.0, in beta, with `OAuth` and `Key` authentication, an ODBC call and an optional
/// `timeout` parameter captioned "Command timeout in minutes".
fn contoso_warehouse() -> Fixture {
    Fixture::kestrel()
        .replace(r#"[Version = "1.2.0"]"#, r#"[Version = "2.1.0"]"#)
        .replace("Beta = false", "Beta = true")
        .replace("        Key = [", "        OAuth = [],\n        Key = [")
        .replace(
            ") as table meta [",
            r#", optional timeout as (type number meta [Documentation.FieldCaption = "Command timeout in minutes"])) as table meta ["#,
        )
        .replace(
            "KestrelImpl = (url as text)",
            "KestrelImpl = (url as text, optional timeout as number)",
        )
        .members(
            r#"Warehouse = (server as text) => Odbc.DataSource([Driver = "Contoso Warehouse", Server = server]);"#,
        )
}

/// Runs `case` through every rule whose code starts with `prefix`: the rules in `failing` must
/// report something, every other rule nothing. Returns the failing rules' findings.
fn check_all(case: &Fixture, prefix: &str, failing: &[&str]) -> String {
    let rules: Vec<_> = ALL
        .iter()
        .copied()
        .filter(|rule| rule.code.starts_with(prefix))
        .collect();
    for code in failing {
        assert!(
            rules.iter().any(|rule| rule.code == *code),
            "no rule {code}"
        );
    }
    rules
        .into_iter()
        .map(|rule| {
            let cases = RuleCase::new(rule);
            if failing.contains(&rule.code) {
                cases.fail([case.clone()])
            } else {
                cases.pass([case.clone()])
            }
            .run()
        })
        .filter(|found| !found.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The case file's name and text.
fn read_case(path: &std::path::Path) -> (String, String) {
    let text = std::fs::read_to_string(path).expect("case file");
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    (name, text)
}

/// Every article case, as Contoso Warehouse's article, fails the 8xx rules listed for it and
/// passes the others.
#[test]
fn article_cases() {
    insta::glob!("../../../tests/docs", "articles/*.md", |path| {
        let (name, text) = read_case(path);
        let failing: &[&str] = match name.as_str() {
            "Contoso_Warehouse.md" => &[
                "PQ801", "PQ802", "PQ803", "PQ804", "PQ806", "PQ807", "PQ808", "PQ809", "PQ810",
                "PQ811", "PQ812",
            ],
            "wren-template.md" => &[
                "PQ802", "PQ804", "PQ805", "PQ807", "PQ808", "PQ811", "PQ812", "PQ813",
            ],
            other => panic!("list the rules that fail on {other}"),
        };
        let case = contoso_warehouse().article(&name, &text);
        insta::assert_snapshot!(check_all(&case, "PQ8", failing));
    });
}

/// Every changelog case fails the 9xx rules listed for it and passes the others. A Markdown
/// case is Contoso Warehouse's `CHANGELOG.md`. Discovery finds only `CHANGELOG.md` and
/// `CHANGES.md` and `RuleCase` cannot give `--changelog`, so a plain-text case runs on the
/// documents alone, with Contoso Warehouse's section version.
#[test]
fn changelog_cases() {
    insta::glob!("../../../tests/docs", "changelogs/*", |path| {
        let (name, text) = read_case(path);
        let failing: &[&str] = match name.as_str() {
            "internal-notes.md" => &["PQ902", "PQ903", "PQ904"],
            "release-notes.txt" => &["PQ902", "PQ904"],
            other => panic!("list the rules that fail on {other}"),
        };
        // Discovery finds only `CHANGELOG.md` and `CHANGES.md`; other names are given with
        // `--changelog`.
        let case = if name.ends_with(".md") {
            contoso_warehouse().changelog("CHANGELOG.md", &text)
        } else {
            contoso_warehouse()
                .changelog(&name, &text)
                .given_changelog()
        };
        insta::assert_snapshot!(check_all(&case, "PQ9", failing));
    });
}
