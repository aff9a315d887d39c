//! `gazetteer/*.tsv`: named entities with their surface forms.

use std::collections::HashMap;

use super::{RuleError, RuleFile};
use crate::model::EntityType;
use crate::text::normalize::normalize_form;

/// The header every gazetteer file starts with (after `#` comment lines).
pub const HEADER: &str =
    "id\ttype\tname_en\tname_ar\tvariants\tshort\tpriority\tlink\tnote\tsource";
/// The header of a file whose rows also carry a Wikidata item id (`Q42`), an eleventh column.
pub const HEADER_WIKIDATA: &str =
    "id\ttype\tname_en\tname_ar\tvariants\tshort\tpriority\tlink\tnote\tsource\twikidata";

/// An entity of a rule set: its index in [`super::RuleSet::entities`] (file order).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntityId(u32);

impl EntityId {
    /// The entity at index `i` of the rule set's entities.
    pub fn from_index(i: usize) -> EntityId {
        EntityId(u32::try_from(i).expect("fewer than 2^32 entities"))
    }

    /// Its index in the rule set's entities.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// One validated gazetteer entity.
#[derive(Clone, Debug, PartialEq)]
pub struct EntityDef {
    /// Canonical id (`country/KP`).
    pub id: String,
    /// Entity type (never DATE).
    pub entity_type: EntityType,
    /// Canonical English name.
    pub name_en: String,
    /// Canonical Arabic name.
    pub name_ar: String,
    /// Every surface form as written (canonical names first), `=` marks removed.
    pub forms: Vec<Form>,
    /// Short forms that count only when the entity is named in full in the same document.
    pub short: Vec<String>,
    /// Priority among entities sharing a normalized form.
    pub priority: i32,
    /// Related entity id, or empty.
    pub link: String,
    /// Role or description.
    pub note: String,
    /// Wikidata item id (`Q7747`), or empty.
    pub wikidata: String,
    /// Where the entry is defined: `gazetteer/people.tsv:12`.
    pub rule_id: String,
}

/// A surface form of an entity.
#[derive(Clone, Debug, PartialEq)]
pub struct Form {
    /// As written in the file (without a leading `=`).
    pub text: String,
    /// Normalized form used for matching.
    pub norm: String,
    /// Matched only when the original text equals `text` exactly.
    pub case_sensitive: bool,
}

/// Parses one gazetteer file, appending entities and errors.
/// Every well-formed id is added to `defined`, even on a row with other errors, so that links
/// and topic references to it are not reported again. Returns false when the file as a whole
/// could not be read (no header), so its ids are unknown.
pub fn parse(
    file: &RuleFile,
    src: &str,
    out: &mut Vec<EntityDef>,
    errors: &mut Vec<RuleError>,
    defined: &mut std::collections::HashSet<String>,
) -> bool {
    let path = file.path.as_str();
    let header_error =
        format!("expected the header line {HEADER:?} (or the same followed by \"\\twikidata\")");
    let Some(table) = super::tsv::read(
        path,
        src,
        &[HEADER, HEADER_WIKIDATA],
        (&header_error, "empty gazetteer: expected a header line"),
        errors,
    ) else {
        return false;
    };
    for (lineno, cols) in table.rows {
        let before = errors.len();
        let err =
            |errors: &mut Vec<RuleError>, m: String| errors.push(RuleError::new(path, lineno, m));
        let id = cols[0].trim();
        if valid_id(id) {
            defined.insert(id.to_owned());
        } else {
            err(errors, format!("malformed id {id:?}: expected kind/slug without spaces, e.g. person/vladimir-putin"));
        }
        let entity_type = match EntityType::parse(cols[1].trim()) {
            Some(EntityType::Date) | None => {
                err(
                    errors,
                    format!(
                        "unknown entity type {:?}: expected PERSON, ORGANIZATION, LOCATION or NORP",
                        cols[1].trim()
                    ),
                );
                EntityType::Location
            }
            Some(t) => t,
        };
        let (name_en, name_ar) = (cols[2].trim(), cols[3].trim());
        if name_en.is_empty() && name_ar.is_empty() {
            err(errors, "both canonical names are empty".into());
        }
        let mut forms: Vec<Form> = Vec::new();
        for (col, text) in [(3, name_ar), (2, name_en)]
            .into_iter()
            .chain(split_list(cols[4]).map(|v| (4, v)))
        {
            if col != 4 && text.is_empty() {
                continue;
            }
            match make_form(text) {
                Ok(f) => {
                    if !forms
                        .iter()
                        .any(|g| g.norm == f.norm && g.case_sensitive == f.case_sensitive)
                    {
                        forms.push(f);
                    }
                }
                Err(m) => err(errors, m),
            }
        }
        let mut short = Vec::new();
        for s in split_list(cols[5]) {
            match make_form(s) {
                Ok(f) if !f.case_sensitive => short.push(f.norm),
                Ok(_) => err(errors, format!("short form {s:?} cannot be case-sensitive")),
                Err(m) => err(errors, m),
            }
        }
        let priority = match cols[6].trim() {
            "" => 0,
            p => p.parse::<i32>().unwrap_or_else(|_| {
                err(errors, format!("priority {p:?} is not an integer"));
                0
            }),
        };
        let link = cols[7].trim();
        if !link.is_empty() && !valid_id(link) {
            err(errors, format!("malformed link {link:?}"));
        }
        let source = cols[9].trim();
        if source.is_empty() {
            err(
                errors,
                "source is empty: every entry needs a source or a reason".into(),
            );
        }
        let wikidata = cols.get(10).map_or("", |w| w.trim());
        if !wikidata.is_empty() && !valid_qid(wikidata) {
            err(
                errors,
                format!("malformed wikidata id {wikidata:?}: expected Q and digits, e.g. Q7747"),
            );
        }
        if errors.len() > before {
            continue;
        }
        out.push(EntityDef {
            id: id.to_owned(),
            entity_type,
            name_en: name_en.to_owned(),
            name_ar: name_ar.to_owned(),
            forms,
            short,
            priority,
            link: link.to_owned(),
            note: cols[8].trim().to_owned(),
            wikidata: wikidata.to_owned(),
            rule_id: format!("{path}:{lineno}"),
        });
    }
    true
}

/// A Wikidata item id: `Q` and a positive decimal number without leading zeros.
fn valid_qid(s: &str) -> bool {
    s.strip_prefix('Q').is_some_and(|n| {
        !n.is_empty()
            && !n.starts_with('0')
            && n.len() <= 12
            && n.bytes().all(|b| b.is_ascii_digit())
    })
}

fn split_list(col: &str) -> impl Iterator<Item = &str> {
    let col = col.trim();
    col.split('|')
        .map(str::trim)
        .filter(move |_| !col.is_empty())
}

fn make_form(text: &str) -> Result<Form, String> {
    let (case_sensitive, body) = match text.strip_prefix('=') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    if body.is_empty() {
        return Err("empty name or variant (check for a doubled '|')".into());
    }
    let norm = normalize_form(body);
    if norm.is_empty() || !norm.chars().any(char::is_alphanumeric) {
        return Err(format!("form {text:?} has no letters or digits"));
    }
    Ok(Form {
        text: body.to_owned(),
        norm,
        case_sensitive,
    })
}

fn valid_id(id: &str) -> bool {
    match id.split_once('/') {
        Some((kind, slug)) => {
            !kind.is_empty()
                && kind.chars().all(|c| c.is_ascii_lowercase())
                && !slug.is_empty()
                && !slug.chars().any(|c| c.is_whitespace() || c == '|')
        }
        None => false,
    }
}

/// (normalized form, case-sensitive) → the entity that owns it.
pub type FormOwners = HashMap<(String, bool), EntityId>;
/// Case-insensitive normalized form listed by several entities → all of them, the owner first.
pub type SharedForms = HashMap<String, Vec<EntityId>>;

/// Cross-file checks: unique ids, known links, and surface forms shared by several entities
/// without a unique top priority. Returns, for every (normalized form, case-sensitive) key, the
/// index of the entity that owns it; and for every case-insensitive form that several entities
/// list, all of them, the owner first.
/// Links are checked against `known` ids, unless a whole gazetteer file could not be read
/// (`None`), since reporting every link into it would only repeat that error.
pub fn check(
    entities: &[EntityDef],
    known: Option<&std::collections::HashSet<String>>,
    errors: &mut Vec<RuleError>,
) -> (FormOwners, SharedForms) {
    let mut ids: HashMap<&str, usize> = HashMap::with_capacity(entities.len());
    for (i, e) in entities.iter().enumerate() {
        if let Some(&j) = ids.get(e.id.as_str()) {
            let (p, l) = split_rule_id(&e.rule_id);
            errors.push(RuleError::new(
                p,
                l,
                format!(
                    "duplicate id {} (first defined at {})",
                    e.id, entities[j].rule_id
                ),
            ));
        } else {
            ids.insert(&e.id, i);
        }
    }
    for e in entities {
        if !e.link.is_empty() && known.is_some_and(|k| !k.contains(&e.link)) {
            let (p, l) = split_rule_id(&e.rule_id);
            errors.push(RuleError::new(p, l, format!("unknown link id {}", e.link)));
        }
    }
    // form -> (owner index, tied index if the top priority is shared)
    let mut owners: HashMap<(String, bool), (usize, Option<usize>)> = HashMap::new();
    // case-insensitive form listed by several entities -> all of them
    let mut shared: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, e) in entities.iter().enumerate() {
        for f in &e.forms {
            let key = (f.norm.clone(), f.case_sensitive);
            match owners.get_mut(&key) {
                None => {
                    owners.insert(key, (i, None));
                }
                Some((owner, tie)) => {
                    if *owner == i {
                        continue;
                    }
                    if !f.case_sensitive {
                        let all = shared.entry(f.norm.clone()).or_default();
                        for x in [*owner, i] {
                            if !all.contains(&x) {
                                all.push(x);
                            }
                        }
                    }
                    let po = entities[*owner].priority;
                    if e.priority > po {
                        *owner = i;
                        *tie = None;
                    } else if e.priority == po && tie.is_none() {
                        *tie = Some(i);
                    }
                }
            }
        }
    }
    let mut ties: Vec<(&str, usize, String)> = Vec::new();
    for ((form, _), (owner, tie)) in &owners {
        if let Some(t) = tie {
            let (a, b) = if entities[*owner].rule_id <= entities[*t].rule_id {
                (*owner, *t)
            } else {
                (*t, *owner)
            };
            let (p, l) = split_rule_id(&entities[b].rule_id);
            ties.push((
                p,
                l,
                format!(
                    "surface form {form:?} of {} is also a form of {} ({}) with the same priority {}: set a priority",
                    entities[b].id, entities[a].id, entities[a].rule_id, entities[b].priority
                ),
            ));
        }
    }
    ties.sort();
    errors.extend(ties.into_iter().map(|(p, l, m)| RuleError::new(p, l, m)));
    let shared = shared
        .into_iter()
        .map(|(form, mut all)| {
            let owner = owners[&(form.clone(), false)].0;
            all.sort_by_key(|&x| (x != owner, x));
            (form, all.into_iter().map(EntityId::from_index).collect())
        })
        .collect();
    let owner = owners
        .into_iter()
        .map(|(k, (owner, _))| (k, EntityId::from_index(owner)))
        .collect();
    (owner, shared)
}

