//! Names for exported resources, made from topology ids: CloudFormation logical ids
//! (PascalCase, `[A-Za-z0-9]`) and Terraform resource names (snake_case identifiers).
//!
//! Names are deterministic: the same topology always gives the same names, because the
//! exports allocate them in the topology's id order. Two ids that flatten to the same name
//! (`web-1` and `web_1`) stay apart: the first keeps the plain name, each later one gets a
//! suffix hashed from its own id, so it does not depend on what else the topology holds.

use std::collections::HashSet;

/// FNV-1a, 64 bits: a small stable hash (the exports must not depend on a random seed).
pub(super) fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// Eight hex digits of [`fnv1a64`] of `text`, upper case.
pub(super) fn short_hash(text: &str) -> String {
    format!("{:08X}", fnv1a64(text.as_bytes()) >> 32)
}

/// `private-a` → `PrivateA`, `web_1` → `Web1`, `{proxy+}` → `Proxy`. Characters other than
/// ASCII letters and digits separate words and are dropped; letters inside a word keep
/// their case (`myNLB` → `MyNLB`).
pub(super) fn pascal(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split(|c: char| !c.is_ascii_alphanumeric()) {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars);
        }
    }
    out
}

/// `private-a` → `private_a`, `webServer` → `web_server`, `GET /products` →
/// `get_products`. Only ASCII lower-case letters, digits and single underscores remain.
pub(super) fn snake(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    let mut prev_lower_or_digit = false;
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            if c.is_ascii_uppercase() && prev_lower_or_digit && !out.ends_with('_') {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
            prev_lower_or_digit = c.is_ascii_lowercase() || c.is_ascii_digit();
        } else {
            if !out.is_empty() && !out.ends_with('_') {
                out.push('_');
            }
            prev_lower_or_digit = false;
        }
    }
    while out.ends_with('_') {
        out.pop();
    }
    out
}

/// How a suffix joins a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Style {
    /// CloudFormation logical ids: `Name1A2B3C4D`.
    Pascal,
    /// Terraform names: `name_1a2b3c4d`.
    Snake,
}

/// The names taken so far in one namespace.
#[derive(Debug)]
pub(super) struct Names {
    style: Style,
    used: HashSet<String>,
}

impl Names {
    pub(super) fn new(style: Style) -> Self {
        Names {
            style,
            used: HashSet::new(),
        }
    }

    /// Marks `name` as taken (a parameter, a data source) without checking.
    pub(super) fn reserve(&mut self, name: &str) {
        self.used.insert(name.to_owned());
    }

    /// `candidate` if it is free, otherwise `candidate` with a suffix hashed from `seed`
    /// (the resource's own identity, such as its kind and id), otherwise a counter too.
    pub(super) fn unique(&mut self, candidate: String, seed: &str) -> String {
        if self.used.insert(candidate.clone()) {
            return candidate;
        }
        let hash = short_hash(seed);
        let hashed = match self.style {
            Style::Pascal => format!("{candidate}{hash}"),
            Style::Snake => format!("{candidate}_{}", hash.to_ascii_lowercase()),
        };
        if self.used.insert(hashed.clone()) {
            return hashed;
        }
        let mut n: u64 = 2;
        loop {
            let next = match self.style {
                Style::Pascal => format!("{hashed}{n}"),
                Style::Snake => format!("{hashed}_{n}"),
            };
            if self.used.insert(next.clone()) {
                return next;
            }
            n += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pascal_and_snake_cases() {
        assert_eq!(pascal("private-a"), "PrivateA");
        assert_eq!(pascal("web_1"), "Web1");
        assert_eq!(pascal("/products/{id}"), "ProductsId");
        assert_eq!(pascal("{proxy+}"), "Proxy");
        assert_eq!(pascal("myNLB"), "MyNLB");
        assert_eq!(pascal("a\"b${x}"), "ABX");
        assert_eq!(pascal("日本"), "");
        assert_eq!(snake("private-a"), "private_a");
        assert_eq!(snake("webServer"), "web_server");
        assert_eq!(snake("GET /products/{id}"), "get_products_id");
        assert_eq!(snake("MyNLB"), "my_nlb");
        assert_eq!(snake("--x--"), "x");
        assert_eq!(
            snake("<img src=x onerror=alert(1)>"),
            "img_src_x_onerror_alert_1"
        );
    }

    #[test]
    fn colliding_names_get_a_hash_of_their_own_seed() {
        let mut names = Names::new(Style::Pascal);
        assert_eq!(names.unique("Web1".into(), "instances/web-1"), "Web1");
        let second = names.unique("Web1".into(), "instances/web_1");
        assert_eq!(second, format!("Web1{}", short_hash("instances/web_1")));
        // The same seed again (cannot happen for distinct ids, but must still be unique).
        let third = names.unique("Web1".into(), "instances/web_1");
        assert_eq!(third, format!("{second}2"));

        let mut tf = Names::new(Style::Snake);
        assert_eq!(tf.unique("web_1".into(), "a"), "web_1");
        let h = short_hash("b").to_ascii_lowercase();
        assert_eq!(tf.unique("web_1".into(), "b"), format!("web_1_{h}"));
    }

    #[test]
    fn hash_is_stable() {
        // FNV-1a 64 of the empty string is its offset basis.
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(short_hash("a"), "AF63DC4C");
    }
}
