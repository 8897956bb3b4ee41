//! Topology ids for imported resources: the resource's name (its `Name` tag, or the name
//! AWS keeps for it) when that name is present and unique within its kind, made safe to
//! read; otherwise the AWS id, which is always unique.

use std::collections::HashMap;

use crate::model::Id;

/// A name as a readable id: lower case ASCII letters, digits, `-`, `_` and `.`; any other
/// run of characters becomes one `-`.
pub fn sanitise(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_alphanumeric() || c == '_' || c == '.' {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches(|c| c == '-' || c == '.').to_owned()
}

/// One id per `(aws_id, name)`, in order. A sanitised name is used when exactly one
/// resource has it and it is not another resource's AWS id.
pub fn assign(items: &[(&str, Option<&str>)]) -> Vec<Option<Id>> {
    let sanitised: Vec<Option<String>> = items
        .iter()
        .map(|(_, name)| {
            name.map(sanitise)
                .filter(|s| !s.is_empty() && s.len() <= 255)
        })
        .collect();
    let mut count: HashMap<&str, usize> = HashMap::new();
    for s in sanitised.iter().flatten() {
        *count.entry(s.as_str()).or_default() += 1;
    }
    for (aws_id, _) in items {
        *count.entry(aws_id).or_default() += 1;
    }
    items
        .iter()
        .zip(&sanitised)
        .map(|((aws_id, _), s)| {
            let chosen = match s {
                Some(s) if count.get(s.as_str()) == Some(&1) => s.as_str(),
                _ => aws_id,
            };
            chosen.parse().ok()
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;

    #[test]
    fn names_are_made_readable() {
        assert_eq!(sanitise("Shop VPC (prod)"), "shop-vpc-prod");
        assert_eq!(sanitise("web-1"), "web-1");
        assert_eq!(sanitise("--/--"), "");
        assert_eq!(sanitise("Café"), "caf");
    }

    #[test]
    fn duplicate_or_missing_names_fall_back_to_aws_ids() {
        let ids = assign(&[
            ("sg-1", Some("default")),
            ("sg-2", Some("default")),
            ("sg-3", Some("App")),
            ("sg-4", None),
            ("sg-5", Some("sg-4")),
        ]);
        let ids: Vec<&str> = ids.iter().map(|i| i.as_ref().unwrap().as_str()).collect();
        assert_eq!(ids, ["sg-1", "sg-2", "app", "sg-4", "sg-5"]);
    }
}
