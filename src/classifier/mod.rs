//! The immutable classifier: compiled rules plus the pipeline
//! check → normalize and scan → entities → topics → response. Built once, shared behind an `Arc`,
//! `Send + Sync`.
//!
//! | module | job |
//! | --- | --- |
//! | [`lexicon`] | every surface form in one automaton, one [`lexicon::Group`] per use |
//! | [`fields`] | the title and the text as one type: normalized, scanned, lead, boilerplate |
//! | [`mentions`] | entity candidates of each field, story-level readings, propagation |
//! | [`output`] | offsets in the requested unit, entity ids and names, the response |

mod fields;
mod lexicon;
mod mentions;
mod output;

use std::path::Path;
use std::sync::Arc;

use crate::context::SharedNames;
use crate::dates::DateEngine;
use crate::model::{Classification, ClassifyError, Document, RulesInfo, MAX_TEXT_BYTES};
use crate::rules::{RuleErrors, RuleFile, RuleSet};
use crate::topics::TopicEngine;
use crate::triggers::NameWords;

use fields::Fields;
use lexicon::Lexicon;

/// The classifier.
#[derive(Debug)]
pub struct Classifier {
    info: RulesInfo,
    rules: RuleSet,
    /// Every surface form, one group per use; a field is scanned once.
    lexicon: Lexicon,
    topics: TopicEngine,
    /// The date grammar over the rule set's date lexicon.
    dates: DateEngine,
    /// `rules.entities[i].rule_id`, shared by every candidate of entity `i`.
    entity_rule_ids: Vec<Arc<str>>,
    /// Names several entities share, resolved by the story's countries.
    shared: SharedNames,
    /// The word lists of the name grammar, one lookup per token.
    names: NameWords,
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
        let rules = RuleSet::load(&files)?;
        Ok(Classifier::compile(rules, source))
    }

    /// Compiles a validated rule set.
    pub fn compile(rules: RuleSet, source: &str) -> Classifier {
        let topics = TopicEngine::new(&rules);
        Classifier {
            info: output::rules_info(&rules, source),
            lexicon: Lexicon::compile(&rules, &topics),
            topics,
            dates: DateEngine::new(&rules.dates),
            entity_rule_ids: rules
                .entities
                .iter()
                .map(|e| e.rule_id.as_str().into())
                .collect(),
            shared: SharedNames::new(&rules),
            names: NameWords::new(&rules),
            rules,
        }
    }

    /// Information about the rules in use.
    pub fn info(&self) -> &RulesInfo {
        &self.info
    }

    /// The validated rules.
    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// Classifies one document.
    pub fn classify(&self, doc: &Document) -> Result<Classification, ClassifyError> {
        doc.check(MAX_TEXT_BYTES)?;
        let hint = doc.language_hint()?;
        let fields = Fields::new(self, doc);
        let language = hint.unwrap_or_else(|| {
            crate::text::detect(&fields.text().nt, &self.rules.patterns.function_words).to_owned()
        });
        let terms = fields.term_occurrences();
        let mentions = mentions::resolve(self, &fields, &terms, doc.reference_date());
        let scored = self.topics.score(
            &terms,
            &fields.entity_occurrences(&mentions),
            &self.rules,
            doc.options.include_evidence,
        );
        Ok(output::respond(
            self, doc, &fields, language, mentions, scored,
        ))
    }
}
