//! Domain types of a classification: what goes in and what comes out, independent of gRPC.
//!
//! The gRPC layer (`server::convert`) translates these to and from `khabar.v1` messages; the CLI
//! prints them as JSON with the same field names as the proto3 JSON mapping.

use serde::Serialize;

pub use crate::text::OffsetUnit;

/// Kinds of entities. Numbering follows `khabar.v1.EntityType`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum EntityType {
    /// A named person.
    #[serde(rename = "ENTITY_TYPE_PERSON")]
    Person,
    /// A named organization, institution, agency, party, company or medium.
    #[serde(rename = "ENTITY_TYPE_ORGANIZATION")]
    Organization,
    /// A country, city, region, geographic feature or named place.
    #[serde(rename = "ENTITY_TYPE_LOCATION")]
    Location,
    /// A calendar or relative date expression.
    #[serde(rename = "ENTITY_TYPE_DATE")]
    Date,
    /// A nationality or group adjective ("الروسي", "North Korean"), linked to its country.
    #[serde(rename = "ENTITY_TYPE_NORP")]
    Norp,
}

impl EntityType {
    /// Every type, in proto order.
    pub const ALL: [EntityType; 5] = [
        EntityType::Person,
        EntityType::Organization,
        EntityType::Location,
        EntityType::Date,
        EntityType::Norp,
    ];

    /// The name used in rule files (`PERSON`, `ORGANIZATION`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            EntityType::Person => "PERSON",
            EntityType::Organization => "ORGANIZATION",
            EntityType::Location => "LOCATION",
            EntityType::Date => "DATE",
            EntityType::Norp => "NORP",
        }
    }

    /// Parses the name used in rule files.
    pub fn parse(s: &str) -> Option<EntityType> {
        EntityType::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

/// Which field of the request a span points into. Ordered as the fields are read: the title
/// comes before the text ("document order" puts title mentions first).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Field {
    /// The headline (`ClassifyRequest.title`).
    #[serde(rename = "FIELD_TITLE")]
    Title,
    /// The article text (`ClassifyRequest.text`).
    #[default]
    #[serde(rename = "FIELD_TEXT")]
    Text,
}

impl Field {
    /// Both fields, in document order.
    pub const ALL: [Field; 2] = [Field::Title, Field::Text];

    /// 0 for the title, 1 for the text: an index into per-field arrays.
    pub fn index(self) -> usize {
        self as usize
    }
}

/// Per-request options.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Options {
    /// Topics scoring below this are left out (0 = use each topic's own threshold only).
    pub min_topic_score: f64,
    /// At most this many topics, highest score first (0 = no limit).
    pub max_topics: usize,
    /// Only these entity types (empty = all).
    pub entity_types: Vec<EntityType>,
    /// Whether topics carry the evidence that fired them.
    pub include_evidence: bool,
}

/// One document to classify.
#[derive(Clone, Debug, Default)]
pub struct Document {
    /// Caller's id, echoed back.
    pub id: String,
    /// The article text; all offsets of [`Field::Text`] point into it.
    pub text: String,
    /// Optional headline; boosts topics and salience, its spans use [`Field::Title`].
    pub title: String,
    /// BCP-47 language hint; empty = detect.
    pub language: String,
    /// Unit of the reported offsets.
    pub offset_unit: OffsetUnit,
    /// Publication time, the reference for relative dates ("أمس", "last month").
    pub published_at: Option<jiff::Timestamp>,
    /// Where the document was published: `published_at` is read in this zone to get the
    /// reference date of relative dates. `None` = UTC.
    pub time_zone: Option<jiff::tz::TimeZone>,
    /// Options.
    pub options: Options,
}

/// The largest text (and title) the library classifies: offsets are `u32` and every field must
/// fit twice (original and normalized) below `u32::MAX`. Servers set a lower limit.
pub const MAX_TEXT_BYTES: usize = u32::MAX as usize / 2;

/// Most characters of a client's value quoted back in an error message or a log line.
pub const SHOWN_CHARS: usize = 64;

impl Document {
    /// Checks what the contract demands of a document, the same way for every entry point (the
    /// gRPC server, the CLI, [`crate::Classifier::classify`]): text and title within
    /// `max_text_bytes`, a text that is not blank, a well-formed language tag, a minimum topic
    /// score in [0, 1]. Enum values and timestamps are checked where they are decoded.
    pub fn check(&self, max_text_bytes: usize) -> Result<(), ClassifyError> {
        if self.text.len() > max_text_bytes {
            return Err(ClassifyError::TextTooLong {
                size: self.text.len(),
                limit: max_text_bytes,
            });
        }
        if self.title.len() > max_text_bytes {
            return Err(ClassifyError::TitleTooLong {
                size: self.title.len(),
                limit: max_text_bytes,
            });
        }
        if self.text.trim().is_empty() {
            return Err(ClassifyError::EmptyText);
        }
        language_hint(&self.language)?;
        let score = self.options.min_topic_score;
        if !(0.0..=1.0).contains(&score) {
            return Err(invalid(
                "options.min_topic_score",
                format!("must be in [0, 1], got {score}"),
            ));
        }
        Ok(())
    }

