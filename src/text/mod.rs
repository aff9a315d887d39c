//! Text handling: folding for matching, the normalized text with its map back to the original,
//! offset units, and language detection.
//!
//! Invariant: nothing here ever changes what is reported. Matching runs on [`NormText::text`];
//! every match is mapped back with [`NormText::orig_range`] to a byte range of the *original*
//! text that starts and ends on character boundaries.

pub(crate) mod arabic;
pub(crate) mod fold;
mod lang;
pub mod normalize;
pub mod offsets;

pub(crate) use lang::detect;
pub(crate) use normalize::{NormText, TokenKind};
pub use offsets::OffsetUnit;
pub(crate) use offsets::UnitConverter;
