//! 5xx: the documentation metadata of data source functions (`Documentation.*` on the function
//! type and its parameter types).

mod incomplete_function_documentation;
mod invalid_documentation_field_type;
mod missing_function_documentation;
mod missing_parameter_documentation;

pub(crate) use incomplete_function_documentation::INCOMPLETE_FUNCTION_DOCUMENTATION;
pub(crate) use invalid_documentation_field_type::INVALID_DOCUMENTATION_FIELD_TYPE;
pub(crate) use missing_function_documentation::MISSING_FUNCTION_DOCUMENTATION;
pub(crate) use missing_parameter_documentation::MISSING_PARAMETER_DOCUMENTATION;

use crate::model::connector::FunctionShape;
use crate::syntax::ast::Field;

/// Whether a shape has any documentation (PQ501 did not fire): it is ascribed a `type function`
/// and that type or a parameter type carries a `Documentation.*` field.
pub(super) fn is_documented(shape: &FunctionShape<'_>) -> bool {
    let has_documentation = |metadata: &Option<(&[Field], _)>| {
        metadata.as_ref().is_some_and(|(fields, _)| {
            fields
                .iter()
                .any(|f| f.name.name.starts_with("Documentation."))
        })
    };
    shape.ascribed
        && (has_documentation(&shape.metadata)
            || shape.params.iter().any(|p| has_documentation(&p.metadata)))
}
