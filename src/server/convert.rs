//! `khabar.v1` messages ↔ domain types. Requests are validated here: every way a request can be
//! malformed becomes a [`ClassifyError`] naming the field, never a panic.

use crate::classifier::{RulesInfo, TopicInfo};
use crate::model::{
    Classification, ClassifyError, Document, Entity, EntityType, Evidence, Field, Mention,
    OffsetUnit, Options, Span, Topic,
};
use crate::pb;

use super::Config;

/// Most characters of a client's value quoted back in an error message or a log line.
pub const SHOWN_CHARS: usize = 64;

/// A client's string as it may appear in a message or a log line: quoted and escaped (no
/// newline or terminal escape gets through), cut to [`SHOWN_CHARS`] characters with its size
/// when longer.
pub fn shown(s: &str) -> String {
    match s.char_indices().nth(SHOWN_CHARS) {
        None => format!("{s:?}"),
        Some((cut, _)) => format!("{:?}… ({} bytes)", &s[..cut], s.len()),
    }
}

/// Checks the sizes and emptiness of a document against the server's limits.
pub fn check_limits(doc: &Document, limits: &Config) -> Result<(), ClassifyError> {
    if doc.text.len() > limits.max_text_bytes {
        return Err(ClassifyError::TextTooLong {
            size: doc.text.len(),
            limit: limits.max_text_bytes,
        });
    }
    if doc.title.len() > limits.max_text_bytes {
        return Err(ClassifyError::TitleTooLong {
            size: doc.title.len(),
            limit: limits.max_text_bytes,
        });
    }
    if doc.text.trim().is_empty() {
        return Err(ClassifyError::EmptyText);
    }
    Ok(())
}

/// Converts and validates a request (everything but the size limits, see [`check_limits`]).
impl TryFrom<pb::ClassifyRequest> for Document {
    type Error = ClassifyError;

    fn try_from(req: pb::ClassifyRequest) -> Result<Document, ClassifyError> {
        let offset_unit = offset_unit_from_pb(req.offset_unit)?;
        let language = validate_language(req.language)?;
        let published_at = req.published_at.map(timestamp_from_pb).transpose()?;
        let time_zone = match req.time_zone.trim() {
            "" => None,
            // No zone name or offset is this long: refuse it without quoting it in full.
            tz if tz.len() > SHOWN_CHARS => {
                return Err(invalid(
                    "time_zone",
                    format!(
                        "{} is neither an IANA time zone name nor a +HH:MM offset",
                        shown(tz)
                    ),
                ))
            }
            tz => Some(crate::dates::parse_time_zone(tz).map_err(|m| invalid("time_zone", m))?),
        };
        let options = match req.options {
            Some(o) => Options::try_from(o)?,
            None => Options::default(),
        };
        Ok(Document {
            id: req.id,
            text: req.text,
            title: req.title,
            language,
            offset_unit,
            published_at,
            time_zone,
            options,
        })
    }
}

impl TryFrom<pb::ClassifyOptions> for Options {
    type Error = ClassifyError;

    fn try_from(o: pb::ClassifyOptions) -> Result<Options, ClassifyError> {
        if !(0.0..=1.0).contains(&o.min_topic_score) {
            return Err(invalid(
                "options.min_topic_score",
                format!("must be in [0, 1], got {}", o.min_topic_score),
            ));
        }
        let mut entity_types = Vec::with_capacity(o.entity_types.len());
        for &t in &o.entity_types {
            let ty = entity_type_from_pb(t)?;
            if !entity_types.contains(&ty) {
                entity_types.push(ty);
            }
        }
        Ok(Options {
            min_topic_score: o.min_topic_score,
            max_topics: o.max_topics as usize,
            entity_types,
            include_evidence: o.include_evidence,
        })
    }
}

fn invalid(field: &'static str, message: impl Into<String>) -> ClassifyError {
    ClassifyError::InvalidArgument {
        field,
        message: message.into(),
    }
}

/// `OffsetUnit` from its wire value; UNSPECIFIED means code points.
pub fn offset_unit_from_pb(v: i32) -> Result<OffsetUnit, ClassifyError> {
    match pb::OffsetUnit::try_from(v) {
        Ok(pb::OffsetUnit::Unspecified | pb::OffsetUnit::CodePoint) => Ok(OffsetUnit::CodePoint),
        Ok(pb::OffsetUnit::Utf8Byte) => Ok(OffsetUnit::Utf8Byte),
        Ok(pb::OffsetUnit::Utf16CodeUnit) => Ok(OffsetUnit::Utf16CodeUnit),
        Err(_) => Err(invalid("offset_unit", format!("unknown value {v}"))),
    }
}

