//! A linear scan of RON text for what serde does not report, with line and column: the keys of every map
//! `{ … }` (a key given twice is silently resolved to the last by the parser), where the top-level fields
//! are written, and the `name` of each struct in a top-level list (to place two disasters of one name).
//! And [`looks_like_struct`]: whether a text starts like a scenario at all, which decides whether an
//! error may quote it.
//!
//! It knows RON's lexical rules — strings with escapes, raw strings `r#"…"#`, byte strings, char literals,
//! line comments and nested block comments — and nothing of its grammar beyond brackets, `,` and `:`. One
//! pass over the bytes with an explicit stack (no recursion) at most [`MAX_DEPTH`] deep: time is linear in
//! the text and memory too whatever its nesting, and every slice it takes is at an ASCII delimiter, so no
//! input can panic it.
//! Columns count characters, as the RON parser's do.

use std::collections::HashMap;

/// Deepest nesting looked into: twice what the RON parser accepts (128), so a text that parsed is scanned
/// whole, and hostile nesting costs no more than this many frames.
pub const MAX_DEPTH: usize = 256;

/// A place in the text: 1-based line and column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pos {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub col: usize,
}

/// A key written twice in one map.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DuplicateKey {
    /// The key: a string key's value (escapes decoded), otherwise the key as written.
    pub key: String,
    /// The field whose value the map is (`resources`, `states`, `prices`), when it is one.
    pub field: Option<String>,
    /// Where the key is first written.
    pub first: Pos,
    /// Where it is written again.
    pub again: Pos,
}

/// What [`scan`] finds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scan {
    /// Every key written a second (third, …) time in its map, in text order.
    pub duplicate_keys: Vec<DuplicateKey>,
    /// The fields of the top-level struct, in order, at their names.
    pub fields: Vec<(String, Pos)>,
    /// `(list, name, at)`: for each struct item of a list that is a top-level field's value, the string
    /// value of its `name` field, at the string (`("disasters", "az-outage", 21:16)`).
    pub item_names: Vec<(String, String, Pos)>,
}

/// Scans `text` (best read after it parsed as RON; anything else is scanned without panicking, but what
/// is found then means little).
pub fn scan(text: &str) -> Scan {
    let mut lexer = Lexer::new(text);
    let mut stack: Vec<Frame> = Vec::new();
    // Brackets open below MAX_DEPTH: counted, not looked into.
    let mut untracked = 0usize;
    let mut out = Scan::default();
    while let Some(token) = lexer.next_token() {
        if untracked > 0 {
            match token.kind {
                Kind::Open(_) => untracked += 1,
                Kind::Close => untracked -= 1,
                _ => {}
            }
            continue;
        }
        match token.kind {
            Kind::Open(_) if stack.len() >= MAX_DEPTH => untracked = 1,
            Kind::Open(bracket) => {
                let owner = match stack.last_mut() {
                    Some(frame) => {
                        frame.note(token);
                        frame.field.clone().filter(|_| frame.bracket == b'(')
                    }
                    None => None,
                };
                stack.push(Frame::new(bracket, owner));
            }
            Kind::Close => {
                stack.pop();
            }
            Kind::Comma => {
                if let Some(frame) = stack.last_mut() {
                    frame.next_element();
                }
            }
            Kind::Colon => {
                let depth = stack.len();
                let Some(frame) = stack.last_mut() else {
                    continue;
                };
                if frame.colon {
                    continue;
                }
                frame.colon = true;
                let Some(first) = frame.first else { continue };
                match frame.bracket {
                    b'(' if frame.key_tokens == 1 && first.kind == Kind::Ident => {
                        let name = text[first.start..first.end].to_string();
                        if depth == 1 {
                            out.fields.push((name.clone(), first.pos));
                        }
                        frame.field = Some(name);
                    }
                    b'{' => {
                        let key = if frame.key_tokens == 1 && first.kind == Kind::Str {
                            decode(&text[first.start..first.end])
                        } else {
                            text[first.start..token.start].trim().to_string()
                        };
                        let keys = frame.keys.get_or_insert_with(HashMap::new);
                        match keys.get(&key) {
                            Some(&at) => out.duplicate_keys.push(DuplicateKey {
                                key,
                                field: frame.owner.clone(),
                                first: at,
                                again: first.pos,
                            }),
                            None => {
                                keys.insert(key, first.pos);
                            }
                        }
                    }
                    _ => {}
                }
            }
            Kind::Str => {
                // `name: "…"` directly in a struct that is an item of a top-level field's list.
                if let [top, list, item] = &stack[..]
                    && top.bracket == b'('
                    && list.bracket == b'['
                    && item.bracket == b'('
                    && item.colon
                    && item.value_tokens == 0
                    && item.field.as_deref() == Some("name")
                    && let Some(field) = &top.field
                {
                    let name = decode(&text[token.start..token.end]);
                    out.item_names.push((field.clone(), name, token.pos));
                }
                if let Some(frame) = stack.last_mut() {
                    frame.note(token);
                }
            }
            Kind::Ident | Kind::Other => {
                if let Some(frame) = stack.last_mut() {
                    frame.note(token);
                }
            }
        }
    }
    out
}

