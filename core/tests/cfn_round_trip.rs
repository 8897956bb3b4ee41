//! Round trip through CloudFormation: a topology exported as a template and imported again
//! is the same topology (apart from `origin`, which only the import has).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests"
)]

use proptest::prelude::*;
use serde_json::{json, Value};
use vpclink_core::import::cloudformation::import_cloudformation;
use vpclink_core::render::cloudformation;
use vpclink_core::Topology;

const HTTP_API: &str = include_str!("../../examples/http-api.json");

/// Every place where two JSON values differ, as `pointer: left != right`.
fn differences(a: &Value, b: &Value, at: &str, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: std::collections::BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            for k in keys {
                let here = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                match (x.get(k), y.get(k)) {
                    (Some(l), Some(r)) => differences(l, r, &here, out),
                    (l, r) => out.push(format!("{here}: {l:?} != {r:?}")),
                }
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (l, r)) in x.iter().zip(y).enumerate() {
                differences(l, r, &format!("{at}/{i}"), out);
            }
        }
        _ if a != b => out.push(format!("{at}: {a} != {b}")),
        _ => {}
    }
}

/// What changes on the way through CloudFormation: every place where the imported
/// topology differs from `t`, and anything the import could not know or map (an exported
/// template declares only what the topology holds, so neither may happen).
fn round_trip_differences(t: &Topology) -> Result<Vec<String>, String> {
    let yaml = cloudformation(t).map_err(|e| format!("export: {e:?}"))?;
    let mut back =
        import_cloudformation(&yaml, None).map_err(|e| format!("import: {e}\n{yaml}"))?;
    let origin = back.origin.take().ok_or("the import records no origin")?;
    let mut out = Vec::new();
    differences(
        &serde_json::to_value(t).unwrap(),
        &serde_json::to_value(&back).unwrap(),
        "",
        &mut out,
    );
    if out.is_empty() && &back != t {
        out.push("the topologies serialise alike but differ".to_owned());
    }
    for u in &origin.unknowns {
        out.push(format!(
            "unknown at {}: {} ({})",
            u.path, u.expression, u.reason
        ));
    }
    for s in &origin.skipped {
        out.push(format!("skipped {} ({}): {}", s.name, s.kind, s.reason));
    }
    Ok(out)
}

fn assert_round_trips(t: &Topology, what: &str) {
    let diffs = round_trip_differences(t).unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(diffs.is_empty(), "{what} changed:\n{}", diffs.join("\n"));
}

#[test]
fn three_tier_example_round_trips() {
    let t = vpclink_core::topology_from_str(vpclink_core::examples::THREE_TIER).unwrap();
    assert_round_trips(&t, "examples/three-tier.json");
}

#[test]
fn http_api_example_round_trips() {
    let t = vpclink_core::topology_from_str(HTTP_API).unwrap();
    assert_round_trips(&t, "examples/http-api.json");
}

#[test]
fn synthetic_topologies_round_trip() {
    // One cell, and cells of two and three zones.
    for n in [0, 60, 200] {
        let t = vpclink_core::synth::topology(n).unwrap();
        assert_round_trips(&t, &format!("synth::topology({n})"));
    }
}

/// The comparison itself: a change on either side is found.
#[test]
fn differences_are_found() {
    let t = vpclink_core::topology_from_str(vpclink_core::examples::THREE_TIER).unwrap();
    let mut changed = t.clone();
    changed.region = "eu-west-1".parse().unwrap();
    let mut out = Vec::new();
    differences(
        &serde_json::to_value(&t).unwrap(),
        &serde_json::to_value(&changed).unwrap(),
        "",
        &mut out,
    );
    assert_eq!(out, ["/region: \"us-east-1\" != \"eu-west-1\""]);
}

// ---------------------------------------------------------------------------------------
// Generated topologies: synthetic cells (each shaped like the three-tier example) or the
// HTTP API example, then a few variations of the kind people write — names left out or
// equal to the id, defaults left to the export, explicit values the model implies, other
// rules, routes outside the link, stages, alarms — each one valid and within what the
// export declares.
//
// The arbitrary topologies of `tests/strategies` are not used here: they are built to
// probe the parser and the rules, so even those that resolve hold what no template can
// (a VPC link with both targets and subnets, repeated ids in lists, ports on an `all`
// rule, a path on a TCP health check, IPv6 primary blocks, existing resources and observed
// state that an export does not declare), and would only measure that.

