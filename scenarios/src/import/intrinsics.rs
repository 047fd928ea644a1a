//! CloudFormation's intrinsic functions, short (`!Ref`, `!GetAtt A.B`, `!Sub`, …) and long (`Fn::…`) forms,
//! evaluated for one stack: parameters (defaults and `--stack` values), pseudo parameters, `Conditions`,
//! `Mappings`, exports across stacks. A reference to a resource stays a reference ([`Val::Ref`]); in a
//! string it becomes a `${ref:N}` marker the importer resolves later. Dynamic references
//! (`{{resolve:…}}`) stay opaque.

use std::collections::BTreeMap;

use super::doc::{Node, Value, error_at};
use super::infra::ref_marker;
use crate::source::SourceError;

/// A value after evaluation.
#[derive(Clone, Debug, PartialEq)]
pub enum Val {
    /// `AWS::NoValue`, or null.
    Null,
    /// Text (numbers and booleans too, as CloudFormation compares them).
    Str(String),
    /// A list.
    List(Vec<Val>),
    /// A mapping.
    Map(Vec<(String, Val)>),
    /// A resource (the index of its thing) and the attribute read (`GetAtt`), if any.
    Ref(usize, Option<String>),
    /// Something not known before deployment: a dynamic reference, an account's resource, a macro.
    Opaque(String),
}

impl Val {
    /// The text of a literal (not a reference, not opaque, no `${ref:N}` marker).
    pub fn literal(&self) -> Option<&str> {
        match self {
            Val::Str(s) if !s.contains("${ref:") => Some(s),
            _ => None,
        }
    }

    /// The text of a value for a string context: references become markers.
    pub fn text(&self) -> Option<String> {
        match self {
            Val::Str(s) | Val::Opaque(s) => Some(s.clone()),
            Val::Ref(i, _) => Some(ref_marker(*i)),
            _ => None,
        }
    }

    /// The entry `key` of a mapping.
    pub fn get(&self, key: &str) -> Option<&Val> {
        match self {
            Val::Map(m) => m.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// A list's items (a single value is a list of one; nothing is empty).
    pub fn items(&self) -> Vec<&Val> {
        match self {
            Val::List(l) => l.iter().collect(),
            Val::Null => Vec::new(),
            other => vec![other],
        }
    }

    /// Every resource this value refers to (references and markers), in order.
    pub fn refs(&self, out: &mut Vec<usize>) {
        match self {
            Val::Ref(i, _) => out.push(*i),
            Val::Str(s) => {
                let mut rest = s.as_str();
                while let Some(start) = rest.find("${ref:") {
                    let after = &rest[start + 6..];
                    let Some(end) = after.find('}') else { break };
                    if let Ok(i) = after[..end].parse() {
                        out.push(i);
                    }
                    rest = &after[end..];
                }
            }
            Val::List(l) => l.iter().for_each(|v| v.refs(out)),
            Val::Map(m) => m.iter().for_each(|(_, v)| v.refs(out)),
            _ => {}
        }
    }
}

/// One stack's evaluation context.
pub struct Ctx<'a> {
    /// The template's file (errors name it).
    pub file: &'a str,
    /// The stack's Region.
    pub region: &'a str,
    /// The stack's name (`AWS::StackName`).
    pub stack: String,
    /// Parameter values.
    pub params: BTreeMap<String, Val>,
    /// The template's `Conditions` section.
    pub conditions: Option<&'a Node>,
    /// The template's `Mappings` section.
    pub mappings: Option<&'a Node>,
    /// Logical id → thing index, for resources imported.
    pub resources: BTreeMap<String, usize>,
    /// Logical ids of resources declared but not imported (left out, or off by a condition).
    pub declared: Vec<String>,
    /// Exports of every stack evaluated so far.
    pub exports: BTreeMap<String, Val>,
    /// Conditions evaluated so far.
    pub evaluated: BTreeMap<String, bool>,
    /// Unresolvable references and other problems for the report.
    pub problems: Vec<String>,
}

const SHORT_FORMS: &[&str] = &[
    "Ref",
    "GetAtt",
    "Sub",
    "Join",
    "If",
    "Equals",
    "And",
    "Or",
    "Not",
    "Condition",
    "Select",
    "GetAZs",
    "FindInMap",
    "Split",
    "Base64",
    "ImportValue",
    "Cidr",
    "Transform",
    "Length",
    "ToJsonString",
];

/// The long name of an intrinsic written as a tag or a one-key mapping, and its argument.
pub fn intrinsic(node: &Node) -> Option<(String, &Node)> {
    if node.tag.is_some() {
        return None;
    }
    match node.entries() {
        [(k, v)] if k.text == "Ref" || k.text.starts_with("Fn::") => Some((k.text.clone(), v)),
        _ => None,
    }
}

impl Ctx<'_> {
    fn err(&self, node: &Node, message: impl Into<String>) -> SourceError {
        error_at(self.file, node.pos, message)
    }

