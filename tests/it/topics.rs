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

/// Copies a directory tree (the rules fixtures are small).
fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_tree(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), dest).unwrap();
        }
    }
}

#[test]
fn a_top_level_weight_wins_over_its_subtopics_weight() {
    // A word the top-level rule keeps weak ("talks", 0.1) stays weak in the top-level evidence
    // although a subtopic lists it strongly; a word only a subtopic lists ("envoy") counts with
    // the subtopic's weight.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&root.join("tests/data/good_rules"), dir.path());
    std::fs::write(
        dir.path().join("topics/11000000-politics-government.toml"),
        "[[topic]]\nid = \"medtop:11000000\"\nterms.en = [[\"talks\", 0.1]]\n\n\
         [[topic]]\nid = \"medtop:20000639\"\nterms.en = [[\"talks\", 0.9], [\"envoy\", 0.9]]\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("topics/16000000-conflict-war-peace.toml"),
        "[[topic]]\nid = \"medtop:16000000\"\nterms.en = [[\"troops\", 0.3]]\n",
    )
    .unwrap();
    let classifier = Classifier::from_dir(dir.path()).expect("rules load");
    let first = |text: &str| {
        let doc = Document {
            text: text.into(),
            ..Default::default()
        };
        top_levels(&classifier, &doc)
            .first()
            .map(|(q, _)| q.clone())
    };
    assert_eq!(
        first("Troops held talks.").as_deref(),
        Some("medtop:16000000")
    );
    assert_eq!(
        first("Troops met an envoy.").as_deref(),
        Some("medtop:11000000")
    );
}
