//! A small HCL writer: blocks, attributes and the expressions the Terraform export needs,
//! laid out the way `terraform fmt` lays them out (two-space indents, `=` aligned within a
//! run of one-line attributes).
//!
//! Strings are always written quoted and escaped: `\` `"` and control characters as HCL
//! escapes, and the template markers `${` and `%{` doubled (`$${`, `%%{`), so no value from
//! a topology can become an interpolation or a directive.

use std::fmt::Write as _;

/// An expression on the right of `=`.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Expr {
    /// A string literal (escaped when written).
    Str(String),
    Int(i64),
    /// A finite number (the caller checks).
    Float(f64),
    Bool(bool),
    /// A reference or expression built only from identifiers this export made, such as
    /// `aws_vpc.app.id`. Never holds topology text.
    Raw(String),
    /// A string template: literal parts escaped, references interpolated as `${...}`.
    Template(Vec<Part>),
    List(Vec<Expr>),
    /// An object; keys that are not identifiers are quoted.
    Object(Vec<(String, Expr)>),
    /// A function call: `name(arg, ...)`.
    Call(&'static str, Vec<Expr>),
}

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Part {
    Lit(String),
    /// A reference (`aws_x.y.id`) made by this export.
    Interp(String),
}

impl Expr {
    pub(super) fn str(s: impl Into<String>) -> Expr {
        Expr::Str(s.into())
    }
    pub(super) fn raw(s: impl Into<String>) -> Expr {
        Expr::Raw(s.into())
    }
}

/// One item of a body.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Item {
    Attr(String, Expr),
    Block(Block),
    /// A `#` comment line (its text must not contain a newline; newlines are replaced).
    Comment(String),
}

#[derive(Debug, Clone, PartialEq, Default)]
pub(super) struct Body(pub(super) Vec<Item>);

impl Body {
    pub(super) fn new() -> Self {
        Body(Vec::new())
    }
    pub(super) fn attr(&mut self, name: &str, value: Expr) -> &mut Self {
        self.0.push(Item::Attr(name.to_owned(), value));
        self
    }
    pub(super) fn block(&mut self, block: Block) -> &mut Self {
        self.0.push(Item::Block(block));
        self
    }
    pub(super) fn comment(&mut self, text: impl Into<String>) -> &mut Self {
        self.0.push(Item::Comment(text.into()));
        self
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(super) struct Block {
    pub(super) kind: String,
    /// Labels; always identifiers this export made or fixed type names.
    pub(super) labels: Vec<String>,
    pub(super) body: Body,
}

impl Block {
    pub(super) fn new(kind: &str, labels: &[&str], body: Body) -> Self {
        Block {
            kind: kind.to_owned(),
            labels: labels.iter().map(|l| (*l).to_owned()).collect(),
            body,
        }
    }
}

/// `s` as an HCL quoted string.
pub(super) fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            // `${` and `%{` open interpolations and directives; doubling the first
            // character makes them literal.
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Whether `s` can be written bare as an attribute or object key.
pub(super) fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

const INDENT: &str = "  ";
/// Lists longer than this on one line are broken one element per line.
const LINE_WIDTH: usize = 80;

/// Writes a whole file: top-level blocks separated by blank lines.
pub(super) fn write_file(blocks: &[Block]) -> String {
    let mut out = String::new();
    for (i, b) in blocks.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        write_block(&mut out, b, 0);
    }
    out
}

fn write_block(out: &mut String, block: &Block, depth: usize) {
    let pad = INDENT.repeat(depth);
    out.push_str(&pad);
    out.push_str(&block.kind);
    for l in &block.labels {
        out.push(' ');
        out.push_str(&quote(l));
    }
    if block.body.0.is_empty() {
        out.push_str(" {}\n");
        return;
    }
    out.push_str(" {\n");
    write_body(out, &block.body, depth + 1);
    out.push_str(&pad);
    out.push_str("}\n");
}

fn write_body(out: &mut String, body: &Body, depth: usize) {
    let pad = INDENT.repeat(depth);
    let items = &body.0;
    let mut i = 0;
    let mut previous_was_block = false;
    while let Some(item) = items.get(i) {
        match item {
            Item::Comment(text) => {
                let _ = writeln!(out, "{pad}# {}", text.replace(['\n', '\r'], " "));
                i += 1;
            }
            Item::Block(b) => {
                // Nested blocks stand apart from what comes before them, like
                // `terraform fmt` output people write.
                if i > 0 {
                    out.push('\n');
                }
                write_block(out, b, depth);
                previous_was_block = true;
                i += 1;
            }
            Item::Attr(..) => {
                // Right after a block, a comment or the opening brace, a multi-line value
                // needs no blank line of its own.
                let fresh = i == 0
                    || previous_was_block
                    || matches!(items.get(i - 1), Some(Item::Comment(_)));
                if previous_was_block {
                    out.push('\n');
                    previous_was_block = false;
                }
                // A run of attributes: one-line ones align their `=`.
                let start = i;
                while matches!(items.get(i), Some(Item::Attr(..))) {
                    i += 1;
                }
                let rendered: Vec<(String, String)> = items
                    .get(start..i)
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|it| match it {
                        Item::Attr(k, v) => Some((key(k), write_expr(v, depth))),
                        _ => None,
                    })
                    .collect();
                write_attrs(out, &rendered, &pad, fresh);
            }
        }
    }
}