/// Whether `text` starts like a RON struct whose first field is one of `fields`: after whitespace,
/// comments and `#![…]` attributes, an optional struct name, then `(` and either `)` or `FIELD:`.
pub fn looks_like_struct(text: &str, fields: &[&str]) -> bool {
    let mut lexer = Lexer::new(text);
    let mut token = lexer.next_token();
    // Attributes: `#` `!` `[ … ]`, bracket-balanced.
    while let Some(t) = token
        && t.kind == Kind::Other
        && text[t.start..].starts_with('#')
    {
        let mut depth = 0usize;
        loop {
            match lexer.next_token() {
                Some(Token {
                    kind: Kind::Open(_),
                    ..
                }) => depth += 1,
                Some(Token {
                    kind: Kind::Close, ..
                }) => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        break;
                    }
                }
                Some(_) => {}
                None => return false,
            }
        }
        token = lexer.next_token();
    }
    if let Some(t) = token
        && t.kind == Kind::Ident
    {
        token = lexer.next_token();
    }
    if !matches!(token, Some(t) if t.kind == Kind::Open(b'(')) {
        return false;
    }
    match lexer.next_token() {
        Some(t) if t.kind == Kind::Close => true,
        Some(t) if t.kind == Kind::Ident && fields.contains(&&text[t.start..t.end]) => {
            matches!(lexer.next_token(), Some(t) if t.kind == Kind::Colon)
        }
        _ => false,
    }
}

/// A string literal's value: escapes decoded by the RON parser itself (`"\u{61}"` is `a`, `r#"a"#` is
/// `a`); a plain string without escapes is just its inside.
fn decode(literal: &str) -> String {
    if let Some(inner) = literal
        .strip_prefix('"')
        .and_then(|l| l.strip_suffix('"'))
        .filter(|inner| !inner.contains('\\'))
    {
        return inner.to_string();
    }
    ron::from_str::<String>(literal).unwrap_or_else(|_| literal.to_string())
}

/// One open bracket and the element being read inside it.
struct Frame {
    /// `(`, `[` or `{`.
    bracket: u8,
    /// Tokens of the current element before its `:` and after it.
    key_tokens: usize,
    value_tokens: usize,
    /// The current element's first token.
    first: Option<Token>,
    /// Whether the current element's `:` has been read.
    colon: bool,
    /// In a struct: the field the current element gives (`name` in `name: "x"`).
    field: Option<String>,
    /// In a map: the keys so far and where each is first written (only looked up, never iterated).
    keys: Option<HashMap<String, Pos>>,
    /// In a map: the field of the enclosing struct whose value it is.
    owner: Option<String>,
}

impl Frame {
    fn new(bracket: u8, owner: Option<String>) -> Frame {
        Frame {
            bracket,
            key_tokens: 0,
            value_tokens: 0,
            first: None,
            colon: false,
            field: None,
            keys: None,
            owner,
        }
    }

    fn note(&mut self, token: Token) {
        if self.colon {
            self.value_tokens += 1;
        } else {
            self.key_tokens += 1;
            self.first.get_or_insert(token);
        }
    }

    fn next_element(&mut self) {
        self.key_tokens = 0;
        self.value_tokens = 0;
        self.first = None;
        self.colon = false;
        self.field = None;
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// `(`, `[` or `{`.
    Open(u8),
    /// `)`, `]` or `}`.
    Close,
    Comma,
    Colon,
    /// A string, raw string or byte string.
    Str,
    /// An identifier (or a raw identifier `r#…`).
    Ident,
    /// Anything else: a number, a char literal, `#`, `!`.
    Other,
}

#[derive(Clone, Copy, Debug)]
struct Token {
    kind: Kind,
    /// Byte range in the text.
    start: usize,
    end: usize,
    pos: Pos,
}

/// Splits RON text into [`Token`]s, skipping whitespace and comments; tracks line and column.
struct Lexer<'a> {
    bytes: &'a [u8],
    at: usize,
    line: usize,
    col: usize,
}

