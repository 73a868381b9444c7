//! Signed `.pqx` packages: verifying their OPC digital signatures (PQ010–PQ013, PQ017,
//! `mezcheck verify`, the signature line of `info`) and writing signatures (`mezcheck sign`).
//!
//! Signatures are XML-DSig as MakePQX writes them (an origin part, its relationships and one
//! signature part per signer, as README "Signed packages" describes): inclusive C14N 1.0,
//! RSA with SHA-1 or SHA-2, an embedded X.509 certificate, raw part digests in a Manifest.
//! Other algorithms are reported as "could not be checked", never guessed. Trust (whether a
//! thumbprint is in Desktop's trusted list) is a machine setting and is not decided here.

pub mod c14n;
pub mod crypto;
pub mod dom;
pub mod dsig;
pub mod keys;
pub mod opc;
pub mod sign;
pub mod summary;
pub mod verify;

pub use verify::{Depth, Outcome, Verification, verify};
