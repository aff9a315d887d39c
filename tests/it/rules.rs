//! Rule validation: every fixture of `tests/data/bad_rules/` gives exactly the errors of its
//! `.expected` file (through the library and through `khabar check-rules`), the minimal
//! `tests/data/good_rules/` loads, and the shipped `rules/` load with the coverage the product
//! requires.
//!
//! A fixture is a complete, minimal rules directory `bad_rules/<kind>/` (a copy of `good_rules/`
//! with one defect, or several in `several_errors`) next to `bad_rules/<kind>.expected`, the exact
//! text of `RuleErrors` (one `path:line: message` per line). The `.expected` file sits outside the
//! directory because the loader rejects unknown files. To add a case: copy `good_rules/` (without
//! its README.md), break one thing, write the expected lines.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output};

use khabar::model::EntityType;
use khabar::rules::RuleSet;
use khabar::Classifier;

/// The crate root: the binary is run from here with relative paths, as a user would.
fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// One bad-rules fixture.
struct Fixture {
    kind: String,
    /// Relative to the crate root: `tests/data/bad_rules/<kind>`.
    dir: String,
    /// The expected error text, without the final newline.
    expected: String,
}

/// Every fixture, sorted by kind. Panics on a directory without `.expected` or the reverse.
fn fixtures() -> Vec<Fixture> {
    let base = root().join("tests/data/bad_rules");
    let mut dirs = BTreeSet::new();
    let mut expected = BTreeSet::new();
    for entry in std::fs::read_dir(&base).expect("tests/data/bad_rules exists") {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            dirs.insert(name);
        } else if let Some(kind) = name.strip_suffix(".expected") {
            expected.insert(kind.to_owned());
        }
    }
    assert_eq!(
        dirs, expected,
        "every bad_rules/<kind>/ needs a bad_rules/<kind>.expected and vice versa"
    );
    dirs.into_iter()
        .map(|kind| {
            let text = std::fs::read_to_string(base.join(format!("{kind}.expected"))).unwrap();
            Fixture {
                dir: format!("tests/data/bad_rules/{kind}"),
                expected: text.trim_end().to_owned(),
                kind,
            }
        })
        .collect()
}

/// Indents every line of a block, for readable failure reports.
fn indent(s: &str) -> String {
    s.lines().map(|l| format!("    {l}\n")).collect()
}

fn check_rules(dir: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_khabar"))
        .args(["check-rules", dir])
        .current_dir(root())
        .env("RUST_LOG", "warn")
        .output()
        .expect("run khabar check-rules")
}

