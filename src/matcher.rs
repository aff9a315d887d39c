//! The compiled multi-pattern matcher: Aho-Corasick, leftmost-longest, over normalized text,
//! with word boundaries on both sides and Arabic proclitics allowed before a match.
//!
//! # Match semantics
//!
//! * Patterns are normalized like the text ([`crate::text::normalize::normalize_form`]). A
//!   whole-word pattern is compiled with a trailing space; since every token of the normalized
//!   text is followed by one space, it can only match up to the end of a token. A *stem* pattern
//!   (`صاروخ*`) has no trailing space and matches a token prefix; its hit covers the whole token.
//! * The search is leftmost-longest ("مجلس الأمن الروسي" wins over "مجلس الأمن"). A hit must start
//!   at a token start or after a valid proclitic sequence inside the token: و ف ب ل ك and
//!   وب ول وك فب فل فك. In [`Mode::Term`] the article may follow them: ال وال فال بال كال
//!   وبال فبال وكال فكال, and "لل" ولل فلل (ل + ال with the alef dropped). Every match of the
//!   automaton is checked (one overlapping pass), so a rejected candidate never hides a valid one.
//! * Every pattern that starts with ال is also compiled without its alef ("لكرملين"), valid only
//!   right after a clitic ending in ل: "للكرملين" → hit "لكرملين", from the second ل (the gold
//!   convention). Spans never include the clitic.
//! * A case-sensitive form (`=US`) is accepted only when the original text equals it exactly.
//!   A form matched *as written* (topic terms written `=إمام`) is compared with the original
//!   letter by letter, diacritics, tatweel and invisible marks skipped, whitespace runs read as one
//!   space: hamza, ta marbuta, alef maqsura and Latin case must be as in the form, and a stem
//!   only compares its own letters ("=إمام*" accepts "إمامة", not "أمامه").
//! * A stem may bound the letters that follow it in the token ([`Pattern::extra`]): "طب*" with
//!   at most two more letters matches "طبية", not "طبيعية".

use std::ops::Range;

use daachorse::{CharwiseDoubleArrayAhoCorasick, CharwiseDoubleArrayAhoCorasickBuilder, MatchKind};

use crate::text::{arabic, NormText};

/// Which prefixes may stand before a match inside the same token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Names: proclitics only (the article is part of a name as written).
    Name,
    /// Topic terms: proclitics and the article.
    Term,
}

/// One pattern to compile.
#[derive(Clone, Debug)]
pub struct Pattern {
    /// Normalized form.
    pub norm: String,
    /// Matches a token prefix (stem) instead of whole tokens.
    pub stem: bool,
    /// When set, the original text must equal this exactly (or as written: [`Pattern::written`]).
    pub exact: Option<String>,
    /// `exact` is compared as written rather than byte for byte: diacritics, tatweel and invisible
    /// marks skipped, whitespace runs read as one space, and a stem compares only its own letters.
    pub written: bool,
    /// For a stem, the least and the most letters (characters of the normalized text) that may
    /// follow it in the token: `(0, u8::MAX)` is no bound.
    pub extra: (u8, u8),
    /// Caller's value, returned with every hit.
    pub payload: u32,
    /// Which group the pattern belongs to (index into the groups given to
    /// [`Matcher::grouped`]; 0 for [`Matcher::new`]).
    pub group: u8,
}

impl Pattern {
    /// A pattern of group 0.
    pub fn new(norm: String, stem: bool, exact: Option<String>, payload: u32) -> Pattern {
        Pattern {
            norm,
            stem,
            exact,
            written: false,
            extra: NO_BOUND,
            payload,
            group: 0,
        }
    }
}

impl Default for Pattern {
    fn default() -> Pattern {
        Pattern::new(String::new(), false, None, 0)
    }
}

/// [`Pattern::extra`] of a pattern without a bound on the letters after a stem.
pub const NO_BOUND: (u8, u8) = (0, u8::MAX);

/// How the hits of one group of patterns are matched and reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Group {
    /// Which prefixes may stand before a match.
    pub mode: Mode,
    /// Report every valid match (overlaps included) instead of the leftmost-longest spans.
    pub overlapping: bool,
}