/// Splits `path:line` back into its parts.
pub fn split_rule_id(rule_id: &str) -> (&str, usize) {
    match rule_id.rsplit_once(':') {
        Some((p, l)) => (p, l.parse().unwrap_or(0)),
        None => (rule_id, 0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> (Vec<EntityDef>, Vec<String>) {
        let f = RuleFile {
            path: "gazetteer/t.tsv".into(),
            bytes: text.as_bytes().to_vec(),
        };
        let (mut out, mut errs) = (Vec::new(), Vec::new());
        let mut defined = std::collections::HashSet::new();
        parse(&f, text, &mut out, &mut errs, &mut defined);
        check(&out, Some(&defined), &mut errs);
        (out, errs.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn the_wikidata_column_is_optional_and_checked() {
        let text = format!(
            "{HEADER_WIKIDATA}\nperson/a\tPERSON\tAda Lovelace\t\t\t\t0\t\t\tWikidata\tQ7259\n\
             person/b\tPERSON\tBo Bo\t\t\t\t0\t\t\tWikidata\t\n\
             person/c\tPERSON\tCy Cy\t\t\t\t0\t\t\tWikidata\tQ07\n\
             person/d\tPERSON\tDi Di\t\t\t\t0\t\t\tWikidata\n"
        );
        let (out, mut errs) = load(&text);
        errs.sort();
        let qids: Vec<(&str, &str)> = out
            .iter()
            .map(|e| (e.id.as_str(), e.wikidata.as_str()))
            .collect();
        assert_eq!(qids, [("person/a", "Q7259"), ("person/b", "")]);
        assert_eq!(
            errs,
            [
                "gazetteer/t.tsv:4: malformed wikidata id \"Q07\": expected Q and digits, e.g. Q7747",
                "gazetteer/t.tsv:5: expected 11 tab-separated columns, found 10",
            ]
        );
        // The ten-column header reads rows without the column.
        let (out, errs) = load(&format!(
            "{HEADER}\nperson/a\tPERSON\tAda Lovelace\t\t\t\t0\t\t\tWikidata\n"
        ));
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(out[0].wikidata, "");
    }

    #[test]
    fn shared_forms_list_every_entity_owner_first() {
        let text = format!(
            "{HEADER}\ncity/266826\tLOCATION\tTripoli\tطرابلس\t\t\t0\t\t\tGeoNames\n\
             city/2210247\tLOCATION\tTripoli\tطرابلس\tTripoli\t\t1\t\t\tGeoNames\n\
             city/1\tLOCATION\tTripoli\tطرابلس الغرب\t=TRIPOLI\t\t0\t\t\tGeoNames\n"
        );
        let f = RuleFile {
            path: "gazetteer/t.tsv".into(),
            bytes: text.as_bytes().to_vec(),
        };
        let (mut out, mut errs) = (Vec::new(), Vec::new());
        parse(&f, &text, &mut out, &mut errs, &mut Default::default());
        let (owner, shared) = check(&out, None, &mut errs);
        assert!(errs.is_empty(), "{errs:?}");
        let ids = |v: &[usize]| {
            v.iter()
                .map(|&i| EntityId::from_index(i))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            owner[&("طرابلس".to_owned(), false)],
            EntityId::from_index(1)
        );
        // The owner (priority 1) first; "tripoli" is listed by all three (name_en).
        assert_eq!(shared["طرابلس"], ids(&[1, 0]));
        assert_eq!(shared["tripoli"], ids(&[1, 0, 2]));
        assert!(!shared.contains_key("طرابلس الغرب"));
    }

    #[test]
    fn parses_a_row() {
        let (e, errs) = load(&format!(
            "# c\n{HEADER}\nperson/kim-jong-un\tPERSON\tKim Jong Un\tكيم جونغ أون\tKim Jong-un|=KJU\tكيم|Kim\t\tcountry/KP\tleader\tWikipedia\ncountry/KP\tLOCATION\tNorth Korea\tكوريا الشمالية\t\t\t10\t\t\tCLDR\n"
        ));
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(e[0].forms.len(), 4);
        assert_eq!(e[0].forms[0].norm, "كيم جونغ اون");
        assert!(e[0].forms[3].case_sensitive);
        assert_eq!(e[0].short, vec!["كيم", "kim"]);
        assert_eq!(e[0].rule_id, "gazetteer/t.tsv:3");
        assert_eq!(e[1].priority, 10);
    }
}