    fn tag_name(&self, node: &Node) -> Result<Option<String>, SourceError> {
        let Some(tag) = node.tag.as_deref() else {
            return Ok(None);
        };
        if tag.starts_with("!!") {
            return Ok(None);
        }
        let short = tag.trim_start_matches('!');
        if !SHORT_FORMS.contains(&short) {
            return Err(self.err(
                node,
                format!(
                    "unknown tag {tag}; CloudFormation's short forms are !{}",
                    SHORT_FORMS.join(", !")
                ),
            ));
        }
        Ok(Some(match short {
            "Ref" | "Condition" => short.to_string(),
            _ => format!("Fn::{short}"),
        }))
    }

    /// Evaluates a value.
    pub fn eval(&mut self, node: &Node) -> Result<Val, SourceError> {
        self.eval_at(node, 0)
    }

    fn eval_at(&mut self, node: &Node, depth: usize) -> Result<Val, SourceError> {
        if depth > 160 {
            return Err(self.err(node, "intrinsic functions nested too deeply"));
        }
        if let Some(name) = self.tag_name(node)? {
            let mut arg = node.clone();
            arg.tag = None;
            return self.call(&name, &arg, node, depth);
        }
        if let Some((name, arg)) = intrinsic(node) {
            return self.call(&name, arg, node, depth);
        }
        Ok(match &node.value {
            Value::Null => Val::Null,
            Value::Scalar { text, .. } if text.contains("{{resolve:") => Val::Opaque(text.clone()),
            Value::Scalar { text, .. } => Val::Str(text.clone()),
            Value::Seq(items) => {
                let mut out = Vec::new();
                for i in items {
                    match self.eval_at(i, depth + 1)? {
                        Val::Null => {}
                        v => out.push(v),
                    }
                }
                Val::List(out)
            }
            Value::Map(entries) => {
                let mut out = Vec::new();
                for (k, v) in entries {
                    match self.eval_at(v, depth + 1)? {
                        Val::Null => {}
                        v => out.push((k.text.clone(), v)),
                    }
                }
                Val::Map(out)
            }
        })
    }

    fn text_of(&mut self, node: &Node, depth: usize, what: &str) -> Result<String, SourceError> {
        self.eval_at(node, depth + 1)?
            .text()
            .ok_or_else(|| self.err(node, format!("{what} must be a string")))
    }