    /// The reference date of relative dates: the calendar day of `published_at` in `time_zone`
    /// (UTC when none is given); `None` without `published_at`.
    pub fn reference_date(&self) -> Option<jiff::civil::Date> {
        let tz = self.time_zone.clone().unwrap_or(jiff::tz::TimeZone::UTC);
        self.published_at.map(|t| t.to_zoned(tz).date())
    }

    /// The language the hint names (its primary subtag, lowercased: `ar` for `ar-EG`), or `None`
    /// when there is no hint or it names no language (a private-use tag `x-…`): the language is
    /// then detected.
    pub fn language_hint(&self) -> Result<Option<String>, ClassifyError> {
        language_hint(&self.language)
    }
}

/// Checks a BCP-47 language tag (syntax only: `ar`, `en-US`, `zh-Hant-TW`, `x-private`) and
/// returns its primary language subtag, lowercased; `None` for an empty or private-use tag.
fn language_hint(tag: &str) -> Result<Option<String>, ClassifyError> {
    if tag.is_empty() {
        return Ok(None);
    }
    let bad = || {
        invalid(
            "language",
            format!("{} is not a well-formed BCP-47 language tag", shown(tag)),
        )
    };
    if tag.len() > 64 {
        return Err(bad());
    }
    let mut parts = tag.split('-');
    let first = parts.next().unwrap_or_default();
    let private = first.eq_ignore_ascii_case("x");
    let first_ok = private
        || ((2..=8).contains(&first.len()) && first.bytes().all(|b| b.is_ascii_alphabetic()));
    if !first_ok {
        return Err(bad());
    }
    let mut any = false;
    for p in parts {
        any = true;
        if p.is_empty() || p.len() > 8 || !p.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(bad());
        }
    }
    if private && !any {
        return Err(bad());
    }
    Ok((!private).then(|| first.to_ascii_lowercase()))
}

/// Parses a document's time zone: an IANA name (`Asia/Riyadh`, `Africa/Cairo`, `UTC`), looked up
/// in the time zone database compiled into the binary (the same answer on every machine), or a
/// fixed UTC offset (`+03:00`, `-04:30`; also `Z`). The publication time is read in it to get the
/// reference date of relative dates: "أمس" in a Riyadh paper published at 22:30 UTC is the day of
/// publication in UTC, not the day before.
pub fn parse_time_zone(s: &str) -> Result<jiff::tz::TimeZone, ClassifyError> {
    use jiff::fmt::temporal::DateTimeParser;
    use jiff::tz::{TimeZone, TimeZoneDatabase};
    static DB: std::sync::OnceLock<TimeZoneDatabase> = std::sync::OnceLock::new();
    static PARSER: DateTimeParser = DateTimeParser::new();
    /// The largest offset from UTC accepted, in hours (as ISO 8601 profiles and java.time).
    const MAX_OFFSET_HOURS: i32 = 18;
    if s == "Z" {
        return Ok(TimeZone::UTC);
    }
    let tz = PARSER
        .parse_time_zone_with(DB.get_or_init(TimeZoneDatabase::bundled), s)
        .map_err(|_| {
            invalid(
                "time_zone",
                format!(
                    "{} is not an IANA time zone name (e.g. Asia/Riyadh) nor an offset like +03:00",
                    shown(s)
                ),
            )
        })?;
    match tz.to_fixed_offset() {
        Ok(o) if o.seconds().abs() > MAX_OFFSET_HOURS * 3600 => Err(invalid(
            "time_zone",
            format!(
                "{} is out of range (at most {MAX_OFFSET_HOURS} hours from UTC)",
                shown(s)
            ),
        )),
        _ => Ok(tz),
    }
}

/// A client's string as it may appear in an error message or a log line: quoted and escaped
/// (no newline or terminal escape gets through), cut to [`SHOWN_CHARS`] characters with its size
/// when longer, so a 10 MB value does not come back in a status trailer.
pub fn shown(s: &str) -> String {
    match s.char_indices().nth(SHOWN_CHARS) {
        Some((cut, _)) => format!("{:?}… ({} bytes)", &s[..cut], s.len()),
        None => format!("{s:?}"),
    }
}

