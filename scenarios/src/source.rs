//! Reading RON text into typed values, with errors that name the file, line and column and suggest the
//! closest valid name for a misspelt field or variant.

pub use sim_core::validate::suggest::{closest, edit_distance};

use std::fmt;

use serde::de::DeserializeOwned;

pub use sim_core::spec::limits::MAX_SCENARIO_BYTES;

/// RON extensions scenario files may use without declaring them: `implicit_some` (write `store: "db"`, not
/// `store: Some("db")`) and `unwrap_variant_newtypes` (write `Rds(deployment: …)`, not `Rds((deployment: …))`).
pub const EXTENSIONS: ron::extensions::Extensions = ron::extensions::Extensions::IMPLICIT_SOME
    .union(ron::extensions::Extensions::UNWRAP_VARIANT_NEWTYPES);

/// An error at a place in a source file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceError {
    /// The file (a path, or `builtin:NAME`).
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub col: Option<usize>,
    /// What is wrong and what would be valid.
    pub message: String,
}

impl fmt::Display for SourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.col) {
            (Some(line), Some(col)) => write!(f, "{}:{line}:{col}: {}", self.file, self.message),
            (Some(line), None) => write!(f, "{}:{line}: {}", self.file, self.message),
            _ => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for SourceError {}

impl SourceError {
    /// An error about the whole file.
    pub fn whole(file: &str, message: impl Into<String>) -> Self {
        SourceError {
            file: file.to_string(),
            line: None,
            col: None,
            message: message.into(),
        }
    }
}

/// Parses `text` (the contents of `file`) as RON into a `T`.
pub fn parse_ron<T: DeserializeOwned>(file: &str, text: &str) -> Result<T, SourceError> {
    parse_with(file, text, describe)
}

/// [`parse_ron`] for a text that does not look like what was expected (see `scan::looks_like_struct`):
/// an error says where and what kind of problem, never quotes the text. It may be any file at all —
/// `extends: "/etc/shadow"` — and its tokens are not drsim's to print. `expected` says what would be valid.
pub fn parse_ron_unquoted<T: DeserializeOwned>(
    file: &str,
    text: &str,
    expected: &str,
) -> Result<T, SourceError> {
    parse_with(file, text, |code| {
        format!(
            "does not look like {expected}: {} here (its content is not shown)",
            kind_of_problem(code)
        )
    })
}

fn parse_with<T: DeserializeOwned>(
    file: &str,
    text: &str,
    describe: impl Fn(&ron::error::Error) -> String,
) -> Result<T, SourceError> {
    if text.len() > MAX_SCENARIO_BYTES {
        return Err(SourceError::whole(
            file,
            format!(
                "file is {} bytes; scenario files are limited to {MAX_SCENARIO_BYTES} bytes",
                text.len()
            ),
        ));
    }
    if text.trim().is_empty() {
        return Err(SourceError::whole(
            file,
            "file is empty: a scenario is a RON struct, `( name: \"…\", … )`",
        ));
    }
    ron::Options::default()
        .with_default_extension(EXTENSIONS)
        .from_str(text)
        .map_err(|e| {
            let (line, col) = (e.span.start.line, e.span.start.col);
            SourceError {
                file: file.to_string(),
                line: Some(line),
                col: Some(col),
                message: describe(&e.code),
            }
        })
}

/// What kind of problem a RON error is, in words that quote nothing from the text.
fn kind_of_problem(code: &ron::error::Error) -> &'static str {
    use ron::error::Error as E;
    match code {
        E::Eof | E::UnclosedBlockComment | E::ExpectedStringEnd => "the text ends early",
        E::ExpectedStructLike
        | E::ExpectedNamedStructLike(_)
        | E::ExpectedStructName(_)
        | E::ExpectedDifferentStructName { .. } => "expected a struct `( … )`",
        E::NoSuchStructField { .. } | E::DuplicateStructField { .. } => {
            "a field that is not a scenario field"
        }
        E::MissingStructField { .. } => "a required field is missing",
        E::ExceededRecursionLimit => "nesting is too deep",
        E::Message(_) | E::InvalidValueForType { .. } | E::NoSuchEnumVariant { .. } => {
            "a value of the wrong type"
        }
        E::Utf8Error(_) => "text that is not UTF-8",
        _ => "text that is not valid RON",
    }
}

/// A lowercase, actionable message for a RON error, with a suggestion for misspelt names.
pub fn describe(code: &ron::error::Error) -> String {
    use ron::error::Error as E;
    match code {
        E::NoSuchEnumVariant {
            expected,
            found,
            outer,
        } => {
            let what = outer
                .as_deref()
                .map_or_else(|| "variant".to_string(), |o| format!("{o} variant"));
            unknown(&what, found, expected)
        }
        E::NoSuchStructField {
            expected,
            found,
            outer,
        } => {
            let what = outer
                .as_deref()
                .map_or_else(|| "field".to_string(), |o| format!("field of {o}"));
            unknown(&what, found, expected)
        }
        E::MissingStructField { field, outer } => match outer {
            Some(o) => format!("missing field `{field}` in {o}"),
            None => format!("missing field `{field}`"),
        },
        E::DuplicateStructField { field, .. } => format!("field `{field}` is given twice"),
        E::Message(m) => lowercase_first(m),
        E::ExceededRecursionLimit => "nesting is too deep (the limit is 128 levels)".to_string(),
        other => lowercase_first(&other.to_string()),
    }
}

fn unknown(what: &str, found: &str, expected: &[&str]) -> String {
    let mut message = format!("unknown {what} {found:?}");
    if let Some(best) = closest(found, expected) {
        message.push_str(&format!(", did you mean {best:?}?"));
    }
    if expected.is_empty() {
        message.push_str(" (none are allowed here)");
    } else {
        message.push_str(&format!(" (valid: {})", expected.join(", ")));
    }
    message
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Doc {
        name: String,
        kind: Kind,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    enum Kind {
        AuroraGlobal,
        Rds,
    }

    fn err(text: &str) -> String {
        parse_ron::<Doc>("s.ron", text).unwrap_err().to_string()
    }

    #[test]
    fn misspelt_variant_gets_a_suggestion_and_a_position() {
        let e = err("(\n  name: \"x\",\n  kind: AuroraGlobl,\n)");
        assert!(e.starts_with("s.ron:3:"), "{e}");
        assert!(e.contains("did you mean \"AuroraGlobal\"?"), "{e}");
    }

    #[test]
    fn unknown_field_lists_the_valid_ones() {
        let e = err("(name: \"x\", kind: Rds, knd: Rds)");
        assert!(
            e.contains("unknown field") && e.contains("valid: name, kind"),
            "{e}"
        );
    }

    #[test]
    fn empty_garbage_and_huge_files_are_refused_cleanly() {
        assert!(err("").contains("file is empty"));
        assert!(err("\u{0}\u{1}\u{2}garbage").starts_with("s.ron:1:"));
        assert!(err(&"(".repeat(10_000)).contains("s.ron"));
        let huge = " ".repeat(MAX_SCENARIO_BYTES + 1);
        assert!(err(&huge).contains("limited to"));
    }

    #[test]
    fn closest_is_conservative() {
        assert_eq!(
            closest("aurora-globl", &["aurora-global", "rds"]),
            Some("aurora-global")
        );
        assert_eq!(closest("dynamo", &["aurora-global", "rds"]), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
