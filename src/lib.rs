pub mod package;
pub mod source;
