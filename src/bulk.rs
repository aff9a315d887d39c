//! `khabar classify --jsonl IN [-o OUT]`: bulk classification without a server.
//!
//! Each input line is one `ClassifyRequest` in the proto3 JSON mapping (what grpcurl reads);
//! each output line is the `ClassifyResponse` for the input line of the same number, in the same
//! mapping (what grpcurl prints). A line that cannot be classified (not UTF-8, not JSON, not a
//! valid request) gets a response with only `id` (when the line has one) and `error` set, with
//! the code and message the server would return; the other lines go on.
//!
//! Lines are read in chunks (at most [`CHUNK_LINES`] lines or [`CHUNK_BYTES`] bytes), each chunk
//! is classified on every core (rayon) and written in order before the next is read, so memory
//! stays bounded on an archive of any size.

use std::io::{BufRead, Write};
use std::time::Instant;

use indicatif::{ProgressBar, ProgressState, ProgressStyle};
use rayon::prelude::*;

use khabar::model::Document;
use khabar::pb;
use khabar::server::status::document_error;
use khabar::Classifier;

/// Most lines classified together: enough to keep every core busy, few enough that a slow
/// document holds up little.
const CHUNK_LINES: usize = 1024;
/// Most bytes of input held at once (a chunk ends early after this many).
const CHUNK_BYTES: usize = 32 << 20;
/// gRPC's INVALID_ARGUMENT, the code of a line that is not a valid request.
const INVALID_ARGUMENT: i32 = 3;

/// What a run did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Lines read (= lines written, unless the output closed early).
    pub lines: usize,
    /// Lines written with `error` set.
    pub errors: usize,
}

/// One input line: its number (1-based) and its bytes without the line ending.
struct Line {
    number: usize,
    bytes: Vec<u8>,
}

/// Why a run stopped before the end of its input.
#[derive(Debug)]
pub enum Stop {
    /// Reading the input failed.
    Read(std::io::Error),
    /// Writing the output failed (a closed pipe included: the caller decides whether that is an
    /// error).
    Write(std::io::Error),
}

/// Classifies every line of `input` into `output`. `name` names the input in the messages about
/// bad lines, which go to `report` (with their line number) as they are found.
pub fn run(
    classifier: &Classifier,
    input: &mut dyn BufRead,
    output: &mut dyn Write,
    progress: Option<&ProgressBar>,
    report: &mut dyn FnMut(String),
    name: &str,
) -> Result<Stats, Stop> {
    let mut stats = Stats::default();
    let mut chunk: Vec<Line> = Vec::with_capacity(CHUNK_LINES);
    let mut eof = false;
    while !eof {
        chunk.clear();
        let mut bytes = 0;
        while chunk.len() < CHUNK_LINES && bytes < CHUNK_BYTES {
            let mut buf = Vec::new();
            if input.read_until(b'\n', &mut buf).map_err(Stop::Read)? == 0 {
                eof = true;
                break;
            }
            if buf.last() == Some(&b'\n') {
                buf.pop();
                if buf.last() == Some(&b'\r') {
                    buf.pop();
                }
            }
            bytes += buf.len();
            stats.lines += 1;
            chunk.push(Line {
                number: stats.lines,
                bytes: buf,
            });
        }
        let results: Vec<(String, Option<String>)> = chunk
            .par_iter()
            .map(|line| classify_line(classifier, line))
            .collect();
        for ((json, error), line) in results.iter().zip(&chunk) {
            if let Some(message) = error {
                stats.errors += 1;
                report(format!("{name}:{}: {message}", line.number));
            }
            output.write_all(json.as_bytes()).map_err(Stop::Write)?;
            output.write_all(b"\n").map_err(Stop::Write)?;
        }
        if let Some(bar) = progress {
            bar.inc(chunk.len() as u64);
        }
    }
    output.flush().map_err(Stop::Write)?;
    Ok(stats)
}

