//! 1xx, the section document and data source functions: the version, the data source functions
//! and their Kind and Publish records, function names and parameters, names defined twice,
//! file-system access, shared helpers and module loads.

mod credential_parameter;
mod duplicate_name;
mod evaluate_without_environment;
mod file_system_access;
mod forbidden_word_in_name;
mod function_name_not_kind_prefixed;
mod inconsistent_required_parameters;
mod invalid_version_format;
mod missing_data_source_function;
mod missing_publish_record;
mod missing_uri_type;
mod missing_version;
mod module_syntax_error;
mod non_domain_function_name;
mod not_a_section_document;
mod parse_errors;
mod shadowed_library_function;
mod syntax_error;
mod test_entry_point;
mod undefined_data_source_kind;
mod undefined_name;
mod unscoped_shared_member;
mod wrong_argument_count;

pub(crate) use credential_parameter::CREDENTIAL_PARAMETER;
pub(crate) use duplicate_name::DUPLICATE_NAME;
pub use duplicate_name::{GlobalKind, GlobalName};
pub(crate) use evaluate_without_environment::EVALUATE_WITHOUT_ENVIRONMENT;
pub(crate) use file_system_access::FILE_SYSTEM_ACCESS;
pub(crate) use forbidden_word_in_name::FORBIDDEN_WORD_IN_NAME;
pub(crate) use function_name_not_kind_prefixed::FUNCTION_NAME_NOT_KIND_PREFIXED;
pub(crate) use inconsistent_required_parameters::INCONSISTENT_REQUIRED_PARAMETERS;
pub(crate) use invalid_version_format::INVALID_VERSION_FORMAT;
pub(crate) use missing_data_source_function::MISSING_DATA_SOURCE_FUNCTION;
pub(crate) use missing_publish_record::MISSING_PUBLISH_RECORD;
pub(crate) use missing_uri_type::MISSING_URI_TYPE;
pub(crate) use missing_version::MISSING_VERSION;
pub(crate) use module_syntax_error::MODULE_SYNTAX_ERROR;
pub(crate) use non_domain_function_name::NON_DOMAIN_FUNCTION_NAME;
pub(crate) use not_a_section_document::NOT_A_SECTION_DOCUMENT;
pub(crate) use shadowed_library_function::SHADOWED_LIBRARY_FUNCTION;
pub(crate) use syntax_error::SYNTAX_ERROR;
pub(crate) use test_entry_point::TEST_ENTRY_POINT;
pub(crate) use undefined_data_source_kind::UNDEFINED_DATA_SOURCE_KIND;
pub(crate) use undefined_name::UNDEFINED_NAME;
pub(crate) use unscoped_shared_member::UNSCOPED_SHARED_MEMBER;
pub(crate) use wrong_argument_count::WRONG_ARGUMENT_COUNT;

pub(crate) use duplicate_name::across_packages as duplicate_names_across_packages;

use crate::model::connector::{DataSourceFunction, Kinds, Section};
use crate::model::eval::resolve::Env;
use crate::model::{MDocument, Model, Role};
use crate::package::PackageKind;
use crate::source::FileId;
use crate::syntax::ast::Expr;

use super::Context;

/// The section document when it parsed without errors. Rules that report something *absent*
/// (no version, no member named like the Kind) use this: in a broken document the missing part
/// may be the member that did not parse, which PQ100 already reports.
fn clean_section<'a>(cx: &Context<'a>) -> Option<&'a Section<'a>> {
    let section = cx.connector().section.as_ref()?;
    let document = cx.model().document(section.file)?;
    document.parse.errors.is_empty().then_some(section)
}

/// The M documents connector rules scan: the section document and the package's modules. A
/// bare `.pqm` module or test query gets only the syntax rules.
pub(crate) fn connector_documents(model: &Model) -> impl Iterator<Item = &MDocument> {
    let bare = model.package.kind == PackageKind::File;
    model
        .documents
        .iter()
        .filter(move |document| match document.role {
            Role::SectionDocument => true,
            Role::Module => !bare,
            _ => false,
        })
}

/// Whether `file` is one of [`connector_documents`].
pub(crate) fn is_connector_file(model: &Model, file: FileId) -> bool {
    connector_documents(model).any(|document| document.file == file)
}

/// Every expression of the connector documents, with its environment and file.
fn for_each_connector_expr<'a>(
    cx: &Context<'a>,
    kinds: Kinds,
    mut visit: impl FnMut(&'a Expr, &Env<'a>, FileId),
) {
    let model = cx.model();
    let files: Vec<FileId> = connector_documents(model).map(|d| d.file).collect();
    cx.for_each_expr_of(kinds, |expr, env, file| {
        if files.contains(&file) {
            visit(expr, env, file);
        }
    });
}

/// The text of a data source function's `DataSource.Kind` attribute: the narrowest place that
/// names the Kind.
fn kind_value_span(data_source: &DataSourceFunction<'_>) -> crate::source::Span {
    crate::model::connector::attribute(data_source.member, "DataSource.Kind")
        .map_or(data_source.kind_span, |field| field.value.span)
}
