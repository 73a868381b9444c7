//! The binary as scripts use it: exit codes, usage errors, rule documentation, configuration,
//! standard input, output files and parallelism.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use common::{code, codes, mezcheck, mezcheck_in, sample, stderr, stdout, write};
use mezcheck::testing::{mez_of_folder, zip_bytes};

/// Findings at error level exit 1; `--exit-zero` and `--fail-on` change that; warnings alone
/// exit 0 by default.
#[test]
fn exit_codes_follow_fail_on() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "Bad.mez", b"not a zip");
    write(
        dir.path(),
        "Kestrel Web.mez",
        &mez_of_folder(&sample("clean")),
    );
    common::write_submission_documents(dir.path());
    assert_eq!(code(&mezcheck_in(dir.path(), &["Bad.mez"])), 1);
    assert_eq!(
        code(&mezcheck_in(dir.path(), &["Bad.mez", "--exit-zero"])),
        0
    );
    assert_eq!(
        code(&mezcheck_in(dir.path(), &["Kestrel Web.mez"])),
        0,
        "PQ004 is a warning"
    );
    assert_eq!(
        code(&mezcheck_in(
            dir.path(),
            &["Kestrel Web.mez", "--fail-on", "warning"]
        )),
        1
    );
    assert_eq!(
        code(&mezcheck_in(
            dir.path(),
            &["Kestrel Web.mez", "--severity", "PQ004=error"]
        )),
        1
    );
    assert_eq!(
        code(&mezcheck_in(
            dir.path(),
            &["Bad.mez", "--severity", "PQ001=off"]
        )),
        0
    );
}

/// Usage errors exit 2 with a clear message: a missing path, an unknown rule (with a
/// suggestion), a bad severity, an unwritable output file.
#[test]
fn usage_errors_exit_2() {
    let missing = mezcheck(&["check", "does/not/exist.mez"]);
    assert_eq!(code(&missing), 2);
    assert!(
        stderr(&missing).contains("does/not/exist.mez: no such file or directory"),
        "{}",
        stderr(&missing)
    );

    let unknown = mezcheck(&[
        "check",
        "samples/clean",
        "--select",
        "PQ00l,unreadable-pakage",
    ]);
    assert_eq!(code(&unknown), 2);
    insta::assert_snapshot!("unknown_selector", stderr(&unknown));

    let severity = mezcheck(&["check", "samples/clean", "--severity", "PQ001=fatal"]);
    assert_eq!(code(&severity), 2);
    assert!(
        stderr(&severity).contains("invalid severity `fatal`"),
        "{}",
        stderr(&severity)
    );

    let unwritable = mezcheck(&["check", "samples/clean", "-o", "no/such/dir/report.txt"]);
    assert_eq!(code(&unwritable), 2);
    assert!(
        stderr(&unwritable).contains("cannot write"),
        "{}",
        stderr(&unwritable)
    );

    // A mistyped command is not taken for a missing path.
    let typo = mezcheck(&["chek", "samples/clean"]);
    assert_eq!(code(&typo), 2);
    assert_eq!(
        stderr(&typo).trim(),
        "mezcheck: `chek` is neither a command nor a file or folder; did you mean `check`?"
    );
    let missing_folder = mezcheck(&["clients"]);
    assert!(
        stderr(&missing_folder).contains("clients: no such file or directory"),
        "{}",
        stderr(&missing_folder)
    );

    let not_a_package = mezcheck(&["check", "README.md"]);
    assert_eq!(code(&not_a_package), 2);
    assert_eq!(
        code(&mezcheck(&[
            "check",
            "--output-format",
            "xml",
            "samples/clean"
        ])),
        2
    );
}

/// A bad `mezcheck.toml` is exit 2 naming the unknown key; a good one applies.
#[test]
fn configuration_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "Bad.mez", b"not a zip");
    write(dir.path(), "mezcheck.toml", b"selct = [\"ALL\"]\n");
    let bad = mezcheck_in(dir.path(), &["Bad.mez"]);
    assert_eq!(code(&bad), 2);
    assert!(stderr(&bad).contains("selct"), "{}", stderr(&bad));
    assert_eq!(
        code(&mezcheck_in(dir.path(), &["Bad.mez", "--isolated"])),
        1
    );

    write(
        dir.path(),
        "mezcheck.toml",
        b"ignore = [\"unreadable-package\"]\n",
    );
    assert_eq!(code(&mezcheck_in(dir.path(), &["Bad.mez"])), 0);
    write(
        dir.path(),
        "mezcheck.toml",
        b"[severity]\nPQ001 = \"warning\"\n",
    );
    assert_eq!(code(&mezcheck_in(dir.path(), &["Bad.mez"])), 0);
    write(
        dir.path(),
        "mezcheck.toml",
        b"[per-entry-ignores]\n\"*.ps1\" = [\"PQ005\"]\n",
    );
    let zip = zip_bytes(&[("Heron.pq", b"section Heron;"), ("build.ps1", b"")]);
    write(dir.path(), "Heron.mez", &zip);
    let output = mezcheck_in(
        dir.path(),
        &[
            "Heron.mez",
            "--output-format",
            "concise",
            "--select",
            "PQ005",
        ],
    );
    assert_eq!(
        stdout(&output).trim(),
        "",
        "per-entry-ignores silences PQ005 for *.ps1"
    );
}

