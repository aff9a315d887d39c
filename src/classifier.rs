//! The immutable classifier: compiled rules plus the pipeline
//! normalize → match → resolve → score. Built once, shared behind an `Arc`, `Send + Sync`.

use std::path::Path;

use crate::model::{Classification, ClassifyError, Document, EntityType};
use crate::rules::{RuleErrors, RuleFile};

/// What a client can learn about the rules in use (`GetRules`).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RulesInfo {
    /// Content hash of every rule file (hex, 16 chars).
    pub version: String,
    /// When these rules were loaded.
    #[serde(serialize_with = "ser_ts")]
    pub loaded_at: jiff::Timestamp,
    /// Number of gazetteer entities per type (DATE counts date lexicon entries).
    pub entity_counts: Vec<(EntityType, usize)>,
    /// Number of topic rules.
    pub topic_rule_count: usize,
    /// The whole taxonomy in use (active IPTC concepts).
    pub topics: Vec<TopicInfo>,
    /// Where the rules came from (`embedded` or a directory).
    pub source: String,
}

fn ser_ts<S: serde::Serializer>(t: &jiff::Timestamp, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&t.to_string())
}

/// One taxonomy concept.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
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

/// The classifier.
#[derive(Debug)]
pub struct Classifier {
    info: RulesInfo,
}

impl Classifier {
    /// Builds a classifier from the rules embedded in the binary.
    pub fn embedded() -> Result<Classifier, RuleErrors> {
        Classifier::from_files(crate::rules::embedded(), "embedded")
    }

    /// Builds a classifier from a rules directory.
    pub fn from_dir(dir: &Path) -> Result<Classifier, RuleErrors> {
        let files = crate::rules::read_dir(dir)?;
        Classifier::from_files(files, &dir.display().to_string())
    }

    /// Builds a classifier from rule files (paths relative to the rules directory).
    pub fn from_files(files: Vec<RuleFile>, source: &str) -> Result<Classifier, RuleErrors> {
        let version = crate::rules::version_of(&files);
        Ok(Classifier {
            info: RulesInfo {
                version,
                loaded_at: jiff::Timestamp::now(),
                entity_counts: Vec::new(),
                topic_rule_count: 0,
                topics: Vec::new(),
                source: source.to_owned(),
            },
        })
    }

    /// Information about the rules in use.
    pub fn info(&self) -> &RulesInfo {
        &self.info
    }

    /// Classifies one document.
    pub fn classify(&self, doc: &Document) -> Result<Classification, ClassifyError> {
        if doc.text.trim().is_empty() {
            return Err(ClassifyError::EmptyText);
        }
        Ok(Classification {
            id: doc.id.clone(),
            language: crate::text::detect_language(&doc.text).to_owned(),
            topics: Vec::new(),
            entities: Vec::new(),
            offset_unit: doc.offset_unit,
            rules_version: self.info.version.clone(),
            boilerplate: Vec::new(),
        })
    }
}
