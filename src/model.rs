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

/// Which field of the request a span points into.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub enum Field {
    /// The article text (`ClassifyRequest.text`).
    #[default]
    #[serde(rename = "FIELD_TEXT")]
    Text,
    /// The headline (`ClassifyRequest.title`).
    #[serde(rename = "FIELD_TITLE")]
    Title,
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