/// `mezcheck rule` explains rules by code or name and lists them all in every format.
#[test]
fn rule_documentation() {
    let by_code = mezcheck(&["rule", "PQ008"]);
    assert_eq!(code(&by_code), 0);
    assert_eq!(
        stdout(&by_code),
        stdout(&mezcheck(&["rule", "unsafe-archive-entry"]))
    );
    insta::assert_snapshot!("rule_pq008", stdout(&by_code));
    let all = mezcheck(&["rule", "--all", "--output-format", "json"]);
    let parsed: serde_json::Value = serde_json::from_slice(&all.stdout).expect("rule --all json");
    assert_eq!(
        parsed.as_array().map(Vec::len),
        Some(mezcheck::rules::ALL.len())
    );
    assert_eq!(code(&mezcheck(&["rule", "PQ9999"])), 2);
    assert_eq!(
        code(&mezcheck(&["rule", "--all", "--output-format", "markdown"])),
        0
    );
}

/// Runs mezcheck in `dir` with `bytes` on its standard input.
fn with_stdin(dir: &std::path::Path, args: &[&str], bytes: &[u8]) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mezcheck"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("MEZCHECK_OUTPUT_FORMAT")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(bytes)
        .expect("write stdin");
    child.wait_with_output().expect("wait")
}

/// `-` reads a package from standard input, named by `--stdin-filename`.
#[test]
fn reads_standard_input() {
    let output = with_stdin(
        &common::root(),
        &[
            "check",
            "-",
            "--stdin-filename",
            "Kestrel_Web.mez",
            "--docs",
            "samples/clean/kestrel.md",
            "--changelog",
            "samples/clean/CHANGELOG.md",
            "--output-format",
            "concise",
            "--quiet",
        ],
        &mez_of_folder(&sample("clean")),
    );
    assert_eq!(codes(&stdout(&output)), ["PQ015"], "{}", stdout(&output));
    assert!(
        stdout(&output).starts_with("Kestrel_Web.mez:1:1: PQ015"),
        "{}",
        stdout(&output)
    );
}

/// Standard input is checked as the file it is named after: the same findings, the
/// submission documents found next to that name, and M text read as M.
#[test]
fn standard_input_equals_the_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mez = dir.path().join("Kestrel.mez");
    std::fs::write(&mez, mez_of_folder(&sample("clean"))).expect("write package");
    common::write_submission_documents(dir.path());
    let section = std::fs::read(sample("clean").join("Kestrel.pq")).expect("section");
    write(dir.path(), "Kestrel.pq", &section);
    for (name, bytes) in [
        ("Kestrel.mez", std::fs::read(&mez).expect("read")),
        ("Kestrel.pq", section.clone()),
    ] {
        let from_file = mezcheck_in(dir.path(), &["check", name, "--output-format", "concise"]);
        let from_stdin = with_stdin(
            dir.path(),
            &[
                "check",
                "-",
                "--stdin-filename",
                name,
                "--output-format",
                "concise",
            ],
            &bytes,
        );
        assert_eq!(
            stdout(&from_stdin),
            stdout(&from_file),
            "{name}: {}",
            stderr(&from_stdin)
        );
        assert_eq!(code(&from_stdin), code(&from_file), "{name}");
    }
}

/// `completions` prints a script for each shell clap supports.
#[test]
fn shell_completions() {
    let bash = mezcheck(&["completions", "bash"]);
    assert_eq!(code(&bash), 0);
    assert!(stdout(&bash).contains("complete -F _mezcheck"));
    let zsh = mezcheck(&["completions", "zsh"]);
    assert!(stdout(&zsh).starts_with("#compdef mezcheck"));
    for shell in ["fish", "powershell", "elvish"] {
        let output = mezcheck(&["completions", shell]);
        assert_eq!(code(&output), 0, "{shell}");
        assert!(stdout(&output).contains("mezcheck"), "{shell}");
    }
    assert_eq!(code(&mezcheck(&["completions", "tcsh"])), 2);
}