fn invalid(field: &'static str, message: String) -> ClassifyError {
    ClassifyError::InvalidArgument { field, message }
}

/// Why a document cannot be classified. Every variant is the client's mistake except
/// [`ClassifyError::Internal`].
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ClassifyError {
    /// The text is empty or whitespace only.
    #[error("text is empty")]
    EmptyText,
    /// The text is larger than the server accepts.
    #[error("text is {size} bytes, over the limit of {limit} bytes")]
    TextTooLong {
        /// Size of the text in bytes.
        size: usize,
        /// The limit in bytes.
        limit: usize,
    },
    /// The title is larger than the server accepts.
    #[error("title is {size} bytes, over the limit of {limit} bytes")]
    TitleTooLong {
        /// Size of the title in bytes.
        size: usize,
        /// The limit in bytes.
        limit: usize,
    },
    /// A batch holds more documents than the server accepts.
    #[error("batch has {size} documents, over the limit of {limit}")]
    BatchTooLarge {
        /// Number of documents.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// A field holds a value the contract does not allow (unknown enum value, bad number...).
    #[error("{field}: {message}")]
    InvalidArgument {
        /// The field's name in the proto.
        field: &'static str,
        /// What is wrong.
        message: String,
    },
    /// A bug on our side.
    #[error("internal error: {0}")]
    Internal(String),
}

/// What a client can learn about the rules in use (`GetRules`).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RulesInfo {
    /// Content hash of every rule file (hex, 16 chars).
    pub version: String,
    /// When these rules were loaded.
    #[serde(serialize_with = "ser_ts")]
    pub loaded_at: jiff::Timestamp,
    /// Number of gazetteer entities per type (DATE left out).
    pub entity_counts: Vec<(EntityType, usize)>,
    /// Number of topic rules.
    pub topic_rule_count: usize,
    /// Entries of every word list the pipeline consults, by list name (`patterns.toml:titles`).
    pub list_counts: Vec<(String, usize)>,
    /// The whole taxonomy in use (active IPTC concepts).
    pub topics: Vec<TopicInfo>,
    /// Where the rules came from (`embedded` or a directory).
    pub source: String,
}

fn ser_ts<S: serde::Serializer>(t: &jiff::Timestamp, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&t.to_string())
}

/// One taxonomy concept.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TopicInfo {
    /// IPTC qcode.
    pub id: String,
    /// English label.
    pub label: String,
    /// Arabic label.
    pub label_ar: String,
    /// Parent qcode, empty at the top level.
    pub parent_id: String,
}

/// A half-open range in the response's offset unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Span {
    /// Start, inclusive.
    pub start: u32,
    /// End, exclusive.
    pub end: u32,
}

/// Why a topic fired: one matched term or entity.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Evidence {
    /// The rule that fired, as `file:line` of the rules directory.
    pub rule_id: String,
    /// The matched original text.
    pub text: String,
    /// Start, in the response's unit.
    pub start: u32,
    /// End (exclusive), in the response's unit.
    pub end: u32,
    /// What this occurrence added to the topic's raw sum.
    pub weight: f64,
    /// Field the span points into.
    pub field: Field,
}

/// An IPTC Media Topic assigned to the document.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Topic {
    /// IPTC qcode, e.g. `medtop:20000639`.
    pub id: String,
    /// English label.
    pub label: String,
    /// Arabic label (may be empty where IPTC has none).
    pub label_ar: String,
    /// Parent qcode; empty for top-level topics.
    pub parent_id: String,
    /// Score in [0, 1].
    pub score: f64,
    /// The terms that fired (only when asked for).
    pub evidence: Vec<Evidence>,
}

/// One occurrence of an entity.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Mention {
    /// Start, in the response's unit.
    pub start: u32,
    /// End (exclusive), in the response's unit.
    pub end: u32,
    /// Exactly the original substring.
    pub text: String,
    /// The list entry or pattern that matched (`file:line`, or a pattern name).
    pub rule_id: String,
    /// Confidence in [0, 1].
    pub confidence: f64,
    /// Normalized value (ISO 8601 for dates), or empty.
    pub value: String,
    /// The title or role found before a person's name ("وزير الدفاع الروسي"), or empty.
    pub role: String,
    /// Field the span points into.
    pub field: Field,
}

