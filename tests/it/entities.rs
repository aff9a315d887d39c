//! Entity behaviour through the whole pipeline. `table` runs `tests/data/entities.toml`, one row
//! per rule (clitics, the "لل" form, trigger patterns, document-level propagation, blockers,
//! boilerplate) and reports every failing row at once; the other tests check whole mention lists
//! that a row cannot express (the title field, story policies, shared names).

use std::sync::OnceLock;

use khabar::model::{Document, EntityType, Field};
use khabar::Classifier;
use serde::Deserialize;

fn classifier() -> &'static Classifier {
    static C: OnceLock<Classifier> = OnceLock::new();
    C.get_or_init(|| Classifier::embedded().expect("embedded rules load"))
}

/// (type, mention text, entity id prefix, role) of every mention, in order.
fn mentions(text: &str, title: &str) -> Vec<(EntityType, String, String, String, Field)> {
    let doc = Document {
        text: text.into(),
        title: title.into(),
        ..Default::default()
    };
    let r = classifier().classify(&doc).expect("classifies");
    let mut out: Vec<_> = r
        .entities
        .iter()
        .flat_map(|e| {
            e.mentions.iter().map(move |m| {
                (
                    e.entity_type,
                    m.text.clone(),
                    e.id.clone(),
                    m.role.clone(),
                    m.field,
                    m.start,
                )
            })
        })
        .collect();
    out.sort_by_key(|m| (m.4 != Field::Title, m.5));
    out.into_iter()
        .map(|(t, x, id, role, f, _)| (t, x, id, role, f))
        .collect()
}

fn has(
    ms: &[(EntityType, String, String, String, Field)],
    ty: EntityType,
    text: &str,
    id_prefix: &str,
    role: &str,
) -> bool {
    ms.iter()
        .any(|m| m.0 == ty && m.1 == text && m.2.starts_with(id_prefix) && m.3 == role)
}

/// The rows of `tests/data/entities.toml`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Rows {
    case: Vec<Row>,
}

/// One row: a text (and title), mentions it must have, entity types it must not have.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Row {
    name: String,
    text: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    expect: Vec<Want>,
    #[serde(default)]
    absent: Vec<String>,
    /// Entity types whose mentions must all be among `expect` (no other mention of them).
    #[serde(default)]
    only: Vec<String>,
}

/// An expected mention.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Want {
    r#type: String,
    text: String,
    /// A prefix of the entity id.
    id: String,
    /// The exact role ("" = none).
    #[serde(default)]
    role: String,
    /// "text" or "title"; absent: either field.
    field: Option<String>,
}

/// An entity type by its rule-file name, or a row error.
fn entity_type(name: &str, s: &str) -> Result<EntityType, String> {
    EntityType::parse(s).ok_or_else(|| format!("{name}: unknown entity type {s:?}"))
}

