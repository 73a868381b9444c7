//! The README's CI recipes work: the GitHub Actions workflow is valid YAML with the steps code
//! scanning needs, and the SARIF its command writes passes the SARIF 2.1.0 schema and GitHub's
//! documented requirements.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use yaml_rust2::{Yaml, YamlLoader};

/// The fenced block of `language` that follows `marker` in the README.
fn readme_block(marker: &str, language: &str) -> String {
    let readme = std::fs::read_to_string(common::root().join("README.md")).expect("README");
    let after = &readme[readme.find(marker).expect("recipe marker")..];
    let fence = format!("```{language}\n");
    let start = after.find(&fence).expect("recipe block") + fence.len();
    let end = after[start..].find("```").expect("end of block") + start;
    after[start..end].to_owned()
}

fn steps(workflow: &Yaml) -> Vec<&Yaml> {
    let jobs = workflow["jobs"].as_hash().expect("jobs");
    jobs.values()
        .flat_map(|job| job["steps"].as_vec().expect("steps"))
        .collect()
}

/// The `run:` step that writes SARIF, split into arguments after `mezcheck`.
fn sarif_command(steps: &[&Yaml]) -> Vec<String> {
    let run = steps
        .iter()
        .filter_map(|step| step["run"].as_str())
        .find(|run| run.contains("--output-format sarif"))
        .expect("a step writes SARIF");
    let words: Vec<String> = run.split_whitespace().map(str::to_owned).collect();
    assert_eq!(words.first().map(String::as_str), Some("mezcheck"), "{run}");
    words.into_iter().skip(1).collect()
}

#[test]
fn github_actions_recipe() {
    let text = readme_block("**GitHub Actions**", "yaml");
    let docs = YamlLoader::load_from_str(&text).expect("the workflow is valid YAML");
    let workflow = &docs[0];
    assert_eq!(
        workflow["permissions"]["security-events"].as_str(),
        Some("write")
    );
    let steps = steps(workflow);
    let upload = steps
        .iter()
        .find(|step| {
            step["uses"]
                .as_str()
                .is_some_and(|uses| uses.starts_with("github/codeql-action/upload-sarif@"))
        })
        .expect("an upload-sarif step");
    let sarif_file = upload["with"]["sarif_file"].as_str().expect("sarif_file");
    assert!(
        steps
            .iter()
            .filter_map(|step| step["run"].as_str())
            .any(|run| run.contains("--output-format github")),
        "annotations with --output-format github"
    );
    let args = sarif_command(&steps);
    let output_index = args.iter().position(|a| a == "-o").expect("-o") + 1;
    assert_eq!(
        args[output_index], sarif_file,
        "the step writes what is uploaded"
    );

    // Run the command in a workspace laid out as the recipe expects, on a connector with
    // findings of every kind of location (a project folder with modules and resources).
    let workspace = tempfile::tempdir().expect("workspace");
    let project = args
        .iter()
        .find(|a| a.starts_with("src/"))
        .expect("the recipe checks a project under src/");
    copy_dir(
        &common::sample("acme-connector"),
        &workspace.path().join(project),
    );
    let arg_refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let output = common::mezcheck_in(workspace.path(), &arg_refs);
    assert_eq!(common::code(&output), 0, "{}", common::stderr(&output));
    let sarif: serde_json::Value = serde_json::from_slice(
        &std::fs::read(workspace.path().join(sarif_file)).expect("SARIF written"),
    )
    .expect("SARIF is JSON");

    let mut schema = sarif_schema();
    // An erratum of the published schema: the `language` patterns (of `run` and
    // `toolComponent`) have a stray `]`, which the draft-07 meta-schema rejects as a regex.
    // mezcheck writes no `language`.
    for definition in ["run", "toolComponent"] {
        let language = &mut schema["definitions"][definition]["properties"]["language"]["pattern"];
        assert_eq!(language, "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$");
        *language = serde_json::Value::from("^[a-zA-Z]{2}(-[a-zA-Z]{2})?$");
    }
    let validator = jsonschema::validator_for(&schema).expect("the SARIF schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "SARIF 2.1.0 schema: {errors:#?}");
    // The validator does reject what the schema forbids.
    let mut broken = sarif.clone();
    broken["runs"][0]["results"][0]["level"] = serde_json::Value::from("fatal");
    assert!(!validator.is_valid(&broken));

    // GitHub code scanning: ruleId, level, partialFingerprints, and relative URIs with a base.
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    assert!(!results.is_empty());
    for result in results {
        assert!(
            result["ruleId"]
                .as_str()
                .is_some_and(|id| id.starts_with("PQ"))
        );
        assert!(
            ["error", "warning", "note", "none"].contains(&result["level"].as_str().unwrap_or("")),
            "{result}"
        );
        assert!(
            result["partialFingerprints"]
                .as_object()
                .is_some_and(|f| !f.is_empty()),
            "{result}"
        );
        let location = &result["locations"][0]["physicalLocation"]["artifactLocation"];
        let uri = location["uri"].as_str().expect("uri");
        assert!(
            !uri.contains("://") && !uri.starts_with('/'),
            "relative: {uri}"
        );
        assert!(uri.starts_with(project.as_str()), "from the root: {uri}");
        assert_eq!(location["uriBaseId"], "%SRCROOT%", "{result}");
    }
}

/// The SARIF 2.1.0 schema, as the `serde-sarif` crate (a dev-dependency) ships it: found
/// through `cargo metadata`, so nothing is downloaded.
fn sarif_schema() -> serde_json::Value {
    let rustc = Command::new("rustc")
        .arg("-vV")
        .output()
        .expect("rustc -vV");
    let version = String::from_utf8_lossy(&rustc.stdout).into_owned();
    let host = version
        .lines()
        .find_map(|line| line.strip_prefix("host: "))
        .expect("host triple");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    // For this platform only: the other platforms' crates are not downloaded.
    let output = Command::new(cargo)
        .args([
            "metadata",
            "--format-version",
            "1",
            "--offline",
            "--filter-platform",
            host,
        ])
        .current_dir(common::root())
        .output()
        .expect("cargo metadata");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).expect("metadata");
    let manifest = metadata["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .find(|p| p["name"] == "serde-sarif")
        .and_then(|p| p["manifest_path"].as_str())
        .expect("serde-sarif is a dependency");
    let schema = Path::new(manifest)
        .parent()
        .expect("crate folder")
        .join("src/schema.json");
    let text = std::fs::read_to_string(&schema).expect("schema.json in serde-sarif");
    let value: serde_json::Value = serde_json::from_str(&text).expect("schema JSON");
    assert!(
        value["title"]
            .as_str()
            .is_some_and(|t| t.contains("SARIF") && t.contains("2.1.0")),
        "{}",
        schema.display()
    );
    value
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("folder");
    for entry in std::fs::read_dir(from).expect("read folder") {
        let path: PathBuf = entry.expect("entry").path();
        let target = to.join(path.file_name().expect("name"));
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).expect("copy");
        }
    }
}