/// One payload of a compiled string, with the conditions under which it applies.
#[derive(Clone, Copy, Debug)]
struct Entry {
    payload: u32,
    /// Index into [`Matcher::exacts`] of the text the original must equal, or [`NO_EXACT`].
    exact: u32,
    group: u8,
    /// [`LIL`] and [`WRITTEN`].
    flags: u8,
    /// [`Pattern::extra`] (checked on stems only).
    min_extra: u8,
    max_extra: u8,
}

/// [`Entry::flags`]: compiled without the alef of ال, valid only after a clitic ending in ل.
const LIL: u8 = 1;
/// [`Entry::flags`]: the exact text is compared as written ([`Pattern::written`]).
const WRITTEN: u8 = 2;

/// The first 16 bytes of `s`, zero-padded, as a big-endian number: comparing these orders
/// strings as their bytes do, except between strings that share their first 16 bytes.
fn prefix_key(s: &str) -> u128 {
    let mut b = [0u8; 16];
    let n = s.len().min(16);
    b[..n].copy_from_slice(&s.as_bytes()[..n]);
    u128::from_be_bytes(b)
}

/// [`Entry::exact`] of a pattern without a case-sensitive form.
const NO_EXACT: u32 = u32::MAX;

/// The text the original must equal for `e` to apply, if any.
fn exact_str<'a>(exacts: &'a [Box<str>], e: &Entry) -> Option<&'a str> {
    exacts.get(e.exact as usize).map(|x| &**x)
}

/// A match in the normalized text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    /// Byte range in the normalized text, clitics excluded, trailing space excluded.
    pub norm: Range<usize>,
    /// The caller's value of the pattern that matched. Several patterns may share a string; each
    /// of them that is valid here gives a hit with the same span.
    pub payload: u32,
    /// Whether a proclitic (or article) stood before the match.
    pub clitic: bool,
}

/// A compiled matcher; immutable, `Send + Sync`. All groups share one automaton, so a text is
/// scanned once whatever the number of groups.
#[derive(Clone)]
pub struct Matcher {
    ac: Option<CharwiseDoubleArrayAhoCorasick<u32>>,
    groups: Vec<Group>,
    /// Per compiled string: whether it is a stem (no trailing space), and its entries.
    strings: Vec<(bool, Range<u32>)>,
    entries: Vec<Entry>,
    /// The texts of the case-sensitive forms, indexed by [`Entry::exact`].
    exacts: Vec<Box<str>>,
}

impl std::fmt::Debug for Matcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Matcher")
            .field("strings", &self.strings.len())
            .field(
                "heap_bytes",
                &self.ac.as_ref().map_or(0, |a| a.heap_bytes()),
            )
            .field("groups", &self.groups)
            .finish()
    }
}

impl Matcher {
    /// Compiles patterns of one group reported leftmost-longest. Patterns that compile to the
    /// same string share one automaton entry.
    #[cfg(test)]
    pub fn new(patterns: &[Pattern], mode: Mode) -> Matcher {
        Matcher::grouped(
            patterns,
            &[Group {
                mode,
                overlapping: false,
            }],
        )
    }

