//! Templates as a tree of nodes that remember their line, column and YAML tag.
//!
//! serde_yaml_ng drops positions and short-form tags (`!Ref`), so the importer builds its
//! own small tree from saphyr-parser's events, which carry both. JSON is YAML 1.2 flow
//! syntax, so JSON templates go through the same parser and keep their positions too.

use std::collections::BTreeMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Span};

use crate::import::ImportError;
use crate::model::SourceFormat;

/// A 1-based line and column in the template text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
}

impl Pos {
    fn of(span: &Span) -> Pos {
        Pos {
            line: u32::try_from(span.start.line()).unwrap_or(u32::MAX),
            column: u32::try_from(span.start.col().saturating_add(1)).unwrap_or(u32::MAX),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    Null,
    /// Every scalar stays text, as CloudFormation reads it (`80` and `"80"` are the same
    /// port). `plain` is false for quoted and block scalars.
    Scalar {
        text: String,
        plain: bool,
    },
    Seq(Vec<Node>),
    Map(Vec<Entry>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: String,
    pub key_pos: Pos,
    pub value: Node,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub kind: Kind,
    /// A local tag without its `!`: `Ref`, `GetAtt`, `Sub`, ...
    pub tag: Option<String>,
    pub pos: Pos,
}

impl Node {
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }
    /// The entry for `key`; when a key repeats, the last one, as CloudFormation reads it.
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        match &self.kind {
            Kind::Map(entries) => entries.iter().rev().find(|e| e.key == key),
            _ => None,
        }
    }
    pub fn entries(&self) -> &[Entry] {
        match &self.kind {
            Kind::Map(entries) => entries,
            _ => &[],
        }
    }
    pub fn items(&self) -> &[Node] {
        match &self.kind {
            Kind::Seq(items) => items,
            _ => &[],
        }
    }
    /// The text of an untagged scalar.
    pub fn as_str(&self) -> Option<&str> {
        match (&self.kind, &self.tag) {
            (Kind::Scalar { text, .. }, None) => Some(text),
            _ => None,
        }
    }
    pub fn is_map(&self) -> bool {
        matches!(self.kind, Kind::Map(_))
    }
    /// The node as plain JSON, for values the vpclink exporter carries in `Metadata` in the
    /// topology's own format: plain scalars that read as numbers or booleans become those,
    /// quoted ones stay strings (the exporter quotes strings that look like numbers).
    /// Tags are ignored.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value;
        match &self.kind {
            Kind::Null => Value::Null,
            Kind::Scalar { text, plain: true } => {
                if let Ok(n) = text.parse::<i64>() {
                    Value::from(n)
                } else if let Ok(n) = text.parse::<u64>() {
                    Value::from(n)
                } else if let Some(n) = text
                    .parse::<f64>()
                    .ok()
                    .and_then(serde_json::Number::from_f64)
                {
                    Value::Number(n)
                } else if text == "true" || text == "false" {
                    Value::Bool(text == "true")
                } else {
                    Value::String(text.clone())
                }
            }
            Kind::Scalar { text, .. } => Value::String(text.clone()),
            Kind::Seq(items) => Value::Array(items.iter().map(Node::to_json).collect()),
            Kind::Map(entries) => Value::Object(
                entries
                    .iter()
                    .map(|e| (e.key.clone(), e.value.to_json()))
                    .collect(),
            ),
        }
    }
    /// What a person would call this node's shape, for error messages.
    pub fn shape(&self) -> &'static str {
        match &self.kind {
            Kind::Null => "nothing",
            Kind::Scalar { .. } => "a single value",
            Kind::Seq(_) => "a list",
            Kind::Map(_) => "a map",
        }
    }
}

fn syntax_error(message: String, line: usize, col: usize) -> ImportError {
    ImportError {
        format: SourceFormat::Cloudformation,
        message,
        path: None,
        line: Some(u32::try_from(line).unwrap_or(u32::MAX)),
        column: Some(u32::try_from(col.saturating_add(1)).unwrap_or(u32::MAX)),
    }
}

/// Deepest nesting accepted: far beyond any template, and it keeps recursion bounded.
const MAX_DEPTH: usize = 256;

/// Most nodes one document may expand to, aliases counted at their full size: a few
/// hundred bytes of nested aliases would otherwise expand to more than memory holds (the
/// "billion laughs"). A generated template of 10,000 resources has about 510,000.
const MAX_NODES: usize = 2_000_000;