/// Fingerprints are unique within a package, even for findings alike on one line, and do
/// not change when the lines move.
#[test]
fn fingerprints_unique_and_stable() {
    let dir = tempfile::tempdir().expect("temp dir");
    let body = "section Wren;\nshared Wren.Contents = () => missing & missing & Text.Combin({});\n";
    let fingerprints = |text: &str| {
        write(dir.path(), "Wren.pq", text.as_bytes());
        let output = mezcheck_in(
            dir.path(),
            &[
                "check",
                "Wren.pq",
                "--select",
                "PQ119",
                "--output-format",
                "json-lines",
            ],
        );
        stdout(&output)
            .lines()
            .map(|line| {
                let value: serde_json::Value = serde_json::from_str(line).expect("json line");
                value["fingerprint"]
                    .as_str()
                    .expect("fingerprint")
                    .to_owned()
            })
            .collect::<Vec<_>>()
    };
    let before = fingerprints(body);
    assert_eq!(before.len(), 3, "{before:?}");
    let mut unique = before.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 3, "{before:?}");
    let moved = fingerprints(&format!("// moved down\n\n{body}"));
    assert_eq!(before, moved);
}

/// A test query on its own is checked for syntax only: it is no package, so no article,
/// changelog, development-file or URL rule applies.
#[test]
fn bare_test_query_gets_syntax_rules_only() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(
        dir.path(),
        "Kestrel.query.pq",
        b"let\n    Source = Kestrel.Contents(\"http://insecure.example/\")\nin\n    Source\n",
    );
    write(
        dir.path(),
        "Broken.query.pq",
        b"let\n    Source = Kestrel.Contents(,\nin\n    Source\n",
    );
    let clean = mezcheck_in(
        dir.path(),
        &["check", "Kestrel.query.pq", "--output-format", "concise"],
    );
    assert_eq!(stdout(&clean), "", "{}", stderr(&clean));
    assert_eq!(code(&clean), 0);
    let broken = mezcheck_in(
        dir.path(),
        &["check", "Broken.query.pq", "--output-format", "concise"],
    );
    assert_eq!(
        codes(&stdout(&broken)),
        ["PQ100", "PQ100"],
        "{}",
        stdout(&broken)
    );
}

/// A folder without packages stops a run only when nothing else is given; among other
/// inputs it is skipped with a warning.
#[test]
fn empty_folder_among_inputs() {
    let dir = tempfile::tempdir().expect("temp dir");
    let empty = dir.path().to_str().expect("utf-8 path");
    let alone = mezcheck(&["check", empty]);
    assert_eq!(code(&alone), 2);
    assert!(stderr(&alone).contains("no connector packages found"));
    let among = mezcheck(&[
        "check",
        "samples/clean",
        empty,
        "--output-format",
        "concise",
    ]);
    assert_eq!(code(&among), 0, "{}", stderr(&among));
    let warning = stderr(&among);
    assert!(
        warning.starts_with("mezcheck: warning: ")
            && warning.trim_end().ends_with(
                ": no connector packages found (no .mez or .pqx files and no project folders); skipped"
            )
            && warning.lines().count() == 1,
        "{warning}"
    );
}

/// A folder of packages is searched recursively; the output does not depend on `-j`, and
/// `-o` writes the same report to a file.
#[test]
fn folders_of_packages_and_jobs() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (index, name) in ["a/One.mez", "b/Two_Three.mez", "c/d/Four.pqx", "Bad.mez"]
        .iter()
        .enumerate()
    {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        let bytes = if index == 3 {
            b"junk".to_vec()
        } else {
            mez_of_folder(&sample("clean"))
        };
        std::fs::write(path, bytes).expect("write");
    }
    let one = mezcheck_in(
        dir.path(),
        &[
            ".",
            "-j",
            "1",
            "--output-format",
            "concise",
            "--select",
            "PQ0",
        ],
    );
    let many = mezcheck_in(
        dir.path(),
        &[
            ".",
            "-j",
            "4",
            "--output-format",
            "concise",
            "--select",
            "PQ0",
        ],
    );
    assert_eq!(stdout(&one), stdout(&many));
    insta::assert_snapshot!("folder_of_packages", stdout(&one));
    let to_file = mezcheck_in(
        dir.path(),
        &[
            ".",
            "--output-format",
            "concise",
            "--select",
            "PQ0",
            "-o",
            "report.txt",
        ],
    );
    assert_eq!(stdout(&to_file), "");
    let written = std::fs::read_to_string(dir.path().join("report.txt")).expect("report written");
    assert_eq!(written, stdout(&one));
    let empty = tempfile::tempdir().expect("temp dir");
    let nothing = mezcheck_in(empty.path(), &["check"]);
    assert_eq!(code(&nothing), 2);
    assert!(
        stderr(&nothing).contains("no connector packages found"),
        "{}",
        stderr(&nothing)
    );
}