    /// Compiles patterns of several groups into one automaton; [`Matcher::find_groups`] reports
    /// each group's hits apart, as if each group had its own matcher.
    pub fn grouped(patterns: &[Pattern], groups: &[Group]) -> Matcher {
        // Every compiled string is written once into one buffer; sorting (span, entry) pairs
        // groups equal strings without an allocation per string, and the automaton is built
        // from slices of that buffer.
        let capacity = patterns
            .iter()
            .map(|p| (p.norm.len() + 1) * (1 + usize::from(p.norm.starts_with("ال"))))
            .sum();
        let mut buf = String::with_capacity(capacity);
        let mut exacts: Vec<Box<str>> = Vec::new();
        let mut all: Vec<(u128, Range<u32>, Entry)> =
            Vec::with_capacity(patterns.len() + patterns.len() / 4);
        for p in patterns.iter().filter(|p| !p.norm.is_empty()) {
            assert!(
                (p.group as usize) < groups.len(),
                "pattern group {} is not declared",
                p.group
            );
            let exact = p.exact.as_deref().map_or(NO_EXACT, |x| {
                exacts.push(x.into());
                (exacts.len() - 1) as u32
            });
            let entry = |lil: bool| Entry {
                payload: p.payload,
                exact,
                group: p.group,
                flags: if lil { LIL } else { 0 } | if p.written { WRITTEN } else { 0 },
                min_extra: p.extra.0,
                max_extra: p.extra.1,
            };
            let span = |buf: &mut String, prefix: &str, norm: &str| {
                let start = buf.len() as u32;
                buf.push_str(prefix);
                buf.push_str(norm);
                if !p.stem {
                    buf.push(' ');
                }
                start..buf.len() as u32
            };
            if let Some(rest) = p.norm.strip_prefix("ال") {
                // The compiled string without its alef, when what follows ال is two characters
                // or more (the trailing space counts).
                if rest.chars().count() + usize::from(!p.stem) >= 2 {
                    all.push((0, span(&mut buf, "ل", rest), entry(true)));
                }
            }
            all.push((0, span(&mut buf, "", &p.norm), entry(false)));
        }
        let text = |r: &Range<u32>| &buf[r.start as usize..r.end as usize];
        for (prefix, r, _) in &mut all {
            *prefix = prefix_key(text(r));
        }
        let exact = |e: &Entry| exact_str(&exacts, e);
        // Strings in byte order, then entries in (group, flags, exact, payload) order. The cached
        // prefixes order most pairs without reading the strings.
        let key = |(_, r, e): &(u128, Range<u32>, Entry)| {
            (
                text(r),
                e.group,
                e.flags,
                exact(e),
                e.payload,
                (e.min_extra, e.max_extra),
            )
        };
        all.sort_unstable_by(|a, b| a.0.cmp(&b.0).then_with(|| key(a).cmp(&key(b))));
        all.dedup_by(|a, b| key(a) == key(b));
        let mut strings: Vec<(bool, Range<u32>)> = Vec::new();
        let mut keys: Vec<&str> = Vec::new();
        let mut entries = Vec::with_capacity(all.len());
        for (_, r, e) in &all {
            let s = text(r);
            if keys.last() != Some(&s) {
                let at = entries.len() as u32;
                strings.push((!s.ends_with(' '), at..at));
                keys.push(s);
            }
            entries.push(*e);
            strings.last_mut().expect("pushed above").1.end = entries.len() as u32;
        }
        drop(all);
        let ac = (!keys.is_empty()).then(|| {
            CharwiseDoubleArrayAhoCorasickBuilder::new()
                .match_kind(MatchKind::Standard)
                .build_with_values(keys.iter().enumerate().map(|(i, s)| (s, i as u32)))
                .expect("strings are unique, non-empty and within daachorse limits")
        });
        Matcher {
            ac,
            groups: groups.to_vec(),
            strings,
            entries,
            exacts,
        }
    }

    /// Appends every accepted hit of a one-group matcher to `out` (see [`Matcher::find_groups`]).
    #[cfg(test)]
    pub fn find(&self, nt: &NormText, orig: &str, out: &mut Vec<Hit>) {
        let mut groups = [std::mem::take(out)];
        self.find_groups(nt, orig, &mut groups);
        let [g] = groups;
        *out = g;
    }

    /// Scans `nt` once and appends the hits of group `g` to `out[g]`, in text order: all of them
    /// (overlapping groups), or the leftmost-longest non-overlapping spans, every payload valid
    /// on a kept span giving its own hit. `orig` is the original text (for case-sensitive forms).
    pub fn find_groups(&self, nt: &NormText, orig: &str, out: &mut [Vec<Hit>]) {
        assert_eq!(out.len(), self.groups.len(), "one output per group");
        let Some(ac) = &self.ac else { return };
        let firsts: Vec<usize> = out.iter().map(Vec::len).collect();
        // One forward pass reports every match; boundaries are checked on each, then
        // leftmost-longest valid spans are kept where asked. Text is never rescanned.
        for m in ac.find_overlapping_iter(&nt.text) {
            self.accept(nt, orig, m.start(), m.end(), m.value() as usize, out);
        }
        for ((hits, group), first) in out.iter_mut().zip(&self.groups).zip(firsts) {
            hits[first..].sort_unstable_by(|a, b| {
                (a.norm.start, std::cmp::Reverse(a.norm.end), a.payload).cmp(&(
                    b.norm.start,
                    std::cmp::Reverse(b.norm.end),
                    b.payload,
                ))
            });
            if !group.overlapping {
                leftmost_longest(hits, first);
            }
        }
    }