/// The response line for one input line, and the error message when it has one.
fn classify_line(classifier: &Classifier, line: &Line) -> (String, Option<String>) {
    let (id, result) = match parse(&line.bytes) {
        Ok(req) => {
            let id = req.id.clone();
            let result = Document::try_from(req)
                .and_then(|doc| classifier.classify(&doc))
                .map_err(document_error);
            (id, result)
        }
        Err(message) => (
            id_of_bad_request(&line.bytes),
            Err(pb::DocumentError {
                code: INVALID_ARGUMENT,
                message,
            }),
        ),
    };
    let (response, error) = match result {
        Ok(c) => (pb::ClassifyResponse::from(c), None),
        Err(e) => {
            let message = e.message.clone();
            let response = pb::ClassifyResponse {
                id,
                error: Some(e),
                ..Default::default()
            };
            (response, Some(message))
        }
    };
    match serde_json::to_string(&response) {
        Ok(json) => (json, error),
        // Not expected (every field serializes); still one line per input line.
        Err(e) => {
            let message = format!("cannot serialize the response: {e}");
            let response = pb::ClassifyResponse {
                id: response.id,
                error: Some(pb::DocumentError {
                    code: 13,
                    message: message.clone(),
                }),
                ..Default::default()
            };
            let json = serde_json::to_string(&response).unwrap_or_else(|_| "{}".to_owned());
            (json, Some(message))
        }
    }
}

/// A request from its proto3 JSON; the message says what is wrong and where in the line.
fn parse(bytes: &[u8]) -> Result<pb::ClassifyRequest, String> {
    let text = std::str::from_utf8(bytes)
        .map_err(|e| format!("not UTF-8 (byte {})", e.valid_up_to() + 1))?;
    if text.trim().is_empty() {
        return Err("empty line (expected a ClassifyRequest as JSON)".to_owned());
    }
    serde_json::from_str(text).map_err(|e| {
        // serde_json says "at line 1 column N" about the line alone: keep the column only.
        let what = e.to_string();
        let what = what
            .rsplit_once(" at line ")
            .map_or(what.as_str(), |(w, _)| w);
        format!(
            "not a ClassifyRequest in proto3 JSON: {what} (column {})",
            e.column()
        )
    })
}

/// The `id` of a line that is JSON but not a valid request (an unknown enum name, a field of
/// the wrong type), so that its error can still be matched to the document; else empty.
fn id_of_bad_request(bytes: &[u8]) -> String {
    match serde_json::from_slice::<serde_json::Value>(bytes) {
        Ok(serde_json::Value::Object(mut o)) => match o.remove("id") {
            Some(serde_json::Value::String(id)) => id,
            _ => String::new(),
        },
        _ => String::new(),
    }
}

/// A progress bar on stderr (for a terminal) with rate and ETA: `total` lines when known (a
/// regular file), else a counter with the rate.
pub fn progress_bar(total: Option<u64>) -> ProgressBar {
    let (bar, template) = match total {
        Some(n) => (
            ProgressBar::new(n),
            "{bar:40} {human_pos}/{human_len} documents, {rate}, ETA {eta}",
        ),
        None => (
            ProgressBar::no_length(),
            "{spinner} {human_pos} documents, {rate}, {elapsed}",
        ),
    };
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(
            style.with_key("rate", |s: &ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{:.0}/s", s.per_sec());
            }),
        );
    }
    bar
}

/// Number of lines of a file (a last line without `\n` counts), to size the progress bar.
pub fn count_lines(path: &std::path::Path) -> std::io::Result<u64> {
    let mut reader = std::io::BufReader::with_capacity(1 << 20, std::fs::File::open(path)?);
    let (mut lines, mut last) = (0u64, b'\n');
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            break;
        }
        lines += buf.iter().filter(|&&b| b == b'\n').count() as u64;
        last = buf[buf.len() - 1];
        let n = buf.len();
        reader.consume(n);
    }
    Ok(lines + u64::from(last != b'\n'))
}