    fn list<'n>(
        &self,
        arg: &'n Node,
        name: &str,
        len: std::ops::RangeInclusive<usize>,
    ) -> Result<&'n [Node], SourceError> {
        let items = arg.items();
        if !matches!(arg.value, Value::Seq(_)) || !len.contains(&items.len()) {
            return Err(self.err(
                arg,
                format!(
                    "{name} takes a list of {} values",
                    if len.start() == len.end() {
                        len.start().to_string()
                    } else {
                        format!("{} to {}", len.start(), len.end())
                    }
                ),
            ));
        }
        Ok(items)
    }

    /// A reference by name: a parameter, a pseudo parameter or a resource.
    fn reference(&mut self, name: &str, node: &Node, attr: Option<String>) -> Val {
        if attr.is_none() {
            if let Some(v) = self.params.get(name) {
                return v.clone();
            }
            match name {
                "AWS::Region" => return Val::Str(self.region.to_string()),
                "AWS::AccountId" => return Val::Str("123456789012".to_string()),
                "AWS::StackName" => return Val::Str(self.stack.clone()),
                "AWS::StackId" => return Val::Opaque(format!("{}-stack-id", self.stack)),
                "AWS::Partition" => return Val::Str("aws".to_string()),
                "AWS::URLSuffix" => return Val::Str("amazonaws.com".to_string()),
                "AWS::NoValue" => return Val::Null,
                "AWS::NotificationARNs" => return Val::List(Vec::new()),
                _ => {}
            }
        }
        if let Some(&i) = self.resources.get(name) {
            return Val::Ref(i, attr);
        }
        if !self.declared.iter().any(|d| d == name) {
            self.problems.push(format!(
                "{}:{}:{}: unresolvable reference {name:?} (no parameter, pseudo parameter or resource of that name)",
                self.file, node.pos.line, node.pos.col
            ));
        }
        Val::Opaque(name.to_string())
    }

    fn call(
        &mut self,
        name: &str,
        arg: &Node,
        node: &Node,
        depth: usize,
    ) -> Result<Val, SourceError> {
        Ok(match name {
            "Ref" => {
                let target = arg
                    .text()
                    .ok_or_else(|| self.err(arg, "Ref takes a name"))?
                    .to_string();
                self.reference(&target, node, None)
            }
            "Fn::GetAtt" => {
                let (res, attr) = match &arg.value {
                    Value::Scalar { text, .. } => match text.split_once('.') {
                        Some((r, a)) => (r.to_string(), a.to_string()),
                        None => {
                            return Err(self.err(
                                arg,
                                "GetAtt takes `Resource.Attribute` or [Resource, Attribute]",
                            ));
                        }
                    },
                    Value::Seq(_) => {
                        let items = self.list(arg, "Fn::GetAtt", 2..=2)?;
                        let r = items[0]
                            .text()
                            .ok_or_else(|| self.err(&items[0], "GetAtt's resource must be a name"))?
                            .to_string();
                        let a = self.text_of(&items[1], depth, "GetAtt's attribute")?;
                        (r, a)
                    }
                    _ => {
                        return Err(self.err(
                            arg,
                            "GetAtt takes `Resource.Attribute` or [Resource, Attribute]",
                        ));
                    }
                };
                self.reference(&res, node, Some(attr))
            }
            "Fn::Sub" => {
                let (template, vars) = match &arg.value {
                    Value::Scalar { text, .. } => (text.clone(), Vec::new()),
                    Value::Seq(_) => {
                        let items = self.list(arg, "Fn::Sub", 2..=2)?;
                        let t = items[0]
                            .text()
                            .ok_or_else(|| self.err(&items[0], "Sub's first item is the string"))?
                            .to_string();
                        let mut vars = Vec::new();
                        for (k, v) in items[1].entries() {
                            let v = self.eval_at(v, depth + 1)?;
                            vars.push((k.text.clone(), v));
                        }
                        (t, vars)
                    }
                    _ => return Err(self.err(arg, "Sub takes a string or [string, {variables}]")),
                };
                self.sub(&template, &vars, node)?
            }
            "Fn::Join" => {
                let items = self.list(arg, "Fn::Join", 2..=2)?;
                let sep = self.text_of(&items[0], depth, "Join's delimiter")?;
                let list = self.eval_at(&items[1], depth + 1)?;
                let mut parts = Vec::new();
                let mut opaque = false;
                for v in list.items() {
                    opaque |= matches!(v, Val::Opaque(_));
                    parts.push(
                        v.text()
                            .ok_or_else(|| self.err(&items[1], "Join joins strings"))?,
                    );
                }
                let s = parts.join(&sep);
                if opaque { Val::Opaque(s) } else { Val::Str(s) }
            }
            "Fn::If" => {
                let items = self.list(arg, "Fn::If", 3..=3)?;
                let cond = items[0]
                    .text()
                    .ok_or_else(|| self.err(&items[0], "If's first item is a condition's name"))?
                    .to_string();
                if self.condition(&cond, &items[0], depth)? {
                    self.eval_at(&items[1], depth + 1)?
                } else {
                    self.eval_at(&items[2], depth + 1)?
                }
            }
            "Fn::Equals" | "Fn::And" | "Fn::Or" | "Fn::Not" | "Condition" => {
                Val::Str(self.cond_call(name, arg, depth)?.to_string())
            }
            "Fn::Select" => {
                let items = self.list(arg, "Fn::Select", 2..=2)?;
                let index = self.text_of(&items[0], depth, "Select's index")?;
                let index: usize = index
                    .trim()
                    .parse()
                    .map_err(|_| self.err(&items[0], "Select's index must be a number"))?;
                let list = self.eval_at(&items[1], depth + 1)?;
                let list = list.items();
                list.get(index).map(|v| (*v).clone()).ok_or_else(|| {
                    self.err(
                        &items[0],
                        format!(
                            "Select index {index} is past the list's {} items",
                            list.len()
                        ),
                    )
                })?
            }
            "Fn::GetAZs" => {
                let region = self.eval_at(arg, depth + 1)?.text().unwrap_or_default();
                let region = if region.is_empty() {
                    self.region.to_string()
                } else {
                    region
                };
                Val::List(
                    super::assemble::default_azs(&region)
                        .into_iter()
                        .map(Val::Str)
                        .collect(),
                )
            }
            "Fn::FindInMap" => {
                let items = self.list(arg, "Fn::FindInMap", 3..=4)?;
                let keys: Vec<String> = items[..3]
                    .iter()
                    .map(|i| self.text_of(i, depth, "FindInMap's keys"))
                    .collect::<Result<_, _>>()?;
                let found = self
                    .mappings
                    .and_then(|m| m.get(&keys[0]))
                    .and_then(|m| m.get(&keys[1]))
                    .and_then(|m| m.get(&keys[2]))
                    .cloned();
                match found {
                    Some(v) => self.eval_at(&v, depth + 1)?,
                    None => match items.get(3).and_then(|d| d.get("DefaultValue")) {
                        Some(d) => self.eval_at(d, depth + 1)?,
                        None => {
                            return Err(self.err(
                                arg,
                                format!(
                                    "FindInMap: no Mappings entry {}/{}/{}",
                                    keys[0], keys[1], keys[2]
                                ),
                            ));
                        }
                    },
                }
            }
            "Fn::Split" => {
                let items = self.list(arg, "Fn::Split", 2..=2)?;
                let sep = self.text_of(&items[0], depth, "Split's delimiter")?;
                let s = self.text_of(&items[1], depth, "Split's source")?;
                if sep.is_empty() {
                    return Err(self.err(&items[0], "Split's delimiter must not be empty"));
                }
                Val::List(
                    s.split(sep.as_str())
                        .map(|p| Val::Str(p.to_string()))
                        .collect(),
                )
            }
            "Fn::Base64" => self.eval_at(arg, depth + 1)?,
            "Fn::ImportValue" => {
                let export = self.text_of(arg, depth, "ImportValue's name")?;
                match self.exports.get(&export) {
                    Some(v) => v.clone(),
                    None => {
                        self.problems.push(format!(
                            "{}:{}:{}: Fn::ImportValue {export:?}: no given stack exports it",
                            self.file, node.pos.line, node.pos.col
                        ));
                        Val::Opaque(export)
                    }
                }
            }
            "Fn::Length" => Val::Str(self.eval_at(arg, depth + 1)?.items().len().to_string()),
            "Fn::Cidr" | "Fn::Transform" | "Fn::ToJsonString" => Val::Opaque(name.to_string()),
            other => {
                return Err(self.err(
                    node,
                    format!(
                        "unknown intrinsic function {other}; CloudFormation's are Ref, Fn::{}",
                        SHORT_FORMS[1..].join(", Fn::")
                    ),
                ));
            }
        })
    }

    fn sub(
        &mut self,
        template: &str,
        vars: &[(String, Val)],
        node: &Node,
    ) -> Result<Val, SourceError> {
        let mut out = String::new();
        let mut rest = template;
        let mut opaque = template.contains("{{resolve:");
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let Some(end) = after.find('}') else {
                return Err(self.err(node, "Sub: a `${` without its `}`"));
            };
            let name = &after[..end];
            rest = &after[end + 1..];
            if let Some(literal) = name.strip_prefix('!') {
                out.push_str(&format!("${{{literal}}}"));
                continue;
            }
            let value = match vars.iter().find(|(k, _)| k == name) {
                Some((_, v)) => v.clone(),
                None => match name.split_once('.') {
                    Some((r, a))
                        if !self.params.contains_key(name) && !name.starts_with("AWS::") =>
                    {
                        self.reference(r, node, Some(a.to_string()))
                    }
                    _ => self.reference(name, node, None),
                },
            };
            opaque |= matches!(value, Val::Opaque(_));
            match value.text() {
                Some(t) => out.push_str(&t),
                None => {
                    let joined: Vec<String> =
                        value.items().iter().filter_map(|v| v.text()).collect();
                    out.push_str(&joined.join(","));
                }
            }
        }
        out.push_str(rest);
        Ok(if opaque {
            Val::Opaque(out)
        } else {
            Val::Str(out)
        })
    }

    /// Whether the named condition holds.
    pub fn condition(&mut self, name: &str, at: &Node, depth: usize) -> Result<bool, SourceError> {
        if let Some(&b) = self.evaluated.get(name) {
            return Ok(b);
        }
        if depth > 64 {
            return Err(self.err(
                at,
                format!("condition {name:?} refers to itself (or nests too deeply)"),
            ));
        }
        let Some(def) = self.conditions.and_then(|c| c.get(name)).cloned() else {
            return Err(self.err(
                at,
                format!("no condition {name:?} in the template's Conditions"),
            ));
        };
        let b = self.cond(&def, depth + 1)?;
        self.evaluated.insert(name.to_string(), b);
        Ok(b)
    }

    fn cond(&mut self, node: &Node, depth: usize) -> Result<bool, SourceError> {
        if let Some(name) = self.tag_name(node)? {
            let mut arg = node.clone();
            arg.tag = None;
            return self.cond_call(&name, &arg, depth);
        }
        match node.entries() {
            [(k, v)] if k.text.starts_with("Fn::") || k.text == "Condition" => {
                self.cond_call(&k.text, v, depth)
            }
            _ => match self.eval_at(node, depth + 1)?.literal() {
                Some("true") => Ok(true),
                Some("false") => Ok(false),
                _ => Err(self.err(
                    node,
                    "a condition is Fn::Equals, Fn::And, Fn::Or, Fn::Not or a Condition",
                )),
            },
        }
    }

    fn cond_call(&mut self, name: &str, arg: &Node, depth: usize) -> Result<bool, SourceError> {
        if depth > 160 {
            return Err(self.err(arg, "conditions nested too deeply"));
        }
        match name {
            "Fn::Equals" => {
                let items = self.list(arg, "Fn::Equals", 2..=2)?;
                let a = self.eval_at(&items[0], depth + 1)?;
                let b = self.eval_at(&items[1], depth + 1)?;
                Ok(a == b || (a.text().is_some() && a.text() == b.text()))
            }
            "Fn::And" | "Fn::Or" => {
                let items = self.list(arg, name, 2..=10)?;
                let mut all = true;
                let mut any = false;
                for i in items {
                    let b = self.cond(i, depth + 1)?;
                    all &= b;
                    any |= b;
                }
                Ok(if name == "Fn::And" { all } else { any })
            }
            "Fn::Not" => {
                let items = self.list(arg, "Fn::Not", 1..=1)?;
                Ok(!self.cond(&items[0], depth + 1)?)
            }
            "Condition" => {
                let n = arg
                    .text()
                    .ok_or_else(|| self.err(arg, "Condition takes a condition's name"))?
                    .to_string();
                self.condition(&n, arg, depth + 1)
            }
            _ => Err(self.err(arg, format!("{name} is not a condition function"))),
        }
    }

    /// Evaluates intrinsics inside a node but keeps its shape and positions (an ASL `Definition` written as
    /// YAML): every function becomes a string node at its place.
    pub fn eval_tree(&mut self, node: &Node, depth: usize) -> Result<Node, SourceError> {
        if depth > 160 {
            return Err(self.err(node, "nested too deeply"));
        }
        if self.tag_name(node)?.is_some() || intrinsic(node).is_some() {
            let v = self.eval_at(node, depth + 1)?;
            return Ok(to_node(&v, node));
        }
        let value = match &node.value {
            Value::Seq(items) => Value::Seq(
                items
                    .iter()
                    .map(|i| self.eval_tree(i, depth + 1))
                    .collect::<Result<_, _>>()?,
            ),
            Value::Map(entries) => Value::Map(
                entries
                    .iter()
                    .map(|(k, v)| Ok((k.clone(), self.eval_tree(v, depth + 1)?)))
                    .collect::<Result<_, SourceError>>()?,
            ),
            other => other.clone(),
        };
        Ok(Node {
            pos: node.pos,
            tag: None,
            value,
        })
    }
}

/// A value as a node at `at`'s position.
pub fn to_node(v: &Val, at: &Node) -> Node {
    let value = match v {
        Val::Null => Value::Null,
        Val::List(items) => Value::Seq(items.iter().map(|i| to_node(i, at)).collect()),
        Val::Map(m) => Value::Map(
            m.iter()
                .map(|(k, v)| {
                    (
                        super::doc::Key {
                            text: k.clone(),
                            pos: at.pos,
                        },
                        to_node(v, at),
                    )
                })
                .collect(),
        ),
        other => Value::Scalar {
            text: other.text().unwrap_or_default(),
            quoted: true,
        },
    };
    Node {
        pos: at.pos,
        tag: None,
        value,
    }
}
