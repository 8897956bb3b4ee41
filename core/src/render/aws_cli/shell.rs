//! Shell text: quoting, comment-safe text and variable names.

use std::collections::HashSet;

/// `text` as one single-quoted bash word. Inside single quotes nothing is expanded, so
/// `$(...)`, backticks and `$VAR` stay literal; an embedded `'` closes the quote, adds an
/// escaped quote and reopens it.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('\'');
    for c in text.chars() {
        if c == '\'' {
            out.push_str("'\\''");
        } else {
            out.push(c);
        }
    }
    out.push('\'');
    out
}

/// `text` on one line, for a `#` comment: a newline in a comment would end it and turn
/// the rest of the text into commands.
pub fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// Hands out bash variable names: `vl_` and the parts with every character outside
/// `[A-Za-z0-9_]` replaced by `_`, made unique with a numeric suffix when two parts
/// sanitise to the same name. The same plan always gets the same names.
#[derive(Default)]
pub struct VarNames {
    used: HashSet<String>,
}

impl VarNames {
    pub fn allocate(&mut self, step: &str, output: &str) -> String {
        let base = format!("vl_{}__{}", sanitise(step), sanitise(output));
        let mut name = base.clone();
        let mut n = 2;
        while self.used.contains(&name) {
            name = format!("{base}_{n}");
            n += 1;
        }
        self.used.insert(name.clone());
        name
    }
}

fn sanitise(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_single_quotes_and_keeps_expansions_literal() {
        assert_eq!(quote("plain"), "'plain'");
        assert_eq!(quote("it's"), r"'it'\''s'");
        assert_eq!(quote("$(rm -rf /)`x`$HOME"), "'$(rm -rf /)`x`$HOME'");
        assert_eq!(quote(""), "''");
    }

    #[test]
    fn comments_stay_on_one_line() {
        assert_eq!(one_line("a\nrm -rf /\r\tb"), "a rm -rf /  b");
    }

    #[test]
    fn variable_names_are_safe_and_unique() {
        let mut names = VarNames::default();
        assert_eq!(
            names.allocate("create.load_balancer.nlb", "LoadBalancerArn"),
            "vl_create_load_balancer_nlb__LoadBalancerArn"
        );
        assert_eq!(names.allocate("a-b", "Id"), "vl_a_b__Id");
        assert_eq!(names.allocate("a.b", "Id"), "vl_a_b__Id_2");
        assert_eq!(names.allocate("a b", "Id"), "vl_a_b__Id_3");
        assert_eq!(names.allocate("é'$", "x"), "vl______x");
    }
}
