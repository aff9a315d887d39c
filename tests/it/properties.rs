//! Property tests: for any input, classification never panics and every span is exact in every
//! unit — cutting the original at `[start, end)` gives the mention's text, spans never split a
//! character, and offsets are ordered.

use std::sync::OnceLock;

use khabar::model::{Document, Field, OffsetUnit};
use khabar::text::offsets::cut;
use khabar::Classifier;
use proptest::prelude::*;

fn classifier() -> &'static Classifier {
    static C: OnceLock<Classifier> = OnceLock::new();
    C.get_or_init(|| Classifier::embedded().expect("embedded rules load"))
}

/// Pieces that exercise the tricky parts: names with clitics, diacritics, bidi and zero-width
/// marks, astral emoji (surrogate pairs in UTF-16), combining marks, digits of three systems.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("وروسيا".to_owned()),
        Just("لبوتين".to_owned()),
        Just("بالكرملين".to_owned()),
        Just("للكرملين".to_owned()),
        Just("الرسميّة".to_owned()),
        Just("بيونغ يانغ".to_owned()),
        Just("كيم جونغ أون".to_owned()),
        Just("كيمٌ".to_owned()),
        Just("وزير الدفاع الروسي سيرغي شويغو".to_owned()),
        Just("أمس الأربعاء".to_owned()),
        Just("تموز/يوليو الماضي".to_owned()),
        Just("١٩/٠٦/٢٠٢٤".to_owned()),
        Just("President Vladimir Putin's".to_owned()),
        Just("KN-23".to_owned()),
        // Trigger and context paths: an ال surname after a given name, a reporting verb, an
        // English name without a title, spelling variants, shared and club-named places.
        Just("وقال أحمد الحجار إن".to_owned()),
        Just("عبد الرحمن السراج،".to_owned()),
        Just("John Smith, a spokesman".to_owned()),
        Just("الحزب الديموقراطي الأمريكي".to_owned()),
        Just("طرابلس لبنان اللبناني".to_owned()),
        Just("للإسكندرية".to_owned()),
        Just("مباراة برشلونة ملعب سانتياغو برنابيو".to_owned()),
        Just("😀".to_owned()),
        Just("👨‍👩‍👧".to_owned()),
        Just("\u{200F}".to_owned()),
        Just("\u{200C}".to_owned()),
        Just("\u{202B}".to_owned()),
        Just("\u{FEFF}".to_owned()),
        Just("e\u{301}".to_owned()),
        Just("\u{064E}\u{0651}".to_owned()),
        Just("ـ".to_owned()),
        Just("ﻻ".to_owned()),
        Just("ß".to_owned()),
        Just("İ".to_owned()),
        Just("\r\n".to_owned()),
        Just(" ".to_owned()),
        Just("،".to_owned()),
        "[\\u{0600}-\\u{06FF} a-zA-Z0-9\\u{1F300}-\\u{1F6FF}\\u{0300}-\\u{036F}\\u{200B}-\\u{200F}«»\"'.,:;!?()-]{0,12}",
        any::<String>(),
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..24).prop_map(|v| v.join(""))
}

fn unit() -> impl Strategy<Value = OffsetUnit> {
    prop_oneof![
        Just(OffsetUnit::CodePoint),
        Just(OffsetUnit::Utf8Byte),
        Just(OffsetUnit::Utf16CodeUnit)
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn spans_are_exact_in_every_unit(text in text(), title in text(), unit in unit()) {
        let doc = Document { text: text.clone(), title: title.clone(), offset_unit: unit, options: khabar::model::Options { include_evidence: true, ..Default::default() }, ..Default::default() };
        match classifier().classify(&doc) {
            Err(e) => prop_assert!(text.trim().is_empty(), "unexpected error {e:?}"),
            Ok(resp) => {
                prop_assert_eq!(resp.offset_unit, unit);
                for e in &resp.entities {
                    let mut last: Option<(bool, u32)> = None;
                    for m in &e.mentions {
                        let src = if m.field == Field::Title { &title } else { &text };
                        prop_assert!(m.start < m.end, "empty span {m:?}");
                        let got = cut(src, m.start, m.end, unit);
                        prop_assert_eq!(got.as_deref(), Some(m.text.as_str()), "cut mismatch in {:?}", src);
                        let key = (m.field == Field::Text, m.start);
                        if let Some(prev) = last {
                            prop_assert!(prev <= key, "mentions out of order");
                        }
                        last = Some(key);
                    }
                    prop_assert!((0.0..=1.0).contains(&e.salience));
                }
                for t in &resp.topics {
                    prop_assert!((0.0..=1.0).contains(&t.score));
                    for ev in &t.evidence {
                        let src = if ev.field == Field::Title { &title } else { &text };
                        let got = cut(src, ev.start, ev.end, unit);
                        prop_assert_eq!(got.as_deref(), Some(ev.text.as_str()));
                    }
                }
                for b in &resp.boilerplate {
                    prop_assert!(cut(&text, b.start, b.end, unit).is_some());
                }
            }
        }
    }

    #[test]
    fn units_agree(text in text()) {
        let docs = [OffsetUnit::CodePoint, OffsetUnit::Utf8Byte, OffsetUnit::Utf16CodeUnit]
            .map(|u| Document { text: text.clone(), offset_unit: u, ..Default::default() });
        let res: Vec<_> = docs.iter().map(|d| classifier().classify(d)).collect();
        if let (Ok(a), Ok(b), Ok(c)) = (&res[0], &res[1], &res[2]) {
            let texts = |r: &khabar::model::Classification| r.entities.iter().flat_map(|e| e.mentions.iter().map(|m| m.text.clone())).collect::<Vec<_>>();
            prop_assert_eq!(texts(a), texts(b));
            prop_assert_eq!(texts(a), texts(c));
        }
    }
}

#[test]
fn offsets_in_three_units_on_a_known_case() {
    let text = "😀 التقى لبوتين";
    for (unit, start, end) in [
        (OffsetUnit::CodePoint, 9, 14),
        (OffsetUnit::Utf8Byte, 18, 28),
        (OffsetUnit::Utf16CodeUnit, 10, 15),
    ] {
        let doc = Document {
            text: text.into(),
            offset_unit: unit,
            ..Default::default()
        };
        let r = classifier().classify(&doc).unwrap();
        let m = r
            .entities
            .iter()
            .flat_map(|e| &e.mentions)
            .find(|m| m.text == "بوتين")
            .expect("Putin found");
        assert_eq!((m.start, m.end), (start, end), "{unit:?}");
    }
}
