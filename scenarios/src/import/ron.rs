//! The RON writer: a small value tree with comments attached to fields and items, printed as readable
//! scenario text (short values on one line, anything commented or long over several, four-space indents).
//!
//! The importers write RON text, not `sim_core::spec` values: the text is what users read and edit, every
//! comment sits where its assumption applies, and the importers depend only on the format `drsim validate`
//! accepts (fields added to the format later change nothing here).

/// A RON value.
#[derive(Clone, Debug, PartialEq)]
pub enum Ron {
    /// A string literal.
    Str(String),
    /// A number, already formatted (`4`, `0.5`).
    Num(String),
    /// `true` / `false`.
    Bool(bool),
    /// A bare identifier: a unit variant (`Write`, `Onset`, `Succeed`).
    Ident(String),
    /// `Name(a, b)`: a tuple variant (`Fixed("1m")`, `HealthCheck("hc")`).
    Call(String, Vec<Ron>),
    /// `Name(field: value, …)` or `(field: value, …)`.
    Struct(Option<String>, Vec<Field>),
    /// `[…]`.
    List(Vec<Item>),
    /// `{"key": value, …}`.
    Map(Vec<(String, Item)>),
}

/// A struct field with the comment lines printed before it.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    /// The field's name.
    pub name: String,
    /// Its value.
    pub value: Ron,
    /// Comment lines (without `//`).
    pub comment: Vec<String>,
}

/// A list item or map value with the comment lines printed before it.
#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    /// The value.
    pub value: Ron,
    /// Comment lines (without `//`).
    pub comment: Vec<String>,
}

impl Item {
    /// An item without a comment.
    pub fn plain(value: Ron) -> Item {
        Item {
            value,
            comment: Vec::new(),
        }
    }
}

/// Shorthands for building values.
impl Ron {
    /// A string.
    pub fn s(text: impl Into<String>) -> Ron {
        Ron::Str(text.into())
    }

    /// An integer.
    pub fn int(n: impl Into<u64>) -> Ron {
        Ron::Num(n.into().to_string())
    }

    /// A float, always with a decimal point.
    pub fn float(x: f64) -> Ron {
        let mut s = format!("{x}");
        if !s.contains(['.', 'e', 'E']) {
            s.push_str(".0");
        }
        Ron::Num(s)
    }

    /// A unit variant or other identifier.
    pub fn ident(name: impl Into<String>) -> Ron {
        Ron::Ident(name.into())
    }

    /// `Name("a", "b")` with string arguments.
    pub fn call(name: &str, args: &[&str]) -> Ron {
        Ron::Call(name.to_string(), args.iter().map(|a| Ron::s(*a)).collect())
    }

    /// A list of strings.
    pub fn strs<S: AsRef<str>>(items: &[S]) -> Ron {
        Ron::List(
            items
                .iter()
                .map(|s| Item::plain(Ron::s(s.as_ref())))
                .collect(),
        )
    }

    /// A list without comments.
    pub fn list(items: Vec<Ron>) -> Ron {
        Ron::List(items.into_iter().map(Item::plain).collect())
    }
}

/// Builds a struct's fields one by one, each with optional comments.
#[derive(Clone, Debug, Default)]
pub struct Fields(pub Vec<Field>);

impl Fields {
    /// No fields yet.
    pub fn new() -> Fields {
        Fields(Vec::new())
    }

    /// Adds a field.
    pub fn set(mut self, name: &str, value: Ron) -> Fields {
        self.0.push(Field {
            name: name.to_string(),
            value,
            comment: Vec::new(),
        });
        self
    }

    /// Adds a field with a comment.
    pub fn note(mut self, name: &str, value: Ron, comment: impl Into<String>) -> Fields {
        self.0.push(Field {
            name: name.to_string(),
            value,
            comment: vec![comment.into()],
        });
        self
    }

    /// Adds a field if there is a value.
    pub fn maybe(self, name: &str, value: Option<Ron>) -> Fields {
        match value {
            Some(v) => self.set(name, v),
            None => self,
        }
    }

    /// Adds a comment to the last field.
    pub fn and_note(mut self, comment: impl Into<String>) -> Fields {
        if let Some(last) = self.0.last_mut() {
            last.comment.push(comment.into());
        }
        self
    }

    /// `Name(fields)`.
    pub fn variant(self, name: &str) -> Ron {
        Ron::Struct(Some(name.to_string()), self.0)
    }

    /// `(fields)`.
    pub fn tuple(self) -> Ron {
        Ron::Struct(None, self.0)
    }
}

/// The widest line the writer keeps a value on before breaking it over lines.
const WIDTH: usize = 110;

/// A string literal as RON reads it back (escapes from `ron` itself).
pub fn quote(text: &str) -> String {
    ron::to_string(text).unwrap_or_else(|_| "\"\"".to_string())
}

