//! Date expressions in Arabic and English news, with ISO 8601 values.
//!
//! The lexicons (month names of every system, weekdays, Hijri months, day words, relative words,
//! units, markers and context words) come from `rules/dates.toml`, validated by
//! `rules::dates`; `DateEngine::new` compiles them into a lookup table and the grammar
//! is here. `DateEngine::find` walks the tokens of a [`NormText`] left to right, tries every
//! pattern at each token and keeps the longest match, so matches are sorted and never overlap.
//!
//! | file | what |
//! | --- | --- |
//! | `mod.rs` | the front: `DateEngine`, `DateMatch` |
//! | `keys.rs` | the lexicon's keys in an open-addressing table |
//! | `lookup.rs` | reading a token's proclitics and looking it up, once per token |
//! | `grammar/` | the patterns: `numeric.rs`, `weekday.rs`, `month.rs` |
//! | `resolve.rs` | calendar arithmetic for values |
//!
//! # What is recognised
//!
//! | pattern | examples | value |
//! | --- | --- | --- |
//! | numeric date | 19/06/2024, 2024-06-19, 19-06-2024, ١٩/٠٦/٢٠٢٤ | `2024-06-19` |
//! | day + month + year | 19 يونيو 2024, الـ19 من حزيران/يونيو 2024, السابع من أكتوبر 2023, June 19, 2024, Jan. 15, 2025, 19th of June 2024 | `2024-06-19` |
//! | month + year | يوليو 2024, يوليو/تموز 2023, مايو من عام 2024, June 2024 | `2024-07` |
//! | month alone / with a relative word | أبريل, يونيو/حزيران, تموز/يوليو الماضي, يونيو (حزيران) المقبل, يونيو من العام الماضي, last June | `YYYY-MM` from the reference |
//! | weekday | الخميس, يوم الأربعاء, اليوم الخميس, أمس الأحد, الثلاثاء الماضي, last Friday | `YYYY-MM-DD` from the reference |
//! | weekday + date | يوم الخميس 27 يوليو 2023 | the date |
//! | day word | أمس, يوم أمس, غدا, أول أمس, صباح اليوم (span اليوم), yesterday, today | reference ± days |
//! | relative unit | الشهر الفائت, الأسبوع الماضي, هذا العام, العام المقبل, الليلة الماضية, last week | `YYYY-MM`, `YYYY-Www`, `YYYY`, `YYYY-MM-DD` |
//! | anaphoric | اليوم السابق, الأسبوع التالي | always empty (relative to the story) |
//! | year | عام 2020, العام 2020, سنة 1953, 2024م, في 2022, منذ 2014, (2022), 2014 و2016 | `2020` |
//! | year range | 1950-1953, (1950-1953), عام 1950-1953, 2022/2023 | `1950/1953` (ISO 8601 interval) |
//! | decade | الثمانينيات, تسعينيات القرن الماضي, the 1990s | `198X` (ISO 8601-2 / EDTF unspecified digit) |
//! | Hijri | 15 رمضان 1445 هـ, شوال 1445, 1445 هـ, عام 1445 هـ | `AH1445-09-15` (not converted: see below) |
//!
//! `DateMatch::rule_id` names the pattern: `date/numeric`, `date/day-month`, `date/month`,
//! `date/weekday`, `date/weekday-date`, `date/day-word`, `date/relative`, `date/year`,
//! `date/year-range`, `date/decade`, `date/hijri`.
//!
//! # Spans
//!
//! Leading يوم/اليوم/أمس/عام/العام/شهر and trailing الماضي/الفائت/المقبل are inside; proclitics
//! (و ف ب ل ك and their combinations) and punctuation are outside, except punctuation inside the
//! expression ("يونيو/حزيران", "يونيو (حزيران)", "19/06/2024", "June 19, 2024"). Prepositions
//! (في، منذ، on, in) are outside.
//!
//! # What is not a date
//!
//! Durations ("ستة أيام", "24 عاماً", "أكثر من 30 شهرا"): units only make a date with a relative word.
//! Ordinal days ("اليوم السابع"). Numbers that are not years: a bare 4-digit number 1900-2099 is a
//! year only after a time preposition (في، منذ، حتى، خلال، قبل، بعد، مطلع ... in, since ...), in
//! parentheses, or paired with another year ("2014 و2016"); never before a count word ("2000 جندي",
//! "15 ألف"); a round number (2000) after a preposition also needs punctuation after it.
//! "اليوم" alone is not a date (it also means "nowadays" and "the day": "حتى اليوم", "اليوم الوطني"),
//! except right after a part of the day ("صباح اليوم"). Decades followed by "من عمره" are ages.
//!
//! Ambiguous month names (ماي, آب, مارس, أيار, شباط, نيسان, جوان, غشت, May, March, August and the
//! English abbreviations; the list is `ambiguous` in `dates.toml`) are months only with a day
//! number, a year, a relative word, a slash/bracket pair with another name of the same month,
//! "شهر" before them, or a time preposition before and punctuation (or the end) right after
//! ("في مارس،"). English month names alone need a preposition or a relative word ("in June").
//! The ambiguous weekday الاثنين ("the two") is a date after يوم/اليوم/أمس/غدا, with a relative
//! word, next to punctuation, after another weekday, or before أن/إن, and never after بين/كلا/هذين.
//! Hijri months always need a day number or a year (صفر is "zero", رجب/شعبان/رمضان are names).
//!
//! # Values and the reference date
//!
//! Absolute dates carry their value at the grain the text gives. Relative ones resolve against
//! `reference` (the publication date: the calendar date of `published_at` in the document's time
//! zone, see [`crate::model::parse_time_zone`]; UTC when none is given) and are empty without it:
//! - اليوم + weekday: that weekday on or before the reference (normally the reference itself);
//!   أمس + weekday, weekday + الماضي, last + weekday: the most recent one strictly before;
//!   غدا + weekday, weekday + المقبل, next + weekday: the next one strictly after;
//!   a bare weekday (or يوم + weekday): the one in the window reference−4 ..= reference+2 (news uses
//!   a bare weekday for the last few days, sometimes for the next two).
//! - month + الماضي: the most recent such month strictly before the reference month; + المقبل:
//!   the next one strictly after; a month without year: the reference year.
//! - الأسبوع الماضي/هذا الأسبوع/المقبل: the ISO week (`2023-W29`) of reference −7/0/+7 days.
//! - A day and month without a year take the reference year (also when that puts them after the
//!   reference: "السابع من أكتوبر" read in March is October of the same year).
//!
//! Hijri dates keep their Hijri value `AH<yyyy>-<mm>[-<dd>]`: a Gregorian conversion would need the
//! Umm al-Qura tables (ICU4X `icu_calendar`, ~15 more crates) and would still differ by a day from
//! sighting-based calendars; the value says exactly what the text says.
use std::ops::Range;

