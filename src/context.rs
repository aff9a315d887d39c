//! Document context: readings that depend on the whole story, made after overlap resolution and
//! before propagation.
//!
//! * **Shared names** ("طرابلس" is the capital of Libya and a city of Lebanon): the gazetteer gives
//!   the name to the entity of highest priority. A mention goes to another entity of the same
//!   name instead when the story speaks of that entity's country (two mentions or more that
//!   belong to it: the country, its cities, people, nationality adjective...) and not at all of
//!   the default's.
//! * **Clubs in sports stories**: a city that is the short form of exactly one organization is
//!   that organization ("فاز ريال مدريد على برشلونة").

use std::sync::Arc;

use rustc_hash::FxHashMap as HashMap;

use crate::entities::{Candidate, Referent, ShortHit};
use crate::model::{EntityType, Field};
use crate::rules::gazetteer::{EntityId, SharedForms};
use crate::rules::RuleSet;

/// Mentions of a country's entities from which a story is taken to speak of it.
const MIN_COUNTRY_MENTIONS: usize = 2;

/// The country of every entity, for the names several entities share
/// ([`RuleSet::shared_forms`]).
#[derive(Clone, Debug, Default)]
pub struct SharedNames {
    /// Entity (by index) → its country entity: itself for a country, else its `link` when that
    /// is a country.
    country_of: Vec<Option<EntityId>>,
    /// The entities that own a shared form: only their mentions are looked at.
    owners_of_shared: rustc_hash::FxHashSet<EntityId>,
}

impl SharedNames {
    /// Takes the shared forms of a validated rule set (case-sensitive forms are left out).
    pub fn new(rules: &RuleSet) -> SharedNames {
        let countries: HashMap<&str, EntityId> = rules
            .entities
            .iter()
            .enumerate()
            .filter(|(_, e)| e.id.starts_with("country/"))
            .map(|(i, e)| (e.id.as_str(), EntityId::from_index(i)))
            .collect();
        let country_of = rules
            .entities
            .iter()
            .enumerate()
            .map(|(i, e)| {
                if e.id.starts_with("country/") {
                    Some(EntityId::from_index(i))
                } else {
                    countries.get(e.link.as_str()).copied()
                }
            })
            .collect();
        let owners_of_shared = rules
            .shared_forms
            .values()
            .filter_map(|owners| owners.first().copied())
            .collect();
        SharedNames {
            country_of,
            owners_of_shared,
        }
    }

    /// Moves mentions of shared forms to the entity whose country the story speaks of (see the
    /// module docs). `rules` must be the rule set this was built from; `form_of` gives a
    /// candidate's normalized text; `rule_ids` the rule id of each entity, which a moved mention
    /// takes.
    pub fn resolve<'a>(
        &self,
        rules: &RuleSet,
        accepted: &mut [Candidate],
        form_of: impl Fn(&Candidate) -> &'a str,
        rule_ids: &[Arc<str>],
    ) {
        if self.owners_of_shared.is_empty() {
            return;
        }
        let shared: Vec<(usize, &Vec<EntityId>)> = accepted
            .iter()
            .enumerate()
            .filter_map(|(k, c)| match c.referent {
                Referent::Known(i) if self.owners_of_shared.contains(&i) => {
                    owners(&rules.shared_forms, form_of(c)).map(|o| (k, o))
                }
                _ => None,
            })
            .collect();
        if shared.is_empty() {
            return;
        }
        // Mentions per country, the shared names themselves left out: they are what is decided.
        let mut per_country: HashMap<EntityId, usize> = HashMap::default();
        let mut is_shared = vec![false; accepted.len()];
        for &(k, _) in &shared {
            is_shared[k] = true;
        }
        for (c, _) in accepted.iter().zip(&is_shared).filter(|(_, s)| !**s) {
            if let Referent::Known(i) = c.referent {
                if let Some(country) = self.country_of[i.index()] {
                    *per_country.entry(country).or_default() += 1;
                }
            }
        }
        let weight = |i: EntityId| {
            self.country_of[i.index()]
                .and_then(|c| per_country.get(&c).copied())
                .unwrap_or(0)
        };
        for (k, owners) in shared {
            let Referent::Known(current) = accepted[k].referent else {
                continue;
            };
            if weight(current) > 0 {
                continue;
            }
            let best = owners
                .iter()
                .copied()
                .filter(|&o| o != current)
                .max_by_key(|&o| (weight(o), std::cmp::Reverse(o)));
            if let Some(o) = best.filter(|&o| weight(o) >= MIN_COUNTRY_MENTIONS) {
                accepted[k].referent = Referent::Known(o);
                accepted[k].rule_id = rule_ids[o.index()].clone();
            }
        }
    }
}

/// The entities sharing `form`, or the form with its article for a hit after "لل" ("لاسكندريه"
/// is "الاسكندريه").
fn owners<'s>(shared: &'s SharedForms, form: &str) -> Option<&'s Vec<EntityId>> {
    shared.get(form).or_else(|| {
        let rest = form.strip_prefix('ل')?;
        shared.get(&format!("ا{form}")).filter(|_| !rest.is_empty())
    })
}

/// In a sports story, a city that is the short form of exactly one organization (a club:
/// "فاز ريال مدريد على برشلونة") is that organization. Elsewhere the city stays a city unless the
/// story names the club in full (see [`crate::entities::propagate`]).
/// `sport_story` is asked only when some club's short form stands on a city.
pub fn clubs_over_cities(
    accepted: &mut [Candidate],
    shorts: &[ShortHit],
    type_of: impl Fn(EntityId) -> EntityType,
    sport_story: impl FnOnce() -> bool,
) {
    let clubs: Vec<(&ShortHit, EntityId)> = shorts
        .iter()
        .filter_map(|s| match s.options[..] {
            [Referent::Known(club)] if type_of(club) == EntityType::Organization => Some((s, club)),
            _ => None,
        })
        .collect();
    if clubs.is_empty() {
        return;
    }
    let cities: HashMap<(Field, usize, usize), usize> = accepted
        .iter()
        .enumerate()
        .filter(|(_, c)| c.entity_type(&type_of) == EntityType::Location)
        .map(|(k, c)| ((c.field, c.orig.start, c.orig.end), k))
        .collect();
    let moves: Vec<(usize, EntityId)> = clubs
        .into_iter()
        .filter_map(|(s, club)| {
            let key = (s.field, s.orig.start, s.orig.end);
            cities.get(&key).map(|&k| (k, club))
        })
        .collect();
    if moves.is_empty() || !sport_story() {
        return;
    }
    for (k, club) in moves {
        let c = &mut accepted[k];
        c.referent = Referent::Known(club);
        c.rule_id = "propagation:sport-story".into();
    }
}
