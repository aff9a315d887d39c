//! The fields of a document (the title, if any, and the text) as one type: each is normalized,
//! scanned once for every lexicon group, and knows its lead, its headline and its boilerplate.

use std::ops::Range;

use super::lexicon::{Group, GroupHits};
use super::Classifier;
use crate::entities::{Candidate, Referent};
use crate::model::{Document, Field};
use crate::text::NormText;
use crate::topics::Occurrence;

/// One field of the document being classified.
pub(crate) struct FieldText<'a> {
    pub field: Field,
    pub orig: &'a str,
    pub nt: NormText,
    /// Hits of every lexicon group.
    pub hits: GroupHits,
    /// Original byte range of the lead, where topic evidence counts more: the whole title; the
    /// first paragraph of the text after a title, its first two without one.
    lead: Range<usize>,
    /// Original byte range of the headline, where an entity is more salient: the whole title,
    /// or the first line of a text sent without a title.
    headline: Range<usize>,
    /// Web-page furniture (text only), kept out of topics and entities.
    pub boiler: Vec<Range<usize>>,
}

impl FieldText<'_> {
    /// Whether an original byte range lies in the lead.
    pub fn in_lead(&self, r: &Range<usize>) -> bool {
        self.lead.start <= r.start && r.end <= self.lead.end
    }

    /// Whether an original byte range ends in the headline.
    pub fn in_headline(&self, r: &Range<usize>) -> bool {
        r.end <= self.headline.end
    }

    /// Whether an original byte range lies in boilerplate.
    pub fn in_boilerplate(&self, r: &Range<usize>) -> bool {
        crate::boilerplate::inside(&self.boiler, r)
    }
}

/// The fields of one document.
pub(crate) struct Fields<'a> {
    /// The title, when it is not blank.
    title: Option<FieldText<'a>>,
    text: FieldText<'a>,
}

impl<'a> Fields<'a> {
    /// Normalizes and scans the title (when not blank) and the text.
    pub fn new(c: &Classifier, doc: &'a Document) -> Fields<'a> {
        let title = (!doc.title.trim().is_empty()).then(|| {
            let whole = 0..doc.title.len();
            scan(
                c,
                Field::Title,
                &doc.title,
                whole.clone(),
                whole,
                Vec::new(),
            )
        });
        let nt = NormText::new(&doc.text);
        let hits = c.lexicon.scan(&nt, &doc.text);
        let boiler = crate::boilerplate::detect(&doc.text, &nt, &hits[Group::Boiler]);
        let lead = lead_range(&doc.text, &boiler, if title.is_some() { 1 } else { 2 });
        let headline = if doc.title.is_empty() {
            0..doc.text.find('\n').unwrap_or(doc.text.len())
        } else {
            0..0
        };
        let text = FieldText {
            field: Field::Text,
            orig: &doc.text,
            nt,
            hits,
            lead,
            headline,
            boiler,
        };
        Fields { title, text }
    }

    /// The text field.
    pub fn text(&self) -> &FieldText<'a> {
        &self.text
    }

    /// A field; the text for a title that was blank (no candidate points into one).
    pub fn get(&self, f: Field) -> &FieldText<'a> {
        match f {
            Field::Title => self.title.as_ref().unwrap_or(&self.text),
            Field::Text => &self.text,
        }
    }

    /// The fields in document order: the title (when there is one), then the text.
    pub fn iter(&self) -> impl Iterator<Item = &FieldText<'a>> {
        self.title.iter().chain(std::iter::once(&self.text))
    }

    /// The topic term hits of every field outside boilerplate, as (term index, occurrence).
    pub fn term_occurrences(&self) -> Vec<(u32, Occurrence)> {
        let mut out = Vec::new();
        for f in self.iter() {
            for h in &f.hits[Group::Terms] {
                let orig = f.nt.orig_range(f.orig, h.norm.clone());
                if f.in_boilerplate(&orig) {
                    continue;
                }
                out.push((
                    h.payload,
                    Occurrence {
                        field: f.field,
                        lead: f.in_lead(&orig),
                        orig,
                    },
                ));
            }
        }
        out
    }

    /// The mentions of listed entities, as (entity index, occurrence), for topic signals.
    pub fn entity_occurrences(&self, mentions: &[Candidate]) -> Vec<(usize, Occurrence)> {
        mentions
            .iter()
            .filter_map(|c| match c.referent {
                Referent::Known(id) => Some((
                    id.index(),
                    Occurrence {
                        field: c.field,
                        orig: c.orig.clone(),
                        lead: self.get(c.field).in_lead(&c.orig),
                    },
                )),
                _ => None,
            })
            .collect()
    }
}

fn scan<'a>(
    c: &Classifier,
    field: Field,
    orig: &'a str,
    lead: Range<usize>,
    headline: Range<usize>,
    boiler: Vec<Range<usize>>,
) -> FieldText<'a> {
    let nt = NormText::new(orig);
    let hits = c.lexicon.scan(&nt, orig);
    FieldText {
        field,
        orig,
        nt,
        hits,
        lead,
        headline,
        boiler,
    }
}

/// The first `lines` non-empty lines of `text` that are not boilerplate.
fn lead_range(text: &str, boiler: &[Range<usize>], lines: usize) -> Range<usize> {
    let mut start = None;
    let mut end = 0;
    let mut seen = 0;
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        let r = pos..pos + line.trim_end().len();
        pos += line.len();
        if line.trim().is_empty()
            || crate::boilerplate::inside(
                boiler,
                &(r.start + (line.len() - line.trim_start().len())..r.end),
            )
        {
            continue;
        }
        start.get_or_insert(r.start);
        end = r.end;
        seen += 1;
        if seen == lines {
            break;
        }
    }
    start.unwrap_or(0)..end
}
