//! A request's parameters as one shell word of JSON for `--cli-input-json`, with the
//! outputs of earlier steps spliced in as JSON-escaped shell variables.

use std::collections::HashMap;

use serde_json::Value;

use super::shell::quote;
use crate::plan::{JoinPart, OutputRef, ParamRef};

/// Where each captured output lives: (step id, output name) → bash variable.
pub type Captured<'p> = HashMap<(&'p str, &'p str), String>;

/// Containers of scalars up to this width print on one line.
const INLINE_WIDTH: usize = 100;

/// A piece of the JSON text: literal text, or the escaped value of a variable.
enum Piece {
    Text(String),
    Var(String),
}

struct Json<'a, 'p> {
    /// Whose parameters these are, for messages: "step `x`".
    owner: &'a str,
    captured: &'a Captured<'p>,
    pieces: Vec<Piece>,
    /// The first reference that cannot be resolved, as a message.
    problem: Option<String>,
}

impl Json<'_, '_> {
    fn text(&mut self, s: &str) {
        match self.pieces.last_mut() {
            Some(Piece::Text(t)) => t.push_str(s),
            _ => self.pieces.push(Piece::Text(s.to_owned())),
        }
    }

    fn var_for(&mut self, at: &str, r: &OutputRef) -> Option<String> {
        match self.captured.get(&(r.step.as_str(), r.name.as_str())) {
            Some(v) => Some(v.clone()),
            None => {
                self.problem.get_or_insert_with(|| {
                    format!(
                        "{}: parameter `{at}` refers to output `{}` of step `{}`, which no earlier step captures",
                        self.owner, r.name, r.step
                    )
                });
                None
            }
        }
    }

    /// A JSON string made of literal text and variables.
    fn string_of(&mut self, at: &str, parts: &[JoinPart]) {
        self.text("\"");
        for part in parts {
            match part {
                JoinPart::Text(t) => {
                    let encoded = serde_json::Value::String(t.clone()).to_string();
                    // Without its surrounding quotes: the escaped inside of the string.
                    let inner = encoded
                        .strip_prefix('"')
                        .and_then(|s| s.strip_suffix('"'))
                        .unwrap_or_default();
                    self.text(inner);
                }
                JoinPart::Output { output } => {
                    if let Some(v) = self.var_for(at, output) {
                        self.pieces.push(Piece::Var(v));
                    }
                }
            }
        }
        self.text("\"");
    }

    /// Writes `v`; `flat` puts containers on one line. Otherwise a container goes on one
    /// line when it fits in [`INLINE_WIDTH`], else one member per line.
    fn value(&mut self, at: &str, v: &Value, indent: usize, flat: bool) {
        match reference(v) {
            Reference::Output(r) => {
                return self.string_of(at, &[JoinPart::Output { output: r }]);
            }
            Reference::Join(parts) => return self.string_of(at, &parts),
            Reference::Malformed(key) => {
                self.problem.get_or_insert_with(|| {
                    format!(
                        "{}: parameter `{at}` has a `{key}` reference that is not of the plan format's shape",
                        self.owner
                    )
                });
                return self.text("null");
            }
            Reference::None => {}
        }
        let (open, close, items): (&str, &str, Vec<(Option<&String>, &Value)>) = match v {
            Value::Object(map) if !map.is_empty() => {
                ("{", "}", map.iter().map(|(k, v)| (Some(k), v)).collect())
            }
            Value::Array(list) if !list.is_empty() => {
                ("[", "]", list.iter().map(|v| (None, v)).collect())
            }
            scalar => return self.text(&scalar.to_string()),
        };
        let path = |i: usize, key: Option<&String>| match key {
            Some(k) => format!("{at}/{k}"),
            None => format!("{at}/{i}"),
        };
        let mut line = Json {
            owner: self.owner,
            captured: self.captured,
            pieces: Vec::new(),
            problem: None,
        };
        line.text(open);
        for (i, (key, item)) in items.iter().enumerate() {
            if i > 0 {
                line.text(", ");
            }
            if let Some(k) = key {
                line.text(&Value::String((*k).clone()).to_string());
                line.text(": ");
            }
            line.value(&path(i, *key), item, 0, true);
        }
        line.text(close);
        if flat || line.width() <= INLINE_WIDTH {
            if let Some(p) = line.problem {
                self.problem.get_or_insert(p);
            }
            for piece in line.pieces {
                match piece {
                    Piece::Text(t) => self.text(&t),
                    Piece::Var(name) => self.pieces.push(Piece::Var(name)),
                }
            }
            return;
        }
        self.text(open);
        let pad = "  ".repeat(indent + 1);
        for (i, (key, item)) in items.iter().enumerate() {
            self.text(if i == 0 { "\n" } else { ",\n" });
            self.text(&pad);
            if let Some(k) = key {
                self.text(&Value::String((*k).clone()).to_string());
                self.text(": ");
            }
            self.value(&path(i, *key), item, indent + 1, false);
        }
        self.text("\n");
        self.text(&"  ".repeat(indent));
        self.text(close);
    }

