//! Reading a topology from JSON or YAML text, with the JSON path (and line) of any error.
//!
//! The model is deserialised from JSON text only: YAML and values the bindings hand over
//! are written as JSON first. Deserialising it from each format's own reader put a copy of
//! the whole model's deserialisation per format into the program (the largest part of the
//! WebAssembly module), and JSON text is the fastest of them to read. Shape errors in YAML
//! get their line and column from the YAML afterwards, by their JSON Pointer.

mod expect;
pub(crate) mod json_path;
mod yaml;

use serde::de::IgnoredAny;
use serde::Deserialize;
use serde_json::Value;

use self::json_path::strip_position;
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
    let topo = from_json_text(text)?;
    check_version(topo).map_err(|mut e| {
        if let Some(path) = &e.path {
            (e.line, e.column) = crate::import::aws::locate::locate(text, path.as_str())
                .map(|(line, column)| (widen(line), widen(column)))
                .unzip();
        }
        e
    })
}

pub fn topology_from_yaml(text: &str) -> Result<Topology, InputError> {
    let tree = yaml::parse(text)?;
    let value = yaml::to_value(&tree, &JsonPointer::root(), expect::Expect::topology())?;
    topology_located(&value, |pointer| yaml::locate(&tree, pointer))
}

/// Converts an already-parsed JSON value (bindings hand one over).
pub fn topology_from_value(value: Value) -> Result<Topology, InputError> {
    topology_located(&value, |_| None)
}

/// The topology in `value`, through its JSON text; `locate` gives the line and column of a
/// JSON Pointer in the text the value was read from (positions in the JSON written here
/// would mean nothing to the reader).
fn topology_located(
    value: &Value,
    locate: impl Fn(&str) -> Option<(usize, usize)>,
) -> Result<Topology, InputError> {
    let relocate = |mut e: InputError| {
        (e.line, e.column) = match &e.path {
            Some(path) => nearest(path.as_str(), &locate).unzip(),
            None => (None, None),
        };
        e
    };
    let topo = from_json_text(&value.to_string()).map_err(relocate)?;
    check_version(topo).map_err(relocate)
}

/// The position of `pointer`, or of its nearest ancestor in the text (a missing field is
/// reported at the object that lacks it).
fn nearest(
    pointer: &str,
    locate: &impl Fn(&str) -> Option<(usize, usize)>,
) -> Option<(usize, usize)> {
    let mut at = pointer;
    loop {
        if let Some(found) = locate(at) {
            return Some(found);
        }
        at = &at[..at.rfind('/')?];
    }
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

/// The one place the model is deserialised: from JSON text, with the JSON path of a shape
/// error and the line and column where serde_json met it.
fn from_json_text(text: &str) -> Result<Topology, InputError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let topo = Topology::deserialize(&mut de).map_err(|e| {
        // serde_json calls some wrong kinds of value syntax errors (`null` where an enum
        // is expected: "expected value"); in a document that is valid JSON they are shape
        // errors, with a path.
        let kind =
            if (e.is_syntax() || e.is_eof()) && serde_json::from_str::<IgnoredAny>(text).is_err() {
                InputErrorKind::Syntax
            } else {
                InputErrorKind::Shape
            };
        InputError {
            kind,
            message: strip_position(&e.to_string()),
            path: (kind == InputErrorKind::Shape).then(|| json_path::pointer_of::<Topology>(text)),
            line: Some(e.line()),
            column: Some(e.column()),
        }
    })?;
    de.end().map_err(|e| InputError {
        kind: InputErrorKind::Syntax,
        message: strip_position(&e.to_string()),
        path: None,
        line: Some(e.line()),
        column: Some(e.column()),
    })?;
    Ok(topo)
}

