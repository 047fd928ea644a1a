//! A small JSON reader that keeps the line and column of every value (RFC 8259; duplicate keys refused),
//! into the same [`Node`] tree as YAML. Recursion is bounded by [`MAX_DEPTH`].

use super::doc::{Key, MAX_DEPTH, Node, Pos, Value, error_at};
use crate::source::SourceError;

/// Parses JSON text (from `file`).
pub fn parse(file: &str, text: &str) -> Result<Node, SourceError> {
    let mut p = Reader {
        file,
        bytes: text.as_bytes(),
        text,
        at: 0,
        line: 1,
        line_start: 0,
    };
    p.space();
    let node = p.value(0)?;
    p.space();
    if p.at < p.bytes.len() {
        return Err(p.error("unexpected text after the JSON value"));
    }
    Ok(node)
}

struct Reader<'a> {
    file: &'a str,
    bytes: &'a [u8],
    text: &'a str,
    at: usize,
    line: usize,
    line_start: usize,
}

impl Reader<'_> {
    fn pos(&self) -> Pos {
        let col = self.text[self.line_start..self.at.min(self.text.len())]
            .chars()
            .count()
            + 1;
        Pos {
            line: self.line,
            col,
        }
    }

    fn error(&self, message: &str) -> SourceError {
        error_at(self.file, self.pos(), format!("not valid JSON: {message}"))
    }

    fn space(&mut self) {
        while let Some(&b) = self.bytes.get(self.at) {
            match b {
                b' ' | b'\t' | b'\r' => self.at += 1,
                b'\n' => {
                    self.at += 1;
                    self.line += 1;
                    self.line_start = self.at;
                }
                _ => break,
            }
        }
    }

    fn value(&mut self, depth: usize) -> Result<Node, SourceError> {
        let pos = self.pos();
        match self.bytes.get(self.at) {
            None => Err(self.error("unexpected end of input, expected a value")),
            Some(b'{') | Some(b'[') if depth >= MAX_DEPTH => {
                Err(self.error(&format!("nested more than {MAX_DEPTH} levels deep")))
            }
            Some(b'{') => {
                self.at += 1;
                let mut entries: Vec<(Key, Node)> = Vec::new();
                self.space();
                if self.eat(b'}') {
                    return Ok(Node::new(pos, Value::Map(entries)));
                }
                loop {
                    self.space();
                    let key_pos = self.pos();
                    if self.bytes.get(self.at) != Some(&b'"') {
                        return Err(self.error("expected a string key"));
                    }
                    let key = self.string()?;
                    if let Some((first, _)) = entries.iter().find(|(k, _)| k.text == key) {
                        return Err(error_at(
                            self.file,
                            key_pos,
                            format!(
                                "duplicate key {key:?} (first at line {}, column {})",
                                first.pos.line, first.pos.col
                            ),
                        ));
                    }
                    self.space();
                    if !self.eat(b':') {
                        return Err(self.error("expected `:` after a key"));
                    }
                    self.space();
                    let value = self.value(depth + 1)?;
                    entries.push((
                        Key {
                            text: key,
                            pos: key_pos,
                        },
                        value,
                    ));
                    self.space();
                    if self.eat(b',') {
                        continue;
                    }
                    if self.eat(b'}') {
                        return Ok(Node::new(pos, Value::Map(entries)));
                    }
                    return Err(self.error("expected `,` or `}`"));
                }
            }
            Some(b'[') => {
                self.at += 1;
                let mut items = Vec::new();
                self.space();
                if self.eat(b']') {
                    return Ok(Node::new(pos, Value::Seq(items)));
                }
                loop {
                    self.space();
                    items.push(self.value(depth + 1)?);
                    self.space();
                    if self.eat(b',') {
                        continue;
                    }
                    if self.eat(b']') {
                        return Ok(Node::new(pos, Value::Seq(items)));
                    }
                    return Err(self.error("expected `,` or `]`"));
                }
            }
            Some(b'"') => {
                let text = self.string()?;
                Ok(Node::new(pos, Value::Scalar { text, quoted: true }))
            }
            Some(_) => {
                let start = self.at;
                while let Some(&b) = self.bytes.get(self.at) {
                    if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'+' | b'.') {
                        self.at += 1;
                    } else {
                        break;
                    }
                }
                let word = &self.text[start..self.at];
                let number = !word.is_empty()
                    && word.parse::<f64>().is_ok()
                    && word.bytes().all(|b| {
                        b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E')
                    });
                match word {
                    "null" => Ok(Node::new(pos, Value::Null)),
                    "true" | "false" => Ok(Node::new(
                        pos,
                        Value::Scalar {
                            text: word.to_string(),
                            quoted: false,
                        },
                    )),
                    _ if number => Ok(Node::new(
                        pos,
                        Value::Scalar {
                            text: word.to_string(),
                            quoted: false,
                        },
                    )),
                    _ => {
                        self.at = start;
                        Err(self.error("expected a value (an object, array, string, number, true, false or null)"))
                    }
                }
            }
        }
    }

    fn eat(&mut self, b: u8) -> bool {
        if self.bytes.get(self.at) == Some(&b) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    /// A string literal starting at the opening quote.
    fn string(&mut self) -> Result<String, SourceError> {
        self.at += 1;
        let mut out = String::new();
        loop {
            let start = self.at;
            while let Some(&b) = self.bytes.get(self.at) {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.at += 1;
            }
            out.push_str(&self.text[start..self.at]);
            match self.bytes.get(self.at) {
                None => return Err(self.error("unterminated string")),
                Some(b'"') => {
                    self.at += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.at += 1;
                    let Some(&e) = self.bytes.get(self.at) else {
                        return Err(self.error("unterminated string"));
                    };
                    self.at += 1;
                    match e {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let hi = self.hex4()?;
                            let c = if (0xd800..0xdc00).contains(&hi) {
                                if !(self.eat(b'\\') && self.eat(b'u')) {
                                    return Err(self.error("a lone high surrogate in \\u escape"));
                                }
                                let lo = self.hex4()?;
                                if !(0xdc00..0xe000).contains(&lo) {
                                    return Err(self.error("a bad low surrogate in \\u escape"));
                                }
                                char::from_u32(0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00))
                            } else {
                                char::from_u32(hi)
                            };
                            out.push(c.ok_or_else(|| self.error("a bad \\u escape"))?);
                        }
                        _ => {
                            self.at -= 1;
                            return Err(self.error("an unknown escape in a string"));
                        }
                    }
                }
                Some(_) => return Err(self.error("a control character in a string")),
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, SourceError> {
        let digits = self
            .text
            .get(self.at..self.at + 4)
            .filter(|d| d.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(|| self.error("expected four hex digits after \\u"))?;
        self.at += 4;
        u32::from_str_radix(digits, 16).map_err(|_| self.error("a bad \\u escape"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_and_positions() {
        let n = parse(
            "a.json",
            "{\n  \"a\": [1, -2.5e3, true, null],\n  \"b\": \"x\\u00e9\\n\"\n}",
        )
        .unwrap();
        let a = n.get("a").unwrap();
        assert_eq!(a.pos, Pos { line: 2, col: 8 });
        assert_eq!(a.items()[1].as_f64(), Some(-2500.0));
        assert_eq!(a.items()[3].value, Value::Null);
        assert_eq!(n.get("b").unwrap().text(), Some("xé\n"));
    }

    #[test]
    fn bad_json_is_positioned() {
        for (text, line, col) in [
            ("{\"a\": 1,\n \"a\": 2}", 2, 2),
            ("{\"a\" 1}", 1, 6),
            ("[1, 2", 1, 6),
            ("{\"a\": tru}", 1, 7),
            ("\"abc", 1, 5),
            ("[1] 2", 1, 5),
        ] {
            let e = parse("x.json", text).unwrap_err();
            assert_eq!((e.line, e.col), (Some(line), Some(col)), "{text}: {e}");
        }
        let deep = "[".repeat(200);
        assert!(
            parse("d.json", &deep)
                .unwrap_err()
                .message
                .contains("nested")
        );
    }
}