impl<'a> Lexer<'a> {
    fn new(text: &'a str) -> Lexer<'a> {
        Lexer {
            bytes: text.as_bytes(),
            at: 0,
            line: 1,
            col: 1,
        }
    }

    fn byte(&self, i: usize) -> Option<u8> {
        self.bytes.get(i).copied()
    }

    /// Moves to `to` (clamped to the end, never backwards), counting lines and characters.
    fn advance(&mut self, to: usize) {
        let to = to.min(self.bytes.len()).max(self.at);
        for &b in &self.bytes[self.at..to] {
            if b == b'\n' {
                self.line += 1;
                self.col = 1;
            } else if b & 0xC0 != 0x80 {
                self.col += 1;
            }
        }
        self.at = to;
    }

    fn skip_trivia(&mut self) {
        loop {
            let start = self.at;
            let mut i = start;
            while self.byte(i).is_some_and(|b| b.is_ascii_whitespace()) {
                i += 1;
            }
            match (self.byte(i), self.byte(i + 1)) {
                (Some(b'/'), Some(b'/')) => {
                    while self.byte(i).is_some_and(|b| b != b'\n') {
                        i += 1;
                    }
                }
                (Some(b'/'), Some(b'*')) => i = self.block_comment_end(i),
                _ => {}
            }
            self.advance(i);
            if self.at == start {
                return;
            }
        }
    }

    /// The end of the (nested) block comment starting at `i`.
    fn block_comment_end(&self, mut i: usize) -> usize {
        let mut depth = 0usize;
        while i < self.bytes.len() {
            match (self.bytes[i], self.byte(i + 1)) {
                (b'/', Some(b'*')) => {
                    depth += 1;
                    i += 2;
                }
                (b'*', Some(b'/')) => {
                    depth = depth.saturating_sub(1);
                    i += 2;
                    if depth == 0 {
                        return i;
                    }
                }
                _ => i += 1,
            }
        }
        i
    }

    /// The end of the `"…"` string starting at `i` (escapes skipped).
    fn quoted_end(&self, mut i: usize) -> usize {
        i += 1;
        while let Some(b) = self.byte(i) {
            match b {
                b'\\' => i += 2,
                b'"' => return i + 1,
                _ => i += 1,
            }
        }
        self.bytes.len()
    }

    /// The end of the char literal starting at `i`.
    fn char_end(&self, mut i: usize) -> usize {
        i += 1;
        if self.byte(i) == Some(b'\\') {
            i += 2;
        } else {
            i += 1;
        }
        while self.byte(i).is_some_and(|b| b != b'\'') {
            i += 1;
        }
        i + 1
    }

    /// A raw string (`r"…"`, `r#"…"#`, `br#"…"#`), byte string (`b"…"`) or byte char (`b'…'`) at `i`.
    fn prefixed(&self, i: usize) -> Option<(Kind, usize)> {
        let mut k = i;
        if self.byte(k) == Some(b'b') {
            k += 1;
        }
        if self.byte(k) == Some(b'r') {
            k += 1;
            let hashes = self.bytes[k..].iter().take_while(|&&b| b == b'#').count();
            k += hashes;
            if self.byte(k) != Some(b'"') {
                return None;
            }
            // Find `"` followed by `hashes` `#`s; the `#`s counted after a false `"` are skipped, so each
            // byte is looked at once.
            k += 1;
            while k < self.bytes.len() {
                if self.bytes[k] == b'"' {
                    let run = self.bytes[k + 1..]
                        .iter()
                        .take(hashes)
                        .take_while(|&&b| b == b'#')
                        .count();
                    if run == hashes {
                        return Some((Kind::Str, k + 1 + hashes));
                    }
                    k += 1 + run;
                } else {
                    k += 1;
                }
            }
            return Some((Kind::Str, self.bytes.len()));
        }
        match (self.byte(i), self.byte(k)) {
            (Some(b'b'), Some(b'"')) => Some((Kind::Str, self.quoted_end(k))),
            (Some(b'b'), Some(b'\'')) => Some((Kind::Other, self.char_end(k))),
            _ => None,
        }
    }

    fn next_token(&mut self) -> Option<Token> {
        self.skip_trivia();
        let start = self.at;
        let c = self.byte(start)?;
        let pos = Pos {
            line: self.line,
            col: self.col,
        };
        let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
        let (kind, end) = match c {
            b'(' | b'[' | b'{' => (Kind::Open(c), start + 1),
            b')' | b']' | b'}' => (Kind::Close, start + 1),
            b',' => (Kind::Comma, start + 1),
            b':' => (Kind::Colon, start + 1),
            b'"' => (Kind::Str, self.quoted_end(start)),
            b'\'' => (Kind::Other, self.char_end(start)),
            c if c.is_ascii_alphabetic() || c == b'_' => match self.prefixed(start) {
                Some(string) => string,
                None if c == b'r' && self.byte(start + 1) == Some(b'#') => {
                    let raw = |b: u8| ident(b) || matches!(b, b'.' | b'+' | b'-');
                    let len = self.bytes[start + 2..]
                        .iter()
                        .take_while(|&&b| raw(b))
                        .count();
                    (Kind::Ident, start + 2 + len)
                }
                None => {
                    let len = self.bytes[start..]
                        .iter()
                        .take_while(|&&b| ident(b))
                        .count();
                    (Kind::Ident, start + len)
                }
            },
            _ => {
                let len = self.bytes[start + 1..]
                    .iter()
                    .take_while(|&&b| !b.is_ascii_whitespace() && !b"()[]{},:\"'/".contains(&b))
                    .count();
                (Kind::Other, start + 1 + len)
            }
        };
        let end = end.min(self.bytes.len());
        self.advance(end);
        Some(Token {
            kind,
            start,
            end,
            pos,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Checks the duplicate keys of `text`, each written `KEY in FIELD at L:C, again L:C`.
    fn check(text: &str, expect: &[&str]) {
        let found: Vec<String> = scan(text)
            .duplicate_keys
            .iter()
            .map(|d| {
                format!(
                    "{} in {} at {}:{}, again {}:{}",
                    d.key,
                    d.field.as_deref().unwrap_or("-"),
                    d.first.line,
                    d.first.col,
                    d.again.line,
                    d.again.col
                )
            })
            .collect();
        assert_eq!(found, expect, "{text}");
    }

    #[test]
    fn keys_given_twice_in_one_map() {
        check(
            r#"(m: {"a": 1, "b": 2, "a": 3})"#,
            &["a in m at 1:6, again 1:22"],
        );
        check(
            "{\n  \"a\": 1,\n  \"a\": 2,\n  \"a\": 3,\n}",
            &["a in - at 2:3, again 3:3", "a in - at 2:3, again 4:3"],
        );
        // Spelt differently, same value.
        check(
            r##"{"a": 1, r#"a"#: 2, "\u{61}": 3}"##,
            &["a in - at 1:2, again 1:10", "a in - at 1:2, again 1:21"],
        );
        // Non-string keys, compound values, nested maps: each map on its own.
        check(
            "{1: (a: {\"x\": 1}), 2: [{\"x\": 2}], 1: 3}",
            &["1 in - at 1:2, again 1:35"],
        );
        // Columns count characters.
        check("{\"é\": 1, \"é\": 2}", &["é in - at 1:2, again 1:10"]);
    }

    #[test]
    fn strings_comments_and_chars_hold_no_keys() {
        check(
            r##"{"a": "{\"a\": 1}", "b": '"', "c": '\'', /* "a": /* "a": */ */ // "a":
               "d": r#"}"a":"#, "e": b"\"a\":"}"##,
            &[],
        );
    }

    #[test]
    fn top_level_fields_and_list_item_names() {
        let text = "#![enable(implicit_some)]\n(\n  name: \"s\",\n  disasters: [(name: \"d\", kind: X(name: \"no\")), (name: \"d\")],\n  flows: [(kind: Read, name: \"f\")],\n)";
        let s = scan(text);
        let fields: Vec<&str> = s.fields.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["name", "disasters", "flows"]);
        assert_eq!(s.fields[1].1, Pos { line: 4, col: 3 });
        let names: Vec<(&str, &str, usize)> = s
            .item_names
            .iter()
            .map(|(l, n, p)| (l.as_str(), n.as_str(), p.col))
            .collect();
        assert_eq!(
            names,
            [
                ("disasters", "d", 22),
                ("disasters", "d", 56),
                ("flows", "f", 30)
            ]
        );
    }

    #[test]
    fn what_looks_like_a_struct() {
        let fields = ["name", "horizon"];
        for yes in [
            "(name: 1)",
            "  // c\n/* c */ (\n horizon : 1)",
            "#![enable(implicit_some)] #![enable(unwrap_newtypes)] (name: 1)",
            "Scenario(name: 1)",
            "()",
        ] {
            assert!(looks_like_struct(yes, &fields), "{yes}");
        }
        for no in [
            "",
            "root:x:0:0",
            "(password: 1)",
            "(name 1)",
            "[name: 1]",
            "{\"name\": 1}",
            "#![enable(",
            "\"(name: 1)\"",
        ] {
            assert!(!looks_like_struct(no, &fields), "{no}");
        }
    }

    #[test]
    fn hostile_text_is_scanned_in_one_pass() {
        // Unterminated everything, deep nesting, a raw string with many false endings: no panic, no hang.
        for text in [
            "\"",
            "r#\"",
            "/*",
            "'",
            "b'",
            "r#",
            "{\"a\"",
            "{\"a\":",
            "}}}:::,,,",
            "{:1}",
        ] {
            let _ = scan(text);
            let _ = looks_like_struct(text, &["a"]);
        }
        let _ = scan(&"{[(".repeat(300_000));
        let raw = format!("r{}\"{}", "#".repeat(1000), "\"#".repeat(100_000));
        let _ = scan(&raw);
    }
}