/// The failures of one row (empty when it passes).
fn check_row(row: &Row) -> Vec<String> {
    let name = &row.name;
    if row.expect.is_empty() && row.absent.is_empty() {
        return vec![format!(
            "{name}: neither expect nor absent: asserts nothing"
        )];
    }
    let ms = mentions(&row.text, &row.title);
    let mut failures = Vec::new();
    for w in &row.expect {
        let ty = match entity_type(name, &w.r#type) {
            Ok(t) => t,
            Err(e) => {
                failures.push(e);
                continue;
            }
        };
        let field = match w.field.as_deref() {
            None => None,
            Some("text") => Some(Field::Text),
            Some("title") => Some(Field::Title),
            Some(other) => {
                failures.push(format!("{name}: field {other:?} is not text or title"));
                continue;
            }
        };
        let found = ms.iter().any(|m| {
            m.0 == ty
                && m.1 == w.text
                && m.2.starts_with(&w.id)
                && m.3 == w.role
                && field.is_none_or(|f| m.4 == f)
        });
        if !found {
            failures.push(format!(
                "{name}: want {ty:?} {:?} {}* role {:?}{} in {:?} (title {:?}); got {ms:?}",
                w.text,
                w.id,
                w.role,
                field.map_or(String::new(), |f| format!(" in {f:?}")),
                row.text,
                row.title
            ));
        }
    }
    for a in &row.absent {
        match entity_type(name, a) {
            Ok(ty) => {
                let bad: Vec<_> = ms.iter().filter(|m| m.0 == ty).collect();
                if !bad.is_empty() {
                    failures.push(format!(
                        "{name}: {:?} (title {:?}) gave {bad:?}",
                        row.text, row.title
                    ));
                }
            }
            Err(e) => failures.push(e),
        }
    }
    for o in &row.only {
        match entity_type(name, o) {
            Ok(ty) => {
                let extra: Vec<_> = ms
                    .iter()
                    .filter(|m| {
                        m.0 == ty && !row.expect.iter().any(|w| w.r#type == *o && w.text == m.1)
                    })
                    .collect();
                if !extra.is_empty() {
                    failures.push(format!(
                        "{name}: {:?} (title {:?}) gave more {o}: {extra:?}",
                        row.text, row.title
                    ));
                }
            }
            Err(e) => failures.push(e),
        }
    }
    failures
}

#[test]
fn table() {
    let rows: Rows = toml::from_str(include_str!("../data/entities.toml"))
        .unwrap_or_else(|e| panic!("tests/data/entities.toml: {e}"));
    assert!(rows.case.len() >= 79, "only {} rows", rows.case.len());
    let failures: Vec<String> = rows.case.iter().flat_map(check_row).collect();
    assert!(
        failures.is_empty(),
        "{} failures in {} rows:\n{}",
        failures.len(),
        rows.case.len(),
        failures.join("\n")
    );
}

#[test]
fn a_given_name_starting_an_organization_name_is_no_person() {
    for text in [
        "Thomas Jefferson University announced a new program",
        "the Johns Hopkins University study and the John Harlowe Institute",
    ] {
        let ms = mentions(text, "");
        let people: Vec<_> = ms.iter().filter(|m| m.0 == EntityType::Person).collect();
        assert!(people.is_empty(), "{text:?} gave {people:?}");
    }
}

#[test]
fn title_mentions_point_into_the_title() {
    let ms = mentions("وصل كيم جونغ أون إلى موسكو.", "بوتين يستقبل كيم");
    assert!(
        ms.iter().any(|m| m.1 == "بوتين" && m.4 == Field::Title),
        "{ms:?}"
    );
    assert!(
        ms.iter()
            .any(|m| m.1 == "كيم" && m.4 == Field::Title && m.2 == "person/kim-jong-un"),
        "{ms:?}"
    );
}

#[test]
fn not_name_phrases_take_no_short_form() {
    // Li Qiang and Khalil al-Hayya are named in full, so their short forms are live; the phrases
    // "ولي العهد" (crown prince) and "الذخيرة الحية" (live fire) must not become mentions of them.
    let ms = mentions(
        "قال رئيس الوزراء لي تشيانغ إن ولي العهد سيزور بكين. وقال خليل الحية إن القوات أطلقت الذخيرة الحية.",
        "",
    );
    let persons: Vec<&str> = ms
        .iter()
        .filter(|m| m.0 == EntityType::Person)
        .map(|m| m.1.as_str())
        .collect();
    assert_eq!(persons, vec!["لي تشيانغ", "خليل الحية"], "{ms:?}");
}

#[test]
fn lower_case_word_is_no_short_form_of_an_english_name() {
    // "Maria Park" is a name (a given name and a capitalized word), so "Park" alone is her; the
    // common noun "park", written in lower case, is not.
    let ms = mentions(
        "Maria Park said the park would reopen. Park added that the park was safe.",
        "",
    );
    let persons: Vec<&str> = ms
        .iter()
        .filter(|m| m.0 == EntityType::Person)
        .map(|m| m.1.as_str())
        .collect();
    assert_eq!(persons, vec!["Maria Park", "Park"], "{ms:?}");
}

#[test]
fn surname_that_is_a_nationality_adjective() {
    // "السوداني" is both the Sudanese adjective and the surname of Iraq's prime minister. Once
    // the document names him in full, the word alone is him, except in adjective position
    // after a definite noun.
    let text = "التقى رئيس الوزراء العراقي محمد شياع السوداني وفدا من الجيش السوداني. \
                وأضاف السوداني أن الحكومة ماضية، وقال مكتب السوداني إن الرئيس السوداني اتصل به.";
    let ms = mentions(text, "");
    let sudani: Vec<(EntityType, &str)> = ms
        .iter()
        .filter(|m| m.1 == "السوداني")
        .map(|m| (m.0, m.2.as_str()))
        .collect();
    assert_eq!(
        sudani,
        vec![
            (EntityType::Norp, "norp/SD"),
            (EntityType::Person, "person/mohammed-shia-al-sudani"),
            (EntityType::Person, "person/mohammed-shia-al-sudani"),
            (EntityType::Norp, "norp/SD"),
        ],
        "{ms:?}"
    );
    // Without the full name the word stays the adjective.
    let ms = mentions("وأضاف السوداني أن الجيش السوداني تقدم.", "");
    assert!(
        ms.iter()
            .all(|m| m.1 != "السوداني" || m.0 == EntityType::Norp),
        "{ms:?}"
    );
}

#[test]
fn city_named_club_in_a_story_that_names_the_club() {
    // A club named after its city ("نادي برشلونة") makes the bare city name the club in the same
    // document, before or after the full name; elsewhere the bare name is the city.
    let text = "سجل برشلونة مبكرا. فاز نادي برشلونة على ريال مدريد، وقال مدرب برشلونة إن الفريق \
                لعب جيدا.";
    // The ids of the bare "برشلونة" mentions.
    let barca = |text: &str| -> Vec<String> {
        mentions(text, "")
            .into_iter()
            .filter(|m| m.1 == "برشلونة")
            .map(|m| m.2)
            .collect()
    };
    assert_eq!(barca(text), ["org/fc-barcelona", "org/fc-barcelona"]);
    assert_eq!(
        barca("زار الرئيس برشلونة ثم مدريد، وقال إن برشلونة مدينة جميلة."),
        ["city/3128760", "city/3128760"]
    );
}

#[test]
fn city_named_club_in_a_sports_story() {
    // Without the club's full name, the words of a sports story make "برشلونة" the club; a
    // city story keeps the city, even with a weak sports word ("ملعب") and the city's own
    // football term.
    let club = |text: &str| -> Vec<(String, String, EntityType)> {
        mentions(text, "")
            .into_iter()
            .filter(|m| m.1 == "برشلونة" || m.1 == "ليفربول")
            .map(|m| (m.1, m.2, m.0))
            .collect()
    };
    let sport = "فاز ريال مدريد على برشلونة بثلاثة أهداف مقابل هدف في مباراة الكلاسيكو،                  ويلتقي ليفربول في الدوري.";
    assert_eq!(
        club(sport),
        [
            (
                "برشلونة".to_owned(),
                "org/fc-barcelona".to_owned(),
                EntityType::Organization
            ),
            (
                "ليفربول".to_owned(),
                "org/liverpool-fc".to_owned(),
                EntityType::Organization
            ),
        ]
    );
    let city = "وصل الوفد إلى برشلونة ومر بملعب قديم قبل لقاء رئيس البلدية.";
    assert_eq!(
        club(city),
        [(
            "برشلونة".to_owned(),
            "city/3128760".to_owned(),
            EntityType::Location
        )]
    );
}

#[test]
fn a_shared_name_follows_the_country_of_the_story() {
    // "طرابلس" is Libya's capital by default (priority) and a city of Lebanon: two mentions of
    // Lebanon's entities and none of Libya's move it; one is not enough.
    let tripoli = |text: &str| -> Vec<(String, String)> {
        mentions(text, "")
            .into_iter()
            .filter(|m| m.1 == "طرابلس")
            .map(|m| (m.2, m.3))
            .collect()
    };
    let cases = [
        (
            "وقعت اشتباكات في طرابلس شمال لبنان، وقال الجيش اللبناني إن الوضع في بيروت هادئ.",
            "city/266826",
        ),
        (
            "دخلت قوات حكومة الوحدة الوطنية طرابلس، وقال رئيس الحكومة الليبية إن ليبيا تتعافى.",
            "city/2210247",
        ),
        ("وصل الوفد إلى طرابلس.", "city/2210247"),
        ("وصل الوفد اللبناني إلى طرابلس.", "city/2210247"),
        // Libya named too: the default stays.
        (
            "وصل الوفد اللبناني من بيروت إلى طرابلس عاصمة ليبيا.",
            "city/2210247",
        ),
    ];
    for (text, want) in cases {
        let got = tripoli(text);
        assert_eq!(got.len(), 1, "{text}: {got:?}");
        assert_eq!(got[0].0, want, "{text}");
    }
    // A mention after "لل" is looked up with its article: الإسكندرية is Egypt's by default and
    // also a town of Iraq.
    let ms = mentions("وصل الوفد العراقي من بغداد للإسكندرية أمس.", "");
    assert!(
        ms.iter().any(|m| m.1 == "لإسكندرية" && m.2 == "city/99226"),
        "{ms:?}"
    );
}

#[test]
fn a_stadium_named_after_a_person_is_a_place() {
    let ms = mentions(
        "فاز ريال مدريد مساء السبت على ملعب سانتياغو برنابيو، وفي استاد الملك فهد الدولي.",
        "",
    );
    assert!(has(
        &ms,
        EntityType::Location,
        "ملعب سانتياغو برنابيو",
        "place/santiago-bernabeu",
        ""
    ));
    assert!(has(
        &ms,
        EntityType::Location,
        "استاد الملك فهد الدولي",
        "place/king-fahd-stadium",
        ""
    ));
    assert!(
        !ms.iter()
            .any(|m| m.2.starts_with("city/") || m.0 == EntityType::Person),
        "{ms:?}"
    );
}
