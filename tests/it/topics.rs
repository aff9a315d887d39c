//! Topic test texts (`tests/data/topics.toml`): each short Arabic or English text must get its
//! expected top-level topics and no top-level topic outside `expect` and `allow`.

use std::collections::BTreeSet;

use khabar::model::Document;
use khabar::Classifier;
use serde::Deserialize;

#[derive(Deserialize)]
struct Cases {
    case: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    text: String,
    expect: Vec<String>,
    #[serde(default)]
    allow: Vec<String>,
}

#[test]
fn every_case_gets_its_top_level_topics_and_no_others() {
    let cases: Cases =
        toml::from_str(include_str!("../data/topics.toml")).expect("topics.toml parses");
    assert!(cases.case.len() >= 40, "at least 40 cases");
    let classifier = Classifier::embedded().expect("embedded rules");
    let top_of = |id: &str| {
        classifier
            .rules()
            .taxonomy
            .path(id)
            .pop()
            .unwrap_or_default()
            .to_owned()
    };
    let mut failures = Vec::new();
    for c in &cases.case {
        let doc = Document {
            id: c.name.clone(),
            text: c.text.clone(),
            ..Default::default()
        };
        let resp = classifier.classify(&doc).expect("classifies");
        let got: BTreeSet<String> = resp.topics.iter().map(|t| top_of(&t.id)).collect();
        let missing: Vec<_> = c.expect.iter().filter(|e| !got.contains(*e)).collect();
        let unrelated: Vec<_> = got
            .iter()
            .filter(|g| !c.expect.contains(g) && !c.allow.contains(g))
            .collect();
        if !missing.is_empty() || !unrelated.is_empty() {
            let scores: Vec<String> = resp
                .topics
                .iter()
                .map(|t| format!("{} {:.2}", t.id, t.score))
                .collect();
            failures.push(format!(
                "{}: missing {missing:?}, unrelated {unrelated:?}; got {}",
                c.name,
                scores.join(", ")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases fail:\n{}",
        failures.len(),
        cases.case.len(),
        failures.join("\n")
    );
}
