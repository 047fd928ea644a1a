//! Semantic validation with positions: `sim_core::validate` finds every problem (references to missing
//! things, misplaced resources, cycles, values out of range, runbooks that name what does not exist) and
//! names what each is about; this module points each at a file, line and column.
//!
//! Positions: serde reports positions only for syntax and type errors. For semantic errors the offending
//! name is looked up in the sources (the file, then the bases it extends): the first quoted occurrence of
//! the name, which is where a misspelt reference or a resource's definition is written, else its first
//! occurrence at all. Each source is indexed once (its quoted strings and line starts), so locating is
//! linear in the sources plus the issues.

use std::collections::BTreeMap;

use sim_core::spec::Scenario;
use sim_core::validate::Issue;

use crate::source::SourceError;

/// The texts a scenario was read from: `(label, text)`, the file first, then its bases.
pub type Sources = [(String, String)];

/// How many issues may fall back to searching a source for an unquoted name (a field name such as
/// `horizon`): each such search reads the whole text.
const MAX_UNQUOTED_SEARCHES: usize = 64;

/// Checks `scenario`; returns every problem found (empty: it can run).
pub fn validate(scenario: &Scenario, sources: &Sources) -> Vec<SourceError> {
    let issues = sim_core::validate::validate(scenario);
    if issues.is_empty() {
        return Vec::new();
    }
    let index: Vec<SourceIndex<'_>> = sources
        .iter()
        .map(|(label, text)| SourceIndex::new(label, text))
        .collect();
    let file = sources
        .first()
        .map_or("scenario", |(label, _)| label.as_str());
    let mut searches = 0;
    issues
        .into_iter()
        .map(|Issue { near, message }| {
            let located = near.and_then(|needle| {
                index.iter().find_map(|source| {
                    source.quoted(&needle).or_else(|| {
                        searches += 1;
                        (searches <= MAX_UNQUOTED_SEARCHES)
                            .then(|| source.anywhere(&needle))
                            .flatten()
                    })
                })
            });
            match located {
                Some((file, line, col)) => SourceError {
                    file,
                    line: Some(line),
                    col: Some(col),
                    message,
                },
                None => SourceError::whole(file, message),
            }
        })
        .collect()
}

/// One source text, indexed: the byte offset of the first occurrence of each quoted string, and where its
/// lines start.
struct SourceIndex<'a> {
    label: &'a str,
    text: &'a str,
    quoted: BTreeMap<&'a str, usize>,
    line_starts: Vec<usize>,
}

impl<'a> SourceIndex<'a> {
    fn new(label: &'a str, text: &'a str) -> Self {
        let bytes = text.as_bytes();
        let mut quoted = BTreeMap::new();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'/' if bytes.get(i + 1) == Some(&b'/') => {
                    i = memchr(bytes, b'\n', i).unwrap_or(bytes.len());
                }
                b'/' if bytes.get(i + 1) == Some(&b'*') => {
                    i = text[i + 2..]
                        .find("*/")
                        .map_or(bytes.len(), |j| i + 2 + j + 2);
                }
                b'"' => {
                    let start = i;
                    i += 1;
                    while i < bytes.len() && bytes[i] != b'"' {
                        i += if bytes[i] == b'\\' { 2 } else { 1 };
                    }
                    if let Some(content) = text.get(start + 1..i.min(bytes.len())) {
                        quoted.entry(content).or_insert(start);
                    }
                    i += 1;
                }
                _ => i += 1,
            }
        }
        let line_starts = std::iter::once(0)
            .chain(
                bytes
                    .iter()
                    .enumerate()
                    .filter(|&(_, &b)| b == b'\n')
                    .map(|(k, _)| k + 1),
            )
            .collect();
        SourceIndex {
            label,
            text,
            quoted,
            line_starts,
        }
    }

    /// `(file, line, column)` of byte offset `at` (1-based).
    fn position(&self, at: usize) -> (String, usize, usize) {
        let line = self.line_starts.partition_point(|&s| s <= at);
        let col = at - self.line_starts[line - 1] + 1;
        (self.label.to_string(), line, col)
    }

    /// Where `"needle"` first appears.
    fn quoted(&self, needle: &str) -> Option<(String, usize, usize)> {
        self.quoted.get(needle).map(|&at| self.position(at))
    }

    /// Where `needle` first appears at all.
    fn anywhere(&self, needle: &str) -> Option<(String, usize, usize)> {
        self.text.find(needle).map(|at| self.position(at))
    }
}

/// The index of the first `byte` at or after `from`.
fn memchr(bytes: &[u8], byte: u8, from: usize) -> Option<usize> {
    bytes[from..]
        .iter()
        .position(|&b| b == byte)
        .map(|k| from + k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_names_are_found_before_bare_ones_with_1_based_positions() {
        let text =
            "(\n  // \"web\" in a comment\n  horizon: \"1d\",\n  x: \"web\",\n  y: \"web\",\n)";
        let index = SourceIndex::new("f.ron", text);
        assert_eq!(index.quoted("web"), Some(("f.ron".into(), 4, 6)));
        assert_eq!(index.quoted("1d"), Some(("f.ron".into(), 3, 12)));
        assert_eq!(index.anywhere("horizon"), Some(("f.ron".into(), 3, 3)));
        assert_eq!(index.quoted("nope"), None);
    }

    #[test]
    fn escaped_quotes_do_not_end_a_string() {
        let index = SourceIndex::new("f", r#"a: "say \"hi\"", b: "hi""#);
        assert_eq!(index.quoted("hi"), Some(("f".into(), 1, 21)));
    }
}
