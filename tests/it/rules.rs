//! Rule validation: every fixture of `tests/data/bad_rules/` gives exactly the errors of its
//! `.expected` file (through the library and through `khabar check-rules`), the minimal
//! `tests/data/good_rules/` loads, and the shipped `rules/` load with the coverage the product
//! requires.
//!
//! A fixture is an overlay on the one base, `tests/data/good_rules/`:
//!
//! | file | what |
//! | --- | --- |
//! | `bad_rules/<kind>/` | only the files the fixture adds or replaces, at their paths in a rules directory |
//! | `bad_rules/<kind>.remove` | optional: base files to leave out, one relative path per line |
//! | `bad_rules/<kind>.expected` | the exact text of `RuleErrors` (one `path:line: message` per line) |
//!
//! The runner builds each fixture in a temporary directory (base + overlay − removed) and loads
//! that. To add a case: copy the one base file you break into `bad_rules/<kind>/` (same relative
//! path), break it, and write the expected lines.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use khabar::model::EntityType;
use khabar::rules::RuleSet;
use khabar::Classifier;
use tempfile::TempDir;

/// The crate root: the binary is run from here with relative paths, as a user would.
fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The base of every fixture (also loaded on its own by `good_minimal_rules_load`).
const BASE: &str = "tests/data/good_rules";
/// Where the fixtures' overlays, `.remove` and `.expected` files live.
const FIXTURES: &str = "tests/data/bad_rules";

/// One bad-rules fixture, built.
struct Fixture {
    kind: String,
    /// The built rules directory (base + overlay − removed); deleted on drop.
    built: TempDir,
    /// The expected error text, without the final newline.
    expected: String,
}

impl Fixture {
    /// The built directory, as given to the loader and to `check-rules`.
    fn dir(&self) -> &Path {
        self.built.path()
    }
}

/// Every file under `dir`, as paths relative to it with `/` separators, sorted.
fn files_under(dir: &Path) -> BTreeSet<String> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeSet<String>) {
        for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(base, &path, out);
            } else {
                let rel = path.strip_prefix(base).unwrap();
                let parts: Vec<_> = rel.iter().map(|p| p.to_string_lossy()).collect();
                out.insert(parts.join("/"));
            }
        }
    }
    let mut out = BTreeSet::new();
    walk(dir, dir, &mut out);
    out
}

/// Copies the files `rel` of `from` into `to`, creating directories as needed.
fn copy_files(from: &Path, rel: &BTreeSet<String>, to: &Path) {
    for f in rel {
        let dest = to.join(f);
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        std::fs::copy(from.join(f), &dest)
            .unwrap_or_else(|e| panic!("copy {}: {e}", from.join(f).display()));
    }
}

/// What `bad_rules/` holds for one kind.
#[derive(Default)]
struct Parts {
    overlay: Option<PathBuf>,
    remove: Option<PathBuf>,
    expected: Option<PathBuf>,
}

/// Every fixture, sorted by kind, each built in its own temporary directory. Panics, listing
/// every problem at once, on a malformed fixture: an overlay or `.remove` without `.expected`,
/// an `.expected` with neither, an overlay file identical to the base file it replaces (no
/// change: a sign the fixture drifted from the base), a `.remove` line naming no base file or
/// a file the overlay also writes, or any other file.
fn fixtures() -> Vec<Fixture> {
    let base = root().join(BASE);
    let base_files = files_under(&base);
    let dir = root().join(FIXTURES);
    let mut kinds: BTreeMap<String, Parts> = BTreeMap::new();
    let mut problems = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("tests/data/bad_rules exists") {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            kinds.entry(name).or_default().overlay = Some(path);
        } else if let Some(kind) = name.strip_suffix(".expected") {
            kinds.entry(kind.to_owned()).or_default().expected = Some(path);
        } else if let Some(kind) = name.strip_suffix(".remove") {
            kinds.entry(kind.to_owned()).or_default().remove = Some(path);
        } else {
            problems.push(format!(
                "{name}: not <kind>/, <kind>.expected or <kind>.remove"
            ));
        }
    }
    let mut out = Vec::new();
    for (kind, parts) in kinds {
        let Some(expected) = &parts.expected else {
            problems.push(format!("{kind}: no {kind}.expected"));
            continue;
        };
        if parts.overlay.is_none() && parts.remove.is_none() {
            problems.push(format!(
                "{kind}: neither {kind}/ nor {kind}.remove: no change"
            ));
            continue;
        }
        let overlay = match &parts.overlay {
            Some(o) => files_under(o),
            None => BTreeSet::new(),
        };
        for f in &overlay {
            let (mine, theirs) = (parts.overlay.as_ref().unwrap().join(f), base.join(f));
            if base_files.contains(f)
                && std::fs::read(mine).unwrap() == std::fs::read(theirs).unwrap()
            {
                problems.push(format!("{kind}/{f}: identical to the base file"));
            }
        }
        let mut removed = BTreeSet::new();
        if let Some(r) = &parts.remove {
            for (i, line) in std::fs::read_to_string(r).unwrap().lines().enumerate() {
                let line = line.trim();
                if line.is_empty() {
                    continue;
                }
                if !base_files.contains(line) {
                    problems.push(format!(
                        "{kind}.remove:{}: {line} is not a base file",
                        i + 1
                    ));
                } else if overlay.contains(line) {
                    problems.push(format!(
                        "{kind}.remove:{}: {line} is also in {kind}/",
                        i + 1
                    ));
                } else {
                    removed.insert(line.to_owned());
                }
            }
        }
        let built = tempfile::Builder::new()
            .prefix(&format!("khabar-{kind}-"))
            .tempdir()
            .expect("a temporary directory");
        let kept: BTreeSet<String> = base_files.difference(&removed).cloned().collect();
        copy_files(&base, &kept, built.path());
        if let Some(o) = &parts.overlay {
            copy_files(o, &overlay, built.path());
        }
        let text = std::fs::read_to_string(expected).unwrap();
        out.push(Fixture {
            kind,
            built,
            expected: text.trim_end().to_owned(),
        });
    }
    assert!(
        problems.is_empty(),
        "malformed fixtures in {FIXTURES}:\n{}",
        problems.join("\n")
    );
    out
}

