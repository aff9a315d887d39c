//! Trigger patterns for names no list knows.
//!
//! * **Title before a name**: a title or role ("وزير الدفاع", "President"), optionally followed by
//!   nationality adjectives, organizations, places and connector words ("الروسي", "باسم الكرملين",
//!   "السابق"), then one to four name words → PERSON (confidence 0.7), the role kept. When the
//!   name is already a gazetteer person, only the role is recorded.
//! * **Name, title** (apposition): "وقال كيم جونغ داي، عضو البرلمان" → PERSON (0.6); in English
//!   an article may stand before the title ("Jane Doe, a spokeswoman for the ministry").
//! * **Kinship word** then a name: "ابنته كيم جو آه" → PERSON (0.65).
//! * **Reporting verb** then an Arabic name that starts with a given name, then what was said:
//!   "وقال أحمد الحجار إن" → PERSON (0.55).
//! * **Speaker label**: at the start of a sentence, an Arabic given or family name and a colon
//!   ("سامر: لا أعرف"), or أم / أبو and a name ("أم سامر:") → PERSON (0.6).
//! * **Coordination**: after an Arabic person found by the passes above, و and a name, or names
//!   between commas closed by و and a name: "الوزير X ونادر حمشو" → PERSON (0.6).
//! * **Given name** (English) then one to three capitalized words: "Maria Garcia said" → PERSON
//!   (0.6), unless an organization head word follows ("George Washington University").
//! * **Organization head** ("وزارة", "وكالة", "معهد") followed by one bare word and/or definite words
//!   and nationality adjectives: "معهد يونسي للدراسات الكورية الشمالية" → ORGANIZATION (0.6);
//!   English: a capitalized run that starts or ends with a head word ("Korean Central News Agency").
//!
//! Name words are never stop words, punctuation, numbers or parts of other entities; Arabic
//! names need at least two words (one word after a title is too often a common noun), and their
//! first word does not start with the article. A later word with the article follows عبد / أبو /
//! بن, or ends a name whose first word is a given name (`given_names`: "وزير الداخلية اللبناني
//! أحمد الحجار"). English name words are capitalized.

mod arabic;
mod english;
mod orgs;
mod titles;
mod words;

use crate::entities::Candidate;
use crate::matcher::Hit;
use crate::model::{EntityType, Field};
use crate::rules::Patterns;
use crate::text::{arabic as ortho, NormText};

pub(crate) use words::NameWords;

/// The rule of an unlisted all-capitals word read as an organization ("NAACP"). Such a mention
/// gives way to the same word defined as an acronym of a name in the document ("Brightwater
/// Mining Corporation (BMC)").
pub(crate) const ACRONYM_RULE: &str = "grammar:english-acronym";
use words::Words;

/// Input of the trigger pass over one field.
pub struct Context<'a> {
    /// Normalized field text.
    pub nt: &'a NormText,
    /// Original field text.
    pub orig: &'a str,
    /// Which field.
    pub field: Field,
    /// Lexicons.
    pub patterns: &'a Patterns,
    /// Title hits in the field (payload: index into `patterns.titles`).
    pub title_hits: &'a [Hit],
    /// Kinship word hits (`patterns.kin`).
    pub kin_hits: &'a [Hit],
    /// Organization head word hits (`patterns.org_heads`).
    pub head_hits: &'a [Hit],
    /// Reporting verb hits (`patterns.speech_verbs`).
    pub speech_hits: &'a [Hit],
    /// Latin given name hits (`patterns.given_names`).
    pub given_hits: &'a [Hit],
    /// Short form hits (`short`) of listed entities that the document names: such a word is no
    /// new given name ("كيم" is the short form of كيم جونغ أون and propagation links it).
    pub short_hits: &'a [Hit],
    /// The word lists of the name grammar.
    pub names: &'a NameWords,
}

/// Finds unlisted persons and organizations. `gaz` are the accepted gazetteer candidates of the
/// field in text order with their types; roles of known persons after a title are filled in.
pub fn find(cx: &Context, gaz: &mut [(Candidate, EntityType)]) -> Vec<Candidate> {
    let w = Words::new(cx, gaz);
    let mut out = Vec::new();
    titles::after_titles(&w, gaz, &mut out);
    titles::apposition(&w, &mut out);
    let is_kin = titles::kinship(&w, gaz, &mut out);
    arabic::after_speech_verbs(&w, &mut out);
    english::given_names(&w, &mut out);
    orgs::from_heads(&w, &is_kin, &mut out);
    // Names read from their structure alone, where no pass above found anything.
    let mut taken = vec![false; w.len()];
    let mark = |taken: &mut [bool], found: &[Candidate]| {
        for c in found {
            for t in words::token_span(cx.nt, &c.norm) {
                if let Some(slot) = taken.get_mut(t) {
                    *slot = true;
                }
            }
        }
    };
    mark(&mut taken, &out);
    // Each needs letters of its script: most fields have none of one of them.
    if cx.nt.scripts.arabic > 0 {
        // "سامر: ...": the speaker of a line of dialogue.
        let before = out.len();
        arabic::speaker_labels(&w, &taken, &mut out);
        mark(&mut taken, &out[before..]);
        let before = out.len();
        arabic::by_structure(&w, &taken, &mut out);
        mark(&mut taken, &out[before..]);
        // "X ونادر حمشو": names in coordination with a person found above.
        arabic::coordinated(&w, &mut taken, &mut out);
    }
    if cx.nt.scripts.latin > 0 {
        english::extended_places(&w, &mut taken, &mut out);
        english::capitalized_runs(&w, &taken, &mut out);
    }
    out
}

/// Looks `tok` up in `set` as it is, then without a leading proclitic (see
/// [`arabic::strip_proclitic`]; the rest has two letters or more). Returns the byte length of
/// the clitic that had to be removed.
pub fn clitic_lookup<S: std::hash::BuildHasher>(
    set: &std::collections::HashSet<String, S>,
    tok: &str,
) -> Option<usize> {
    ortho::strip_proclitic(tok, 2, |w| set.contains(w))
}
