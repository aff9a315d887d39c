//! Date expressions (being written).
use std::ops::Range;

use crate::rules::RuleError;
use crate::text::NormText;

/// Month, weekday and relative-date lexicons from `rules/dates.toml`.
#[derive(Clone, Debug, Default)]
pub struct DateRules {}

/// One date expression found in the normalized text.
#[derive(Clone, Debug, PartialEq)]
pub struct DateMatch {
    /// Byte range in [`NormText::text`] (proclitics and punctuation outside).
    pub norm: Range<usize>,
    /// ISO 8601 value at the grain the text gives, or empty when it cannot be resolved.
    pub value: String,
    /// Which rule matched, e.g. `dates.toml:12` or a grammar rule name like `date/month-year`.
    pub rule_id: String,
    /// Confidence in [0, 1].
    pub confidence: f64,
}

impl DateRules {
    /// Parses and validates `dates.toml`; `path` is used in error messages.
    pub fn from_toml(_path: &str, _src: &str) -> Result<DateRules, Vec<RuleError>> {
        Ok(DateRules {})
    }

    /// Finds the date expressions of a text; `reference` resolves relative ones.
    pub fn find(&self, _nt: &NormText, _reference: Option<jiff::civil::Date>) -> Vec<DateMatch> {
        Vec::new()
    }
}
