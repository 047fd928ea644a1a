//! The position-aware reader every importer starts from: YAML (with tags, through `saphyr-parser`'s event
//! stream) or JSON (`json.rs`) into one tree of [`Node`]s, each knowing its line and column.
//!
//! Bounds (hostile input is refused with a position, never a panic or a hang): nesting at most
//! [`MAX_DEPTH`] levels, at most [`MAX_NODES`] nodes after YAML aliases are expanded (a "billion laughs"
//! stops there), one YAML document, no duplicate keys (both positions are named). The caller bounds the
//! size of the text (`import::read_input`).

use std::collections::BTreeMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Span, Tag};

use crate::source::SourceError;

/// The deepest nesting of mappings and sequences read.
pub const MAX_DEPTH: usize = 128;

/// The most nodes one document may hold, aliases expanded.
pub const MAX_NODES: usize = 2_000_000;

/// A place in a source file: 1-based line and column (columns count characters).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos {
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub col: usize,
}

/// One value of a document with its position and YAML tag (`!Ref`, `!!str`), if any.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// Where it starts.
    pub pos: Pos,
    /// Its tag as written (`!Ref`; core tags as `!!str`).
    pub tag: Option<String>,
    /// The value.
    pub value: Value,
}

/// A value: YAML's and JSON's shapes in one type. Scalars keep their text: CloudFormation compares values as
/// strings, and `yes` is a string to it.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `null`, `~`, an empty YAML value.
    Null,
    /// A string, number or boolean as written; `quoted` for JSON strings and quoted YAML scalars.
    Scalar {
        /// The text.
        text: String,
        /// Whether it was a string literal (not a bare number or boolean).
        quoted: bool,
    },
    /// A list.
    Seq(Vec<Node>),
    /// A mapping, keys in document order.
    Map(Vec<(Key, Node)>),
}

/// A mapping key and where it is.
#[derive(Clone, Debug, PartialEq)]
pub struct Key {
    /// The key's text.
    pub text: String,
    /// Where it is.
    pub pos: Pos,
}

impl Node {
    /// A node without a tag.
    pub fn new(pos: Pos, value: Value) -> Node {
        Node {
            pos,
            tag: None,
            value,
        }
    }

    /// The scalar text (strings, numbers and booleans alike), if a scalar.
    pub fn text(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }

    /// The entry `key` of a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entries()
            .iter()
            .find(|(k, _)| k.text == key)
            .map(|(_, v)| v)
    }

    /// A mapping's entries (empty for anything else).
    pub fn entries(&self) -> &[(Key, Node)] {
        match &self.value {
            Value::Map(m) => m,
            _ => &[],
        }
    }

    /// A list's items (empty for anything else).
    pub fn items(&self) -> &[Node] {
        match &self.value {
            Value::Seq(s) => s,
            _ => &[],
        }
    }

    /// Whether it is a mapping.
    pub fn is_map(&self) -> bool {
        matches!(self.value, Value::Map(_))
    }

    /// A boolean, as CloudFormation and JSON read one (`true`/`false` in any case).
    pub fn as_bool(&self) -> Option<bool> {
        match self.text()?.to_ascii_lowercase().as_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        }
    }

    /// A number.
    pub fn as_f64(&self) -> Option<f64> {
        self.text()?
            .trim()
            .parse()
            .ok()
            .filter(|x: &f64| x.is_finite())
    }

    /// A non-negative integer.
    pub fn as_u64(&self) -> Option<u64> {
        self.text()?.trim().parse().ok()
    }

    /// Counts the nodes of this tree (itself included).
    pub fn count(&self) -> usize {
        1 + match &self.value {
            Value::Seq(s) => s.iter().map(Node::count).sum(),
            Value::Map(m) => m.iter().map(|(_, v)| v.count()).sum(),
            _ => 0,
        }
    }
}

/// Which syntax a document was read as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// JSON (the text starts with `{` or `[`).
    Json,
    /// YAML.
    Yaml,
}

/// Reads `text` (from `file`) as JSON when it starts with `{` or `[`, otherwise as YAML.
pub fn parse(file: &str, text: &str) -> Result<(Node, Format), SourceError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.trim_start().chars().next();
    if matches!(first, Some('{' | '[')) {
        crate::import::json::parse(file, text).map(|n| (n, Format::Json))
    } else {
        parse_yaml(file, text).map(|n| (n, Format::Yaml))
    }
}

/// An error at `pos` of `file`.
pub fn error_at(file: &str, pos: Pos, message: impl Into<String>) -> SourceError {
    SourceError {
        file: file.to_string(),
        line: Some(pos.line),
        col: Some(pos.col),
        message: message.into(),
    }
}

fn too_many(file: &str, pos: Pos) -> SourceError {
    error_at(
        file,
        pos,
        format!("more than {MAX_NODES} values (aliases expanded); refused"),
    )
}

fn pos_of(span: &Span) -> Pos {
    Pos {
        line: span.start.line(),
        col: span.start.col() + 1,
    }
}

fn tag_name(tag: &Tag) -> String {
    if tag.is_yaml_core_schema() {
        format!("!!{}", tag.suffix)
    } else {
        format!("{}{}", tag.handle, tag.suffix)
    }
}

/// A collection being built.
enum Open {
    Seq(Node, usize),
    Map(Node, usize, Option<Key>),
}