/// Colour is never written to a pipe unless asked for.
#[test]
fn no_colour_in_pipes() {
    let output = Command::new(env!("CARGO_BIN_EXE_mezcheck"))
        .args(["check", "samples/two-documents", "--select", "PQ016"])
        .current_dir(common::root())
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .output()
        .expect("run");
    assert!(stdout(&output).contains("PQ016"), "{}", stdout(&output));
    assert!(!stdout(&output).contains('\u{1b}'));
    let forced = mezcheck(&[
        "check",
        "samples/two-documents",
        "--color",
        "always",
        "--select",
        "PQ016",
    ]);
    assert!(stdout(&forced).contains('\u{1b}'), "{}", stdout(&forced));
}

/// A closed pipe ends the output quietly, without a panic message.
#[test]
fn broken_pipe_is_quiet() {
    let dir = tempfile::tempdir().expect("temp dir");
    let names: Vec<String> = (0..1000).map(|i| format!("script{i:04}.ps1")).collect();
    let entries: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b""[..])).collect();
    write(dir.path(), "Many.mez", &zip_bytes(&entries));
    let mut child = Command::new(env!("CARGO_BIN_EXE_mezcheck"))
        .args(["check", "Many.mez", "--output-format", "concise"])
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    drop(child.stdout.take());
    let output = child.wait_with_output().expect("wait");
    assert!(stderr(&output).is_empty(), "{}", stderr(&output));
    assert_ne!(code(&output), 101);
}

/// Packages checked in one run must not define the same section or `shared` name (PQ114):
/// each package names the others, the output does not depend on `-j`, and a source
/// suppression of PQ114 silences the clash in its package; checked alone, that suppression
/// suppresses nothing and is reported (PQ099).
#[test]
fn names_shared_across_packages() {
    let dir = tempfile::tempdir().expect("temp dir");
    let member = "[DataSource.Kind = \"Wren\"]\nshared Wren.Contents = () => 1;\n";
    let plain = format!("section Wren;\n{member}");
    let suppressed =
        format!("// mezcheck: file-ignore[PQ114] -- a fork of Wren\nsection Wren;\n{member}");
    let elsewhere = format!("section Robin;\n// mezcheck: ignore[PQ114]\n{member}");
    for (name, text) in [
        ("A.mez", &plain),
        ("B.mez", &suppressed),
        ("C.mez", &elsewhere),
    ] {
        write(
            dir.path(),
            name,
            &zip_bytes(&[("Wren.pq", text.as_bytes())]),
        );
    }
    let args = |jobs: &'static str| {
        [
            ".",
            "--select",
            "PQ099,PQ114",
            "--output-format",
            "concise",
            "-q",
            "-j",
            jobs,
        ]
    };
    let one = mezcheck_in(dir.path(), &args("1"));
    let many = mezcheck_in(dir.path(), &args("3"));
    assert_eq!(stdout(&one), stdout(&many));
    assert_eq!(code(&one), 1);
    insta::assert_snapshot!("names_shared_across_packages", stdout(&one));
    let alone = mezcheck_in(
        dir.path(),
        &[
            "B.mez",
            "--select",
            "PQ099,PQ114",
            "--output-format",
            "concise",
            "-q",
        ],
    );
    assert_eq!(codes(&stdout(&alone)), ["PQ099"], "{}", stdout(&alone));
}

/// One connector is not compared with itself: a project folder given with one of its own files
/// (`check . Kestrel.pq`, as editors call it), or the `.mez` and `.pqx` of the same name; a
/// different package with the same names still is (PQ114).
#[test]
fn same_connector_is_not_compared_with_itself() {
    let dir = tempfile::tempdir().expect("temp dir");
    let source = "section Wren;\n[DataSource.Kind = \"Wren\"]\nshared Wren.Contents = () => 1;\n";
    let project = dir.path().join("Wren");
    std::fs::create_dir(&project).expect("project folder");
    write(&project, "Wren.pq", source.as_bytes());
    let select = ["--select", "PQ114", "--output-format", "concise", "-q"];
    let folder_and_file = mezcheck_in(&project, &[&[".", "Wren.pq"][..], &select[..]].concat());
    assert_eq!(stdout(&folder_and_file), "", "{}", stderr(&folder_and_file));
    let archive = zip_bytes(&[("Wren.pq", source.as_bytes())]);
    write(dir.path(), "Wren.mez", &archive);
    write(dir.path(), "Wren.pqx", &archive);
    let pair = mezcheck_in(
        dir.path(),
        &[&["Wren.mez", "Wren.pqx"][..], &select[..]].concat(),
    );
    assert_eq!(stdout(&pair), "", "{}", stderr(&pair));
    write(dir.path(), "Robin.mez", &archive);
    let other = mezcheck_in(
        dir.path(),
        &[&["Wren.mez", "Robin.mez"][..], &select[..]].concat(),
    );
    assert!(
        codes(&stdout(&other)).contains(&"PQ114".to_owned()),
        "{}",
        stdout(&other)
    );
}

