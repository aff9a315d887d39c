//! `khabar.v1` messages ↔ domain types. Requests are validated here: every way a request can be
//! malformed becomes a [`ClassifyError`] naming the field, never a panic.

use crate::model::{
    Classification, ClassifyError, Document, Entity, EntityType, Evidence, Field, Mention,
    OffsetUnit, Options, RulesInfo, Span, Topic, TopicInfo,
};
use crate::pb;

/// Translates a request: enum values, timestamps and the time zone are decoded (and refused when
/// they cannot be); the document itself is checked by [`Document::check`].
impl TryFrom<pb::ClassifyRequest> for Document {
    type Error = ClassifyError;

    fn try_from(req: pb::ClassifyRequest) -> Result<Document, ClassifyError> {
        let offset_unit = offset_unit_from_pb(req.offset_unit)?;
        let published_at = req.published_at.map(timestamp_from_pb).transpose()?;
        let time_zone = match req.time_zone.trim() {
            "" => None,
            tz => Some(crate::model::parse_time_zone(tz)?),
        };
        let options = match req.options {
            Some(o) => Options::try_from(o)?,
            None => Options::default(),
        };
        Ok(Document {
            id: req.id,
            text: req.text,
            title: req.title,
            language: req.language,
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
        let entity_types = o
            .entity_types
            .iter()
            .map(|&t| entity_type_from_pb(t))
            .collect::<Result<_, _>>()?;
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

/// Seconds of 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z, the range of
/// `google.protobuf.Timestamp`.
const MIN_TS_SECONDS: i64 = -62_135_596_800;
const MAX_TS_SECONDS: i64 = 253_402_300_799;

/// A protobuf timestamp as a [`jiff::Timestamp`], checked against the proto's documented range.
pub fn timestamp_from_pb(t: pbjson_types::Timestamp) -> Result<jiff::Timestamp, ClassifyError> {
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
pub fn timestamp_to_pb(t: jiff::Timestamp) -> pbjson_types::Timestamp {
    pbjson_types::Timestamp {
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
pub fn rules_info_to_pb(
    info: &RulesInfo,
    last_reload_error: Option<String>,
) -> pb::GetRulesResponse {
    pb::GetRulesResponse {
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
        list_counts: info
            .list_counts
            .iter()
            .map(|(name, n)| pb::ListCount {
                name: name.clone(),
                count: u32::try_from(*n).unwrap_or(u32::MAX),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps() {
        assert!(timestamp_from_pb(pbjson_types::Timestamp {
            seconds: 1_690_329_600,
            nanos: 0
        })
        .is_ok());
        assert!(timestamp_from_pb(pbjson_types::Timestamp {
            seconds: 0,
            nanos: -1
        })
        .is_err());
        assert!(timestamp_from_pb(pbjson_types::Timestamp {
            seconds: 0,
            nanos: 1_000_000_000
        })
        .is_err());
        assert!(timestamp_from_pb(pbjson_types::Timestamp {
            seconds: MAX_TS_SECONDS + 1,
            nanos: 0
        })
        .is_err());
        assert!(timestamp_from_pb(pbjson_types::Timestamp {
            seconds: MIN_TS_SECONDS,
            nanos: 0
        })
        .is_ok());
    }
}
