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

#[derive(Deserialize)]
struct FirstCases {
    first: Vec<FirstCase>,
    false_friend: Vec<FalseFriend>,
}

#[derive(Deserialize)]
struct FirstCase {
    name: String,
    #[serde(default)]
    title: String,
    text: String,
    first: String,
}

#[derive(Deserialize)]
struct FalseFriend {
    name: String,
    text: String,
    not: String,
}

/// The top-level topics of a response with their best score, highest first (a subtopic counts
/// for its top-level ancestor), as `shared/eval/dev_score.py` reads the first topic.
fn top_levels(classifier: &Classifier, doc: &Document) -> Vec<(String, f64)> {
    let resp = classifier.classify(doc).expect("classifies");
    let mut out: Vec<(String, f64)> = Vec::new();
    for t in &resp.topics {
        let top = classifier
            .rules()
            .taxonomy
            .path(&t.id)
            .pop()
            .unwrap_or_default()
            .to_owned();
        match out.iter_mut().find(|(q, _)| *q == top) {
            Some((_, s)) => *s = s.max(t.score),
            None => out.push((top, t.score)),
        }
    }
    // Stable: among equal scores the response's order decides.
    out.sort_by(|a, b| b.1.total_cmp(&a.1));
    out
}

#[test]
fn every_short_text_gets_its_first_topic() {
    let cases: FirstCases =
        toml::from_str(include_str!("../data/topics_first.toml")).expect("topics_first.toml");
    let classifier = Classifier::embedded().expect("embedded rules");
    let mut tops: BTreeSet<&str> = BTreeSet::new();
    let mut failures = Vec::new();
    for c in &cases.first {
        tops.insert(&c.first);
        let doc = Document {
            id: c.name.clone(),
            title: c.title.clone(),
            text: c.text.clone(),
            ..Default::default()
        };
        let got = top_levels(&classifier, &doc);
        if got.first().map(|(q, _)| q.as_str()) != Some(c.first.as_str()) {
            failures.push(format!(
                "{}: expected {} first; got {got:?}",
                c.name, c.first
            ));
        }
    }
    assert_eq!(tops.len(), 17, "every top-level topic has a case");
    assert!(
        failures.is_empty(),
        "{} of {} cases fail:\n{}",
        failures.len(),
        cases.first.len(),
        failures.join("\n")
    );
}

#[test]
fn false_friends_do_not_fire() {
    let cases: FirstCases =
        toml::from_str(include_str!("../data/topics_first.toml")).expect("topics_first.toml");
    let classifier = Classifier::embedded().expect("embedded rules");
    let mut failures = Vec::new();
    for c in &cases.false_friend {
        let doc = Document {
            id: c.name.clone(),
            text: c.text.clone(),
            ..Default::default()
        };
        let got = top_levels(&classifier, &doc);
        if got.iter().any(|(q, _)| *q == c.not) {
            failures.push(format!("{}: {} fired; got {got:?}", c.name, c.not));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn min_topic_score_still_filters_the_best_topic() {
    let classifier = Classifier::embedded().expect("embedded rules");
    let mut doc = Document {
        text: "The match ended in a draw.".into(),
        ..Default::default()
    };
    let low = classifier.classify(&doc).expect("classifies");
    assert!(
        !low.topics.is_empty(),
        "a short text with evidence gets a topic"
    );
    doc.options.min_topic_score = 0.99;
    let high = classifier.classify(&doc).expect("classifies");
    assert!(high.topics.is_empty(), "{:?}", high.topics);
}