/// `info` describes an unreadable package as far as it goes and exits 1.
#[test]
fn info_on_an_unreadable_package_exits_1() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "Broken.mez", b"not a zip archive");
    let out = mezcheck_in(dir.path(), &["info", "Broken.mez"]);
    assert_eq!(code(&out), 1, "{}{}", stdout(&out), stderr(&out));
    write(
        dir.path(),
        "Wren.mez",
        &zip_bytes(&[("Wren.pq", b"section Wren; shared Wren.Contents = () => 1;")]),
    );
    assert_eq!(code(&mezcheck_in(dir.path(), &["info", "Wren.mez"])), 0);
}

/// `--checklist` follows the findings in `full`; with a machine format (`concise` included)
/// it goes to standard error, so standard output stays one finding per line.
#[test]
fn checklist_keeps_machine_output_parseable() {
    let args = |format: &'static str| {
        [
            "check",
            "samples/clean",
            "--checklist",
            "--output-format",
            format,
        ]
    };
    let concise = mezcheck(&args("concise"));
    assert!(!stdout(&concise).contains("Manual certification checklist"));
    assert!(stderr(&concise).contains("Manual certification checklist"));
    let full = mezcheck(&args("full"));
    assert!(stdout(&full).contains("Manual certification checklist"));
}

/// Suppression comments as users write them in a project folder: a finding on the next line
/// and a whole module are silenced; a stale code and an unknown code are reported (PQ099), and
/// `--ignore PQ099` turns those reports off without bringing the suppressed findings back.
#[test]
fn suppression_comments() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(
        dir.path(),
        "Wren.pq",
        b"section Wren;\n\
          Load = (name) => Expression.Evaluate(Text.FromBinary(Extension.Contents(name)), #shared);\n\
          // mezcheck: ignore[file-system-access] -- reads a local fixture in development\n\
          Fixture = File.Contents(\"C:\\\\fixture.json\");\n\
          // mezcheck: ignore[PQ115, PQ116] -- PQ116 no longer applies\n\
          Other = File.Contents(\"C:\\\\other.json\");\n\
          // mezcheck: ignore[PQ42]\n\
          Helpers = Load(\"Helpers.pqm\");\n",
    );
    write(
        dir.path(),
        "Helpers.pqm",
        b"// mezcheck: file-ignore[PQ115] -- test helper\n[Read = (p) => Folder.Files(p)]",
    );
    let run = |extra: &[&str]| {
        let mut all = vec![
            ".",
            "--select",
            "PQ099,PQ115,PQ116",
            "--output-format",
            "concise",
        ];
        all.extend_from_slice(extra);
        mezcheck_in(dir.path(), &all)
    };
    let output = run(&["-q"]);
    insta::assert_snapshot!("suppression_comments", stdout(&output));
    assert_eq!(code(&output), 0, "only PQ099 warnings are left");
    assert_eq!(stdout(&run(&["-q", "--ignore", "PQ099"])), "");
}

/// `--initial-release` (or `initial-release = true` in the config file) makes PQ303 require
/// `Beta = true`: the clean sample is a later release with `Beta = false`.
#[test]
fn initial_release_requires_beta() {
    let later = mezcheck(&["check", "samples/clean", "--select", "PQ303", "--quiet"]);
    assert_eq!(code(&later), 0, "{}", stdout(&later));
    let initial = mezcheck(&[
        "check",
        "samples/clean",
        "--select",
        "PQ303",
        "--initial-release",
        "--output-format",
        "concise",
        "--quiet",
    ]);
    assert_eq!(codes(&stdout(&initial)), ["PQ303"], "{}", stdout(&initial));
    assert_eq!(code(&initial), 1);
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "Kestrel.mez", &mez_of_folder(&sample("clean")));
    write(dir.path(), "mezcheck.toml", b"initial-release = true\n");
    let configured = mezcheck_in(
        dir.path(),
        &[
            "check",
            "Kestrel.mez",
            "--select",
            "PQ303",
            "--output-format",
            "concise",
            "--quiet",
        ],
    );
    assert_eq!(
        codes(&stdout(&configured)),
        ["PQ303"],
        "{}",
        stdout(&configured)
    );
}

