//! The evaluator of M values: static resolution of names, calls and literal values
//! (`resolve`), the shapes of functions (`shape`), the walk over every expression with its
//! environment (`walk`) and the follower of names to library calls (`follow`). It knows M, not
//! connectors.

mod calls;
pub mod follow;
pub mod resolve;
pub mod shape;
pub mod walk;

#[cfg(test)]
mod resolution_tests;