/// Writes `key = value` lines, aligning `=` across consecutive one-line values. A
/// multi-line value stands alone after a blank line (unless it opens the body), so the
/// alignment groups are the same whichever way a formatter treats its inner lines.
fn write_attrs(out: &mut String, attrs: &[(String, String)], pad: &str, opens_body: bool) {
    let mut start = 0;
    while start < attrs.len() {
        let multi_line = attrs.get(start).is_some_and(|(_, v)| v.contains('\n'));
        let mut end = start + 1;
        if !multi_line {
            while attrs.get(end).is_some_and(|(_, v)| !v.contains('\n')) {
                end += 1;
            }
        } else if start > 0 || !opens_body {
            out.push('\n');
        }
        let group = attrs.get(start..end).unwrap_or_default();
        let width = group
            .iter()
            .map(|(k, _)| k.chars().count())
            .max()
            .unwrap_or(0);
        for (k, v) in group {
            let fill = width.saturating_sub(k.chars().count());
            let _ = writeln!(out, "{pad}{k}{} = {v}", " ".repeat(fill));
        }
        start = end;
    }
}

fn key(k: &str) -> String {
    if is_identifier(k) {
        k.to_owned()
    } else {
        quote(k)
    }
}

/// Writes an expression whose first line continues the current line at `depth`.
fn write_expr(e: &Expr, depth: usize) -> String {
    match e {
        Expr::Str(s) => quote(s),
        Expr::Int(n) => n.to_string(),
        Expr::Float(f) => float(*f),
        Expr::Bool(b) => b.to_string(),
        Expr::Raw(r) => r.clone(),
        Expr::Template(parts) => {
            let mut s = String::from("\"");
            for p in parts {
                match p {
                    Part::Lit(text) => {
                        let q = quote(text);
                        s.push_str(q.get(1..q.len().saturating_sub(1)).unwrap_or_default());
                    }
                    Part::Interp(r) => {
                        s.push_str("${");
                        s.push_str(r);
                        s.push('}');
                    }
                }
            }
            s.push('"');
            s
        }
        Expr::List(items) => {
            if items.is_empty() {
                return "[]".into();
            }
            let parts: Vec<String> = items.iter().map(|i| write_expr(i, depth + 1)).collect();
            let one_line = format!("[{}]", parts.join(", "));
            if one_line.len() + depth * INDENT.len() <= LINE_WIDTH && !one_line.contains('\n') {
                return one_line;
            }
            let inner = INDENT.repeat(depth + 1);
            let mut s = String::from("[\n");
            for p in parts {
                let _ = writeln!(s, "{inner}{p},");
            }
            s.push_str(&INDENT.repeat(depth));
            s.push(']');
            s
        }
        Expr::Object(entries) => {
            if entries.is_empty() {
                return "{}".into();
            }
            let inner = INDENT.repeat(depth + 1);
            let rendered: Vec<(String, String)> = entries
                .iter()
                .map(|(k, v)| (key(k), write_expr(v, depth + 1)))
                .collect();
            let mut s = String::from("{\n");
            write_attrs(&mut s, &rendered, &inner, true);
            s.push_str(&INDENT.repeat(depth));
            s.push('}');
            s
        }
        Expr::Call(name, args) => {
            let parts: Vec<String> = args.iter().map(|a| write_expr(a, depth)).collect();
            format!("{name}({})", parts.join(", "))
        }
    }
}

