//! Lossless model of an AWS shared config or credentials file.
//!
//! A [`Document`] keeps the file's text exactly as read and indexes it as lines
//! and as the grammar the AWS SDKs share (sections, properties, continuation and
//! sub-property lines). Printing a document gives back the same bytes, always.
//! Edits ([`edit`]) splice whole lines in the file's own style and re-index, so a
//! line nobody asked to change is never touched. This module knows nothing of
//! profiles, prefixes or merging: that is `profile`'s job.

pub mod document;
pub mod edit;
pub mod key;
pub mod shared;
pub mod syntax;

pub use document::{Document, Line, NotUtf8};
pub use edit::EditError;
pub use key::Key;
pub use shared::SharedStr;
pub use syntax::{Property, PropertySlice, Section, SyntaxError, SyntaxErrorKind};

/// The characters the AWS SDKs treat as whitespace inside a line.
pub const WHITESPACE: &[char] = &[' ', '\t'];

/// The characters that start a comment.
pub const COMMENT: &[char] = &['#', ';'];