use crate::rules::dates::DateLexicon;
use crate::text::NormText;

mod grammar;
mod keys;
mod lookup;
mod resolve;
#[cfg(test)]
mod tests;

/// The date lexicon of `rules/dates.toml`, compiled for the grammar.
#[derive(Clone, Debug, Default)]
pub(crate) struct DateEngine {
    keys: keys::Keys,
}

/// One date expression found in the normalized text.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct DateMatch {
    /// Byte range in [`NormText::text`] (proclitics and punctuation outside).
    pub(crate) norm: Range<usize>,
    /// ISO 8601 value at the grain the text gives, or empty when it cannot be resolved.
    pub(crate) value: String,
    /// Which rule matched, e.g. `dates.toml:12` or a grammar rule name like `date/month-year`.
    pub(crate) rule_id: String,
    /// Confidence in [0, 1].
    pub(crate) confidence: f64,
}

impl DateEngine {
    /// Compiles a validated lexicon.
    pub(crate) fn new(lexicon: &DateLexicon) -> DateEngine {
        DateEngine {
            keys: keys::Keys::new(lexicon),
        }
    }

    /// Finds the date expressions of a text; `reference` resolves relative ones.
    pub(crate) fn find(
        &self,
        nt: &NormText,
        reference: Option<jiff::civil::Date>,
    ) -> Vec<DateMatch> {
        let mut out = Vec::new();
        if self.keys.is_empty() {
            return out;
        }
        let cx = grammar::Cx::new(nt, &self.keys, reference);
        // The first token not inside the last match.
        let mut next = 0;
        for &i in cx.starts() {
            if i < next {
                continue;
            }
            if let Some(c) = cx.best_at(i).filter(|c| c.end > i) {
                out.push(DateMatch {
                    norm: c.start..cx.norm_end(c.end),
                    value: c.value,
                    rule_id: c.rule.to_owned(),
                    confidence: c.conf,
                });
                next = c.end;
            }
        }
        out
    }
}
