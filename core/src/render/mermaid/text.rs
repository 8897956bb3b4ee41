//! Mermaid text: quoted labels and node ids.

use std::collections::HashSet;

/// `text` as a quoted Mermaid label. Inside `"..."` Mermaid reads `#name;` and `#123;` as
/// entity codes, so `"` becomes `#quot;` and `#` itself `#35;`; `<`, `>` and `&` are
/// encoded because labels may be rendered as HTML, and a backquote because `"`...`"` starts
/// a Markdown label. Control characters become spaces (a newline would end the statement).
pub fn label(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '<' => out.push_str("#60;"),
            '>' => out.push_str("#62;"),
            '&' => out.push_str("#38;"),
            '`' => out.push_str("#96;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `text` for a `%%` comment line: one line, never a `%%{` directive.
pub fn comment(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// Hands out node and subgraph ids: a kind prefix and the parts with every character
/// outside `[A-Za-z0-9_]` replaced by `_`, made unique with a numeric suffix. The prefix
/// keeps ids off Mermaid's keywords (`end`, `graph`, `style`) and off a leading `o` or `x`,
/// which Mermaid would read as an edge ending.
#[derive(Default)]
pub struct Ids {
    used: HashSet<String>,
}

impl Ids {
    pub fn allocate(&mut self, prefix: &str, parts: &[&str]) -> String {
        let mut base = prefix.to_owned();
        for p in parts {
            base.push('_');
            base.extend(
                p.chars()
                    .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }),
            );
        }
        let mut id = base.clone();
        let mut n = 2;
        while self.used.contains(&id) {
            id = format!("{base}_{n}");
            n += 1;
        }
        self.used.insert(id.clone());
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_escape_quotes_entities_and_html() {
        assert_eq!(label("plain"), "\"plain\"");
        assert_eq!(label("say \"hi\""), "\"say #quot;hi#quot;\"");
        assert_eq!(label("#quot; <b>&`"), "\"#35;quot; #60;b#62;#38;#96;\"");
        assert_eq!(label("a\nb"), "\"a b\"");
    }

    #[test]
    fn ids_are_safe_and_unique() {
        let mut ids = Ids::default();
        assert_eq!(ids.allocate("i", &["web-1"]), "i_web_1");
        assert_eq!(ids.allocate("i", &["web_1"]), "i_web_1_2");
        assert_eq!(
            ids.allocate("r", &["shop", "GET /products"]),
            "r_shop_GET__products"
        );
        assert_eq!(ids.allocate("i", &["\"]; x --> y"]), "i_____x_____y");
    }

    #[test]
    fn comments_stay_on_one_line() {
        assert_eq!(comment("a\n%%{init}"), "a %%{init}");
    }
}