/// The ids of `collection`, in order.
fn ids(doc: &Value, collection: &str) -> Vec<String> {
    doc[collection]
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

/// The member of `collection` that `pick` selects, as a mutable JSON object.
fn member<'a>(doc: &'a mut Value, collection: &str, pick: usize) -> Option<&'a mut Value> {
    let ids = ids(doc, collection);
    let id = ids.get(pick % ids.len().max(1))?.clone();
    doc.get_mut(collection)?.get_mut(&id)
}

/// Applies `f` to the value at `pointer` under `v`, when there is one.
fn at(v: &mut Value, pointer: &str, f: impl FnOnce(&mut Value)) {
    if let Some(x) = v.pointer_mut(pointer) {
        f(x);
    }
}

fn set(v: &mut Value, key: &str, value: Value) {
    if let Some(m) = v.as_object_mut() {
        m.insert(key.to_owned(), value);
    }
}

fn remove(v: &mut Value, key: &str) {
    if let Some(m) = v.as_object_mut() {
        m.remove(key);
    }
}

fn push(v: &mut Value, key: &str, item: Value) {
    if let Some(m) = v.as_object_mut() {
        let list = m.entry(key).or_insert_with(|| json!([]));
        if let Some(l) = list.as_array_mut() {
            l.push(item);
        }
    }
}

const NAMED: [&str; 11] = [
    "vpcs",
    "subnets",
    "security_groups",
    "network_acls",
    "instances",
    "load_balancers",
    "target_groups",
    "vpc_links",
    "rest_apis",
    "http_apis",
    "alarms",
];

