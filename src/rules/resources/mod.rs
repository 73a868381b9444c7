//! 4xx: `resources.resx` strings: the files exist and are well-formed ResX, every literal
//! `Extension.LoadString` key is defined, user-facing text lives there, and it holds strings
//! rather than configuration.

mod configuration_in_resx;
mod duplicate_resx_key;
mod hardcoded_ui_string;
mod invalid_localized_resx;
mod malformed_resx;
mod missing_resx;
mod missing_resx_key;
mod unused_resx_key;

pub(crate) use configuration_in_resx::CONFIGURATION_IN_RESX;
pub(crate) use duplicate_resx_key::DUPLICATE_RESX_KEY;
pub(crate) use hardcoded_ui_string::HARDCODED_UI_STRING;
pub(crate) use invalid_localized_resx::INVALID_LOCALIZED_RESX;
pub(crate) use malformed_resx::MALFORMED_RESX;
pub(crate) use missing_resx::MISSING_RESX;
pub(crate) use missing_resx_key::MISSING_RESX_KEY;
pub(crate) use unused_resx_key::UNUSED_RESX_KEY;

use crate::model::{Model, ResourceFile};

/// The neutral `resources.resx` with its file, when the package has one at the root.
fn neutral_file(model: &Model) -> Option<&ResourceFile> {
    model.resources.iter().find(|r| r.culture.is_none())
}
