//! `dates.toml` → validated lookup table (normalized first word → entries).

use std::collections::HashMap;

use serde::Deserialize;
use toml::Spanned;

use crate::rules::{line_of, toml_error, RuleError};
use crate::text::normalize::normalize_form;

/// A unit of time that a relative word can qualify.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Unit {
    Day,
    Week,
    Month,
    Year,
    Night,
}

/// Direction of a relative word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Rel {
    Past,
    Next,
    Current,
    /// Relative to the story ("اليوم السابق"): no value.
    Anaphoric,
}

/// What a lexicon entry means. One surface form may have several meanings ("اليوم": day word and
/// unit; "العام": unit and year marker).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Meaning {
    Month {
        num: u8,
        ambiguous: bool,
        english: bool,
    },
    Hijri(u8),
    Weekday {
        num: u8,
        ambiguous: bool,
    },
    Day {
        offset: i8,
        alone: bool,
    },
    Unit(Unit),
    /// Relative word after a unit, weekday or month.
    After(Rel),
    /// Relative word before a unit, weekday or month (`Current` = this).
    Before(Rel),
    DayMarker,
    MonthMarker,
    YearMarker,
    Ad,
    Ah,
    Of,
    Decade(u8),
    Century(u8),
    /// A written-out day number ("السابع" = 7), only before "من" + month.
    Ordinal(u8),
    Prep,
    DayPart,
    YearLink,
    Count,
    YearUnitBlock,
    WeekdayBlockAfter,
    WeekdayBlockBefore,
    WeekdayCue,
    DecadeBlock,
}

impl Meaning {
    /// Whether a match can start with a word of this meaning (context words never start one).
    pub(super) fn can_start(self) -> bool {
        !matches!(
            self,
            Meaning::After(_)
                | Meaning::Ad
                | Meaning::Ah
                | Meaning::Of
                | Meaning::Century(_)
                | Meaning::Prep
                | Meaning::DayPart
                | Meaning::YearLink
                | Meaning::Count
                | Meaning::YearUnitBlock
                | Meaning::WeekdayBlockAfter
                | Meaning::WeekdayBlockBefore
                | Meaning::WeekdayCue
                | Meaning::DecadeBlock
        )
    }
}

/// One surface form: the words after the first one, and the meaning.
#[derive(Clone, Debug)]
pub(super) struct Entry {
    pub rest: Box<[String]>,
    pub meaning: Meaning,
}

/// Normalized first word → entries starting with it.
pub(super) type Lexicon = rustc_hash::FxHashMap<String, Vec<Entry>>;

