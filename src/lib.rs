pub mod source;
pub mod syntax;
