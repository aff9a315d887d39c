//! `taxonomy.tsv`: IPTC Media Topics (qcode, parent, level, labels, retired).

use super::{RuleError, RuleFile};

/// One IPTC concept.
#[derive(Clone, Debug, PartialEq)]
pub struct Concept {
    /// Qcode, `medtop:20000639`.
    pub qcode: String,
    /// Parent qcode, empty at the top level.
    pub parent: String,
    /// English label.
    pub label_en: String,
    /// Arabic label.
    pub label_ar: String,
    /// Retired concepts may not be used by rules and are never emitted.
    pub retired: bool,
}

/// The taxonomy, indexed by qcode.
#[derive(Clone, Debug, Default)]
pub struct Taxonomy {
    /// Concepts in file order.
    pub concepts: Vec<Concept>,
    /// Qcode → index in `concepts`.
    pub index: rustc_hash::FxHashMap<String, usize>,
}

impl Taxonomy {
    /// The concept with this qcode.
    pub fn get(&self, qcode: &str) -> Option<&Concept> {
        self.index.get(qcode).map(|&i| &self.concepts[i])
    }

    /// The qcodes from `qcode` up to its top-level ancestor, `qcode` first.
    pub fn path(&self, qcode: &str) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        let mut cur = qcode;
        while let Some(c) = self.get(cur) {
            if out.contains(&c.qcode.as_str()) {
                break;
            }
            out.push(&c.qcode);
            cur = &c.parent;
        }
        out
    }
}

const HEADER: &str = "qcode\tparent\tlevel\tlabel_en\tlabel_ar\tretired";

/// Parses `taxonomy.tsv`.
pub fn parse(file: &RuleFile, src: &str, errors: &mut Vec<RuleError>) -> Taxonomy {
    let path = file.path.as_str();
    let mut tax = Taxonomy::default();
    let mut lines = Vec::new();
    let header_error = format!("expected the header line {HEADER:?}");
    let rows = super::tsv::read(
        path,
        src,
        &[HEADER],
        (&header_error, "the taxonomy is empty"),
        errors,
    )
    .map(|t| t.rows)
    .unwrap_or_default();
    for (lineno, cols) in rows {
        let qcode = cols[0].trim();
        if !qcode.starts_with("medtop:") || qcode.len() != 15 {
            errors.push(RuleError::new(
                path,
                lineno,
                format!("malformed qcode {qcode:?}"),
            ));
            continue;
        }
        if tax.index.contains_key(qcode) {
            errors.push(RuleError::new(
                path,
                lineno,
                format!("duplicate qcode {qcode}"),
            ));
            continue;
        }
        tax.index.insert(qcode.to_owned(), tax.concepts.len());
        tax.concepts.push(Concept {
            qcode: qcode.to_owned(),
            parent: cols[1].trim().to_owned(),
            label_en: cols[3].trim().to_owned(),
            label_ar: cols[4].trim().to_owned(),
            retired: !cols[5].trim().is_empty(),
        });
        lines.push(lineno);
    }
    for (c, lineno) in tax.concepts.iter().zip(lines) {
        if !c.parent.is_empty() && !tax.index.contains_key(&c.parent) {
            errors.push(RuleError::new(
                path,
                lineno,
                format!("unknown parent {} of {}", c.parent, c.qcode),
            ));
        }
    }
    if tax.concepts.is_empty() && !errors.iter().any(|e| e.path == path) {
        errors.push(RuleError::new(path, 0, "the taxonomy is empty"));
    }
    tax
}
