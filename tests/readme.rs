//! The README's rules table is generated from the registry; this test fails when it is stale
//! (and, outside CI, rewrites it so the next run passes and `git diff` shows the change).

use mezcheck::rules::ALL;

const START: &str = "<!-- rules:start -->";
const END: &str = "<!-- rules:end -->";

/// The README starts with the two commands that do everything on a fresh machine, `.ci/run`
/// runs the same test command, and the rules table between the markers equals the one
/// generated from `rules::ALL`. One test, so the rewrite cannot race a reader.
#[test]
fn readme_is_current() {
    starts_with_the_two_commands();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
    let readme = std::fs::read_to_string(path).expect("README.md");
    let (before, rest) = readme
        .split_once(START)
        .expect("README has the rules start marker");
    let (_, after) = rest
        .split_once(END)
        .expect("README has the rules end marker");
    let table = mezcheck::output::rules_table_markdown(ALL);
    let expected = format!("{before}{START}\n{table}{END}{after}");
    if readme != expected {
        if std::env::var_os("CI").is_none() {
            std::fs::write(path, &expected).expect("rewrite README.md");
        }
        panic!(
            "the README rules table was stale; it has been regenerated (outside CI): review and commit README.md"
        );
    }
}

fn starts_with_the_two_commands() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let head: String = readme.lines().take(6).collect::<Vec<_>>().join("\n");
    assert!(
        head.contains("cargo run --release -- check samples/clean"),
        "{head}"
    );
    assert!(head.contains("cargo test --locked"), "{head}");
    let ci =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/.ci/run")).expect(".ci/run");
    assert!(
        ci.lines().any(|l| l.trim() == "cargo test --locked"),
        ".ci/run runs the README's test command"
    );
}
