//! Project folders: a root file that a literal `Extension.Contents` names is package content
//! (as `MakePQX compile` decides it), even when the SDK's default content rules or a `.proj` list leave
//! it out: `MakePQX compile` packs it and the connector reads it. Such files (a `client_id`, a
//! module missing from `MezContent`) are promoted before the rules run, so modules among them
//! are parsed like any other and their own references are seen.

use super::Model;
use crate::model::connector::Connector;
use crate::package::Packing;

/// Promotion rounds: each round parses the newly promoted modules, which may name more files.
/// Real connectors load modules one level deep; a few rounds leave room for chains.
pub const MAX_PROMOTION_ROUNDS: usize = 8;

/// Indices of root files that only `MakePQX compile` would pack and that a literal
/// `Extension.Contents` names exactly.
pub(super) fn referenced_root_files(model: &Model, connector: &Connector<'_>) -> Vec<usize> {
    let candidates: Vec<usize> = model
        .package
        .entries
        .iter()
        .enumerate()
        .filter(|(_, entry)| entry.packing == Packing::MakePqxOnly)
        .map(|(index, _)| index)
        .collect();
    named_by_contents(model, connector, candidates)
}

/// The `candidates` (entry indices) that a literal `Extension.Contents` of the connector names
/// exactly, directly or through a loader helper.
pub(super) fn named_by_contents(
    model: &Model,
    connector: &Connector<'_>,
    candidates: Vec<usize>,
) -> Vec<usize> {
    if candidates.is_empty() {
        return candidates;
    }
    candidates
        .into_iter()
        .filter(|&index| {
            model.package.entries.get(index).is_some_and(|entry| {
                connector
                    .contents()
                    .iter()
                    .any(|r| r.target.as_deref().is_ok_and(|target| target == entry.name))
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::model::{Model, Role};
    use crate::package::Packing;

    /// A module left out of the `.proj` list but loaded by name is content and parsed; the
    /// file it names in turn is promoted too; an unreferenced root file stays out.
    #[test]
    fn promotes_referenced_root_files() {
        let dir = tempfile::tempdir().expect("temp dir");
        let write = |name: &str, text: &str| {
            std::fs::write(dir.path().join(name), text).expect("write");
        };
        write(
            "Wren.proj",
            r#"<Project><ItemGroup><MezContent Include="Wren.pq" /></ItemGroup></Project>"#,
        );
        write(
            "Wren.pq",
            "section Wren;\nLoad = (name) => Expression.Evaluate(Text.FromBinary(Extension.Contents(name)), #shared);\nA = Load(\"A.pqm\");",
        );
        write("A.pqm", "Load(\"B.pqm\")");
        write("B.pqm", "1");
        write("notes.txt", "x");
        let package =
            crate::package::read_project_folder(dir.path(), "Wren").expect("project folder");
        let model = Model::build(package);
        let packing = |name: &str| {
            model
                .package
                .entries
                .iter()
                .find(|e| e.name == name)
                .map(|e| e.packing)
        };
        assert_eq!(packing("A.pqm"), Some(Packing::Content));
        assert_eq!(packing("B.pqm"), Some(Packing::Content));
        assert_eq!(packing("notes.txt"), Some(Packing::MakePqxOnly));
        assert_eq!(
            model
                .documents
                .iter()
                .filter(|d| d.role == Role::Module)
                .count(),
            2
        );
    }
}