/// An entity with all its mentions.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Entity {
    /// Canonical, stable id (`country/KP`, `person/vladimir-putin`, `date/2023-07-26`).
    pub id: String,
    /// Kind of entity.
    #[serde(rename = "type")]
    pub entity_type: EntityType,
    /// Canonical English name (for unlisted names: the text as found).
    pub name: String,
    /// Canonical Arabic name (may be empty).
    pub name_ar: String,
    /// Wikidata item id (`Q7747`) of a listed entity whose list gives one, or empty.
    pub wikidata_id: String,
    /// Salience in [0, 1]: frequency, position and title presence.
    pub salience: f64,
    /// Mentions in document order.
    pub mentions: Vec<Mention>,
}

/// The result of classifying one document.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Classification {
    /// The request's id.
    pub id: String,
    /// Language used (`ar`, `en`, `und`).
    pub language: String,
    /// Topics, highest score first.
    pub topics: Vec<Topic>,
    /// Entities, most salient first.
    pub entities: Vec<Entity>,
    /// Unit of all offsets (never unspecified).
    pub offset_unit: OffsetUnit,
    /// Version (content hash) of the rules used.
    pub rules_version: String,
    /// Regions of the text recognised as web-page boilerplate and kept out of topics and entities.
    pub boilerplate: Vec<Span>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_zones_parse_names_and_offsets() {
        let published = jiff::Timestamp::from_second(1_710_109_800).unwrap(); // 2024-03-10T22:30:00Z
        let day = |tz: &str| {
            published
                .to_zoned(parse_time_zone(tz).unwrap())
                .date()
                .to_string()
        };
        assert_eq!(day("UTC"), "2024-03-10");
        assert_eq!(day("Z"), "2024-03-10");
        assert_eq!(day("Asia/Riyadh"), "2024-03-11");
        assert_eq!(day("+03:00"), "2024-03-11");
        assert_eq!(day("+01:29"), "2024-03-10");
        assert_eq!(day("+01:30"), "2024-03-11");
        assert_eq!(day("America/New_York"), "2024-03-10");
        assert_eq!(day("-10:00"), "2024-03-10");
        assert_eq!(day("-18:00"), "2024-03-10");
        for bad in [
            "Asia/Nowhere",
            "riyadh",
            "+3",
            "+03:0",
            "+19:00",
            "+03:60",
            "03:00",
            "+٠٣:٠٠",
            "",
        ] {
            let e = parse_time_zone(bad).expect_err(bad).to_string();
            assert!(e.starts_with("time_zone: "), "{e}");
            assert!(e.contains(&format!("{bad:?}")), "{e}");
        }
        let long = "Asia/".repeat(2_000_000);
        let e = parse_time_zone(&long).expect_err("long").to_string();
        assert!(e.len() < 200, "{} bytes", e.len());
    }

    #[test]
    fn shown_values_are_short_and_escaped() {
        assert_eq!(shown("Asia/Riyadh"), "\"Asia/Riyadh\"");
        assert_eq!(shown("a\nb\u{1b}[31m"), "\"a\\nb\\u{1b}[31m\"");
        let long = "ب".repeat(10_000);
        let s = shown(&long);
        assert!(s.chars().count() < 100, "{s}");
        assert!(s.ends_with("… (20000 bytes)"), "{s}");
    }

    #[test]
    fn min_topic_score_is_in_the_unit_interval() {
        for (score, ok) in [
            (0.0, true),
            (1.0, true),
            (f64::NAN, false),
            (-0.1, false),
            (1.5, false),
        ] {
            let doc = Document {
                text: "x".into(),
                options: Options {
                    min_topic_score: score,
                    ..Default::default()
                },
                ..Default::default()
            };
            assert_eq!(doc.check(MAX_TEXT_BYTES).is_ok(), ok, "{score}");
        }
    }

    #[test]
    fn one_language_check_for_every_entry_point() {
        let hint = |tag: &str| {
            Document {
                language: tag.into(),
                ..Default::default()
            }
            .language_hint()
        };
        assert_eq!(hint(""), Ok(None));
        assert_eq!(hint("ar"), Ok(Some("ar".into())));
        assert_eq!(hint("AR-eg"), Ok(Some("ar".into())));
        assert_eq!(hint("zh-Hant-TW"), Ok(Some("zh".into())));
        assert_eq!(hint("arabic"), Ok(Some("arabic".into())));
        assert_eq!(hint("x-khabar"), Ok(None));
        assert_eq!(hint("und"), Ok(Some("und".into())));
        for bad in [
            "a",
            "x",
            "arabic language",
            "ar_EG",
            "ar-",
            "-ar",
            "ar--EG",
            "123",
            "ar-toolongsubtag",
            "ع",
            "1a",
        ] {
            let e = hint(bad).expect_err(bad).to_string();
            assert!(e.starts_with("language: "), "{e}");
        }
    }
}
