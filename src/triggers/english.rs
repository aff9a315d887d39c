//! English names read from capitalized words.

use super::words::Words;
use crate::entities::Candidate;
use crate::text::{arabic, TokenKind};

/// A given name and one to three more capitalized words, without a title: "Maria Garcia said"
/// (PERSON, 0.6). Not when an organization head word is part of the run or follows it ("Thomas
/// Jefferson University").
pub(super) fn given_names(w: &Words, out: &mut Vec<Candidate>) {
    let cx = w.cx;
    let nt = cx.nt;
    let n = nt.tokens.len();
    let words = w;
    // A given name and one to three more capitalized words, without a title (English): "Maria
    // Garcia said". Not when an organization head word is part of the run or follows it ("Thomas
    // Jefferson University").
    let org_head = |k: usize| {
        k < n && words.capitalized(k) && cx.patterns.org_heads.contains(nt.token_text(k))
    };
    for i in cx.given_hits.iter().filter_map(|h| w.word_at(h)) {
        if !words.english_given_name(i) {
            continue;
        }
        if let Some(r) = words.name_forward(i).filter(|r| r.len() >= 2) {
            if !(r.start..=r.end).any(org_head) {
                out.push(words.person(r, "patterns.toml:given_names", 0.6, String::new()));
            }
        }
    }
}

impl Words<'_, '_> {
    /// Whether token `i` is a capitalized Latin given name that no entity or title covers.
    pub(super) fn english_given_name(&self, i: usize) -> bool {
        let nt = self.cx.nt;
        nt.tokens[i].kind == TokenKind::Word
            && self.cover[i].is_none()
            && self.title_at[i].is_none()
            && !arabic::starts_arabic(nt.token_text(i))
            && self.cx.patterns.given_names.contains(nt.token_text(i))
            && self.capitalized(i)
    }
}
