//! Golden tests: the five seed articles against their gold annotations, scored like
//! `shared/eval/score.py` (strict type + span match; predictions that overlap no gold mention
//! but an optional or boilerplate region are ignored; required and forbidden topics).

use std::collections::{BTreeMap, HashSet};

use khabar::model::{Document, EntityType, OffsetUnit};
use khabar::Classifier;
use serde_json::Value;

const SCORED: [&str; 4] = ["PERSON", "LOCATION", "ORGANIZATION", "DATE"];

fn type_name(t: EntityType) -> &'static str {
    t.as_str()
}

#[derive(Default, Clone, Copy)]
struct Counts {
    tp: usize,
    fp: usize,
    r#fn: usize,
}

impl Counts {
    fn f1(&self) -> f64 {
        let p = if self.tp + self.fp > 0 {
            self.tp as f64 / (self.tp + self.fp) as f64
        } else {
            0.0
        };
        let r = if self.tp + self.r#fn > 0 {
            self.tp as f64 / (self.tp + self.r#fn) as f64
        } else {
            0.0
        };
        if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        }
    }
}

fn span(v: &Value) -> (usize, usize) {
    (
        v["start"].as_u64().unwrap() as usize,
        v["end"].as_u64().unwrap() as usize,
    )
}

/// Scores every seed; returns per-type counts, problems found, and the report lines.
fn score_seeds() -> (BTreeMap<&'static str, Counts>, Vec<String>, Vec<String>) {
    let classifier = Classifier::embedded().expect("embedded rules load");
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data");
    let mut counts: BTreeMap<&'static str, Counts> =
        SCORED.iter().map(|t| (*t, Counts::default())).collect();
    let mut problems = Vec::new();
    let mut report = Vec::new();
    let mut golds: Vec<_> = std::fs::read_dir(format!("{dir}/gold"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    golds.sort();
    assert_eq!(golds.len(), 5, "five gold files");
    let parents: std::collections::HashMap<String, String> = classifier
        .info()
        .topics
        .iter()
        .map(|t| (t.id.clone(), t.parent_id.clone()))
        .collect();
    for g in golds {
        let gold: Value = serde_json::from_str(&std::fs::read_to_string(&g).unwrap()).unwrap();
        let name = gold["doc"].as_str().unwrap();
        let text = std::fs::read_to_string(format!("{dir}/articles/{name}")).unwrap();
        let doc = Document {
            id: name.into(),
            text: text.clone(),
            offset_unit: OffsetUnit::CodePoint,
            ..Default::default()
        };
        let resp = classifier.classify(&doc).unwrap();
        let chars: Vec<char> = text.chars().collect();
        let mut preds = Vec::new();
        for e in &resp.entities {
            let t = type_name(e.entity_type);
            if !SCORED.contains(&t) {
                continue;
            }
            for m in &e.mentions {
                let cut: String = chars[m.start as usize..m.end as usize].iter().collect();
                if cut != m.text {
                    problems.push(format!(
                        "{name}: offsets [{},{}) do not cut {:?}",
                        m.start, m.end, m.text
                    ));
                }
                preds.push((t, m.start as usize, m.end as usize, m.text.clone()));
            }
        }
        let gold_m: Vec<(&str, usize, usize, String)> = gold["mentions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| {
                let (s, e) = span(m);
                (
                    SCORED
                        .iter()
                        .find(|t| **t == m["type"].as_str().unwrap())
                        .copied()
                        .unwrap_or("OTHER"),
                    s,
                    e,
                    m["text"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        let ignore: Vec<(usize, usize)> = ["optional", "boilerplate"]
            .iter()
            .flat_map(|k| gold[*k].as_array().cloned().unwrap_or_default())
            .map(|v| span(&v))
            .collect();
        let ov = |a: (usize, usize), b: (usize, usize)| a.0 < b.1 && b.0 < a.1;
        let gold_keys: HashSet<(&str, usize, usize)> =
            gold_m.iter().map(|m| (m.0, m.1, m.2)).collect();
        let mut seen = HashSet::new();
        for p in &preds {
            let key = (p.0, p.1, p.2);
            if !seen.insert(key) {
                continue;
            }
            if gold_keys.contains(&key) {
                counts.get_mut(p.0).unwrap().tp += 1;
            } else if !gold_m.iter().any(|g| ov((p.1, p.2), (g.1, g.2)))
                && ignore.iter().any(|r| ov((p.1, p.2), *r))
            {
                continue;
            } else {
                counts.get_mut(p.0).unwrap().fp += 1;
                report.push(format!(
                    "false alarm {name} {} [{},{}) {:?}",
                    p.0, p.1, p.2, p.3
                ));
            }
        }
        for m in &gold_m {
            if !seen.contains(&(m.0, m.1, m.2)) {
                if let Some(c) = counts.get_mut(m.0) {
                    c.r#fn += 1;
                }
                report.push(format!(
                    "missed      {name} {} [{},{}) {:?}",
                    m.0, m.1, m.2, m.3
                ));
            }
        }
        let mut got = HashSet::new();
        for t in &resp.topics {
            let mut id = t.id.clone();
            while !id.is_empty() && got.insert(id.clone()) {
                id = parents.get(&id).cloned().unwrap_or_default();
            }
        }
        for r in gold["topics"]["required"].as_array().unwrap() {
            if !got.contains(r.as_str().unwrap()) {
                problems.push(format!("{name}: required topic {r} missing"));
            }
        }
        for f in gold["topics"]["forbidden"].as_array().unwrap() {
            if got.contains(f.as_str().unwrap()) {
                problems.push(format!("{name}: forbidden topic {f} present"));
            }
        }
    }
    (counts, problems, report)
}

#[test]
fn seeds_meet_the_floors() {
    let (counts, problems, report) = score_seeds();
    let mut all = Counts::default();
    let mut table = String::from("type          F1\n");
    for (t, c) in &counts {
        all.tp += c.tp;
        all.fp += c.fp;
        all.r#fn += c.r#fn;
        table.push_str(&format!(
            "{t:<13} {:.3} (tp {} fp {} fn {})\n",
            c.f1(),
            c.tp,
            c.fp,
            c.r#fn
        ));
    }
    table.push_str(&format!("ALL           {:.3}\n", all.f1()));
    let detail = format!("{table}{}\n{}", report.join("\n"), problems.join("\n"));
    println!("{detail}");
    assert!(problems.is_empty(), "{detail}");
    assert!(all.f1() >= 0.90, "overall F1 below 0.90\n{detail}");
    for t in ["PERSON", "LOCATION", "ORGANIZATION"] {
        assert!(counts[t].f1() >= 0.85, "{t} F1 below 0.85\n{detail}");
    }
    assert!(counts["DATE"].f1() >= 0.85, "DATE F1 below 0.85\n{detail}");
}