/// Parses the first document of `text` into a tree. Errors carry the line and column.
pub fn parse(text: &str) -> Result<Node, ImportError> {
    let mut builder = Builder {
        parser: Parser::new_from_str(text),
        anchors: BTreeMap::new(),
        last: Pos::default(),
        nodes: 0,
    };
    loop {
        let (event, span) = builder.next()?;
        match event {
            Event::StreamStart | Event::DocumentStart(_) | Event::Nothing => continue,
            Event::StreamEnd | Event::DocumentEnd => {
                return Ok(Node {
                    kind: Kind::Null,
                    tag: None,
                    pos: Pos::of(&span),
                })
            }
            other => return builder.node(other, span, 0),
        }
    }
}

struct Builder<'a> {
    parser: Parser<'a, saphyr_parser::StrInput<'a>>,
    /// Each anchored node with the number of nodes it expands to.
    anchors: BTreeMap<usize, (Node, usize)>,
    last: Pos,
    /// Nodes built so far, aliases counted at their full size.
    nodes: usize,
}

impl<'a> Builder<'a> {
    fn next(&mut self) -> Result<(Event<'a>, Span), ImportError> {
        match self.parser.next_event() {
            Some(Ok((event, span))) => {
                self.last = Pos::of(&span);
                Ok((event, span))
            }
            Some(Err(e)) => Err(syntax_error(
                format!("not valid YAML or JSON: {}", e.info()),
                e.marker().line(),
                e.marker().col(),
            )),
            None => Err(ImportError {
                format: SourceFormat::Cloudformation,
                message: "the text ends in the middle of a value".to_owned(),
                path: None,
                line: Some(self.last.line),
                column: Some(self.last.column),
            }),
        }
    }

    fn node(&mut self, event: Event<'a>, span: Span, depth: usize) -> Result<Node, ImportError> {
        let pos = Pos::of(&span);
        if depth > MAX_DEPTH {
            return Err(syntax_error(
                format!("values are nested more than {MAX_DEPTH} levels deep"),
                span.start.line(),
                span.start.col(),
            ));
        }
        let start = self.nodes;
        self.count(1, &span)?;
        let local = |tag: Option<&saphyr_parser::Tag>| {
            tag.filter(|t| t.handle == "!").map(|t| t.suffix.clone())
        };
        let (node, anchor) = match event {
            Event::Alias(id) => {
                let (node, size) = self.anchors.get(&id).cloned().ok_or_else(|| {
                    syntax_error(
                        "an alias refers to an anchor that is not defined before it".to_owned(),
                        span.start.line(),
                        span.start.col(),
                    )
                })?;
                self.count(size, &span)?;
                return Ok(Node { pos, ..node });
            }
            Event::Scalar(value, style, anchor, tag) => {
                let tag_ref = tag.as_deref();
                // `!!str 80` is a string however it is written.
                let core_str = tag_ref.is_some_and(|t| t.handle == "!!" && t.suffix == "str");
                let plain = style == ScalarStyle::Plain && !core_str;
                let kind = if plain && is_null(&value) && local(tag_ref).is_none() {
                    Kind::Null
                } else {
                    Kind::Scalar {
                        text: value.into_owned(),
                        plain,
                    }
                };
                let tag = local(tag_ref);
                (Node { kind, tag, pos }, anchor)
            }
            Event::SequenceStart(anchor, tag) => {
                let tag = local(tag.as_deref());
                let mut items = Vec::new();
                loop {
                    let (event, span) = self.next()?;
                    if matches!(event, Event::SequenceEnd) {
                        break;
                    }
                    items.push(self.node(event, span, depth + 1)?);
                }
                (
                    Node {
                        kind: Kind::Seq(items),
                        tag,
                        pos,
                    },
                    anchor,
                )
            }
            Event::MappingStart(anchor, tag) => {
                let tag = local(tag.as_deref());
                let mut entries: Vec<Entry> = Vec::new();
                loop {
                    let (event, span) = self.next()?;
                    if matches!(event, Event::MappingEnd) {
                        break;
                    }
                    let key_node = self.node(event, span, depth + 1)?;
                    let key = match key_node.kind {
                        Kind::Scalar { text, .. } => text,
                        Kind::Null => String::new(),
                        _ => {
                            return Err(syntax_error(
                                "a map key must be a single value, not a list or a map".to_owned(),
                                span.start.line(),
                                span.start.col(),
                            ))
                        }
                    };
                    let (event, vspan) = self.next()?;
                    let value = self.node(event, vspan, depth + 1)?;
                    entries.push(Entry {
                        key,
                        key_pos: key_node.pos,
                        value,
                    });
                }
                (
                    Node {
                        kind: Kind::Map(entries),
                        tag,
                        pos,
                    },
                    anchor,
                )
            }
            Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart(_)
            | Event::DocumentEnd
            | Event::SequenceEnd
            | Event::MappingEnd
            | Event::Nothing => {
                return Err(syntax_error(
                    "unexpected end of a value".to_owned(),
                    span.start.line(),
                    span.start.col(),
                ))
            }
        };
        if anchor > 0 {
            let size = self.nodes.saturating_sub(start);
            self.anchors.insert(anchor, (node.clone(), size));
        }
        Ok(node)
    }

