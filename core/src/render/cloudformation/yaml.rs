//! YAML output through serde_yaml_ng, safe for YAML 1.1 readers.
//!
//! serde_yaml_ng quotes a string only when YAML 1.2 would read it as something else, but
//! CloudFormation and cfn-lint (PyYAML) read YAML 1.1, where plain `on`, `off`, `yes`, `no`,
//! `y`, `2010-09-09` or `1:30` are booleans, dates and numbers. Such strings go through the
//! serializer as unique placeholder words and are put back single-quoted afterwards, so the
//! serializer still does all the escaping and every string reads back as a string.

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::render::RenderError;

/// YAML 1.1 words that a plain scalar would turn into a boolean or null.
const YAML11_WORDS: [&str; 28] = [
    "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE", "false",
    "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF", "null", "Null", "NULL", "~", "<<",
    "=",
];

/// Whether a plain scalar `s` might not read back as the string `s` under YAML 1.1. Errs
/// on the side of quoting: quoting a string never changes its value.
pub(super) fn needs_quotes_for_yaml11(s: &str) -> bool {
    if s.is_empty() || YAML11_WORDS.contains(&s) {
        return true;
    }
    // Numbers (with `_`, `0x`, `0b`, sexagesimal `1:30`), `.inf`, `.nan` and timestamps
    // all start with a digit, a sign or a dot and use only these characters.
    let numeric_start = s
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | '.'));
    numeric_start
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | ':' | '+' | '-' | ' '))
}

/// Serialises `template` as YAML, with every YAML-1.1-ambiguous string single-quoted.
pub(super) fn to_yaml(template: &Value) -> Result<String, RenderError> {
    let base = placeholder_base(template);
    let mut quoted = Quoted {
        base: &base,
        index: HashMap::new(),
        strings: Vec::new(),
    };
    let swapped = quoted.swap(template);
    let text = serde_yaml_ng::to_string(&swapped).map_err(|e| RenderError {
        message: format!("could not write the CloudFormation template as YAML: {e}"),
        path: None,
    })?;
    Ok(quoted.restore(&text))
}

/// A word no string of the template contains, so its occurrences in the output are ours.
fn placeholder_base(template: &Value) -> String {
    let mut base = String::from("VPCLINKQUOTEDQ");
    while mentions(template, &base) {
        base.push('Q');
    }
    base
}

fn mentions(v: &Value, word: &str) -> bool {
    match v {
        Value::String(s) => s.contains(word),
        Value::Array(items) => items.iter().any(|i| mentions(i, word)),
        Value::Object(map) => map
            .iter()
            .any(|(k, v)| k.contains(word) || mentions(v, word)),
        _ => false,
    }
}

struct Quoted<'b> {
    base: &'b str,
    index: HashMap<String, usize>,
    strings: Vec<String>,
}

impl Quoted<'_> {
    fn token(&mut self, s: &str) -> String {
        let n = match self.index.get(s) {
            Some(n) => *n,
            None => {
                let n = self.strings.len();
                self.strings.push(s.to_owned());
                self.index.insert(s.to_owned(), n);
                n
            }
        };
        // The trailing `Z` ends the number, so token 1 is not a prefix of token 10.
        format!("{}{n}Z", self.base)
    }

    fn swap_str(&mut self, s: &str) -> String {
        if needs_quotes_for_yaml11(s) {
            self.token(s)
        } else {
            s.to_owned()
        }
    }

    fn swap(&mut self, v: &Value) -> Value {
        match v {
            Value::String(s) => Value::String(self.swap_str(s)),
            Value::Array(items) => Value::Array(items.iter().map(|i| self.swap(i)).collect()),
            Value::Object(map) => {
                let mut out = Map::with_capacity(map.len());
                for (k, v) in map {
                    let key = self.swap_str(k);
                    let value = self.swap(v);
                    out.insert(key, value);
                }
                Value::Object(out)
            }
            other => other.clone(),
        }
    }

    fn restore(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len() + self.strings.len() * 4);
        let mut rest = text;
        while let Some(at) = rest.find(self.base) {
            out.push_str(&rest[..at]);
            let after = &rest[at + self.base.len()..];
            let digits = after.bytes().take_while(u8::is_ascii_digit).count();
            let original = after[..digits]
                .parse::<usize>()
                .ok()
                .filter(|_| after[digits..].starts_with('Z'))
                .and_then(|n| self.strings.get(n));
            match original {
                Some(s) => {
                    // Ambiguous strings hold no `'` (see `needs_quotes_for_yaml11`), so
                    // single quotes need no escaping inside.
                    out.push('\'');
                    out.push_str(s);
                    out.push('\'');
                    rest = &after[digits + 1..];
                }
                None => {
                    // Not one of ours (cannot happen: the base is absent from every
                    // string); keep the text as it is.
                    out.push_str(self.base);
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;
    use serde_json::json;

    #[test]
    fn yaml11_booleans_dates_and_numbers_are_quoted() {
        let v = json!({
            "AWSTemplateFormatVersion": "2010-09-09",
            "Enforce": "off", "Other": "on", "Yes": "yes", "y": "n",
            "Payload": "1.0", "Ports": "1024-65535", "Time": "1:30",
            "Plain": "us-east-1a", "Cidr": "10.0.0.0/16", "Hostile": "a\"b${x}",
            "Html": "<img src=x onerror=alert(1)>", "Quote": "it's", "Empty": "",
            "List": ["off", "NO", 3, true]
        });
        let text = to_yaml(&v).unwrap();
        assert!(
            text.contains("AWSTemplateFormatVersion: '2010-09-09'\n"),
            "{text}"
        );
        assert!(text.contains("Enforce: 'off'\n"), "{text}");
        assert!(text.contains("Other: 'on'\n"), "{text}");
        assert!(text.contains("'Yes': 'yes'\n"), "{text}");
        assert!(text.contains("'y': 'n'\n"), "{text}");
        assert!(text.contains("Ports: '1024-65535'\n"), "{text}");
        assert!(text.contains("Time: '1:30'\n"), "{text}");
        assert!(text.contains("Plain: us-east-1a\n"), "{text}");
        assert!(text.contains("- 'off'\n- 'NO'\n- 3\n- true\n"), "{text}");
        assert!(!text.contains("VPCLINKQUOTED"), "{text}");
        // And it all reads back as the same values.
        let back: Value = serde_yaml_ng::from_str(&text).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn a_string_that_contains_the_placeholder_word_changes_the_word() {
        let v = json!({"a": "VPCLINKQUOTEDQ0Z", "b": "on"});
        let text = to_yaml(&v).unwrap();
        let back: Value = serde_yaml_ng::from_str(&text).unwrap();
        assert_eq!(back, v, "{text}");
        assert!(text.contains("b: 'on'"), "{text}");
    }
}