    /// The printed width, counting a spliced variable as its name plus the call around it.
    fn width(&self) -> usize {
        self.pieces
            .iter()
            .map(|p| match p {
                Piece::Text(t) => t.chars().count(),
                Piece::Var(v) => v.len() + 24,
            })
            .sum()
    }
}

enum Reference {
    None,
    Output(OutputRef),
    Join(Vec<JoinPart>),
    /// A one-key object whose key is `$output` or `$join` but whose shape is not a reference.
    Malformed(&'static str),
}

fn reference(v: &Value) -> Reference {
    let Value::Object(map) = v else {
        return Reference::None;
    };
    if map.len() != 1 {
        return Reference::None;
    }
    let key = match map.keys().next().map(String::as_str) {
        Some("$output") => "$output",
        Some("$join") => "$join",
        _ => return Reference::None,
    };
    match serde_json::from_value::<ParamRef>(v.clone()) {
        Ok(ParamRef::Output(r)) => Reference::Output(r),
        Ok(ParamRef::Join(parts)) => Reference::Join(parts),
        Err(_) => Reference::Malformed(key),
    }
}

/// `params` as one shell word: single-quoted JSON with `"$(vl_json_escape "$var")"`
/// where an earlier output goes. `Err` names the first reference that cannot be resolved.
pub fn json_word(
    owner: &str,
    params: &serde_json::Map<String, Value>,
    captured: &Captured<'_>,
) -> Result<String, String> {
    let mut json = Json {
        owner,
        captured,
        pieces: Vec::new(),
        problem: None,
    };
    json.value("", &Value::Object(params.clone()), 0, false);
    if let Some(p) = json.problem {
        return Err(p);
    }
    let mut word = String::new();
    for piece in &json.pieces {
        match piece {
            Piece::Text(t) => word.push_str(&quote(t)),
            Piece::Var(v) => {
                word.push_str("\"$(vl_json_escape \"$");
                word.push_str(v);
                word.push_str("\")\"");
            }
        }
    }
    Ok(word)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;
    use serde_json::json;

    fn params(v: Value) -> serde_json::Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => serde_json::Map::new(),
        }
    }

    #[test]
    fn literal_requests_are_one_quoted_word() {
        let p = params(json!({"CidrBlock": "10.0.0.0/16", "Count": 2, "On": true}));
        let word = json_word("s", &p, &Captured::new()).unwrap();
        assert_eq!(
            word,
            r#"'{"CidrBlock": "10.0.0.0/16", "Count": 2, "On": true}'"#
        );
    }

    #[test]
    fn references_become_escaped_variables() {
        let mut captured = Captured::new();
        captured.insert(
            ("create.vpc.app", "VpcId"),
            "vl_create_vpc_app__VpcId".to_owned(),
        );
        let p = params(json!({
            "VpcId": {"$output": {"step": "create.vpc.app", "name": "VpcId"}},
            "Name": {"$join": ["it's \"", {"$output": {"step": "create.vpc.app", "name": "VpcId"}}, "\""]}
        }));
        let word = json_word("s", &p, &captured).unwrap();
        assert_eq!(
            word,
            concat!(
                "'{\n",
                r#"  "VpcId": "'"$(vl_json_escape "$vl_create_vpc_app__VpcId")"'","#,
                "\n",
                r#"  "Name": "it'\''s \"'"$(vl_json_escape "$vl_create_vpc_app__VpcId")"'\"""#,
                "\n}'"
            )
        );
    }

    #[test]
    fn unknown_and_malformed_references_are_reported() {
        let p = params(json!({"VpcId": {"$output": {"step": "nope", "name": "VpcId"}}}));
        let err = json_word("step `x`", &p, &Captured::new()).unwrap_err();
        assert_eq!(
            err,
            "step `x`: parameter `/VpcId` refers to output `VpcId` of step `nope`, which no earlier step captures"
        );
        let p = params(json!({"VpcId": {"$output": "nope"}}));
        let err = json_word("x", &p, &Captured::new()).unwrap_err();
        assert!(err.contains("`$output` reference"), "{err}");
    }

    #[test]
    fn long_requests_are_indented() {
        let p = params(json!({
            "Targets": [
                {"Id": "i-0123456789abcdef0", "Port": 8080},
                {"Id": "i-0123456789abcdef1", "Port": 8080},
                {"Id": "i-0123456789abcdef2", "Port": 8080}
            ],
            "TargetGroupArn": "arn"
        }));
        let word = json_word("s", &p, &Captured::new()).unwrap();
        assert_eq!(
            word,
            concat!(
                "'{\n",
                "  \"Targets\": [\n",
                "    {\"Id\": \"i-0123456789abcdef0\", \"Port\": 8080},\n",
                "    {\"Id\": \"i-0123456789abcdef1\", \"Port\": 8080},\n",
                "    {\"Id\": \"i-0123456789abcdef2\", \"Port\": 8080}\n",
                "  ],\n",
                "  \"TargetGroupArn\": \"arn\"\n",
                "}'"
            )
        );
    }
}