/// A number as HCL writes it: integers without a fraction, others in decimal.
fn float(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{f:.0}")
    } else {
        format!("{f}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_escape_quotes_backslashes_controls_and_template_markers() {
        assert_eq!(quote(r#"a"b${x}"#), r#""a\"b$${x}""#);
        assert_eq!(quote("100%{ if }"), r#""100%%{ if }""#);
        assert_eq!(quote("$x %d $$ {}"), r#""$x %d $$ {}""#);
        assert_eq!(quote("a\\b\nc\td\r"), r#""a\\b\nc\td\r""#);
        assert_eq!(quote("\u{1b}[0m"), r#""\u001b[0m""#);
        assert_eq!(
            quote("<img src=x onerror=alert(1)>"),
            r#""<img src=x onerror=alert(1)>""#
        );
        assert_eq!(quote("日本"), "\"日本\"");
    }

    #[test]
    fn keys_are_bare_only_when_identifiers() {
        assert!(is_identifier("vpc_id"));
        assert!(is_identifier("Name"));
        assert!(!is_identifier("vpclink:id"));
        assert!(!is_identifier("1a"));
        assert!(!is_identifier(""));
    }

    #[test]
    fn layout_aligns_attributes_and_separates_blocks() {
        let mut inner = Body::new();
        inner.attr("type", Expr::str("forward"));
        let mut body = Body::new();
        body.attr("port", Expr::Int(80))
            .attr("load_balancer_arn", Expr::raw("aws_lb.nlb.arn"))
            .attr(
                "tags",
                Expr::Object(vec![
                    ("Name".into(), Expr::str("x")),
                    ("vpclink:id".into(), Expr::str("a\"b${x}")),
                ]),
            )
            .block(Block::new("default_action", &[], inner))
            .attr("after", Expr::Bool(true));
        let text = write_file(&[Block::new("resource", &["aws_lb_listener", "nlb_80"], body)]);
        let expected = r#"resource "aws_lb_listener" "nlb_80" {
  port              = 80
  load_balancer_arn = aws_lb.nlb.arn

  tags = {
    Name         = "x"
    "vpclink:id" = "a\"b$${x}"
  }

  default_action {
    type = "forward"
  }

  after = true
}
"#;
        assert_eq!(text, expected);
    }

    #[test]
    fn templates_interpolate_references_and_escape_literals() {
        let e = Expr::Template(vec![
            Part::Lit("integrations/${not}".into()),
            Part::Interp("aws_apigatewayv2_integration.x.id".into()),
        ]);
        assert_eq!(
            write_expr(&e, 0),
            r#""integrations/$${not}${aws_apigatewayv2_integration.x.id}""#
        );
    }

    #[test]
    fn long_lists_break_and_numbers_print_plainly() {
        let items: Vec<Expr> = (0..12)
            .map(|i| Expr::raw(format!("aws_subnet.subnet_{i}.id")))
            .collect();
        let text = write_expr(&Expr::List(items), 1);
        assert!(
            text.starts_with("[\n    aws_subnet.subnet_0.id,\n"),
            "{text}"
        );
        assert!(text.ends_with(",\n  ]"), "{text}");
        assert_eq!(write_expr(&Expr::List(vec![Expr::Int(1)]), 0), "[1]");
        assert_eq!(float(0.0), "0");
        assert_eq!(float(2.5), "2.5");
        assert_eq!(float(-3.0), "-3");
    }
}
