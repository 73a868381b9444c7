//! 3xx: the Publish record (how the connector appears in Get Data) and its icons.

mod beta_required_on_initial_release;
mod direct_query_without_folding;
mod icon_size_mismatch;
mod invalid_button_text;
mod invalid_icon_image;
mod invalid_native_query_properties;
mod malformed_icon_set;
mod missing_category;
mod missing_learn_more_url;
mod missing_source_images;
mod unknown_publish_field;

pub(crate) use beta_required_on_initial_release::BETA_REQUIRED_ON_INITIAL_RELEASE;
pub(crate) use direct_query_without_folding::DIRECT_QUERY_WITHOUT_FOLDING;
pub(crate) use icon_size_mismatch::ICON_SIZE_MISMATCH;
pub(crate) use invalid_button_text::INVALID_BUTTON_TEXT;
pub(crate) use invalid_icon_image::INVALID_ICON_IMAGE;
pub(crate) use invalid_native_query_properties::INVALID_NATIVE_QUERY_PROPERTIES;
pub(crate) use malformed_icon_set::MALFORMED_ICON_SET;
pub(crate) use missing_category::MISSING_CATEGORY;
pub(crate) use missing_learn_more_url::MISSING_LEARN_MORE_URL;
pub(crate) use missing_source_images::MISSING_SOURCE_IMAGES;
pub(crate) use unknown_publish_field::UNKNOWN_PUBLISH_FIELD;

use crate::diagnostic::Finding;
use crate::model::connector::{Connector, PublishRecord, field};
use crate::model::eval::resolve::Env;
use crate::rules::Context;
use crate::source::FileId;
use crate::syntax::ast::{Field, SectionMember};

/// A Publish record whose value is a record expression, with what rules point at.
pub(super) struct Publish<'a> {
    pub record: &'a PublishRecord<'a>,
    pub member: &'a SectionMember,
    pub fields: &'a [Field],
    pub env: Env<'a>,
    /// The section document, where the record and the data source function are.
    pub file: FileId,
}

impl<'a> Publish<'a> {
    /// A field of the record.
    pub fn field(&self, name: &str) -> Option<&'a Field> {
        field(self.fields, name)
    }

    /// A finding about the record as a whole: at its name, with the data source function that
    /// names it.
    pub fn about_record(&self, message: String) -> Finding {
        self.required_by(Finding::new(message).primary(self.file, self.member.name.span))
    }

    /// Adds the data source function's `Publish` attribute as a secondary label.
    pub fn required_by(&self, finding: Finding) -> Finding {
        finding.secondary(
            self.file,
            self.record.named_at,
            "required by this data source function",
        )
    }
}

/// The Publish records that resolve to record expressions. A name that resolves to nothing, or
/// to something else, is PQ106's finding; these rules skip it.
pub(super) fn publish_records<'a>(cx: &Context<'a>) -> Vec<Publish<'a>> {
    let connector: &'a Connector<'a> = cx.connector();
    let Some(section) = &connector.section else {
        return Vec::new();
    };
    connector
        .publishes()
        .iter()
        .filter_map(|record| {
            let member = record.member?;
            let (fields, env) = record.fields.clone()?;
            Some(Publish {
                record,
                member,
                fields,
                env,
                file: section.file,
            })
        })
        .collect()
}

/// "could not be checked statically" for a field of a Publish record.
pub(super) fn not_static(what: &str, reason: &str) -> String {
    format!("could not be checked statically: {what} ({reason})")
}
