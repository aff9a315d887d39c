//! The one loop that reads the tab-separated rule files (gazetteers, the taxonomy, word lists):
//! comment lines (`#`) and blank lines are skipped, the first other line is the header, and every
//! later line is a row with exactly as many columns as the header.

use super::RuleError;

/// The rows of a TSV rule file.
pub(crate) struct Table<'a> {
    /// Index into the accepted headers of the one the file starts with.
    pub header: usize,
    /// (1-based line number, columns) of every well-formed row, in file order.
    pub rows: Vec<(usize, Vec<&'a str>)>,
    /// The comment lines before the header, without their `#` (some formats declare things there).
    pub preamble: Vec<(usize, &'a str)>,
}

/// Reads `src` as a table whose header is one of `headers`. A row with the wrong number of
/// columns is an error of its line and is left out. Without an accepted header, the error is
/// `header_error` at the first non-comment line, or `empty_error` at line 1 of a file with no such
/// line, and `None` is returned.
pub(crate) fn read<'a>(
    path: &str,
    src: &'a str,
    headers: &[&str],
    (header_error, empty_error): (&str, &str),
    errors: &mut Vec<RuleError>,
) -> Option<Table<'a>> {
    let mut table: Option<Table> = None;
    let mut preamble = Vec::new();
    for (i, line) in src.lines().enumerate() {
        let lineno = i + 1;
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            continue;
        }
        if let Some(comment) = line.strip_prefix('#') {
            if table.is_none() {
                preamble.push((lineno, comment));
            }
            continue;
        }
        let Some(t) = &mut table else {
            let Some(header) = headers.iter().position(|h| line.trim_end() == *h) else {
                errors.push(RuleError::new(path, lineno, header_error));
                return None;
            };
            table = Some(Table {
                header,
                rows: Vec::new(),
                preamble: std::mem::take(&mut preamble),
            });
            continue;
        };
        let width = headers[t.header].split('\t').count();
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() == width {
            t.rows.push((lineno, cols));
        } else {
            errors.push(RuleError::new(
                path,
                lineno,
                format!(
                    "expected {width} tab-separated columns, found {}",
                    cols.len()
                ),
            ));
        }
    }
    if table.is_none() {
        errors.push(RuleError::new(path, 1, empty_error));
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_header_rows_and_widths() {
        let src = "# about\n\na\tb\n1\t2\r\n# later\n3\n4\t5\t6\n";
        let mut errors = Vec::new();
        let t = read(
            "f.tsv",
            src,
            &["x", "a\tb"],
            ("no header", "empty"),
            &mut errors,
        )
        .unwrap();
        assert_eq!(t.header, 1);
        assert_eq!(t.preamble, [(1, " about")]);
        assert_eq!(t.rows, [(4, vec!["1", "2"])]);
        let errors: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            errors,
            [
                "f.tsv:6: expected 2 tab-separated columns, found 1",
                "f.tsv:7: expected 2 tab-separated columns, found 3"
            ]
        );
        let mut errors = Vec::new();
        assert!(read(
            "f.tsv",
            "# only\n",
            &["a"],
            ("no header", "empty"),
            &mut errors
        )
        .is_none());
        assert_eq!(errors[0].to_string(), "f.tsv:1: empty");
        let mut errors = Vec::new();
        assert!(read(
            "f.tsv",
            "#\nb\n",
            &["a"],
            ("no header", "empty"),
            &mut errors
        )
        .is_none());
        assert_eq!(errors[0].to_string(), "f.tsv:2: no header");
    }
}