/// One variation: `which` picks what to change, `pick` the resource, `v` how.
fn vary(doc: &mut Value, which: u8, pick: usize, v: u8) {
    match which % 16 {
        0 => {
            let coll = NAMED[usize::from(v) % NAMED.len()];
            let id = ids(doc, coll)
                .get(pick % ids(doc, coll).len().max(1))
                .cloned();
            let (Some(id), Some(r)) = (id.clone(), member(doc, coll, pick)) else {
                return;
            };
            match v / 16 % 3 {
                0 => remove(r, "name"),
                1 => set(r, "name", json!(id)),
                _ => set(r, "name", json!(format!("named-{v}"))),
            }
        }
        1 => {
            let Some(r) = member(doc, "instances", pick) else {
                return;
            };
            match v % 6 {
                0 => remove(r, "instance_type"),
                1 => set(r, "image_id", json!("ami-0123456789abcdef0")),
                2 => remove(r, "serves"),
                3 => set(r, "serves", json!([])),
                4 => set(
                    r,
                    "serves",
                    json!([{ "port": 8443, "protocol": "HTTPS", "health_path": "/",
                             "certificate_names": ["shop.example.internal", "*.internal"] },
                           { "port": 9000, "protocol": "TCP" }]),
                ),
                _ => set(r, "instance_type", json!("m7g.large")),
            }
        }
        2 => {
            let Some(r) = member(doc, "security_groups", pick) else {
                return;
            };
            match v % 6 {
                0 => remove(r, "egress"),
                1 => set(r, "egress", json!([])),
                2 => remove(r, "description"),
                3 => push(
                    r,
                    "ingress",
                    json!({ "protocol": "udp", "ports": "53", "source": { "cidr": "10.0.0.0/8" },
                            "description": "dns" }),
                ),
                4 => push(
                    r,
                    "ingress",
                    json!({ "protocol": "all", "source": { "prefix_list": "pl-0123456789abcdef0" } }),
                ),
                _ => push(
                    r,
                    "egress",
                    json!({ "protocol": "icmp", "destination": { "cidr": "0.0.0.0/0" } }),
                ),
            }
        }
        3 => {
            let Some(r) = member(doc, "network_acls", pick) else {
                return;
            };
            match v % 4 {
                0 => push(
                    r,
                    "ingress",
                    json!({ "rule": 50, "protocol": "tcp", "ports": "22", "cidr": "0.0.0.0/0",
                            "action": "deny" }),
                ),
                1 => push(
                    r,
                    "ingress",
                    json!({ "rule": 120, "protocol": "icmp", "cidr": "10.0.0.0/8", "action": "allow" }),
                ),
                2 => push(
                    r,
                    "egress",
                    json!({ "rule": 130, "protocol": "all", "cidr": "10.0.0.0/8", "action": "allow" }),
                ),
                _ => set(r, "ingress", json!([])),
            }
        }
        4 => {
            let Some(r) = member(doc, "target_groups", pick) else {
                return;
            };
            match v % 9 {
                0 => set(
                    r,
                    "health_check",
                    json!({ "protocol": "TCP", "port": "traffic-port" }),
                ),
                // A matcher only means something to HTTP(S) checks (AWS rejects it on TCP).
                1 => at(r, "/health_check", |h| {
                    if h["protocol"] == "HTTP" || h["protocol"] == "HTTPS" {
                        set(h, "matcher", json!("200-399"));
                    }
                }),
                2 => at(r, "/health_check", |h| set(h, "enabled", json!(true))),
                3 => at(r, "/health_check", |h| set(h, "port", json!(8081))),
                4 => set(r, "preserve_client_ip", json!(true)),
                5 => set(r, "cross_zone", json!("on")),
                6 => at(r, "/targets/0", |t| set(t, "port", json!(9090))),
                7 => remove(r, "health_check"),
                _ => set(r, "targets", json!([])),
            }
        }
        5 => {
            let Some(r) = member(doc, "load_balancers", pick) else {
                return;
            };
            match v % 6 {
                0 => remove(r, "cross_zone"),
                1 => set(r, "cross_zone", json!(true)),
                2 => remove(r, "enforce_inbound_rules_on_privatelink"),
                3 => set(r, "enforce_inbound_rules_on_privatelink", json!(true)),
                4 => set(r, "scheme", json!("internet-facing")),
                _ => {
                    let forward = r["listeners"][0]["forward"].clone();
                    push(
                        r,
                        "listeners",
                        json!({ "port": 443, "protocol": "TLS", "forward": forward,
                                "certificate": "arn:aws:acm:us-east-1:123456789012:certificate/abc" }),
                    );
                }
            }
        }
        6 => {
            let Some(api) = member(doc, "rest_apis", pick) else {
                return;
            };
            let r = &mut api["routes"]["GET /products"];
            match v % 6 {
                0 => remove(&mut r["integration"], "method"),
                1 => remove(&mut r["integration"], "timeout_ms"),
                2 => set(&mut r["integration"], "connection_type", json!("VPC_LINK")),
                3 => set(&mut r["integration"], "type", json!("HTTP")),
                4 => set(&mut r["integration"], "method", json!("POST")),
                _ => set(r, "authorization", json!("AWS_IAM")),
            }
        }
        7 => {
            let Some(api) = member(doc, "rest_apis", pick) else {
                return;
            };
            let r = &mut api["stages"]["prod"];
            match v % 7 {
                0 => remove(r, "logging"),
                1 => set(r, "logging", json!("OFF")),
                2 => set(r, "logging", json!("ERROR")),
                3 => remove(r, "metrics"),
                4 => set(r, "metrics", json!(false)),
                5 => set(r, "variables", json!({ "env": "prod" })),
                _ => set(
                    r,
                    "access_log_destination",
                    json!("arn:aws:logs:us-east-1:123456789012:log-group:api-access"),
                ),
            }
        }
        8 => {
            let Some(r) = member(doc, "alarms", pick) else {
                return;
            };
            match v % 8 {
                0 => remove(r, "statistic"),
                1 => remove(r, "period_seconds"),
                2 => remove(r, "evaluation_periods"),
                3 => remove(r, "comparison"),
                4 => remove(r, "treat_missing_data"),
                5 => remove(r, "load_balancer"),
                6 => set(r, "namespace", json!("AWS/NetworkELB")),
                _ => set(r, "threshold", json!(1.5)),
            }
        }
        9 => {
            let Some(r) = member(doc, "rest_apis", pick) else {
                return;
            };
            match v % 2 {
                0 => set(r, "endpoint_type", json!("EDGE")),
                _ => {
                    let link = r["routes"]["GET /products"]["integration"]["vpc_link"].clone();
                    set(
                        &mut r["routes"],
                        "ANY /items/{id}",
                        json!({ "integration": { "type": "HTTP_PROXY", "vpc_link": link,
                                "uri": "http://nlb.internal/items/{id}" } }),
                    );
                }
            }
        }
        10 => {
            let Some(r) = member(doc, "vpcs", pick) else {
                return;
            };
            push(r, "secondary_cidrs", json!("100.64.0.0/16"));
        }
        11 => {
            let Some(r) = member(doc, "subnets", pick) else {
                return;
            };
            remove(r, "network_acl");
        }
        12 => {
            let Some(api) = member(doc, "http_apis", pick) else {
                return;
            };
            let Some(key) = ids(api, "routes").first().cloned() else {
                return;
            };
            let r = &mut api["routes"][&key];
            match v % 5 {
                0 => remove(&mut r["integration"], "method"),
                1 => set(&mut r["integration"], "connection_type", json!("VPC_LINK")),
                2 => set(r, "authorization", json!("NONE")),
                3 => set(r, "authorization", json!("AWS_IAM")),
                _ => remove(&mut r["integration"], "timeout_ms"),
            }
        }
        13 => {
            let Some(api) = member(doc, "http_apis", pick) else {
                return;
            };
            let Some(key) = ids(api, "stages").first().cloned() else {
                return;
            };
            let r = &mut api["stages"][&key];
            match v % 5 {
                0 => remove(r, "logging"),
                1 => set(r, "logging", json!("ERROR")),
                2 => remove(r, "metrics"),
                3 => set(r, "variables", json!({ "color": "blue" })),
                _ => set(
                    r,
                    "access_log_destination",
                    json!("arn:aws:logs:us-east-1:123456789012:log-group:http-access"),
                ),
            }
        }
        14 => {
            // Routes outside the VPC link: over the internet, and a mock.
            let coll = if v % 2 == 0 { "rest_apis" } else { "http_apis" };
            let Some(api) = member(doc, coll, pick) else {
                return;
            };
            let integration = match v / 2 % 4 {
                0 => json!({ "type": "HTTP_PROXY", "uri": "https://example.com/{proxy}" }),
                1 => json!({ "type": "HTTP_PROXY", "uri": "https://example.com/{proxy}",
                             "connection_type": "INTERNET", "method": "ANY" }),
                2 => json!({ "type": "MOCK" }),
                _ => json!({ "type": "MOCK", "method": "GET" }),
            };
            let mut route = json!({ "integration": integration });
            if v / 8 % 2 == 0 {
                set(&mut route, "authorization", json!("NONE"));
            }
            set(&mut api["routes"], "GET /outside/{proxy+}", route);
        }
        _ => match v % 3 {
            0 => set(doc, "account", json!("123456789012")),
            1 => {
                // An IP target group beside the instance one.
                let Some(vpc) = ids(doc, "vpcs").first().cloned() else {
                    return;
                };
                set(
                    &mut doc["target_groups"],
                    "ip-backend",
                    json!({ "vpc": vpc, "protocol": "TCP", "port": 8080, "target_type": "ip",
                            "targets": [{ "id": "10.0.1.10" }, { "id": "10.0.2.10", "port": 8081 }],
                            "preserve_client_ip": false,
                            "health_check": { "protocol": "TCP", "port": "traffic-port",
                                              "interval_seconds": 10 } }),
                );
            }
            _ => {
                let Some(r) = member(doc, "vpc_links", pick) else {
                    return;
                };
                remove(r, "security_groups");
            }
        },
    }
}

