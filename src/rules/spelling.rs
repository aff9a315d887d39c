//! `spelling.toml`: spellings that Arabic media use interchangeably inside words ("ديمقراطي" /
//! "ديموقراطي", "أميركي" / "أمريكي"). Every surface form the classifier matches (gazetteer forms,
//! short forms, titles, topic terms...) that contains one spelling of a group is also matched with
//! the others, so the rule files list each name once.

use serde::Deserialize;
use toml::Spanned;

use super::{line_of, parse_toml, RuleError, RuleFile};
use crate::text::normalize::normalize_form;

/// Groups of interchangeable spellings, each normalized; one group per `[[variants]]` table.
pub type Spellings = Vec<Vec<String>>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    variants: Vec<Spanned<RawGroup>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGroup {
    forms: Vec<String>,
    source: String,
}

/// Shortest spelling, in letters: a shorter one would be replaced inside unrelated words.
const MIN_LETTERS: usize = 4;

/// Parses and validates `spelling.toml`.
pub fn parse(file: &RuleFile, src: &str, errors: &mut Vec<RuleError>) -> Spellings {
    let path = file.path.as_str();
    let Some(raw) = parse_toml::<RawFile>(path, src, errors) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for group in raw.variants {
        let line = line_of(src, group.span().start);
        let group = group.into_inner();
        let mut err = |m: String| errors.push(RuleError::new(path, line, m));
        if group.source.trim().is_empty() {
            err("a spelling group needs a source (who writes each spelling)".into());
        }
        let norms: Vec<String> = group.forms.iter().map(|f| normalize_form(f)).collect();
        let mut ok = norms.len() >= 2;
        if !ok {
            err(format!(
                "a spelling group needs two forms or more, got {:?}",
                group.forms
            ));
        }
        for (f, n) in group.forms.iter().zip(&norms) {
            if n.chars().count() < MIN_LETTERS || n.contains(' ') {
                err(format!(
                    "spelling {f:?} must be one word of {MIN_LETTERS} letters or more"
                ));
                ok = false;
            }
        }
        for (i, a) in norms.iter().enumerate() {
            for (j, b) in norms.iter().enumerate() {
                if i < j && a == b {
                    err(format!(
                        "{:?} and {:?} are the same after normalization",
                        group.forms[i], group.forms[j]
                    ));
                    ok = false;
                } else if i != j && a != b && b.contains(a.as_str()) {
                    err(format!(
                        "{:?} contains {:?}: replacing one by the other is ambiguous",
                        group.forms[j], group.forms[i]
                    ));
                    ok = false;
                }
            }
        }
        if ok {
            out.push(norms);
        }
    }
    out
}

/// The other spellings of a normalized form: every combination of replacing, in each group, the
/// spellings it contains by the group's others ("الحزب الديمقراطي الاميركي" gives three). Empty
/// when the form contains none.
pub fn variants(form: &str, groups: &Spellings) -> Vec<String> {
    if !groups.iter().flatten().any(|a| form.contains(a.as_str())) {
        return Vec::new();
    }
    let mut all = vec![form.to_owned()];
    for group in groups {
        let mut added = Vec::new();
        for s in &all {
            for a in group.iter().filter(|a| s.contains(a.as_str())) {
                added.extend(
                    group
                        .iter()
                        .filter(|b| *b != a)
                        .map(|b| s.replace(a.as_str(), b)),
                );
            }
        }
        all.extend(added);
    }
    all.sort();
    all.dedup();
    all.retain(|s| s != form);
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(src: &str) -> (Spellings, Vec<String>) {
        let file = RuleFile {
            path: "spelling.toml".into(),
            bytes: src.as_bytes().to_vec(),
        };
        let mut errors = Vec::new();
        let s = parse(&file, src, &mut errors);
        (s, errors.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn variants_combine_every_group() {
        let (groups, errors) = load(
            "[[variants]]\nforms = [\"ديمقراط\", \"ديموقراط\"]\nsource = \"AFP\"\n\
             [[variants]]\nforms = [\"أميرك\", \"أمريك\"]\nsource = \"AFP\"\n",
        );
        assert!(errors.is_empty(), "{errors:?}");
        let form = normalize_form("الحزب الديمقراطي الأميركي");
        let got = variants(&form, &groups);
        let want: Vec<String> = [
            "الحزب الديمقراطي الأمريكي",
            "الحزب الديموقراطي الأمريكي",
            "الحزب الديموقراطي الأميركي",
        ]
        .iter()
        .map(|s| normalize_form(s))
        .collect();
        let mut want = want;
        want.sort();
        assert_eq!(got, want);
        assert!(variants(&normalize_form("روسيا"), &groups).is_empty());
        // Every occurrence is replaced, and the other direction works too.
        assert_eq!(
            variants(&normalize_form("ديموقراطيه ديموقراطي"), &groups),
            vec![normalize_form("ديمقراطيه ديمقراطي")]
        );
    }

    #[test]
    fn bad_groups_are_reported_with_their_line() {
        let (groups, errors) = load(
            "[[variants]]\nforms = [\"ديمقراط\"]\nsource = \"x\"\n\
             [[variants]]\nforms = [\"أميرك\", \"اميرك\"]\nsource = \"x\"\n\
             [[variants]]\nforms = [\"امر\", \"أمير\"]\nsource = \"\"\n\
             [[variants]]\nforms = [\"اميركا\", \"اميرك\"]\nsource = \"x\"\n",
        );
        assert!(groups.is_empty());
        assert_eq!(
            errors,
            vec![
                "spelling.toml:1: a spelling group needs two forms or more, got [\"ديمقراط\"]",
                "spelling.toml:4: \"أميرك\" and \"اميرك\" are the same after normalization",
                "spelling.toml:7: a spelling group needs a source (who writes each spelling)",
                "spelling.toml:7: spelling \"امر\" must be one word of 4 letters or more",
                "spelling.toml:10: \"اميركا\" contains \"اميرك\": replacing one by the other is ambiguous",
            ]
        );
    }
}