    /// Checks the boundaries of a raw automaton match and pushes a hit for every entry of the
    /// string that is valid there.
    fn accept(
        &self,
        nt: &NormText,
        orig: &str,
        s: usize,
        e: usize,
        sid: usize,
        out: &mut [Vec<Hit>],
    ) {
        let bytes = nt.text.as_bytes();
        // The longest valid prefix is four letters ("وبال", "فكال": 8 bytes): look no further back
        // than that for the token start.
        let ws = (s.saturating_sub(MAX_PREFIX_BYTES + 1)..s)
            .rev()
            .find(|&i| bytes[i] == b' ')
            .map_or(0, |i| i + 1);
        if ws + MAX_PREFIX_BYTES < s {
            return;
        }
        let prefix = &nt.text[ws..s];
        let (stem, range) = &self.strings[sid];
        let mut end = if *stem { token_end(bytes, e) } else { e - 1 };
        if end <= s {
            end = e;
        }
        // Letters after a stem, counted only when an entry bounds them.
        let mut after: Option<usize> = None;
        for entry in &self.entries[range.start as usize..range.end as usize] {
            let mode = self.groups[entry.group as usize].mode;
            let lil = entry.flags & LIL != 0;
            if !prefix_ok(prefix, lil, mode) {
                continue;
            }
            if *stem && (entry.min_extra, entry.max_extra) != NO_BOUND {
                let n = *after.get_or_insert_with(|| nt.text[e.min(end)..end].chars().count());
                if n < usize::from(entry.min_extra) || n > usize::from(entry.max_extra) {
                    continue;
                }
            }
            let exact_ok = exact_str(&self.exacts, entry).is_none_or(|x| {
                let span = orig.get(nt.orig_range(orig, s..end));
                if entry.flags & WRITTEN != 0 {
                    span.is_some_and(|o| as_written(o, x, *stem, lil))
                } else {
                    span == Some(x)
                }
            });
            if exact_ok {
                out[entry.group as usize].push(Hit {
                    norm: s..end,
                    payload: entry.payload,
                    clitic: !prefix.is_empty(),
                });
            }
        }
    }
}

/// Whether the original span `orig` reads `form` as written: letter for letter, with diacritics,
/// tatweel and invisible marks skipped on both sides and any whitespace run read as one space.
/// A `stem` form needs only to start the span; a `lil` span ("لكرملين" of "للكرملين") lacks the
/// alef that starts the form.
pub fn as_written(orig: &str, form: &str, stem: bool, lil: bool) -> bool {
    fn letters(s: &str) -> impl Iterator<Item = char> + '_ {
        let mut space = false;
        s.chars()
            .filter(|c| !crate::text::fold::is_dropped(*c))
            .filter_map(move |c| {
                if c.is_whitespace() {
                    let first = !space;
                    space = true;
                    first.then_some(' ')
                } else {
                    space = false;
                    Some(c)
                }
            })
    }
    let mut form = letters(form).peekable();
    if lil
        && form
            .peek()
            .is_some_and(|c| matches!(c, 'ا' | 'أ' | 'إ' | 'آ' | 'ٱ'))
    {
        form.next();
    }
    let mut o = letters(orig);
    for f in form {
        if o.next() != Some(f) {
            return false;
        }
    }
    stem || o.next().is_none()
}

/// Keeps, from `hits[first..]` sorted by start then longest, the leftmost-longest
/// non-overlapping spans, with every hit of a kept span.
fn leftmost_longest(hits: &mut Vec<Hit>, first: usize) {
    let mut keep = first;
    let mut kept: Option<Range<usize>> = None;
    for i in first..hits.len() {
        let r = hits[i].norm.clone();
        let take = match &kept {
            None => true,
            Some(k) => *k == r || r.start >= k.end,
        };
        if take {
            kept = Some(r);
            hits.swap(keep, i);
            keep += 1;
        }
    }
    hits.truncate(keep);
}

fn token_end(hay: &[u8], from: usize) -> usize {
    hay[from..]
        .iter()
        .position(|&b| b == b' ')
        .map_or(hay.len(), |p| from + p)
}

/// Bytes of the longest valid prefix ("وبال", "فكال": four Arabic letters).
const MAX_PREFIX_BYTES: usize = 8;

