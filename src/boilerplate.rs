//! Web-page furniture: lines kept out of topic scoring and entities.
//!
//! A line is boilerplate when it is a section label, contains a marker ("اقرأ أيضا",
//! "مقالات ذات صلة"), starts with a teaser prefix ("يقرأ"), follows a "read also" line, or is
//! repeated verbatim elsewhere in the article (related-headline lists). Markers are found with
//! one matcher pass over the already normalized text; lines are never normalized again.

use std::ops::Range;

use crate::matcher::{Hit, Pattern};
use crate::rules::Boilerplate;
use crate::text::NormText;

const MARKER: u32 = 0;
const PREFIX: u32 = 1;
const SECTION: u32 = 2;
const NEXT: u32 = 3;

/// Lines with fewer normalized bytes than this are never "repeated headlines".
const MIN_REPEATED_BYTES: usize = 24;

struct Line {
    orig: Range<usize>,
    norm: Range<usize>,
}

/// The marker patterns in `group` (payload: marker kind), to be matched in `Mode::Name`,
/// leftmost-longest.
pub fn patterns(rules: &Boilerplate, group: u8) -> Vec<Pattern> {
    let kinds = [
        (&rules.line_markers, MARKER),
        (&rules.line_prefixes, PREFIX),
        (&rules.next_line_markers, NEXT),
    ];
    let mut pats: Vec<Pattern> = kinds
        .iter()
        .flat_map(|(forms, kind)| {
            forms.iter().map(move |f| Pattern {
                group,
                ..Pattern::new(f.clone(), false, None, *kind)
            })
        })
        .collect();
    pats.extend(rules.section_labels.iter().map(|f| Pattern {
        group,
        ..Pattern::new(f.clone(), false, None, SECTION)
    }));
    pats
}

/// Byte ranges of the boilerplate lines of `text` (trimmed), in order. `nt` is `text`
/// normalized and `hits` the hits of [`patterns`] in it.
pub fn detect(text: &str, nt: &NormText, hits: &[Hit]) -> Vec<Range<usize>> {
    let lines = lines(text, nt);
    let mut flags = vec![false; lines.len()];
    for h in hits {
        let li = lines.partition_point(|l| l.norm.end <= h.norm.start);
        let Some(line) = lines.get(li) else { continue };
        match h.payload {
            MARKER => flags[li] = true,
            PREFIX if h.norm.start == line.norm.start => flags[li] = true,
            SECTION if h.norm == line.norm => flags[li] = true,
            NEXT => {
                if let Some(f) = flags.get_mut(li + 1) {
                    *f = true;
                }
            }
            _ => {}
        }
    }
    let mut counts: rustc_hash::FxHashMap<&str, usize> = Default::default();
    for l in lines.iter().filter(|l| l.norm.len() >= MIN_REPEATED_BYTES) {
        *counts.entry(&nt.text[l.norm.clone()]).or_default() += 1;
    }
    for (l, f) in lines.iter().zip(flags.iter_mut()) {
        if l.norm.len() >= MIN_REPEATED_BYTES && counts[&nt.text[l.norm.clone()]] > 1 {
            *f = true;
        }
    }
    lines
        .into_iter()
        .zip(flags)
        .filter(|(_, f)| *f)
        .map(|(l, _)| l.orig)
        .collect()
}

/// Non-empty lines with their trimmed original range and normalized range (lines without any
/// token are left out).
fn lines(text: &str, nt: &NormText) -> Vec<Line> {
    let mut out = Vec::new();
    let mut t = 0;
    let mut start = 0;
    for raw in text.split_inclusive('\n') {
        let end = start + raw.len();
        let a = t;
        while t < nt.tokens.len() && nt.tokens[t].orig.start < end {
            t += 1;
        }
        if t > a {
            let content = raw.trim_end();
            let lead = raw.len() - raw.trim_start().len();
            out.push(Line {
                orig: start + lead..start + content.len(),
                norm: nt.tokens[a].norm.start..nt.tokens[t - 1].norm.end,
            });
        }
        start = end;
    }
    out
}

/// Whether byte range `r` lies inside one of the (sorted) boilerplate ranges.
pub fn inside(boiler: &[Range<usize>], r: &Range<usize>) -> bool {
    let i = boiler.partition_point(|b| b.end <= r.start);
    i < boiler.len() && boiler[i].start <= r.start && r.end <= boiler[i].end
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::normalize::normalize_form;

    #[test]
    fn markers_prefixes_repeats_and_next_line() {
        let rules = Boilerplate {
            line_markers: vec![normalize_form("مقالات ذات صلة")],
            line_prefixes: vec![normalize_form("يقرأ")],
            next_line_markers: vec![normalize_form("اقرأ أيضا")],
            section_labels: [normalize_form("اخبار العالم")].into_iter().collect(),
        };
        let text = "اخبار العالم\nنص المقال عن كوريا الشمالية وروسيا.\n  يقرأ  نيجيريا تحظر\nاقرأ أيضا:\n\nعنوان آخر\nمقالات ذات صلة\nـ كوريا الشمالية تتعهد بتعزيز العلاقات\nـ كوريا الشمالية تتعهد بتعزيز العلاقات\nلا يقرأ";
        let m = crate::matcher::Matcher::new(&patterns(&rules, 0), crate::matcher::Mode::Name);
        let nt = NormText::new(text);
        let mut hits = Vec::new();
        m.find(&nt, text, &mut hits);
        let got: Vec<&str> = detect(text, &nt, &hits)
            .into_iter()
            .map(|r| &text[r])
            .collect();
        assert_eq!(
            got,
            vec![
                "اخبار العالم",
                "يقرأ  نيجيريا تحظر",
                "عنوان آخر",
                "مقالات ذات صلة",
                "ـ كوريا الشمالية تتعهد بتعزيز العلاقات",
                "ـ كوريا الشمالية تتعهد بتعزيز العلاقات"
            ]
        );
    }
}