/// A value that could not be checked statically is reported at `review`: never counted by
/// `--fail-on`, untouched by `--severity`, hidden on request, one statistics row per rule,
/// and a SARIF result of kind `review`.
#[test]
fn values_to_review_are_not_findings() {
    let dir = tempfile::tempdir().expect("temp dir");
    // A bare M file has no entries for its `Extension.Contents` target: PQ006 cannot check it.
    write(
        dir.path(),
        "Wren.pq",
        b"section Wren;\nshared Icon = Extension.Contents(\"Wren16.png\");\n",
    );
    let run = |extra: &[&str]| {
        let mut args = vec!["check", "Wren.pq", "--isolated", "--select", "PQ006"];
        args.extend_from_slice(extra);
        mezcheck_in(dir.path(), &args)
    };
    let concise = run(&["--output-format", "concise", "--fail-on", "info"]);
    assert_eq!(code(&concise), 0, "{}", stdout(&concise));
    insta::assert_snapshot!(stdout(&concise), @"Wren.pq:2:34: PQ006 review: could not be checked statically: a bare M file has no entries for its 1 `Extension.Contents` target(s)");
    let raised = run(&[
        "--output-format",
        "concise",
        "--severity",
        "PQ006=error",
        "--fail-on",
        "info",
    ]);
    assert_eq!(code(&raised), 0);
    assert!(
        stdout(&raised).contains("PQ006 review:"),
        "{}",
        stdout(&raised)
    );
    let hidden = run(&["--output-format", "concise", "--unverified", "hide"]);
    assert_eq!(stdout(&hidden), "");
    assert_eq!(code(&hidden), 0);
    let statistics = run(&["--statistics"]);
    insta::assert_snapshot!(stdout(&statistics), @"0  PQ006  missing-contents-target  review  (+1 to review)
no findings, 1 value to review in 1 package");
    let sarif: serde_json::Value =
        serde_json::from_slice(&run(&["--output-format", "sarif"]).stdout).expect("SARIF");
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(result["kind"], "review");
    assert_eq!(result["level"], "none");
    write(dir.path(), "mezcheck.toml", b"fail-on = \"review\"\n");
    let config = mezcheck_in(dir.path(), &["check", "Wren.pq"]);
    assert_eq!(code(&config), 2);
    assert!(
        stderr(&config).contains("values to review never fail a run"),
        "{}",
        stderr(&config)
    );
}

/// `--write-baseline` records the findings; `--baseline` then reports only new ones, counts
/// the known ones, survives moved lines, and says which recorded findings are fixed.
#[test]
fn baselines() {
    let dir = tempfile::tempdir().expect("temp dir");
    let check = |extra: &[&str]| {
        let mut args = vec![
            "check",
            "Wren.pq",
            "--isolated",
            "--select",
            "PQ119",
            "--output-format",
            "concise",
        ];
        args.extend_from_slice(extra);
        mezcheck_in(dir.path(), &args)
    };
    write(
        dir.path(),
        "Wren.pq",
        b"section Wren;\nA = Alpha;\nB = Beta;\n",
    );
    let recorded = check(&["--write-baseline", "baseline.json"]);
    assert_eq!(code(&recorded), 1, "{}", stdout(&recorded));
    assert_eq!(codes(&stdout(&recorded)), ["PQ119", "PQ119"]);
    let file = std::fs::read_to_string(dir.path().join("baseline.json")).expect("baseline");
    let parsed: serde_json::Value = serde_json::from_str(&file).expect("baseline JSON");
    assert_eq!(parsed["version"], 1);
    assert_eq!(parsed["findings"].as_array().map(Vec::len), Some(2));
    assert_eq!(parsed["findings"][0]["package"], "Wren.pq");
    assert_eq!(parsed["findings"][0]["severity"], "error");

    // Lines moved: still known, nothing to report.
    write(
        dir.path(),
        "Wren.pq",
        b"section Wren;\n\n\nA = Alpha;\nB = Beta;\n",
    );
    let known = check(&["--baseline", "baseline.json"]);
    assert_eq!(code(&known), 0, "{}", stdout(&known));
    assert_eq!(stdout(&known), "");
    assert_eq!(
        stderr(&known),
        "mezcheck: 2 findings recorded in the baseline baseline.json not shown\n"
    );

    // One fixed, one new: the new one is reported and fails the run.
    write(
        dir.path(),
        "Wren.pq",
        b"section Wren;\nA = Alpha;\nC = Gamma;\n",
    );
    let changed = check(&["--baseline", "baseline.json"]);
    assert_eq!(code(&changed), 1);
    assert_eq!(
        stdout(&changed),
        "Wren.pq:3:5: PQ119 error: `Gamma` is not defined\n"
    );
    assert_eq!(
        stderr(&changed),
        "mezcheck: 1 finding recorded in the baseline baseline.json not shown\n\
         mezcheck: 1 finding of the baseline baseline.json no longer found: fixed; remove it with --write-baseline baseline.json\n"
    );

    // A run of other rules finds none of the recorded findings, and calls none of them fixed.
    let other_rules = mezcheck_in(
        dir.path(),
        &[
            "check",
            "Wren.pq",
            "--isolated",
            "--select",
            "PQ120",
            "--baseline",
            "baseline.json",
        ],
    );
    assert_eq!(code(&other_rules), 0);
    assert_eq!(stderr(&other_rules), "");

    // A baseline that is not one is a usage error.
    write(
        dir.path(),
        "broken.json",
        b"{\"version\": 1, \"findings\": 3}",
    );
    let broken = check(&["--baseline", "broken.json"]);
    assert_eq!(code(&broken), 2);
    assert!(
        stderr(&broken).contains("broken.json"),
        "{}",
        stderr(&broken)
    );
}

/// Copies the clean sample's project folder into `to`, with `edit` applied to its section
/// document.
fn kestrel_release(to: &std::path::Path, edit: impl Fn(String) -> String) {
    std::fs::create_dir_all(to).expect("release folder");
    let sample = common::sample("clean");
    for entry in std::fs::read_dir(&sample).expect("sample") {
        let path = entry.expect("entry").path();
        let name = path.file_name().expect("name").to_owned();
        let bytes = std::fs::read(&path).expect("sample file");
        let bytes = if name == "Kestrel.pq" {
            edit(String::from_utf8(bytes).expect("UTF-8")).into_bytes()
        } else {
            bytes
        };
        std::fs::write(to.join(name), bytes).expect("copy");
    }
}

/// The release after the sample's 1.2.0: a required parameter first, the Key sign-in traded
/// for Anonymous, Beta on.
fn breaking_release(text: String) -> String {
    // The sample has Windows line breaks, as the SDK writes them.
    let text = text.replace("\r\n", "\n");
    text.replacen("url as (Uri.Type meta [", "workspace as text,\n    url as (Uri.Type meta [", 1)
        .replacen(
            "Key = [\n            KeyLabel = Extension.LoadString(\"KeyLabel\"),\n            Label = Extension.LoadString(\"AuthKeyLabel\")\n        ]",
            "Anonymous = []",
            1,
        )
        .replacen("Beta = false,", "Beta = true,", 1)
}

/// `mezcheck diff OLD NEW` lists what changed, marks what breaks, and fails a release that
/// breaks without a major bump or does not move its version.
#[test]
fn diff_compares_releases() {
    let dir = tempfile::tempdir().expect("temp dir");
    kestrel_release(&dir.path().join("old"), |text| text);
    kestrel_release(&dir.path().join("same"), |text| text);
    kestrel_release(&dir.path().join("minor"), |text| {
        breaking_release(text).replacen("[Version = \"1.2.0\"]", "[Version = \"1.3.0\"]", 1)
    });
    kestrel_release(&dir.path().join("major"), |text| {
        breaking_release(text).replacen("[Version = \"1.2.0\"]", "[Version = \"2.0.0\"]", 1)
    });
    let minor = mezcheck_in(dir.path(), &["diff", "old", "minor"]);
    assert_eq!(code(&minor), 1);
    insta::assert_snapshot!(stdout(&minor), @r"
    Kestrel: 1.2.0 → 1.3.0 (minor)
      - authentication `Key` of `Kestrel` removed  [breaking]
      ~ parameter `url` of `Kestrel.Contents` changed: position 1 → 2  [breaking]
      + parameter `workspace` of `Kestrel.Contents` added: required  [breaking]
      + authentication `Anonymous` of `Kestrel` added
      ~ `Beta` of Publish record `Kestrel.Publish` changed: false → true
    problem: 3 breaking changes without a major version bump: 1.2.0 → 1.3.0
    5 changes, 3 breaking, 1 problem
    ");
    let major = mezcheck_in(
        dir.path(),
        &["diff", "old", "major", "--output-format", "json"],
    );
    assert_eq!(code(&major), 0, "{}", stdout(&major));
    let json: serde_json::Value = serde_json::from_slice(&major.stdout).expect("diff JSON");
    assert_eq!(json["version_change"], "major");
    assert_eq!(json["new"]["connector_version"], "2.0.0");
    assert_eq!(json["changes"].as_array().map(Vec::len), Some(5));
    assert_eq!(json["problems"], serde_json::json!([]));
    let same = mezcheck_in(dir.path(), &["diff", "old", "same"]);
    assert_eq!(code(&same), 1);
    insta::assert_snapshot!(stdout(&same), @r"
    Kestrel: 1.2.0 → 1.2.0 (unchanged)
      no changes to kinds, authentication, functions, Publish records or navigation
    problem: the version did not move: 1.2.0 in both
    0 changes, 0 breaking, 1 problem
    ");
    // With the previous release given, the changelog rule PQ903 compares the two.
    let check = |new: &str| {
        mezcheck_in(
            dir.path(),
            &[
                "check",
                new,
                "--previous",
                "old",
                "--isolated",
                "--select",
                "PQ903",
                "--output-format",
                "concise",
            ],
        )
    };
    insta::assert_snapshot!(stdout(&check("minor")), @"minor/Kestrel.pq:12:12: PQ903 warning: 3 breaking changes since `1.2.0` without a major version bump: authentication `Key` of `Kestrel` removed; parameter `url` of `Kestrel.Contents` changed (position 1 → 2); parameter `workspace` of `Kestrel.Contents` added (required)");
    insta::assert_snapshot!(stdout(&check("same")), @"same/Kestrel.pq:12:12: PQ903 warning: the version `1.2.0` is the same as the previous package's `1.2.0`");
    assert_eq!(stdout(&check("major")), "");
    // Another connector in the same run is not compared with Kestrel's previous release.
    kestrel_release(&dir.path().join("other"), |text| {
        text.replace("\r\n", "\n")
            .replacen("section Kestrel;", "section Wren;", 1)
    });
    assert_eq!(stdout(&check("other")), "");
    // Values built at run time (a Kind record, a function's type, a Publish record) say
    // nothing about what they hold: no change is claimed for them.
    kestrel_release(&dir.path().join("computed"), |text| {
        text.replace("\r\n", "\n")
            .replacen("[Version = \"1.2.0\"]", "[Version = \"1.3.0\"]", 1)
            .replacen(
                "shared Kestrel.Contents = Value.ReplaceType(KestrelImpl, KestrelType);",
                "shared Kestrel.Contents = if DateTime.LocalNow() > #datetime(2000, 1, 1, 0, 0, 0) then Value.ReplaceType(KestrelImpl, KestrelType) else null;",
                1,
            )
            .replacen("\nKestrel = [", "\nKestrel = Record.Combine({KestrelBase, []});\nKestrelBase = [", 1)
            .replacen(
                "\nKestrel.Publish = [",
                "\nKestrel.Publish = Record.Combine({KestrelPublish, []});\nKestrelPublish = [",
                1,
            )
    });
    let computed = mezcheck_in(dir.path(), &["diff", "old", "computed"]);
    assert_eq!(code(&computed), 0, "{}", stdout(&computed));
    assert!(
        stdout(&computed).contains("0 changes, 0 breaking, 0 problems"),
        "{}",
        stdout(&computed)
    );
    let missing = mezcheck_in(dir.path(), &["diff", "old", "nowhere"]);
    assert_eq!(code(&missing), 2);
}

/// Findings past the per-file limit are counted but not listed: the baseline says it cannot
/// record or match them, instead of failing the run with nothing shown.
#[test]
fn baseline_past_the_limit() {
    let dir = tempfile::tempdir().expect("temp dir");
    let members: String = (0..250)
        .map(|i| format!("A{i} = Undefined{i};\n"))
        .collect();
    write(
        dir.path(),
        "Wren.pq",
        format!("section Wren;\n{members}").as_bytes(),
    );
    let args = ["check", "Wren.pq", "--isolated", "--select", "PQ119"];
    let mut write_args = args.to_vec();
    write_args.extend(["--write-baseline", "baseline.json"]);
    let recorded = mezcheck_in(dir.path(), &write_args);
    assert_eq!(
        stderr(&recorded),
        "mezcheck: warning: 50 findings past the limit of 200 per file are counted but not listed, so the baseline cannot record them\n"
    );
    let mut read_args = args.to_vec();
    read_args.extend(["--baseline", "baseline.json"]);
    let known = mezcheck_in(dir.path(), &read_args);
    assert_eq!(
        stderr(&known),
        "mezcheck: 200 findings recorded in the baseline baseline.json not shown\n\
         mezcheck: 50 findings past the limit of 200 per file are counted but not listed, so the baseline cannot match them\n"
    );
}