/// Documents per second over `start..now`, for the summary line.
pub fn rate(docs: usize, start: Instant) -> f64 {
    let secs = start.elapsed().as_secs_f64();
    if secs > 0.0 {
        docs as f64 / secs
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classifier() -> Classifier {
        khabar::reload::RulesSource::Embedded
            .load()
            .expect("embedded rules")
    }

    fn run_on(input: &str) -> (Vec<serde_json::Value>, Stats, Vec<String>) {
        let c = classifier();
        let mut out = Vec::new();
        let mut reports = Vec::new();
        let stats = run(
            &c,
            &mut input.as_bytes(),
            &mut out,
            None,
            &mut |m| reports.push(m),
            "in.jsonl",
        )
        .expect("runs");
        let lines = String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).expect("every output line is JSON"))
            .collect();
        (lines, stats, reports)
    }

    #[test]
    fn one_response_per_line_in_order_errors_in_place() {
        let input = concat!(
            r#"{"id":"a","text":"Vladimir Putin met Kim Jong Un in Pyongyang."}"#,
            "\n",
            "{not json\n",
            r#"{"id":"c","text":"   "}"#,
            "\r\n",
            "\n",
            r#"{"id":"e","text":"التقى بوتين كيم جونغ أون في موسكو","offsetUnit":"OFFSET_UNIT_UTF16_CODE_UNIT"}"#,
            "\n",
            r#"{"id":"f","text":"x","offsetUnit":"OFFSET_UNIT_NOPE"}"#,
        );
        let (out, stats, reports) = run_on(input);
        assert_eq!(
            stats,
            Stats {
                lines: 6,
                errors: 4
            }
        );
        assert_eq!(out.len(), 6);
        assert_eq!(out[0]["id"], "a");
        assert!(out[0]["entities"].as_array().is_some_and(|e| !e.is_empty()));
        assert!(out[0].get("error").is_none());
        assert_eq!(out[1]["error"]["code"], 3);
        assert!(out[1].get("id").is_none());
        assert_eq!(out[2]["id"], "c");
        assert_eq!(out[2]["error"]["message"], "text is empty");
        assert_eq!(out[3]["error"]["code"], 3);
        assert_eq!(out[4]["id"], "e");
        assert_eq!(out[4]["offsetUnit"], "OFFSET_UNIT_UTF16_CODE_UNIT");
        assert_eq!(out[5]["id"], "f");
        assert_eq!(out[5]["error"]["code"], 3);
        assert!(reports[0].starts_with("in.jsonl:2: not a ClassifyRequest"));
        assert!(reports[0].ends_with("(column 2)"), "{}", reports[0]);
        assert_eq!(reports[1], "in.jsonl:3: text is empty");
        assert!(reports[2].starts_with("in.jsonl:4: empty line"));
        assert!(reports[3].starts_with("in.jsonl:6: "));
    }

    #[test]
    fn not_utf8_is_a_line_error() {
        let c = classifier();
        let mut out = Vec::new();
        let mut reports = Vec::new();
        let input: &[u8] = b"{\"text\":\"caf\xe9\"}\n{\"text\":\"Paris\"}\n";
        let stats = run(
            &c,
            &mut &input[..],
            &mut out,
            None,
            &mut |m| reports.push(m),
            "-",
        )
        .unwrap();
        assert_eq!(
            stats,
            Stats {
                lines: 2,
                errors: 1
            }
        );
        assert_eq!(reports, vec!["-:1: not UTF-8 (byte 13)".to_owned()]);
        assert_eq!(String::from_utf8(out).unwrap().lines().count(), 2);
    }

    #[test]
    fn empty_input_writes_nothing() {
        let (out, stats, _) = run_on("");
        assert!(out.is_empty());
        assert_eq!(stats, Stats::default());
    }

    #[test]
    fn counts_lines_with_and_without_a_final_newline() {
        let dir = tempfile::tempdir().unwrap();
        for (content, n) in [("", 0), ("a", 1), ("a\n", 1), ("a\nb", 2), ("\n\n", 2)] {
            let p = dir.path().join("f");
            std::fs::write(&p, content).unwrap();
            assert_eq!(count_lines(&p).unwrap(), n, "{content:?}");
        }
    }
}
