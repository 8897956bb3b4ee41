//! Terraform addresses taken apart, and the names the translation derives from them: the
//! topology ids people read (`aws_subnet.private[0]` → `private-0`) and the CloudFormation
//! logical ids of the equivalent template (`AwsSubnetPrivate0`).

/// One resource address: `module.net[0].aws_lb.this["a"]`, `data.aws_vpc.shared`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    /// Module calls from the root, each with its instance key.
    pub modules: Vec<(String, Option<String>)>,
    pub data: bool,
    pub kind: String,
    pub name: String,
    /// The instance key of `count` (`0`) or `for_each` (`"a"`), unquoted.
    pub key: Option<String>,
}

/// Splits at dots outside brackets and quotes.
pub fn steps(address: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut quoted = false;
    let mut escaped = false;
    let mut start = 0;
    for (i, c) in address.char_indices() {
        if quoted {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => quoted = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => quoted = true,
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            '.' if depth == 0 => {
                out.push(address.get(start..i).unwrap_or_default());
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(address.get(start..).unwrap_or_default());
    out
}

/// `name[key]` → (`name`, `key` unquoted).
pub fn split_key(step: &str) -> (String, Option<String>) {
    match step.find('[') {
        Some(open) => {
            let name = step.get(..open).unwrap_or_default().to_owned();
            let inner = step
                .get(open + 1..)
                .unwrap_or_default()
                .trim_end_matches(']')
                .trim();
            let key = inner
                .strip_prefix('"')
                .and_then(|k| k.strip_suffix('"'))
                .map(|k| k.replace("\\\"", "\"").replace("\\\\", "\\"))
                .unwrap_or_else(|| inner.to_owned());
            (name, Some(key))
        }
        None => (step.to_owned(), None),
    }
}

impl Address {
    pub fn parse(address: &str) -> Option<Address> {
        let parts = steps(address);
        let mut modules = Vec::new();
        let mut rest = parts.as_slice();
        while let [first, second, tail @ ..] = rest {
            if *first != "module" || tail.len() < 2 {
                break;
            }
            modules.push(split_key(second));
            rest = tail;
        }
        let (data, rest) = match rest {
            ["data", tail @ ..] => (true, tail),
            other => (false, other),
        };
        let [kind, name] = rest else { return None };
        let (name, key) = split_key(name);
        if kind.is_empty() || name.is_empty() {
            return None;
        }
        Some(Address {
            modules,
            data,
            kind: (*kind).to_owned(),
            name,
            key,
        })
    }

    /// The module part as written (`module.net[0].`), empty in the root module.
    pub fn module_prefix(&self) -> String {
        let mut s = String::new();
        for (name, key) in &self.modules {
            s.push_str("module.");
            s.push_str(name);
            if let Some(k) = key {
                s.push_str(&key_text(k));
            }
            s.push('.');
        }
        s
    }

    /// The address without its instance key (`aws_subnet.private`), module included.
    pub fn without_key(&self) -> String {
        format!(
            "{}{}{}.{}",
            self.module_prefix(),
            if self.data { "data." } else { "" },
            self.kind,
            self.name
        )
    }

    /// The id a person reads: the resource name with its key (`private-0`, `private-a`).
    pub fn local_id(&self) -> String {
        let mut s = id_words(&self.name);
        if let Some(k) = &self.key {
            let k = id_words(k);
            if !k.is_empty() {
                s.push('-');
                s.push_str(&k);
            }
        }
        if s.is_empty() {
            "resource".to_owned()
        } else {
            s
        }
    }

    /// The local id under its modules (`net-this`), for ids that collide.
    pub fn module_id(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        for (name, key) in &self.modules {
            parts.push(id_words(name));
            if let Some(k) = key {
                parts.push(id_words(k));
            }
        }
        parts.push(self.local_id());
        parts.retain(|p| !p.is_empty());
        parts.join("-")
    }
}

/// `[0]` for numbers, `["a"]` for strings.
pub fn key_text(key: &str) -> String {
    if !key.is_empty() && key.chars().all(|c| c.is_ascii_digit()) {
        format!("[{key}]")
    } else {
        format!("[{}]", serde_json::Value::String(key.to_owned()))
    }
}

/// Letters, digits and dashes; anything else is a word break.
fn id_words(text: &str) -> String {
    let mut s = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() {
            s.push(c);
        } else if !s.is_empty() && !s.ends_with('-') {
            s.push('-');
        }
    }
    s.trim_end_matches('-').to_owned()
}

/// A CloudFormation logical id (ASCII letters and digits) from any text: each word
/// capitalised (`module.net.aws_lb.this[0]` → `ModuleNetAwsLbThis0`).
pub fn pascal(text: &str) -> String {
    let mut s = String::new();
    let mut upper = true;
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            if upper {
                s.push(c.to_ascii_uppercase());
            } else {
                s.push(c);
            }
            upper = false;
        } else {
            upper = true;
        }
    }
    if s.is_empty() || s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, 'R');
    }
    // Logical ids may be 255 characters; leave room for a suffix.
    s.truncate(200);
    s
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;

    #[test]
    fn addresses_come_apart() {
        let a = Address::parse("module.net[0].module.x.aws_lb.this[\"a.b\"]").unwrap();
        assert_eq!(
            a.modules,
            vec![
                ("net".to_owned(), Some("0".to_owned())),
                ("x".to_owned(), None)
            ]
        );
        assert_eq!((a.kind.as_str(), a.name.as_str()), ("aws_lb", "this"));
        assert_eq!(a.key.as_deref(), Some("a.b"));
        assert_eq!(a.without_key(), "module.net[0].module.x.aws_lb.this");
        assert_eq!(a.local_id(), "this-a-b");
        assert_eq!(a.module_id(), "net-0-x-this-a-b");
        let d = Address::parse("data.aws_vpc.shared").unwrap();
        assert!(d.data);
        assert_eq!(d.local_id(), "shared");
        assert_eq!(
            Address::parse("aws_subnet.private[1]").unwrap().local_id(),
            "private-1"
        );
        assert_eq!(Address::parse("aws_vpc"), None);
        assert_eq!(Address::parse("aws_vpc.main.id"), None);
    }

    #[test]
    fn logical_ids_are_letters_and_digits() {
        assert_eq!(pascal("module.net.aws_lb.this[0]"), "ModuleNetAwsLbThis0");
        assert_eq!(pascal("aws_subnet.private[\"a\"]"), "AwsSubnetPrivateA");
        assert_eq!(pascal("var.vpc_id"), "VarVpcId");
        assert_eq!(pascal("0"), "R0");
        assert_eq!(key_text("3"), "[3]");
        assert_eq!(key_text("a"), "[\"a\"]");
    }
}