fn varied_topology() -> impl Strategy<Value = Topology> {
    (
        prop_oneof![Just(1usize), 0usize..120],
        prop::collection::vec((any::<u8>(), any::<usize>(), any::<u8>()), 0..6),
    )
        .prop_map(|(size, variations)| {
            // Size 1 stands for the HTTP API example; the others are synthetic cells.
            let base = if size == 1 {
                vpclink_core::topology_from_str(HTTP_API).unwrap()
            } else {
                vpclink_core::synth::topology(size).unwrap()
            };
            let mut doc = serde_json::to_value(base).unwrap();
            for (which, pick, v) in variations {
                vary(&mut doc, which, pick, v);
            }
            vpclink_core::topology_from_value(doc).unwrap()
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn varied_synthetic_topologies_round_trip(t in varied_topology()) {
        let diffs = round_trip_differences(&t).map_err(TestCaseError::fail)?;
        prop_assert!(diffs.is_empty(), "changed:\n{}", diffs.join("\n"));
    }
}

/// Each variation alone, in each of its forms, on both bases: a failure names the one
/// change that does not survive, where the property test shows a combination.
#[test]
fn every_single_variation_round_trips() {
    let bases = [
        vpclink_core::synth::topology(0).unwrap(),
        vpclink_core::topology_from_str(HTTP_API).unwrap(),
    ];
    let mut failures = Vec::new();
    for base in &bases {
        for which in 0..16u8 {
            // Every form: `v % n` and `v / 2`, `v / 8` for n up to 9; the names take
            // `v / 16 % 3` of each collection.
            let forms = if which == 0 { 48 } else { 18 };
            for v in 0..forms {
                let mut doc = serde_json::to_value(base).unwrap();
                vary(&mut doc, which, 0, v);
                let t = vpclink_core::topology_from_value(doc).unwrap();
                match round_trip_differences(&t) {
                    Ok(d) => failures.extend(d.into_iter().map(|d| format!("{which}/{v}: {d}"))),
                    Err(e) => failures.push(format!("{which}/{v}: {e}")),
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