/// The wire value of an offset unit (never UNSPECIFIED).
pub fn offset_unit_to_pb(u: OffsetUnit) -> pb::OffsetUnit {
    match u {
        OffsetUnit::CodePoint => pb::OffsetUnit::CodePoint,
        OffsetUnit::Utf8Byte => pb::OffsetUnit::Utf8Byte,
        OffsetUnit::Utf16CodeUnit => pb::OffsetUnit::Utf16CodeUnit,
    }
}

/// `EntityType` from its wire value; UNSPECIFIED and unknown values are errors.
pub fn entity_type_from_pb(v: i32) -> Result<EntityType, ClassifyError> {
    match pb::EntityType::try_from(v) {
        Ok(pb::EntityType::Person) => Ok(EntityType::Person),
        Ok(pb::EntityType::Organization) => Ok(EntityType::Organization),
        Ok(pb::EntityType::Location) => Ok(EntityType::Location),
        Ok(pb::EntityType::Date) => Ok(EntityType::Date),
        Ok(pb::EntityType::Norp) => Ok(EntityType::Norp),
        Ok(pb::EntityType::Unspecified) => Err(invalid(
            "options.entity_types",
            "ENTITY_TYPE_UNSPECIFIED is not an entity type",
        )),
        Err(_) => Err(invalid(
            "options.entity_types",
            format!("unknown value {v}"),
        )),
    }
}

/// The wire value of an entity type.
pub fn entity_type_to_pb(t: EntityType) -> pb::EntityType {
    match t {
        EntityType::Person => pb::EntityType::Person,
        EntityType::Organization => pb::EntityType::Organization,
        EntityType::Location => pb::EntityType::Location,
        EntityType::Date => pb::EntityType::Date,
        EntityType::Norp => pb::EntityType::Norp,
    }
}

fn field_to_pb(f: Field) -> pb::Field {
    match f {
        Field::Text => pb::Field::Text,
        Field::Title => pb::Field::Title,
    }
}

