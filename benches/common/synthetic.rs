//! The synthetic million-name gazetteer shared by `benches/classify.rs` and
//! `examples/million.rs`, so that both measure the same rule set.

use khabar::model::EntityType;
use khabar::rules::gazetteer::Form;
use khabar::rules::{EntityDef, EntityId, RuleSet};
use khabar::text::normalize::normalize_form;

/// Deterministic pseudo-random Arabic-looking names of 2–3 words.
pub fn synthetic_names(n: usize) -> Vec<String> {
    const SYL: [&str; 24] = [
        "كا", "رو", "مي", "تا", "سو", "لي", "نو", "با", "دو", "في", "زا", "جو", "شي", "غا", "قو",
        "هي", "طا", "فو", "صا", "ثي", "خو", "عا", "بي", "ضو",
    ];
    let mut state = 0x9E3779B97F4A7C15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    (0..n)
        .map(|_| {
            let words = 2 + (next() % 2) as usize;
            (0..words)
                .map(|_| {
                    (0..3 + (next() % 2) as usize)
                        .map(|_| SYL[(next() % SYL.len() as u64) as usize])
                        .collect::<String>()
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// The embedded rules plus `n` synthetic person names (forms that already exist are skipped).
pub fn rules_with_names(n: usize) -> RuleSet {
    let files = khabar::rules::embedded();
    let mut rules = RuleSet::load(&files).expect("embedded rules");
    for (i, name) in synthetic_names(n).into_iter().enumerate() {
        let norm = normalize_form(&name);
        if rules.form_owner.contains_key(&(norm.clone(), false)) {
            continue;
        }
        rules.form_owner.insert(
            (norm.clone(), false),
            EntityId::from_index(rules.entities.len()),
        );
        rules.entities.push(EntityDef {
            id: format!("person/synthetic-{i}"),
            entity_type: EntityType::Person,
            name_en: String::new(),
            name_ar: name.clone(),
            forms: vec![Form {
                text: name,
                norm,
                case_sensitive: false,
            }],
            short: Vec::new(),
            priority: 0,
            link: String::new(),
            note: String::new(),
            wikidata: String::new(),
            rule_id: format!("synthetic:{i}"),
        });
    }
    rules
}