type Names = Vec<Spanned<String>>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    month: Vec<RawMonth>,
    #[serde(default)]
    hijri_month: Vec<RawNamed>,
    #[serde(default)]
    weekday: Vec<RawNamed>,
    #[serde(default)]
    ordinal_day: Vec<RawNamed>,
    #[serde(default)]
    day: Vec<RawDay>,
    #[serde(default)]
    decade: Vec<RawNamed>,
    #[serde(default)]
    century: Vec<RawNamed>,
    #[serde(default)]
    units: RawUnits,
    #[serde(default)]
    relative: RawRelative,
    #[serde(default)]
    markers: RawMarkers,
    #[serde(default)]
    context: RawContext,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMonth {
    number: Spanned<i64>,
    #[serde(default)]
    gregorian: Names,
    #[serde(default)]
    levantine: Names,
    #[serde(default)]
    maghrebi: Names,
    #[serde(default)]
    moroccan: Names,
    #[serde(default)]
    english: Names,
    #[serde(default)]
    ambiguous: Names,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNamed {
    number: Spanned<i64>,
    names: Names,
    #[serde(default)]
    ambiguous: Names,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDay {
    offset: Spanned<i64>,
    names: Names,
    #[serde(default = "yes")]
    alone: bool,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawUnits {
    #[serde(default)]
    day: Names,
    #[serde(default)]
    week: Names,
    #[serde(default)]
    month: Names,
    #[serde(default)]
    year: Names,
    #[serde(default)]
    night: Names,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawRelative {
    #[serde(default)]
    past: Names,
    #[serde(default)]
    next: Names,
    #[serde(default)]
    current: Names,
    #[serde(default)]
    anaphoric: Names,
    #[serde(default)]
    before_past: Names,
    #[serde(default)]
    before_next: Names,
    #[serde(default)]
    before_this: Names,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawMarkers {
    #[serde(default)]
    day: Names,
    #[serde(default)]
    month: Names,
    #[serde(default)]
    year: Names,
    #[serde(default)]
    ad: Names,
    #[serde(default)]
    ah: Names,
    #[serde(default)]
    of: Names,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawContext {
    #[serde(default)]
    prepositions: Names,
    #[serde(default)]
    day_parts: Names,
    #[serde(default)]
    year_links: Names,
    #[serde(default)]
    count_words: Names,
    #[serde(default)]
    year_unit_blocked_after: Names,
    #[serde(default)]
    weekday_blocked_after: Names,
    #[serde(default)]
    weekday_blocked_before: Names,
    #[serde(default)]
    weekday_cues_after: Names,
    #[serde(default)]
    decade_blocked_before: Names,
}

/// Collects entries and errors while reading the file.
struct Builder<'a> {
    path: &'a str,
    src: &'a str,
    lex: Lexicon,
    errors: Vec<RuleError>,
    /// (category, normalized form) → (number, line) of its first definition.
    numbered: HashMap<(&'static str, String), (i64, usize)>,
}

impl Builder<'_> {
    fn err(&mut self, at: usize, msg: String) {
        let line = line_of(self.src, at);
        self.errors.push(RuleError::new(self.path, line, msg));
    }

    /// Normalizes a name, reporting an empty one.
    fn norm(&mut self, name: &Spanned<String>) -> Option<String> {
        let n = normalize_form(name.get_ref());
        if n.is_empty() {
            self.err(
                name.span().start,
                format!("empty name {:?}", name.get_ref()),
            );
            return None;
        }
        Some(n)
    }

    fn insert(&mut self, form: &str, meaning: Meaning) {
        let mut words = form.split(' ');
        let first = words.next().unwrap_or_default().to_owned();
        let rest: Box<[String]> = words.map(str::to_owned).collect();
        let list = self.lex.entry(first).or_default();
        if !list.iter().any(|e| e.meaning == meaning && e.rest == rest) {
            list.push(Entry { rest, meaning });
        }
    }

    /// Adds plain names (no number).
    fn words(&mut self, names: &Names, meaning: Meaning) {
        for n in names {
            if let Some(form) = self.norm(n) {
                self.insert(&form, meaning);
            }
        }
    }

    /// Checks that a number is in range; reports it otherwise.
    fn number(
        &mut self,
        what: &str,
        n: &Spanned<i64>,
        range: std::ops::RangeInclusive<i64>,
    ) -> Option<i64> {
        let v = *n.get_ref();
        if range.contains(&v) {
            Some(v)
        } else {
            self.err(
                n.span().start,
                format!(
                    "{what} {v} out of range {}..={}",
                    range.start(),
                    range.end()
                ),
            );
            None
        }
    }

    /// Registers a name of a numbered category; a form given two numbers is an error.
    fn numbered_name(
        &mut self,
        category: &'static str,
        name: &Spanned<String>,
        num: Option<i64>,
    ) -> Option<String> {
        let form = self.norm(name)?;
        let Some(num) = num else { return Some(form) };
        let line = line_of(self.src, name.span().start);
        match self.numbered.get(&(category, form.clone())) {
            Some(&(other, other_line)) if other != num => {
                self.err(
                    name.span().start,
                    format!(
                        "{category} name {:?} is already {other} (line {other_line})",
                        name.get_ref()
                    ),
                );
                None
            }
            _ => {
                self.numbered.insert((category, form.clone()), (num, line));
                Some(form)
            }
        }
    }

    /// Normalized forms of `ambiguous`, checking each is one of `names`.
    fn ambiguous(&mut self, ambiguous: &Names, names: &[String]) -> Vec<String> {
        let mut out = Vec::new();
        for a in ambiguous {
            if let Some(f) = self.norm(a) {
                if names.contains(&f) {
                    out.push(f);
                } else {
                    self.err(
                        a.span().start,
                        format!(
                            "ambiguous name {:?} is not one of this entry's names",
                            a.get_ref()
                        ),
                    );
                }
            }
        }
        out
    }
}

/// Parses and validates the file into a lexicon.
pub(super) fn build(path: &str, src: &str) -> Result<Lexicon, Vec<RuleError>> {
    let raw: RawFile = toml::from_str(src).map_err(|e| vec![toml_error(path, src, &e)])?;
    let mut b = Builder {
        path,
        src,
        lex: Lexicon::default(),
        errors: Vec::new(),
        numbered: HashMap::new(),
    };

    for m in &raw.month {
        let num = b.number("month number", &m.number, 1..=12);
        let mut forms = Vec::new();
        for (list, english) in [
            (&m.gregorian, false),
            (&m.levantine, false),
            (&m.maghrebi, false),
            (&m.moroccan, false),
            (&m.english, true),
        ] {
            for n in list {
                if let Some(f) = b.numbered_name("month", n, num) {
                    forms.push((f, english));
                }
            }
        }
        let plain: Vec<String> = forms.iter().map(|(f, _)| f.clone()).collect();
        let amb = b.ambiguous(&m.ambiguous, &plain);
        if let Some(num) = num {
            for (f, english) in forms {
                let ambiguous = amb.contains(&f);
                b.insert(
                    &f,
                    Meaning::Month {
                        num: num as u8,
                        ambiguous,
                        english,
                    },
                );
            }
        }
    }
    for (category, list, range) in [
        ("hijri month", &raw.hijri_month, 1..=12),
        ("weekday", &raw.weekday, 1..=7),
        ("decade", &raw.decade, 0..=9),
        ("century", &raw.century, 10..=30),
        ("ordinal day", &raw.ordinal_day, 1..=31),
    ] {
        for m in list {
            let num = b.number(&format!("{category} number"), &m.number, range.clone());
            let mut forms = Vec::new();
            for n in &m.names {
                if let Some(f) = b.numbered_name(category, n, num) {
                    forms.push(f);
                }
            }
            let amb = b.ambiguous(&m.ambiguous, &forms);
            let Some(num) = num else { continue };
            let num = num as u8;
            for f in &forms {
                let meaning = match category {
                    "hijri month" => Meaning::Hijri(num),
                    "weekday" => Meaning::Weekday {
                        num,
                        ambiguous: amb.contains(f),
                    },
                    "decade" => Meaning::Decade(num),
                    "ordinal day" => Meaning::Ordinal(num),
                    _ => Meaning::Century(num),
                };
                b.insert(f, meaning);
            }
        }
    }
    for d in &raw.day {
        let Some(offset) = b.number("day offset", &d.offset, -7..=7) else {
            continue;
        };
        b.words(
            &d.names,
            Meaning::Day {
                offset: offset as i8,
                alone: d.alone,
            },
        );
    }
    let u = &raw.units;
    for (names, unit) in [
        (&u.day, Unit::Day),
        (&u.week, Unit::Week),
        (&u.month, Unit::Month),
        (&u.year, Unit::Year),
        (&u.night, Unit::Night),
    ] {
        b.words(names, Meaning::Unit(unit));
    }
    let r = &raw.relative;
    for (names, m) in [
        (&r.past, Meaning::After(Rel::Past)),
        (&r.next, Meaning::After(Rel::Next)),
        (&r.current, Meaning::After(Rel::Current)),
        (&r.anaphoric, Meaning::After(Rel::Anaphoric)),
        (&r.before_past, Meaning::Before(Rel::Past)),
        (&r.before_next, Meaning::Before(Rel::Next)),
        (&r.before_this, Meaning::Before(Rel::Current)),
    ] {
        b.words(names, m);
    }
    let k = &raw.markers;
    for (names, m) in [
        (&k.day, Meaning::DayMarker),
        (&k.month, Meaning::MonthMarker),
        (&k.year, Meaning::YearMarker),
        (&k.ad, Meaning::Ad),
        (&k.ah, Meaning::Ah),
        (&k.of, Meaning::Of),
    ] {
        b.words(names, m);
    }
    let c = &raw.context;
    for (names, m) in [
        (&c.prepositions, Meaning::Prep),
        (&c.day_parts, Meaning::DayPart),
        (&c.year_links, Meaning::YearLink),
        (&c.count_words, Meaning::Count),
        (&c.year_unit_blocked_after, Meaning::YearUnitBlock),
        (&c.weekday_blocked_after, Meaning::WeekdayBlockAfter),
        (&c.weekday_blocked_before, Meaning::WeekdayBlockBefore),
        (&c.weekday_cues_after, Meaning::WeekdayCue),
        (&c.decade_blocked_before, Meaning::DecadeBlock),
    ] {
        b.words(names, m);
    }
    if b.errors.is_empty() {
        Ok(b.lex)
    } else {
        b.errors.sort_by_key(|e| e.line);
        Err(b.errors)
    }
}
