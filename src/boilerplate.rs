//! Web-page furniture: lines kept out of topic scoring and entities.
//!
//! A line is boilerplate when it is a section label, contains a marker ("اقرأ أيضا",
//! "مقالات ذات صلة"), starts with a teaser prefix ("يقرأ", "ـ"), follows a "read also" line, or is
//! repeated verbatim elsewhere in the article (related-headline lists).

use std::collections::HashMap;
use std::ops::Range;

use crate::rules::Boilerplate;
use crate::text::normalize::normalize_form;

/// Byte ranges of the boilerplate lines of `text` (trimmed), in order.
pub fn detect(text: &str, rules: &Boilerplate) -> Vec<Range<usize>> {
    let mut lines: Vec<(Range<usize>, String)> = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let end = start + line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        let lead = content.len() - content.trim_start().len();
        let trimmed = content.trim();
        if !trimmed.is_empty() {
            let s = start + lead;
            lines.push((s..s + trimmed.len(), normalize_form(trimmed)));
        }
        start = end;
    }
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for (_, n) in &lines {
        *counts.entry(n.as_str()).or_default() += 1;
    }
    let mut out = Vec::new();
    let mut next_is_boiler = false;
    for (range, norm) in &lines {
        let padded = format!(" {norm} ");
        let has = |m: &String| padded.contains(&format!(" {m} "));
        let starts = |m: &String| padded.starts_with(&format!(" {m} "));
        let repeated =
            counts[norm.as_str()] > 1 && norm.chars().filter(|c| c.is_alphabetic()).count() >= 12;
        let is = next_is_boiler
            || rules.section_labels.contains(norm)
            || rules.line_markers.iter().any(has)
            || rules.line_prefixes.iter().any(starts)
            || repeated;
        next_is_boiler = rules.next_line_markers.iter().any(has);
        if is {
            out.push(range.clone());
        }
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

    #[test]
    fn markers_prefixes_repeats_and_next_line() {
        let rules = Boilerplate {
            line_markers: vec![normalize_form("مقالات ذات صلة")],
            line_prefixes: vec![normalize_form("يقرأ")],
            next_line_markers: vec![normalize_form("اقرأ أيضا")],
            section_labels: [normalize_form("اخبار العالم")].into_iter().collect(),
        };
        let text = "اخبار العالم\nنص المقال عن كوريا الشمالية وروسيا.\nيقرأ  نيجيريا تحظر\nاقرأ أيضا:\nعنوان آخر\nمقالات ذات صلة\nـ كوريا الشمالية تتعهد بتعزيز العلاقات\nـ كوريا الشمالية تتعهد بتعزيز العلاقات";
        let got: Vec<&str> = detect(text, &rules).into_iter().map(|r| &text[r]).collect();
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
