//! Text handling: folding for matching, the normalized text with its map back to the original,
//! offset units, and language detection.
//!
//! Invariant: nothing here ever changes what is reported. Matching runs on [`NormText::text`];
//! every match is mapped back with [`NormText::orig_range`] to a byte range of the *original*
//! text that starts and ends on character boundaries.

pub(crate) mod arabic;
pub mod fold;
pub mod lang;
pub mod normalize;
pub mod offsets;

pub use lang::detect;
pub use normalize::{NormText, Scripts, Token, TokenKind};
pub use offsets::{OffsetUnit, UnitConverter};
