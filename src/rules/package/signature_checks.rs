//! What the signature rules (PQ010–PQ013, PQ017) share: running the verifier on the package
//! and placing a finding in the signature or relationship part it is about.

use crate::diagnostic::Finding;
use crate::model::Model;
use crate::source::Span;

/// A finding about `entry`, at `span` inside it when the entry is a text the report holds.
pub(super) fn at(
    model: &Model,
    entry: Option<&str>,
    span: Option<Span>,
    message: String,
) -> Finding {
    let finding = Finding::new(message);
    let Some(entry) = entry else {
        return finding;
    };
    let file = model
        .package
        .entries
        .iter()
        .position(|e| e.name == entry)
        .and_then(|index| model.text_of(index))
        .map(|text| text.file);
    match (file, span) {
        (Some(file), Some(span)) => finding.primary(file, span),
        _ => finding.entry(entry),
    }
}

/// The help every signature finding ends with.
pub(super) const RESIGN: &str =
    "sign the package again after its last change (`mezcheck sign` or `MakePQX sign`)";