#[test]
fn bad_rules_give_exactly_the_expected_errors() {
    let fixtures = fixtures();
    assert!(
        fixtures.len() >= 30,
        "only {} fixtures found",
        fixtures.len()
    );
    let mut failures = Vec::new();
    for f in &fixtures {
        match Classifier::from_dir(&root().join(&f.dir)) {
            Ok(_) => failures.push(format!(
                "{}: loaded without errors; expected:\n{}",
                f.kind,
                indent(&f.expected)
            )),
            Err(errors) => {
                let got = errors.to_string();
                if got != f.expected {
                    failures.push(format!(
                        "{}:\n  expected:\n{}  got:\n{}",
                        f.kind,
                        indent(&f.expected),
                        indent(&got)
                    ));
                }
                let keys: Vec<(&str, usize)> =
                    errors.0.iter().map(|e| (e.path.as_str(), e.line)).collect();
                if !keys.is_sorted() {
                    failures.push(format!("{}: errors not in path/line order", f.kind));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} bad-rules fixtures differ:\n\n{}",
        failures.len(),
        fixtures.len(),
        failures.join("\n")
    );
}

#[test]
fn good_minimal_rules_load() {
    let c = Classifier::from_dir(&root().join("tests/data/good_rules"))
        .unwrap_or_else(|e| panic!("tests/data/good_rules:\n{e}"));
    let r = c.rules();
    assert_eq!(r.entities.len(), 9);
    assert_eq!(r.topics.len(), 3);
    assert!(r.taxonomy.get("medtop:20000647").is_some_and(|t| t.retired));
}

/// Shipped rules, loaded once per test that needs them.
fn shipped() -> Classifier {
    Classifier::from_dir(&root().join("rules")).unwrap_or_else(|e| panic!("rules/:\n{e}"))
}

/// Entities of `rules` with this id prefix and type.
fn count(rules: &RuleSet, prefix: &str, t: Option<EntityType>) -> usize {
    rules
        .entities
        .iter()
        .filter(|e| e.id.starts_with(prefix) && t.is_none_or(|t| e.entity_type == t))
        .count()
}

#[test]
fn shipped_rules_have_the_required_coverage() {
    let c = shipped();
    let r = c.rules();
    let mut short = Vec::new();
    for (what, prefix, t, min) in [
        ("countries", "country/", Some(EntityType::Location), 249),
        ("cities", "city/", Some(EntityType::Location), 1000),
        ("people", "", Some(EntityType::Person), 300),
        ("organizations", "", Some(EntityType::Organization), 300),
    ] {
        let n = count(r, prefix, t);
        if n < min {
            short.push(format!("{what}: {n} < {min}"));
        }
    }
    let mut tops_with_rule = BTreeSet::new();
    let mut subtopic_rules = 0;
    for t in &r.topics {
        match r.taxonomy.get(&t.id) {
            Some(c) if c.parent.is_empty() => {
                tops_with_rule.insert(t.id.clone());
            }
            Some(_) => subtopic_rules += 1,
            None => short.push(format!("topic {} not in the taxonomy", t.id)),
        }
    }
    let tops: BTreeSet<String> = r
        .taxonomy
        .concepts
        .iter()
        .filter(|c| c.parent.is_empty() && !c.retired)
        .map(|c| c.qcode.clone())
        .collect();
    assert_eq!(tops.len(), 17, "top-level IPTC topics: {tops:?}");
    let missing: Vec<&String> = tops.difference(&tops_with_rule).collect();
    if !missing.is_empty() {
        short.push(format!("top-level topics without a rule: {missing:?}"));
    }
    if subtopic_rules < 40 {
        short.push(format!("subtopic rules: {subtopic_rules} < 40"));
    }
    assert!(
        short.is_empty(),
        "shipped rules fall short:\n{}",
        short.join("\n")
    );
}

#[test]
fn given_names_come_from_the_list_and_the_gazetteer_minus_surnames() {
    let c = shipped();
    let g = &c.rules().patterns.given_names;
    // From the list in patterns.toml (normalized: ى → ي, أ → ا).
    for w in ["يحيي", "احمد", "فاطمه"] {
        assert!(g.contains(w), "{w} from given_names.ar");
    }
    // English ones, case folded.
    assert!(g.contains("maria"));
    // The first word of a gazetteer person's name ("فلاديمير بوتين", "Vladimir Putin"), but not
    // a title written before one ("Sultan Haitham").
    assert!(g.contains("فلاديمير") && g.contains("vladimir"));
    assert!(!g.contains("sultan"));
    // Short forms that are a person's last word ("محمود عباس", "قيس سعيد") are surnames used
    // alone after a title, even where the list or another person ("عباس عراقجي") gives them.
    for w in ["عباس", "سعيد", "هادي"] {
        assert!(!g.contains(w), "{w} is a surname short form");
    }
}

#[test]
fn check_rules_accepts_the_shipped_and_the_minimal_rules() {
    for (dir, version) in [
        ("rules", shipped().info().version.clone()),
        (
            "tests/data/good_rules",
            Classifier::from_dir(&root().join("tests/data/good_rules"))
                .unwrap()
                .info()
                .version
                .clone(),
        ),
    ] {
        let out = check_rules(dir);
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            out.status.code(),
            Some(0),
            "check-rules {dir}: stderr:\n{stderr}"
        );
        assert!(
            stdout.contains("rules OK") && stdout.contains(&version),
            "check-rules {dir}: summary without version {version}:\n{stdout}"
        );
    }
}

#[test]
fn check_rules_reports_every_fixture_on_stderr_with_exit_1() {
    let fixtures = fixtures();
    let mut failures = Vec::new();
    for f in &fixtures {
        let out = check_rules(&f.dir);
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        // The errors, then a count line naming the directory.
        let n = f.expected.lines().count();
        let (errors, count_line) = stderr
            .trim_end()
            .rsplit_once('\n')
            .unwrap_or(("", stderr.trim_end()));
        let count_ok = count_line.contains(&f.dir) && count_line.contains(&format!(" {n} "));
        if out.status.code() != Some(1) || errors != f.expected || !count_ok || !stdout.is_empty() {
            failures.push(format!(
                "{}: exit {:?}\n  expected on stderr (then a line \"{}: {n} error(s)\"):\n{}  stderr:\n{}  stdout:\n{}",
                f.kind,
                out.status.code(),
                f.dir,
                indent(&f.expected),
                indent(&stderr),
                indent(&stdout)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} fixtures differ under check-rules:\n\n{}",
        failures.len(),
        fixtures.len(),
        failures.join("\n")
    );
}

#[test]
fn check_rules_reports_a_missing_directory() {
    let out = check_rules("tests/data/no-such-rules");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "stderr:\n{stderr}");
    assert!(
        stderr.contains("tests/data/no-such-rules") && stderr.contains("cannot read directory"),
        "{stderr}"
    );
}
