//! Reading a topology from JSON or YAML text, with the JSON path (and line) of any error.

use serde::de::DeserializeOwned;
use serde_path_to_error::{Path, Segment};

use crate::error::{InputError, InputErrorKind};
use crate::model::{Topology, FORMAT_VERSION};
use crate::pointer::JsonPointer;

/// Parses JSON when the text starts with `{`, YAML otherwise (YAML is a superset of JSON,
/// but serde_json's messages are clearer for JSON input).
pub fn topology_from_str(text: &str) -> Result<Topology, InputError> {
    if text.trim_start().starts_with('{') {
        topology_from_json(text)
    } else {
        topology_from_yaml(text)
    }
}

pub fn topology_from_json(text: &str) -> Result<Topology, InputError> {
    let topo: Topology = from_json(text)?;
    check_version(topo)
}

pub fn topology_from_yaml(text: &str) -> Result<Topology, InputError> {
    let topo: Topology = from_yaml(text)?;
    check_version(topo)
}

/// Converts an already-parsed JSON value (bindings hand one over).
pub fn topology_from_value(value: serde_json::Value) -> Result<Topology, InputError> {
    let topo: Topology = serde_path_to_error::deserialize(value).map_err(|e| InputError {
        kind: InputErrorKind::Shape,
        message: e.inner().to_string(),
        path: Some(pointer(e.path())),
        line: None,
        column: None,
    })?;
    check_version(topo)
}

fn check_version(topo: Topology) -> Result<Topology, InputError> {
    if topo.version == FORMAT_VERSION {
        Ok(topo)
    } else {
        Err(InputError {
            kind: InputErrorKind::Version,
            message: format!(
                "format version {} is not supported; this build reads version {FORMAT_VERSION}",
                topo.version
            ),
            path: Some(JsonPointer::root().key("version")),
            line: None,
            column: None,
        })
    }
}

/// Deserialises any JSON document with path-annotated errors.
pub fn from_json<T: DeserializeOwned>(text: &str) -> Result<T, InputError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let inner = e.inner();
        let kind = if inner.is_syntax() || inner.is_eof() {
            InputErrorKind::Syntax
        } else {
            InputErrorKind::Shape
        };
        InputError {
            kind,
            message: strip_position(&inner.to_string()),
            path: (kind == InputErrorKind::Shape).then(|| pointer(e.path())),
            line: Some(inner.line()),
            column: Some(inner.column()),
        }
    })?;
    de.end().map_err(|e| InputError {
        kind: InputErrorKind::Syntax,
        message: strip_position(&e.to_string()),
        path: None,
        line: Some(e.line()),
        column: Some(e.column()),
    })?;
    Ok(value)
}

/// Deserialises any YAML document with path-annotated errors.
pub fn from_yaml<T: DeserializeOwned>(text: &str) -> Result<T, InputError> {
    let de = serde_yaml_ng::Deserializer::from_str(text);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let inner = e.inner();
        let location = inner.location();
        let path = pointer(e.path());
        // Scanner errors surface inside whatever field was being read; they are syntax.
        let kind = if is_yaml_syntax(inner) {
            InputErrorKind::Syntax
        } else {
            InputErrorKind::Shape
        };
        InputError {
            kind,
            message: strip_yaml_path(&strip_position(&inner.to_string()), e.path()),
            path: (kind == InputErrorKind::Shape).then_some(path),
            line: location.as_ref().map(|l| l.line()),
            column: location.as_ref().map(|l| l.column()),
        }
    })
}

fn is_yaml_syntax(e: &serde_yaml_ng::Error) -> bool {
    let text = e.to_string();
    text.contains("while scanning")
        || text.contains("while parsing")
        || text.contains("did not find expected")
        || text.contains("found character that cannot start")
        || text.contains("mapping values are not allowed")
        || text.contains("while scanning a quoted scalar")
        || text.contains("found unexpected end of stream")
}

/// serde's messages end with " at line L column C"; the position is reported separately.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

/// serde_yaml prefixes messages with the dotted path (`subnets.a: ...`); the JSON Pointer
/// is reported separately, so the prefix only repeats it.
fn strip_yaml_path(message: &str, path: &Path) -> String {
    let dotted = path.to_string();
    let mut prefix = dotted.as_str();
    loop {
        if let Some(rest) = message
            .strip_prefix(prefix)
            .and_then(|r| r.strip_prefix(": "))
        {
            if !prefix.is_empty() && prefix != "." {
                return rest.to_owned();
            }
        }
        match prefix.rfind(['.', '[']) {
            Some(i) => prefix = &prefix[..i],
            None => return message.to_owned(),
        }
    }
}