/// Whether `prefix` (the part of the token before a match) may stand before it: a proclitic
/// before anything, the article after one only in [`Mode::Term`], and for a pattern compiled
/// without the alef of its ال (`lil`), exactly a proclitic ending in ل.
pub fn prefix_ok(prefix: &str, lil: bool, mode: Mode) -> bool {
    if lil {
        return arabic::LIL_CLITICS.contains(&prefix);
    }
    arabic::is_proclitic(prefix) || (mode == Mode::Term && arabic::is_article_prefix(prefix))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::normalize::normalize_form;

    fn pats(forms: &[&str]) -> Vec<Pattern> {
        forms
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let (body, stem) = f.strip_suffix('*').map_or((*f, false), |b| (b, true));
                let (body, exact) = body
                    .strip_prefix('=')
                    .map_or((body, None), |b| (b, Some(b.to_owned())));
                Pattern::new(normalize_form(body), stem, exact, i as u32)
            })
            .collect()
    }

    /// Runs a matcher and returns (original span text, payload) per hit.
    fn run(forms: &[&str], mode: Mode, text: &str) -> Vec<(String, u32)> {
        let m = Matcher::new(&pats(forms), mode);
        let nt = NormText::new(text);
        let mut hits = Vec::new();
        m.find(&nt, text, &mut hits);
        hits.iter()
            .map(|h| {
                (
                    text[nt.orig_range(text, h.norm.clone())].to_owned(),
                    h.payload,
                )
            })
            .collect()
    }

    macro_rules! t {
        ($name:ident, $forms:expr, $mode:expr, $text:expr, $expected:expr) => {
            #[test]
            fn $name() {
                let got = run(&$forms, $mode, $text);
                let want: Vec<(String, u32)> = $expected
                    .iter()
                    .map(|(s, p): &(&str, u32)| (s.to_string(), *p))
                    .collect();
                assert_eq!(got, want);
            }
        };
    }

    #[test]
    fn prefixes_are_exactly_the_listed_ones() {
        // Every sequence of up to four of these letters, checked against the lists as written.
        let names = [
            "", "و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل", "فك",
        ];
        let terms = [
            "ال", "وال", "فال", "بال", "كال", "وبال", "فبال", "وكال", "فكال", "لل", "ولل", "فلل",
        ];
        let lil = ["ل", "ول", "فل"];
        let letters = ["و", "ف", "ب", "ل", "ك", "ا", "ي", "م"];
        let mut all = vec![String::new()];
        for _ in 0..4 {
            let longer: Vec<String> = all
                .iter()
                .flat_map(|p| letters.iter().map(move |l| format!("{p}{l}")))
                .collect();
            all.extend(longer);
        }
        all.sort();
        all.dedup();
        for p in &all {
            let p = p.as_str();
            assert_eq!(prefix_ok(p, true, Mode::Name), lil.contains(&p), "{p}");
            assert_eq!(prefix_ok(p, true, Mode::Term), lil.contains(&p), "{p}");
            assert_eq!(prefix_ok(p, false, Mode::Name), names.contains(&p), "{p}");
            assert_eq!(
                prefix_ok(p, false, Mode::Term),
                names.contains(&p) || terms.contains(&p),
                "{p}"
            );
        }
        for p in ["x", "وx", "\u{064E}", "ووووو"] {
            assert!(!prefix_ok(p, false, Mode::Term), "{p}");
        }
    }

    const NAMES: [&str; 6] = [
        "روسيا",
        "الكرملين",
        "بيونغ يانغ",
        "بيونغيانغ",
        "مجلس الأمن",
        "مجلس الأمن الروسي",
    ];
    t!(bare, NAMES, Mode::Name, "روسيا", [("روسيا", 0)]);
    t!(clitic_waw, NAMES, Mode::Name, "وروسيا", [("روسيا", 0)]);
    t!(clitic_fa, NAMES, Mode::Name, "فروسيا", [("روسيا", 0)]);
    t!(clitic_ba, NAMES, Mode::Name, "بروسيا", [("روسيا", 0)]);
    t!(clitic_lam, NAMES, Mode::Name, "لروسيا", [("روسيا", 0)]);
    t!(clitic_kaf, NAMES, Mode::Name, "كروسيا", [("روسيا", 0)]);
    t!(clitic_wa_ba, NAMES, Mode::Name, "وبروسيا", [("روسيا", 0)]);
    t!(clitic_wa_la, NAMES, Mode::Name, "ولروسيا", [("روسيا", 0)]);
    t!(clitic_wa_ka, NAMES, Mode::Name, "وكروسيا", [("روسيا", 0)]);
    t!(clitic_fa_ba, NAMES, Mode::Name, "فبروسيا", [("روسيا", 0)]);
    t!(clitic_fa_la, NAMES, Mode::Name, "فلروسيا", [("روسيا", 0)]);
    t!(clitic_fa_ka, NAMES, Mode::Name, "فكروسيا", [("روسيا", 0)]);
    t!(not_a_clitic, NAMES, Mode::Name, "سروسيا تروسيا", []);
    t!(not_inside_word, NAMES, Mode::Name, "روسياتي", []);
    t!(
        article_name_after_ba,
        NAMES,
        Mode::Name,
        "بالكرملين",
        [("الكرملين", 1)]
    );
    t!(
        article_name_after_wa,
        NAMES,
        Mode::Name,
        "والكرملين",
        [("الكرملين", 1)]
    );
    t!(
        article_name_after_wa_ba,
        NAMES,
        Mode::Name,
        "وبالكرملين",
        [("الكرملين", 1)]
    );
    t!(
        article_name_after_ka,
        NAMES,
        Mode::Name,
        "كالكرملين",
        [("الكرملين", 1)]
    );
    t!(lil_form, NAMES, Mode::Name, "للكرملين", [("لكرملين", 1)]);
    t!(
        lil_form_after_wa,
        NAMES,
        Mode::Name,
        "وللكرملين",
        [("لكرملين", 1)]
    );
    t!(
        lil_form_after_fa,
        NAMES,
        Mode::Name,
        "فللكرملين",
        [("لكرملين", 1)]
    );
    t!(lil_form_needs_lam, NAMES, Mode::Name, "لكرملين", []);
    t!(
        spaced_variant,
        NAMES,
        Mode::Name,
        "ببيونغ يانغ وبيونغيانغ",
        [("بيونغ يانغ", 2), ("بيونغيانغ", 3)]
    );
    t!(
        longest_wins,
        NAMES,
        Mode::Name,
        "مجلس الأمن الروسي، ومجلس الأمن",
        [("مجلس الأمن الروسي", 5), ("مجلس الأمن", 4)]
    );
    t!(
        diacritics_inside,
        NAMES,
        Mode::Name,
        "وروسْيا،",
        [("روسْيا", 0)]
    );
    t!(
        punctuation_outside,
        NAMES,
        Mode::Name,
        "«روسيا»",
        [("روسيا", 0)]
    );
    t!(no_article_for_names, NAMES, Mode::Name, "الروسيا", []);

    const EN: [&str; 4] = ["putin", "=US", "north korea", "kn-23"];
    t!(
        english_case,
        EN,
        Mode::Name,
        "PUTIN met Putin",
        [("PUTIN", 0), ("Putin", 0)]
    );
    t!(
        english_possessive,
        EN,
        Mode::Name,
        "Putin's visit to North Korea’s",
        [("Putin", 0), ("North Korea", 2)]
    );
    t!(case_sensitive, EN, Mode::Name, "the US and us", [("US", 1)]);
    t!(
        dash_variants,
        EN,
        Mode::Name,
        "KN-23 KN–23",
        [("KN-23", 3), ("KN–23", 3)]
    );
    t!(
        latin_in_arabic,
        EN,
        Mode::Name,
        "صواريخ KN-23،",
        [("KN-23", 3)]
    );

    // Regression: two patterns compiling to the same string ("us " exact and not) used to be two
    // automaton entries, which the double-array builder refuses.
    t!(
        shared_string,
        ["=US", "us"],
        Mode::Name,
        "US and us",
        [("US", 0), ("US", 1), ("us", 1)]
    );

    #[test]
    fn groups_are_matched_apart_in_one_pass() {
        // The same text as a name (no article allowed) and as a term (article allowed), plus a
        // longer name that must not hide the term.
        let pats = vec![
            Pattern {
                group: 0,
                ..Pattern::new(normalize_form("مجلس الأمن"), false, None, 7)
            },
            Pattern {
                group: 1,
                ..Pattern::new(normalize_form("أمن"), false, None, 8)
            },
        ];
        let groups = [
            Group {
                mode: Mode::Name,
                overlapping: false,
            },
            Group {
                mode: Mode::Term,
                overlapping: true,
            },
        ];
        let m = Matcher::grouped(&pats, &groups);
        let text = "اجتمع مجلس الأمن";
        let nt = NormText::new(text);
        let mut out: [Vec<Hit>; 2] = Default::default();
        m.find_groups(&nt, text, &mut out);
        let cut = |h: &Hit| text[nt.orig_range(text, h.norm.clone())].to_owned();
        assert_eq!(
            out[0]
                .iter()
                .map(|h| (cut(h), h.payload))
                .collect::<Vec<_>>(),
            vec![("مجلس الأمن".to_owned(), 7)]
        );
        assert_eq!(
            out[1]
                .iter()
                .map(|h| (cut(h), h.payload))
                .collect::<Vec<_>>(),
            vec![("أمن".to_owned(), 8)]
        );
    }

    const TERMS: [&str; 3] = ["صاروخ*", "عقوبات", "قمة"];
    t!(term_bare, TERMS, Mode::Term, "عقوبات", [("عقوبات", 1)]);
    t!(
        term_article,
        TERMS,
        Mode::Term,
        "العقوبات والعقوبات بالعقوبات",
        [("عقوبات", 1), ("عقوبات", 1), ("عقوبات", 1)]
    );
    t!(term_lil, TERMS, Mode::Term, "للعقوبات", [("عقوبات", 1)]);
    t!(
        term_stem,
        TERMS,
        Mode::Term,
        "الصاروخية وصاروخ",
        [("صاروخية", 0), ("صاروخ", 0)]
    );
    t!(term_ta_marbuta, TERMS, Mode::Term, "القمة", [("قمة", 2)]);
    t!(term_not_article_in_names, TERMS, Mode::Name, "العقوبات", []);

    /// Runs term patterns built by `f` over `text`; returns the original text of every hit.
    fn run_terms(pats: Vec<Pattern>, text: &str) -> Vec<String> {
        let m = Matcher::new(&pats, Mode::Term);
        let nt = NormText::new(text);
        let mut hits = Vec::new();
        m.find(&nt, text, &mut hits);
        hits.iter()
            .map(|h| text[nt.orig_range(text, h.norm.clone())].to_owned())
            .collect()
    }

    fn written(form: &str, stem: bool) -> Pattern {
        Pattern {
            exact: Some(form.to_owned()),
            written: true,
            ..Pattern::new(normalize_form(form), stem, None, 0)
        }
    }

    #[test]
    fn as_written_keeps_hamza_and_ta_marbuta() {
        let text = "وقف أمام الإمامِ وإمامة المسجد، وعمره ستون وأدى العمرة";
        assert_eq!(run_terms(vec![written("إمام", false)], text), ["إمامِ"]);
        assert_eq!(
            run_terms(vec![written("إمام", true)], text),
            ["إمامِ", "إمامة"]
        );
        assert_eq!(run_terms(vec![written("عمرة", false)], text), ["عمرة"]);
        // Without the flag the folded forms collide.
        let loose = Pattern::new(normalize_form("عمرة"), false, None, 0);
        assert_eq!(run_terms(vec![loose], text), ["عمره", "عمرة"]);
        assert_eq!(run_terms(vec![written("AI", false)], "ai and AI"), ["AI"]);
    }

    #[test]
    fn as_written_compares_letters_only() {
        assert!(as_written("إمامُ", "إمام", false, false));
        assert!(!as_written("أمام", "إمام", false, false));
        assert!(as_written("إمامة", "إمام", true, false));
        assert!(!as_written("إمامة", "إمام", false, false));
        assert!(as_written("على  مدار", "على مدار", false, false));
        assert!(as_written("لكرملين", "الكرملين", false, true));
    }

    #[test]
    fn stem_bounds_letters_after_the_stem() {
        let p = |min, max| Pattern {
            extra: (min, max),
            ..Pattern::new(normalize_form("طبي"), true, None, 0)
        };
        let text = "طبي طبية الطبيين طبيعية";
        assert_eq!(run_terms(vec![p(0, 2)], text), ["طبي", "طبية", "طبيين"]);
        assert_eq!(run_terms(vec![p(1, 1)], text), ["طبية"]);
        assert_eq!(
            run_terms(
                vec![Pattern::new(normalize_form("طبي"), true, None, 0)],
                text
            ),
            ["طبي", "طبية", "طبيين", "طبيعية"]
        );
    }
}