/// Checks that a language hint is a well-formed BCP-47 tag (syntax only: `ar`, `en-US`,
/// `zh-Hant-TW`, `x-private`); empty means "detect".
pub fn validate_language(tag: String) -> Result<String, ClassifyError> {
    if tag.is_empty() {
        return Ok(tag);
    }
    let bad = || {
        invalid(
            "language",
            format!("{} is not a well-formed BCP-47 language tag", shown(&tag)),
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
    Ok(tag)
}

/// Seconds of 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z, the range of
/// `google.protobuf.Timestamp`.
const MIN_TS_SECONDS: i64 = -62_135_596_800;
const MAX_TS_SECONDS: i64 = 253_402_300_799;

/// A protobuf timestamp as a [`jiff::Timestamp`], checked against the proto's documented range.
pub fn timestamp_from_pb(t: prost_types::Timestamp) -> Result<jiff::Timestamp, ClassifyError> {
    if !(0..1_000_000_000).contains(&t.nanos) {
        return Err(invalid(
            "published_at",
            format!("nanos must be in [0, 999999999], got {}", t.nanos),
        ));
    }
    if !(MIN_TS_SECONDS..=MAX_TS_SECONDS).contains(&t.seconds) {
        return Err(invalid(
            "published_at",
            format!("seconds must be within years 0001..9999, got {}", t.seconds),
        ));
    }
    jiff::Timestamp::new(t.seconds, t.nanos).map_err(|e| invalid("published_at", e.to_string()))
}

/// A [`jiff::Timestamp`] as a protobuf timestamp.
pub fn timestamp_to_pb(t: jiff::Timestamp) -> prost_types::Timestamp {
    prost_types::Timestamp {
        seconds: t.as_second(),
        nanos: t.subsec_nanosecond(),
    }
}

impl From<Classification> for pb::ClassifyResponse {
    fn from(c: Classification) -> pb::ClassifyResponse {
        pb::ClassifyResponse {
            id: c.id,
            language: c.language,
            topics: c.topics.into_iter().map(Into::into).collect(),
            entities: c.entities.into_iter().map(Into::into).collect(),
            offset_unit: offset_unit_to_pb(c.offset_unit) as i32,
            rules_version: c.rules_version,
            boilerplate: c.boilerplate.into_iter().map(Into::into).collect(),
            error: None,
        }
    }
}

impl From<Span> for pb::Span {
    fn from(s: Span) -> pb::Span {
        pb::Span {
            start: s.start,
            end: s.end,
        }
    }
}

impl From<Topic> for pb::Topic {
    fn from(t: Topic) -> pb::Topic {
        pb::Topic {
            id: t.id,
            label: t.label,
            label_ar: t.label_ar,
            parent_id: t.parent_id,
            score: t.score,
            evidence: t.evidence.into_iter().map(Into::into).collect(),
        }
    }
}

impl From<Evidence> for pb::Evidence {
    fn from(e: Evidence) -> pb::Evidence {
        pb::Evidence {
            rule_id: e.rule_id,
            text: e.text,
            start: e.start,
            end: e.end,
            weight: e.weight,
            field: field_to_pb(e.field) as i32,
        }
    }
}

impl From<Entity> for pb::Entity {
    fn from(e: Entity) -> pb::Entity {
        pb::Entity {
            id: e.id,
            r#type: entity_type_to_pb(e.entity_type) as i32,
            name: e.name,
            name_ar: e.name_ar,
            salience: e.salience,
            mentions: e.mentions.into_iter().map(Into::into).collect(),
            wikidata_id: e.wikidata_id,
        }
    }
}

impl From<Mention> for pb::Mention {
    fn from(m: Mention) -> pb::Mention {
        pb::Mention {
            start: m.start,
            end: m.end,
            text: m.text,
            rule_id: m.rule_id,
            confidence: m.confidence,
            value: m.value,
            role: m.role,
            field: field_to_pb(m.field) as i32,
        }
    }
}

impl From<&TopicInfo> for pb::TopicInfo {
    fn from(t: &TopicInfo) -> pb::TopicInfo {
        pb::TopicInfo {
            id: t.id.clone(),
            label: t.label.clone(),
            label_ar: t.label_ar.clone(),
            parent_id: t.parent_id.clone(),
        }
    }
}

/// `GetRules`' answer: the rules in use plus the last reload error (empty when none).
pub fn rules_info_to_pb(info: &RulesInfo, last_reload_error: Option<String>) -> pb::RulesInfo {
    pb::RulesInfo {
        version: info.version.clone(),
        loaded_at: Some(timestamp_to_pb(info.loaded_at)),
        entity_counts: info
            .entity_counts
            .iter()
            .map(|&(t, n)| pb::EntityCount {
                r#type: entity_type_to_pb(t) as i32,
                count: u32::try_from(n).unwrap_or(u32::MAX),
            })
            .collect(),
        topic_rule_count: u32::try_from(info.topic_rule_count).unwrap_or(u32::MAX),
        topics: info.topics.iter().map(Into::into).collect(),
        entity_types: EntityType::ALL
            .iter()
            .map(|&t| entity_type_to_pb(t) as i32)
            .collect(),
        last_reload_error: last_reload_error.unwrap_or_default(),
        source: info.source.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags() {
        for ok in ["", "ar", "en", "ar-EG", "zh-Hant-TW", "x-khabar", "und"] {
            assert!(validate_language(ok.into()).is_ok(), "{ok}");
        }
        for bad in [
            "a",
            "arabic language",
            "ar_EG",
            "ar-",
            "-ar",
            "x",
            "ar--EG",
            "123",
            "ar-toolongsubtag",
        ] {
            assert!(validate_language(bad.into()).is_err(), "{bad}");
        }
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
    fn timestamps() {
        assert!(timestamp_from_pb(prost_types::Timestamp {
            seconds: 1_690_329_600,
            nanos: 0
        })
        .is_ok());
        assert!(timestamp_from_pb(prost_types::Timestamp {
            seconds: 0,
            nanos: -1
        })
        .is_err());
        assert!(timestamp_from_pb(prost_types::Timestamp {
            seconds: 0,
            nanos: 1_000_000_000
        })
        .is_err());
        assert!(timestamp_from_pb(prost_types::Timestamp {
            seconds: MAX_TS_SECONDS + 1,
            nanos: 0
        })
        .is_err());
        assert!(timestamp_from_pb(prost_types::Timestamp {
            seconds: MIN_TS_SECONDS,
            nanos: 0
        })
        .is_ok());
    }

    #[test]
    fn min_score_nan_is_rejected() {
        let o = pb::ClassifyOptions {
            min_topic_score: f64::NAN,
            ..Default::default()
        };
        assert!(Options::try_from(o).is_err());
    }
}
