//! 0xx: the package and its container: ZIP hygiene, names, OPC parts.

mod broken_signature_relationships;
mod development_file_in_package;
mod expired_signing_certificate;
mod invalid_content_types;
mod invalid_signature;
mod missing_contents_target;
mod missing_section_document;
mod multiple_section_documents;
mod nested_entry_path;
mod non_product_package_name;
mod part_digest_mismatch;
mod signature_checks;
mod unloadable_package_file_name;
mod unreadable_package;
mod unreferenced_entry;
mod unsafe_archive_entry;
mod unsigned_content_part;
mod unsigned_pqx;
mod unused_suppression;

pub(crate) use broken_signature_relationships::BROKEN_SIGNATURE_RELATIONSHIPS;
pub(crate) use development_file_in_package::DEVELOPMENT_FILE_IN_PACKAGE;
pub(crate) use expired_signing_certificate::EXPIRED_SIGNING_CERTIFICATE;
pub(crate) use invalid_content_types::INVALID_CONTENT_TYPES;
pub(crate) use invalid_signature::INVALID_SIGNATURE;
pub(crate) use missing_contents_target::MISSING_CONTENTS_TARGET;
pub(crate) use missing_section_document::MISSING_SECTION_DOCUMENT;
pub(crate) use multiple_section_documents::MULTIPLE_SECTION_DOCUMENTS;
pub(crate) use nested_entry_path::NESTED_ENTRY_PATH;
pub(crate) use non_product_package_name::NON_PRODUCT_PACKAGE_NAME;
pub(crate) use part_digest_mismatch::PART_DIGEST_MISMATCH;
pub(crate) use unloadable_package_file_name::UNLOADABLE_PACKAGE_FILE_NAME;
pub(crate) use unreadable_package::UNREADABLE_PACKAGE;
pub(crate) use unreferenced_entry::UNREFERENCED_ENTRY;
pub(crate) use unsafe_archive_entry::UNSAFE_ARCHIVE_ENTRY;
pub(crate) use unsigned_content_part::UNSIGNED_CONTENT_PART;
pub(crate) use unsigned_pqx::UNSIGNED_PQX;
pub(crate) use unused_suppression::UNUSED_SUPPRESSION;

/// Whether the package came from an archive file (the file-name rules apply only then).
pub(super) fn is_archive(kind: crate::package::PackageKind) -> bool {
    matches!(
        kind,
        crate::package::PackageKind::Mez | crate::package::PackageKind::Pqx
    )
}