/// A comment's text made safe for one `//` line: control characters (a newline would end the comment and
/// start RON) become spaces.
pub fn comment_text(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

impl Ron {
    fn has_comments(&self) -> bool {
        match self {
            Ron::Struct(_, fields) => fields
                .iter()
                .any(|f| !f.comment.is_empty() || f.value.has_comments()),
            Ron::List(items) => items
                .iter()
                .any(|i| !i.comment.is_empty() || i.value.has_comments()),
            Ron::Map(entries) => entries
                .iter()
                .any(|(_, i)| !i.comment.is_empty() || i.value.has_comments()),
            Ron::Call(_, args) => args.iter().any(Ron::has_comments),
            _ => false,
        }
    }

    /// The value on one line.
    pub fn inline(&self) -> String {
        match self {
            Ron::Str(s) => quote(s),
            Ron::Num(n) => n.clone(),
            Ron::Bool(b) => b.to_string(),
            Ron::Ident(i) => i.clone(),
            Ron::Call(name, args) => {
                let args: Vec<String> = args.iter().map(Ron::inline).collect();
                format!("{name}({})", args.join(", "))
            }
            Ron::Struct(name, fields) => {
                let fields: Vec<String> = fields
                    .iter()
                    .map(|f| format!("{}: {}", f.name, f.value.inline()))
                    .collect();
                format!("{}({})", name.as_deref().unwrap_or(""), fields.join(", "))
            }
            Ron::List(items) => {
                let items: Vec<String> = items.iter().map(|i| i.value.inline()).collect();
                format!("[{}]", items.join(", "))
            }
            Ron::Map(entries) => {
                let entries: Vec<String> = entries
                    .iter()
                    .map(|(k, i)| format!("{}: {}", quote(k), i.value.inline()))
                    .collect();
                format!("{{{}}}", entries.join(", "))
            }
        }
    }

    /// The value printed at indentation `indent` (in levels), the first line already placed after
    /// `used` characters.
    pub fn render(&self, indent: usize, used: usize) -> String {
        if !self.has_comments() {
            let line = self.inline();
            if used + line.len() <= WIDTH || !self.breakable() {
                return line;
            }
        }
        let pad = "    ".repeat(indent + 1);
        let close = "    ".repeat(indent);
        let mut out = String::new();
        let comments = |out: &mut String, lines: &[String]| {
            for c in lines {
                out.push_str(&format!("{pad}// {}\n", comment_text(c)));
            }
        };
        match self {
            Ron::Struct(name, fields) => {
                out.push_str(&format!("{}(\n", name.as_deref().unwrap_or("")));
                for f in fields {
                    comments(&mut out, &f.comment);
                    let head = format!("{pad}{}: ", f.name);
                    let body = f.value.render(indent + 1, head.len());
                    out.push_str(&format!("{head}{body},\n"));
                }
                out.push_str(&format!("{close})"));
            }
            Ron::List(items) => {
                out.push_str("[\n");
                for i in items {
                    comments(&mut out, &i.comment);
                    let body = i.value.render(indent + 1, pad.len());
                    out.push_str(&format!("{pad}{body},\n"));
                }
                out.push_str(&format!("{close}]"));
            }
            Ron::Map(entries) => {
                out.push_str("{\n");
                for (k, i) in entries {
                    comments(&mut out, &i.comment);
                    let head = format!("{pad}{}: ", quote(k));
                    let body = i.value.render(indent + 1, head.len());
                    out.push_str(&format!("{head}{body},\n"));
                }
                out.push_str(&format!("{close}}}"));
            }
            Ron::Call(name, args) => {
                out.push_str(&format!("{name}(\n"));
                for a in args {
                    let body = a.render(indent + 1, pad.len());
                    out.push_str(&format!("{pad}{body},\n"));
                }
                out.push_str(&format!("{close})"));
            }
            other => out.push_str(&other.inline()),
        }
        out
    }

    fn breakable(&self) -> bool {
        matches!(
            self,
            Ron::Struct(..) | Ron::List(_) | Ron::Map(_) | Ron::Call(..)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_values_stay_on_a_line_and_comments_break_them() {
        let v = Fields::new()
            .set("region", Ron::s("us-east-1"))
            .set("desired", Ron::int(4u32))
            .variant("Asg");
        assert_eq!(v.render(0, 0), "Asg(region: \"us-east-1\", desired: 4)");
        let v = Fields::new()
            .note(
                "needed",
                Ron::int(4u32),
                "assumption: the group's full size\nline",
            )
            .variant("Asg");
        assert_eq!(
            v.render(1, 4),
            "Asg(\n        // assumption: the group's full size line\n        needed: 4,\n    )"
        );
        assert_eq!(Ron::s("a\"b\n").inline(), "\"a\\\"b\\n\"");
        assert_eq!(Ron::float(50.0).inline(), "50.0");
    }
}
