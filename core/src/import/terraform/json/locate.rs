//! Where each resource's `"address"` is written in the JSON text, so that findings on a
//! plan or state point at a line and column (a single line, for the compact JSON terraform
//! prints, still has its column).

use std::collections::HashMap;

/// The first position (1-based line and column) of every `"address": "<value>"` after
/// the first occurrence of `section` (a quoted key such as `"planned_values"`).
pub fn addresses(text: &str, section: &str) -> HashMap<String, (u32, u32)> {
    let mut out = HashMap::new();
    let start = text.find(section).unwrap_or(0);
    let bytes = text.as_bytes();
    let mut from = start;
    while let Some(found) = text.get(from..).and_then(|t| t.find("\"address\"")) {
        let key = from + found;
        from = key + "\"address\"".len();
        let mut k = from;
        while bytes.get(k).is_some_and(u8::is_ascii_whitespace) {
            k += 1;
        }
        if bytes.get(k) != Some(&b':') {
            continue;
        }
        k += 1;
        while bytes.get(k).is_some_and(u8::is_ascii_whitespace) {
            k += 1;
        }
        if bytes.get(k) != Some(&b'"') {
            continue;
        }
        let mut end = k + 1;
        let mut escaped = false;
        while let Some(&b) = bytes.get(end) {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => break,
                _ => {}
            }
            end += 1;
        }
        let Some(literal) = text.get(k..=end) else {
            break;
        };
        let Ok(address) = serde_json::from_str::<String>(literal) else {
            continue;
        };
        out.entry(address).or_insert_with(|| position(text, key));
        from = end + 1;
    }
    out
}

fn position(text: &str, offset: usize) -> (u32, u32) {
    let before = text.get(..offset).unwrap_or_default();
    let line = before.matches('\n').count() + 1;
    let column = before.rfind('\n').map_or(before.chars().count(), |i| {
        before.get(i + 1..).unwrap_or_default().chars().count()
    }) + 1;
    (
        u32::try_from(line).unwrap_or(u32::MAX),
        u32::try_from(column).unwrap_or(u32::MAX),
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;

    #[test]
    fn finds_each_address_after_the_section() {
        let text = "{\"configuration\": {\"address\": \"aws_vpc.a\"},\n \"values\": {\"root_module\": {\"resources\": [\n  {\"address\" : \"aws_vpc.a\"},\n  {\"address\":\"aws_subnet.b[\\\"x\\\"]\"}]}}}";
        let found = addresses(text, "\"values\"");
        assert_eq!(found.get("aws_vpc.a"), Some(&(3, 4)));
        assert_eq!(found.get("aws_subnet.b[\"x\"]"), Some(&(4, 4)));
    }
}