/// Reads YAML into a tree, bounded (module doc).
pub fn parse_yaml(file: &str, text: &str) -> Result<Node, SourceError> {
    let mut stack: Vec<Open> = Vec::new();
    let mut anchors: BTreeMap<usize, (Node, usize)> = BTreeMap::new();
    let mut root: Option<Node> = None;
    let mut nodes = 0usize;
    let mut documents = 0usize;
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|e| {
            error_at(
                file,
                Pos {
                    line: e.marker().line(),
                    col: e.marker().col() + 1,
                },
                format!("not valid YAML: {}", e.info()),
            )
        })?;
        let pos = pos_of(&span);
        let seq = matches!(event, Event::SequenceStart(..));
        // (the node completed, its anchor, how many nodes it adds: children were counted already)
        let done: Option<(Node, usize, usize)> = match event {
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Err(error_at(
                        file,
                        pos,
                        "a second YAML document; a template is one document",
                    ));
                }
                None
            }
            Event::Scalar(text, style, anchor, tag) => {
                let tag = tag.map(|t| tag_name(&t));
                let quoted =
                    !matches!(style, ScalarStyle::Plain) || tag.as_deref() == Some("!!str");
                let value = if !quoted && matches!(&*text, "" | "~" | "null" | "Null" | "NULL") {
                    Value::Null
                } else {
                    Value::Scalar {
                        text: text.into_owned(),
                        quoted,
                    }
                };
                Some((Node { pos, tag, value }, anchor, 1))
            }
            Event::Alias(id) => {
                let (node, size) = anchors.get(&id).ok_or_else(|| {
                    error_at(
                        file,
                        pos,
                        "an alias (`*name`) to an anchor not defined before it",
                    )
                })?;
                if nodes + size > MAX_NODES {
                    return Err(too_many(file, pos));
                }
                Some((node.clone(), 0, *size))
            }
            Event::SequenceStart(anchor, tag) | Event::MappingStart(anchor, tag) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(error_at(
                        file,
                        pos,
                        format!("nested more than {MAX_DEPTH} levels deep"),
                    ));
                }
                let node = Node {
                    pos,
                    tag: tag.map(|t| tag_name(&t)),
                    value: if seq {
                        Value::Seq(Vec::new())
                    } else {
                        Value::Map(Vec::new())
                    },
                };
                stack.push(if seq {
                    Open::Seq(node, anchor)
                } else {
                    Open::Map(node, anchor, None)
                });
                None
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some(Open::Seq(node, anchor)) | Some(Open::Map(node, anchor, _)) => {
                    Some((node, anchor, 1))
                }
                None => None,
            },
            _ => None,
        };
        let Some((node, anchor, added)) = done else {
            continue;
        };
        nodes += added;
        if nodes > MAX_NODES {
            return Err(too_many(file, pos));
        }
        if anchor != 0 {
            anchors.insert(anchor, (node.clone(), node.count()));
        }
        match stack.last_mut() {
            None => root = Some(node),
            Some(Open::Seq(seq, _)) => {
                if let Value::Seq(items) = &mut seq.value {
                    items.push(node);
                }
            }
            Some(Open::Map(map, _, key)) => match key.take() {
                None => {
                    let text = match (&node.value, node.tag.as_deref()) {
                        (Value::Scalar { text, .. }, None | Some("!!str")) => text.clone(),
                        (Value::Null, None) => String::new(),
                        _ => {
                            return Err(error_at(
                                file,
                                node.pos,
                                "a mapping key that is not a plain string",
                            ));
                        }
                    };
                    if let Some((first, _)) = map.entries().iter().find(|(k, _)| k.text == text) {
                        return Err(error_at(
                            file,
                            node.pos,
                            format!(
                                "duplicate key {text:?} (first at line {}, column {})",
                                first.pos.line, first.pos.col
                            ),
                        ));
                    }
                    *key = Some(Key {
                        text,
                        pos: node.pos,
                    });
                }
                Some(k) => {
                    if let Value::Map(entries) = &mut map.value {
                        entries.push((k, node));
                    }
                }
            },
        }
    }
    root.ok_or_else(|| SourceError::whole(file, "empty document"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_positions_and_scalars() {
        let (node, format) = parse(
            "t.yaml",
            "a: !Ref X\nb:\n  - !GetAtt [Db, Endpoint]\n  - 'yes'\nc: ~\n",
        )
        .unwrap();
        assert_eq!(format, Format::Yaml);
        let a = node.get("a").unwrap();
        assert_eq!(a.tag.as_deref(), Some("!Ref"));
        assert_eq!(a.pos, Pos { line: 1, col: 4 });
        let b = node.get("b").unwrap().items();
        assert_eq!(b[0].tag.as_deref(), Some("!GetAtt"));
        assert_eq!(b[1].pos.line, 4);
        assert_eq!(node.get("c").unwrap().value, Value::Null);
    }

    #[test]
    fn hostile_yaml_is_refused_with_a_position() {
        let deep = "[".repeat(300);
        let e = parse("d.yaml", &format!("a: {deep}")).unwrap_err();
        assert_eq!(e.line, Some(1), "{e}");
        let e = parse("k.yaml", "a: 1\nb: 2\na: 3\n").unwrap_err();
        assert!(
            e.to_string().contains("k.yaml:3:1: duplicate key \"a\""),
            "{e}"
        );
        let mut laughs = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 0..12 {
            laughs.push_str(&format!(
                "b{i}: &b{i} [{0}, {0}, {0}, {0}, {0}, {0}, {0}, {0}, {0}, {0}]\n",
                if i == 0 {
                    "*a".to_string()
                } else {
                    format!("*b{}", i - 1)
                }
            ));
        }
        let e = parse("l.yaml", &laughs).unwrap_err();
        assert!(e.to_string().contains("values (aliases expanded)"), "{e}");
        let e = parse("m.yaml", "a: [1, 2\n").unwrap_err();
        assert!(e.line.is_some(), "{e}");
        assert!(parse("two.yaml", "a: 1\n---\nb: 2\n").is_err());
    }
}