/// Indents every line of a block, for readable failure reports.
fn indent(s: &str) -> String {
    s.lines().map(|l| format!("    {l}\n")).collect()
}

fn check_rules(dir: impl AsRef<std::ffi::OsStr>) -> Output {
    Command::new(env!("CARGO_BIN_EXE_khabar"))
        .arg("check-rules")
        .arg(dir)
        .current_dir(root())
        .env("RUST_LOG", "warn")
        .output()
        .expect("run khabar check-rules")
}

#[test]
fn bad_rules_give_exactly_the_expected_errors() {
    let fixtures = fixtures();
    // The 45 cases of the full-copy fixtures, all kept when they became overlays.
    assert!(
        fixtures.len() >= 45,
        "only {} fixtures found",
        fixtures.len()
    );
    let mut failures = Vec::new();
    for f in &fixtures {
        match Classifier::from_dir(f.dir()) {
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
    let c = Classifier::from_dir(&root().join(BASE)).unwrap_or_else(|e| panic!("{BASE}:\n{e}"));
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

/// Every row of every shipped TSV list says where it comes from: a gazetteer row has a
/// non-empty `source` (and a `wikidata` cell, where the file has one, is a QID); a word-list row
/// names a source key that the file's header declares (`# source KEY: what, licence, where`).
#[test]
fn every_shipped_list_entry_has_a_source() {
    let mut bad = Vec::new();
    let mut rows = 0;
    for sub in ["rules/gazetteer", "rules/words"] {
        for rel in files_under(&root().join(sub)) {
            if !rel.ends_with(".tsv") {
                continue;
            }
            let path = root().join(sub).join(&rel);
            let text = std::fs::read_to_string(&path).unwrap();
            let declared: BTreeSet<&str> = text
                .lines()
                .filter_map(|l| l.strip_prefix("# source "))
                .filter_map(|l| l.split_once(':').map(|(key, _)| key.trim()))
                .collect();
            let mut lines = text
                .lines()
                .enumerate()
                .filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty());
            let (_, header) = lines.next().expect("a header row");
            let columns: Vec<&str> = header.split('\t').collect();
            let col = |name: &str| columns.iter().position(|c| *c == name);
            let source = col("source").unwrap_or_else(|| panic!("{sub}/{rel}: no source column"));
            let wikidata = col("wikidata");
            for (i, line) in lines {
                rows += 1;
                let cells: Vec<&str> = line.split('\t').collect();
                let at = format!("{sub}/{rel}:{}", i + 1);
                let src = cells.get(source).map_or("", |c| c.trim());
                if src.is_empty() {
                    bad.push(format!("{at}: no source"));
                } else if sub == "rules/words" {
                    for key in src.split([',', ' ']).filter(|k| !k.is_empty()) {
                        if !declared.contains(key) {
                            bad.push(format!("{at}: source {key:?} is not declared"));
                        }
                    }
                }
                if let Some(q) = wikidata
                    .and_then(|w| cells.get(w))
                    .filter(|q| !q.is_empty())
                {
                    let ok = q
                        .strip_prefix('Q')
                        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
                    if !ok {
                        bad.push(format!("{at}: wikidata {q:?} is no QID"));
                    }
                }
            }
        }
    }
    assert!(rows > 100_000, "only {rows} list rows were read");
    assert!(
        bad.is_empty(),
        "{} rows without a source:\n{}",
        bad.len(),
        bad.iter().take(20).cloned().collect::<Vec<_>>().join("\n")
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
            BASE,
            Classifier::from_dir(&root().join(BASE))
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
        let out = check_rules(f.dir());
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        // The errors, then a count line naming the directory.
        let n = f.expected.lines().count();
        let (errors, count_line) = stderr
            .trim_end()
            .rsplit_once('\n')
            .unwrap_or(("", stderr.trim_end()));
        let dir = f.dir().display().to_string();
        let count_ok = count_line.contains(&dir) && count_line.contains(&format!(" {n} "));
        if out.status.code() != Some(1) || errors != f.expected || !count_ok || !stdout.is_empty() {
            failures.push(format!(
                "{}: exit {:?}\n  expected on stderr (then a line \"{}: {n} error(s)\"):\n{}  stderr:\n{}  stdout:\n{}",
                f.kind,
                out.status.code(),
                dir,
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