pub(crate) fn pointer(path: &Path) -> JsonPointer {
    path.iter().fold(JsonPointer::root(), |p, seg| match seg {
        Segment::Seq { index } => p.index(*index),
        Segment::Map { key } => p.key(key),
        Segment::Enum { variant } => p.key(variant),
        Segment::Unknown => p,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"{"version": 1, "region": "us-east-1"}"#;

    #[test]
    fn minimal_topology_parses() {
        let t = topology_from_str(MINIMAL).unwrap();
        assert_eq!(t.region.as_str(), "us-east-1");
    }

    #[test]
    fn bad_value_names_json_path_and_line() {
        let text = r#"{
  "version": 1,
  "region": "us-east-1",
  "vpcs": { "app": { "cidr": "10.0.0.0/16" } },
  "subnets": { "a": { "vpc": "app", "az": "us-east-1a", "cidr": "10.0.1.7/24" } }
}"#;
        let err = topology_from_str(text).unwrap_err();
        assert_eq!(err.kind, InputErrorKind::Shape);
        assert_eq!(err.path.unwrap().as_str(), "/subnets/a/cidr");
        assert_eq!(err.line, Some(5));
        assert!(err.message.contains("10.0.1.0/24"), "{}", err.message);
    }

    #[test]
    fn yaml_errors_carry_line_and_path() {
        let text = "version: 1\nregion: us-east-1\nload_balancers:\n  nlb:\n    type: network\n    listeners:\n      - port: 99999\n        protocol: TCP\n        forward: tg\n";
        let err = topology_from_str(text).unwrap_err();
        assert_eq!(
            err.path.as_ref().unwrap().as_str(),
            "/load_balancers/nlb/listeners/0/port"
        );
        assert_eq!(err.line, Some(7));
    }

    #[test]
    fn yaml_reads_rule_peers_as_one_key_maps() {
        let text = "version: 1\nregion: us-east-1\nvpcs: {app: {cidr: 10.0.0.0/16}}\nsecurity_groups:\n  app:\n    vpc: app\n    ingress:\n      - {protocol: tcp, ports: 8080, source: {security_group: app}}\n    egress:\n      - {protocol: all, destination: {cidr: 0.0.0.0/0}}\n";
        let t = topology_from_str(text).unwrap();
        let sg = t.security_groups.get("app").unwrap();
        assert_eq!(
            sg.ingress[0].source,
            crate::model::Peer::SecurityGroup("app".parse().unwrap())
        );
    }

    #[test]
    fn the_example_reads_the_same_as_yaml() {
        let value: serde_json::Value = serde_json::from_str(crate::examples::THREE_TIER).unwrap();
        let yaml = serde_yaml_ng::to_string(&value).unwrap();
        assert_eq!(
            topology_from_str(&yaml).unwrap(),
            topology_from_str(crate::examples::THREE_TIER).unwrap()
        );
    }

    #[test]
    fn yaml_messages_do_not_repeat_the_path() {
        let text = "version: 1\nregion: us-east-1\nvpcs:\n  app:\n    cidr: 10.0.0.5/16\n";
        let err = topology_from_str(text).unwrap_err();
        assert!(
            err.message.starts_with("`10.0.0.5/16` has host bits"),
            "{}",
            err.message
        );
    }

    #[test]
    fn duplicate_ids_are_refused() {
        let text = r#"{"version":1,"region":"us-east-1","vpcs":{"a":{"cidr":"10.0.0.0/16"},"a":{"cidr":"10.1.0.0/16"}}}"#;
        let err = topology_from_str(text).unwrap_err();
        assert!(err.message.contains("duplicate id `a`"), "{}", err.message);
        assert_eq!(err.path.unwrap().as_str(), "/vpcs");
    }

    #[test]
    fn unknown_fields_are_refused_with_their_place() {
        let text =
            r#"{"version":1,"region":"us-east-1","vpcs":{"a":{"cidr":"10.0.0.0/16","cdir":"x"}}}"#;
        let err = topology_from_str(text).unwrap_err();
        assert!(
            err.message.contains("unknown field `cdir`"),
            "{}",
            err.message
        );
        assert_eq!(err.path.unwrap().as_str(), "/vpcs/a/cdir");
    }

    #[test]
    fn syntax_errors_have_line_and_no_path() {
        let err = topology_from_str("{\n \"version\": 1,\n").unwrap_err();
        assert_eq!(err.kind, InputErrorKind::Syntax);
        assert_eq!(err.line, Some(3));
        let err = topology_from_str("version: 1\nregion: 'unterminated\n").unwrap_err();
        assert_eq!(err.kind, InputErrorKind::Syntax);
    }

    #[test]
    fn other_versions_are_refused() {
        let err = topology_from_str(r#"{"version": 2, "region": "us-east-1"}"#).unwrap_err();
        assert_eq!(err.kind, InputErrorKind::Version);
    }
}
