//! Fuzz target: arbitrary bytes, read as UTF-8 (lossy), split into title and text, classified in
//! every offset unit. It must never panic, and every mention and evidence span must cut the
//! original text exactly.
//!
//! Run (stable toolchain): `RUSTC_BOOTSTRAP=1 cargo fuzz run classify -- -max_total_time=300`

#![no_main]

use std::sync::OnceLock;

use khabar::model::{Document, Field, OffsetUnit, Options};
use khabar::text::offsets::cut;
use khabar::Classifier;
use libfuzzer_sys::fuzz_target;

fn classifier() -> &'static Classifier {
    static C: OnceLock<Classifier> = OnceLock::new();
    C.get_or_init(|| Classifier::embedded().expect("embedded rules load"))
}

fuzz_target!(|data: &[u8]| {
    let s = String::from_utf8_lossy(data);
    let (title, text) = match s.split_once('\u{1}') {
        Some((t, x)) => (t.to_owned(), x.to_owned()),
        None => (String::new(), s.into_owned()),
    };
    for unit in [OffsetUnit::CodePoint, OffsetUnit::Utf8Byte, OffsetUnit::Utf16CodeUnit] {
        let doc = Document {
            text: text.clone(),
            title: title.clone(),
            offset_unit: unit,
            options: Options { include_evidence: true, ..Default::default() },
            ..Default::default()
        };
        let Ok(resp) = classifier().classify(&doc) else {
            assert!(text.trim().is_empty());
            continue;
        };
        for e in &resp.entities {
            for m in &e.mentions {
                let src = if m.field == Field::Title { &title } else { &text };
                assert!(m.start < m.end);
                assert_eq!(cut(src, m.start, m.end, unit).as_deref(), Some(m.text.as_str()));
            }
        }
        for t in &resp.topics {
            for ev in &t.evidence {
                let src = if ev.field == Field::Title { &title } else { &text };
                assert_eq!(cut(src, ev.start, ev.end, unit).as_deref(), Some(ev.text.as_str()));
            }
        }
    }
});