fn widen(n: u32) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
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
        // The second `a`: serde_json stopped just past it (byte 72).
        assert_eq!(err.path.unwrap().as_str(), "/vpcs/a");
        assert_eq!((err.line, err.column), (Some(1), Some(72)));
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
    fn yaml_repeated_keys_and_tags_are_refused_at_their_line() {
        let text = "version: 1\nregion: us-east-1\nvpcs:\n  a: {cidr: 10.0.0.0/16}\n  a: {cidr: 10.1.0.0/16}\n";
        let err = topology_from_str(text).unwrap_err();
        assert!(err.message.contains("duplicate key `a`"), "{}", err.message);
        assert_eq!(err.path.unwrap().as_str(), "/vpcs");
        assert_eq!((err.line, err.column), (Some(5), Some(3)));

        let text = "version: 1\nregion: !Ref Region\n";
        let err = topology_from_str(text).unwrap_err();
        assert_eq!(err.kind, InputErrorKind::Shape);
        assert!(err.message.contains("`!Ref`"), "{}", err.message);
        assert_eq!(err.path.unwrap().as_str(), "/region");
        assert_eq!(err.line, Some(2));
    }

    #[test]
    fn deep_yaml_nesting_is_refused_quickly() {
        // The YAML reader bounds nesting; 100,000 open brackets used to take seconds.
        let text = format!("version: 1\nregion: {}", "[".repeat(100_000));
        let err = topology_from_str(&text).unwrap_err();
        assert_eq!(err.kind, InputErrorKind::Syntax);
        // saphyr-parser's own limit or the tree builder's, whichever is met first.
        assert!(
            err.message.contains("recursion limit") || err.message.contains("nested more than"),
            "{}",
            err.message
        );
        assert_eq!(err.line, Some(2));
    }

    #[test]
    fn a_missing_field_is_reported_at_the_object_that_lacks_it() {
        let text = "{\n \"version\": 1,\n \"region\": \"us-east-1\",\n \"vpcs\": {\n  \"app\": {\"name\": \"x\"}\n }\n}";
        let err = topology_from_str(text).unwrap_err();
        assert!(
            err.message.contains("missing field `cidr`"),
            "{}",
            err.message
        );
        assert_eq!(err.path.as_ref().unwrap().as_str(), "/vpcs/app");
        assert_eq!(err.line, Some(5));
        let yaml = "version: 1\nregion: us-east-1\nvpcs:\n  app:\n    name: x\n";
        let err = topology_from_str(yaml).unwrap_err();
        assert_eq!(err.path.as_ref().unwrap().as_str(), "/vpcs/app");
        assert_eq!(err.line, Some(5));
    }

    #[test]
    fn json_and_yaml_and_value_give_the_same_shape_error() {
        let json =
            r#"{"version":1,"region":"us-east-1","vpcs":{"a":{"cidr":"10.0.0.0/16","cdir":"x"}}}"#;
        let yaml = "version: 1\nregion: us-east-1\nvpcs: {a: {cidr: 10.0.0.0/16, cdir: x}}\n";
        let value: serde_json::Value = serde_json::from_str(json).unwrap();
        let errors = [
            topology_from_str(json).unwrap_err(),
            topology_from_str(yaml).unwrap_err(),
            topology_from_value(value).unwrap_err(),
        ];
        for e in &errors {
            assert_eq!(
                (e.kind, &e.message, &e.path),
                (errors[0].kind, &errors[0].message, &errors[0].path)
            );
        }
        assert_eq!(errors[2].line, None);
    }

    #[test]
    fn null_where_a_choice_is_expected_is_a_shape_error_with_its_place() {
        let acl = |action: &str| {
            format!(
                r#"{{"version":1,"region":"us-east-1","vpcs":{{"app":{{"cidr":"10.0.0.0/16"}}}},
"network_acls":{{"p":{{"vpc":"app","ingress":[{{"rule":100,"protocol":"tcp","ports":"80","cidr":"10.0.0.0/16","action":{action}}}]}}}}}}"#
            )
        };
        assert!(topology_from_str(&acl(r#""allow""#)).is_ok());
        let err = topology_from_str(&acl("null")).unwrap_err();
        assert_eq!(err.kind, InputErrorKind::Shape);
        assert_eq!(
            err.path.unwrap().as_str(),
            "/network_acls/p/ingress/0/action"
        );
        assert_eq!(err.line, Some(2));
        let yaml = "version: 1\nregion: us-east-1\nvpcs: {app: {cidr: 10.0.0.0/16}}\nnetwork_acls:\n  p:\n    vpc: app\n    ingress:\n    - {rule: 100, protocol: tcp, ports: '80', cidr: 10.0.0.0/16, action: }\n";
        let err = topology_from_str(yaml).unwrap_err();
        assert_eq!(err.kind, InputErrorKind::Shape);
        assert_eq!(err.line, Some(8));
    }

    #[test]
    fn plain_yaml_scalars_are_text_where_the_topology_takes_text() {
        // As serde_yaml read them: `name: 2024` is the name "2024", numbers stay numbers
        // where numbers are meant, and "007" keeps its zeros.
        let text = "version: 1\nregion: us-east-1\nvpcs:\n  app: {cidr: 10.0.0.0/16, name: 2024, aws_id: 007}\nsecurity_groups:\n  web:\n    vpc: app\n    description: true\nnetwork_acls:\n  p:\n    vpc: app\n    ingress:\n    - {rule: 100, protocol: tcp, ports: 80, cidr: 10.0.0.0/16, action: allow}\n";
        let t = topology_from_str(text).unwrap();
        let vpc = t.vpcs.get("app").unwrap();
        assert_eq!(vpc.name.as_deref(), Some("2024"));
        assert_eq!(vpc.aws_id.as_deref(), Some("007"));
        let sg = t.security_groups.get("web").unwrap();
        assert_eq!(sg.description.as_deref(), Some("true"));
        // A rule number is a number: read as text, it would not deserialise at all.
        let acl = serde_json::to_value(t.network_acls.get("p").unwrap()).unwrap();
        assert_eq!(acl["ingress"][0]["rule"], serde_json::json!(100));
    }

    #[test]
    fn other_versions_are_refused() {
        let err = topology_from_str(r#"{"version": 2, "region": "us-east-1"}"#).unwrap_err();
        assert_eq!(err.kind, InputErrorKind::Version);
        assert_eq!((err.line, err.column), (Some(1), Some(13)));
    }
}
