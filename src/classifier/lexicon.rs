//! Every surface form the pipeline looks for, in one automaton: a field is scanned once and every
//! [`Group`] gets its own hits, as if it had its own matcher.

use std::ops::Index;

use crate::matcher::{self, Hit, Matcher, Mode, Pattern};
use crate::rules::gazetteer::EntityId;
use crate::rules::RuleSet;
use crate::text::NormText;
use crate::topics::TopicEngine;

/// What a group of lexicon strings is used for. The payload of a hit means what its group says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Group {
    /// Full names and variants of gazetteer entities, and the `not_names` phrases that block
    /// them; payload: index into [`Lexicon::names`].
    Names,
    /// Short forms for document-level propagation; payload: entity index.
    Shorts,
    /// Titles before person names; payload: index into `rules.patterns.titles`.
    Titles,
    /// Topic terms, reported overlapping; payload: term index of the topic engine.
    Terms,
    /// Boilerplate markers; payload: marker kind.
    Boiler,
    /// Kinship words of trigger patterns; payload: 0.
    Kin,
    /// Organization head words of trigger patterns; payload: 0.
    Heads,
    /// Reporting verbs of trigger patterns; payload: 0.
    Speech,
    /// Latin-script given names of trigger patterns (names without a title); payload: 0.
    Given,
}

impl Group {
    /// Number of groups.
    const COUNT: usize = 9;

    /// How the group is matched: only topic terms take the article and report overlaps.
    const fn matching(self) -> matcher::Group {
        match self {
            Group::Terms => matcher::Group {
                mode: Mode::Term,
                overlapping: true,
            },
            _ => matcher::Group {
                mode: Mode::Name,
                overlapping: false,
            },
        }
    }

    /// The matcher's settings of every group, indexed by group.
    const MATCHING: [matcher::Group; Group::COUNT] = [
        Group::Names.matching(),
        Group::Shorts.matching(),
        Group::Titles.matching(),
        Group::Terms.matching(),
        Group::Boiler.matching(),
        Group::Kin.matching(),
        Group::Heads.matching(),
        Group::Speech.matching(),
        Group::Given.matching(),
    ];

    fn id(self) -> u8 {
        self as u8
    }
}

/// What a hit of [`Group::Names`] stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NameTarget {
    /// A gazetteer entity.
    Entity(EntityId),
    /// A phrase that is not a name ("ولي العهد"): it takes its span so that no name inside it
    /// is read, and no short form lands on it.
    NotAName,
}

/// The compiled lexicon.
#[derive(Debug)]
pub(crate) struct Lexicon {
    matcher: Matcher,
    /// What each payload of [`Group::Names`] stands for: the entities in rule-set order, then one
    /// entry for every `not_names` phrase.
    names: Vec<NameTarget>,
}

/// The hits of one field, by group.
#[derive(Default)]
pub(crate) struct GroupHits([Vec<Hit>; Group::COUNT]);

impl Index<Group> for GroupHits {
    type Output = [Hit];

    fn index(&self, g: Group) -> &[Hit] {
        &self.0[g as usize]
    }
}

impl Lexicon {
    /// Compiles every surface form of `rules` (and the topic terms of `topics`).
    pub(crate) fn compile(rules: &RuleSet, topics: &TopicEngine) -> Lexicon {
        let mut pats = Vec::new();
        let pat = |norm: &str, exact: Option<String>, payload: u32, group: Group| Pattern {
            norm: norm.to_owned(),
            stem: false,
            exact,
            payload,
            group: group.id(),
            ..Pattern::default()
        };
        // A form is matched for the entity that owns it: reading `form_owner` once finds them
        // without a key copy and a hash per form (the order does not matter to the matcher).
        for ((norm, case_sensitive), &id) in &rules.form_owner {
            let Some(e) = rules.entities.get(id.index()) else {
                continue;
            };
            for f in &e.forms {
                if f.case_sensitive == *case_sensitive && f.norm == *norm {
                    let exact = f.case_sensitive.then(|| f.text.clone());
                    pats.push(pat(&f.norm, exact, id.index() as u32, Group::Names));
                }
            }
        }
        let mut names: Vec<NameTarget> = (0..rules.entities.len())
            .map(|i| NameTarget::Entity(EntityId::from_index(i)))
            .collect();
        let not_a_name = names.len() as u32;
        names.push(NameTarget::NotAName);
        for (i, e) in rules.entities.iter().enumerate() {
            pats.extend(
                e.short
                    .iter()
                    .map(|s| pat(s, None, i as u32, Group::Shorts)),
            );
        }
        let p = &rules.patterns;
        pats.extend(
            p.not_names
                .iter()
                .map(|(norm, _)| pat(norm, None, not_a_name, Group::Names)),
        );
        pats.extend(
            p.titles
                .iter()
                .enumerate()
                .map(|(i, (norm, _))| pat(norm, None, i as u32, Group::Titles)),
        );
        pats.extend(topics.patterns(Group::Terms.id()));
        pats.extend(crate::boilerplate::patterns(
            &rules.boilerplate,
            Group::Boiler.id(),
        ));
        let words = [
            (&p.kin, Group::Kin),
            (&p.org_heads, Group::Heads),
            (&p.speech_verbs, Group::Speech),
        ];
        for (set, group) in words {
            pats.extend(set.iter().map(|norm| pat(norm, None, 0, group)));
        }
        pats.extend(
            p.given_names
                .iter()
                .filter(|n| n.is_ascii())
                .map(|norm| pat(norm, None, 0, Group::Given)),
        );
        add_spelling_variants(&mut pats, &rules.spelling);
        Lexicon {
            matcher: Matcher::grouped(&pats, &Group::MATCHING),
            names,
        }
    }

    /// Scans a normalized field once for every group.
    pub(crate) fn scan(&self, nt: &NormText, orig: &str) -> GroupHits {
        let mut hits = GroupHits::default();
        self.matcher.find_groups(nt, orig, &mut hits.0);
        hits
    }

    /// What a hit of [`Group::Names`] stands for.
    pub(crate) fn name_target(&self, hit: &Hit) -> NameTarget {
        self.names[hit.payload as usize]
    }
}

/// Adds, for every pattern that contains an interchangeable spelling, a pattern for each other
/// spelling ("الحزب الديموقراطي" for "الحزب الديمقراطي"), unless its group already has that string
/// (what the rule files list wins). Case-sensitive forms are left as written.
fn add_spelling_variants(pats: &mut Vec<Pattern>, spelling: &crate::rules::spelling::Spellings) {
    if spelling.is_empty() {
        return;
    }
    let mut added: Vec<Pattern> = Vec::new();
    for p in pats.iter().filter(|p| p.exact.is_none()) {
        for v in crate::rules::spelling::variants(&p.norm, spelling) {
            added.push(Pattern {
                norm: v,
                ..p.clone()
            });
        }
    }
    if added.is_empty() {
        return;
    }
    // Only the strings of the variants are looked up, not every pattern hashed.
    let wanted: rustc_hash::FxHashSet<(u8, &str)> =
        added.iter().map(|a| (a.group, a.norm.as_str())).collect();
    let existing: rustc_hash::FxHashSet<(u8, &str)> = pats
        .iter()
        .map(|p| (p.group, p.norm.as_str()))
        .filter(|k| wanted.contains(k))
        .collect();
    added.retain(|a| !existing.contains(&(a.group, a.norm.as_str())));
    pats.extend(added);
}