    fn count(&mut self, n: usize, span: &Span) -> Result<(), ImportError> {
        self.nodes = self.nodes.saturating_add(n);
        if self.nodes > MAX_NODES {
            return Err(syntax_error(
                format!(
                    "the document expands to more than {MAX_NODES} values (aliases included); \
                     a template this large is not read"
                ),
                span.start.line(),
                span.start.col(),
            ));
        }
        Ok(())
    }
}

fn is_null(text: &str) -> bool {
    matches!(text, "" | "~" | "null" | "Null" | "NULL")
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]
mod tests {
    use super::*;

    #[test]
    fn keeps_positions_and_short_tags() {
        let n = parse("Resources:\n  Vpc:\n    Id: !Ref Other\n    L: !GetAtt [A, B]\n").unwrap();
        let res = n.entry("Resources").unwrap();
        assert_eq!(res.key_pos, Pos { line: 1, column: 1 });
        let vpc = res.value.entry("Vpc").unwrap();
        assert_eq!(vpc.key_pos, Pos { line: 2, column: 3 });
        let id = vpc.value.get("Id").unwrap();
        assert_eq!(id.tag.as_deref(), Some("Ref"));
        assert_eq!(
            id.kind,
            Kind::Scalar {
                text: "Other".into(),
                plain: true
            }
        );
        let l = vpc.value.get("L").unwrap();
        assert_eq!(l.tag.as_deref(), Some("GetAtt"));
        assert_eq!(l.items().len(), 2);
    }

    #[test]
    fn json_goes_through_the_same_parser_with_positions() {
        let text =
            "{\n  \"Resources\": {\n\t\"A\": {\"Type\": \"AWS::EC2::VPC\", \"Port\": 80}\n  }\n}";
        let n = parse(text).unwrap();
        let a = n.get("Resources").unwrap().entry("A").unwrap();
        assert_eq!(a.key_pos.line, 3);
        assert_eq!(
            a.value.get("Port").unwrap().kind,
            Kind::Scalar {
                text: "80".into(),
                plain: true
            }
        );
    }

    #[test]
    fn an_alias_bomb_is_refused_with_its_place() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let prev = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"
            ));
        }
        let err = parse(&text).unwrap_err();
        assert!(err.message.contains("expands to more than"), "{err}");
        assert!(err.line.is_some_and(|l| l > 1));
        // Aliases within the budget still expand.
        let ok = parse("a: &a [1, 2]\nb: [*a, *a]\n").unwrap();
        assert_eq!(ok.get("b").unwrap().items()[1].items().len(), 2);
    }

    #[test]
    fn nulls_anchors_and_quoted_scalars() {
        let n = parse("a:\nb: &x {c: 1}\nd: *x\ne: 'null'\n").unwrap();
        assert_eq!(n.get("a").unwrap().kind, Kind::Null);
        assert_eq!(n.get("d").unwrap().get("c").unwrap().as_str(), Some("1"));
        assert_eq!(n.get("e").unwrap().as_str(), Some("null"));
    }

    #[test]
    fn syntax_errors_name_line_and_column() {
        let e = parse("Resources:\n  A: [1, 2\n  B: 3\n").unwrap_err();
        assert!(e.line.is_some() && e.column.is_some(), "{e:?}");
        assert!(e.to_string().starts_with("line "), "{e}");
        let e = parse("{\"a\": 1,, }").unwrap_err();
        assert_eq!(e.line, Some(1), "{e:?}");
    }

    #[test]
    fn a_repeated_key_reads_as_its_last_value() {
        // CloudFormation accepts repeated keys and keeps the last one.
        let n = parse("a: 1\na: 2\n").unwrap();
        assert_eq!(n.get("a").unwrap().as_str(), Some("2"));
        assert_eq!(n.entries().len(), 2);
    }
}
