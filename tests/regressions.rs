//! Every input that ever crashed, hung or blew memory in a fuzz target or a report, replayed
//! through the same code as the target (`mezcheck::testing::fuzz`). Inputs live under
//! `tests/regressions/<target>/`; a new finding from `cargo fuzz` is copied there as it is.

use std::path::Path;

#[test]
fn replay_regressions() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/regressions");
    let mut replayed = 0;
    for target in std::fs::read_dir(&root).expect("tests/regressions exists") {
        let target = target.expect("readable folder").path();
        let name = target
            .file_name()
            .and_then(|n| n.to_str())
            .expect("a target name");
        let run = mezcheck::testing::fuzz::target(name)
            .unwrap_or_else(|| panic!("tests/regressions/{name}: no such fuzz target"));
        let mut inputs: Vec<_> = std::fs::read_dir(&target)
            .expect("readable folder")
            .map(|entry| entry.expect("readable entry").path())
            .filter(|path| {
                !path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with('.'))
            })
            .collect();
        inputs.sort();
        for input in inputs {
            let bytes = std::fs::read(&input).expect("readable input");
            run(&bytes);
            replayed += 1;
        }
    }
    assert!(replayed >= 2, "replayed {replayed} inputs");
}
