#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use super::mermaid;
use crate::model::Topology;

fn three_tier() -> Topology {
    crate::topology_from_str(include_str!("../../../../examples/three-tier.json")).unwrap()
}

/// A broken example's topology (core reads no files, even in tests).
macro_rules! broken {
    ($name:literal) => {
        crate::topology_from_str(include_str!(concat!(
            "../../../../examples/broken/",
            $name,
            "/topology.json"
        )))
        .unwrap()
    };
}

/// An edge as written: from, arrow, label, to.
type EdgeLine = (String, String, Option<String>, String);

/// Node and subgraph ids defined in the source, and the edges as (from, arrow, label, to).
fn parse(src: &str) -> (Vec<String>, Vec<EdgeLine>) {
    let mut defined = Vec::new();
    let mut edges = Vec::new();
    for line in src.lines().map(str::trim) {
        if let Some(rest) = line.strip_prefix("subgraph ") {
            defined.push(rest.split(' ').next().unwrap().to_owned());
        } else if let Some((from, rest)) = line
            .split_once(' ')
            .filter(|(_, r)| r.starts_with("-->") || r.starts_with("-.->"))
        {
            let arrow = if rest.starts_with("-->") {
                "-->"
            } else {
                "-.->"
            };
            let rest = &rest[arrow.len()..];
            let (label, to) = match rest.strip_prefix('|') {
                Some(r) => {
                    let (l, to) = r.split_once("| ").unwrap();
                    (Some(l.to_owned()), to)
                }
                None => (None, rest.trim_start()),
            };
            edges.push((from.to_owned(), arrow.to_owned(), label, to.to_owned()));
        } else if let Some(end) = line.find(['[', '(', '{']) {
            let id = &line[..end];
            if !id.is_empty() && !line.starts_with("%%") {
                defined.push(id.to_owned());
            }
        }
    }
    (defined, edges)
}

fn edge<'a>(edges: &'a [EdgeLine], from: &str, to: &str) -> &'a EdgeLine {
    edges
        .iter()
        .find(|e| e.0 == from && e.3 == to)
        .unwrap_or_else(|| panic!("no edge {from} → {to}"))
}

/// The line styles: style → indices.
fn styles(src: &str) -> Vec<(String, Vec<usize>)> {
    src.lines()
        .filter_map(|l| l.trim().strip_prefix("linkStyle "))
        .map(|rest| {
            let (idx, style) = rest.split_once(' ').unwrap();
            (
                style.to_owned(),
                idx.split(',').map(|i| i.parse().unwrap()).collect(),
            )
        })
        .collect()
}

fn style_of(src: &str, index: usize) -> String {
    styles(src)
        .into_iter()
        .find(|(_, list)| list.contains(&index))
        .map(|(s, _)| s)
        .unwrap_or_default()
}

fn index_of(edges: &[EdgeLine], from: &str, to: &str) -> usize {
    edges.iter().position(|e| e.0 == from && e.3 == to).unwrap()
}

const GREEN: &str = "stroke:#2e7d32,stroke-width:2px";
const RED: &str = "stroke:#c62828,stroke-width:2px,color:#c62828";

/// Every edge joins defined ids, every id is `[A-Za-z0-9_]`, every edge has one style.
fn well_formed(src: &str) {
    assert!(src.starts_with("flowchart LR\n"), "{src}");
    let (defined, edges) = parse(src);
    for id in &defined {
        assert!(
            id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
            "bad id {id}"
        );
    }
    let mut sorted = defined.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), defined.len(), "an id is defined twice");
    for (from, _, _, to) in &edges {
        assert!(defined.contains(from), "{from} undefined");
        assert!(defined.contains(to), "{to} undefined");
    }
    let mut styled: Vec<usize> = styles(src).into_iter().flat_map(|(_, l)| l).collect();
    styled.sort_unstable();
    assert_eq!(styled, (0..edges.len()).collect::<Vec<_>>());
    let subgraphs = src
        .lines()
        .filter(|l| l.trim().starts_with("subgraph "))
        .count();
    let ends = src.lines().filter(|l| l.trim() == "end").count();
    assert_eq!(subgraphs, ends);
}

#[test]
fn three_tier_is_all_green() {
    let src = mermaid(&three_tier()).unwrap();
    well_formed(&src);
    for line in [
        "  %% reachability: 3 paths, 3 reachable, 0 blocked, 0 unknown; health checks: 3 passing, 0 failing, 0 not run\n",
        "  subgraph rest_shop [\"REST API shop · stages: prod\"]\n    route_shop_GET__products[\"GET /products\"]\n  end\n",
        "  link_link{{\"VPC link link (shop-link)\"}}\n",
        "  subgraph vpc_app [\"VPC app (shop-vpc) · 10.0.0.0/16\"]\n",
        "    subgraph lb_nlb [\"NLB nlb (shop-nlb) · internal · subnets nlb-a, nlb-b\"]\n      listener_nlb_80([\"TCP :80\"])\n    end\n",
        "    tg_backend[[\"target group backend (shop-backend) · TCP 8080\"]]\n",
        "    subgraph az_app_us_east_1a [\"us-east-1a\"]\n      subnet_nlb_a[\"subnet nlb-a · 10.0.101.0/24\"]\n      subgraph subnet_private_a [\"subnet private-a · 10.0.1.0/24\"]\n        instance_web_1[\"web-1\"]\n        instance_web_3[\"web-3\"]\n      end\n    end\n",
        "  route_shop_GET__products --> link_link\n  link_link --> listener_nlb_80\n  listener_nlb_80 --> tg_backend\n  tg_backend -->|\":8080\"| instance_web_1\n",
        "  linkStyle 0,1,2,3,4,5 stroke:#2e7d32,stroke-width:2px\n",
        "  class instance_web_1,instance_web_3,instance_web_2 healthy\n",
    ] {
        assert!(src.contains(line), "missing {line:?} in\n{src}");
    }
    assert!(!src.contains("linkStyle 6"));
}

#[test]
fn a_blocked_target_port_is_a_red_edge_to_each_target() {
    let src = mermaid(&broken!("sg-missing-target-port")).unwrap();
    well_formed(&src);
    let (_, edges) = parse(&src);
    for (from, to) in [
        ("route_shop_GET__products", "link_link"),
        ("link_link", "listener_nlb_80"),
        ("listener_nlb_80", "tg_backend"),
    ] {
        assert_eq!(style_of(&src, index_of(&edges, from, to)), GREEN, "{from}");
    }
    for target in ["instance_web_1", "instance_web_2", "instance_web_3"] {
        let e = edge(&edges, "tg_backend", target);
        assert_eq!(e.1, "-->");
        assert_eq!(e.2.as_deref(), Some("\"ENI_SG_RULES_MISMATCH\""));
        assert_eq!(style_of(&src, index_of(&edges, "tg_backend", target)), RED);
    }
    assert!(src.contains("instance_web_1[\"web-1 · Target.FailedHealthChecks\"]"));
    assert!(src.contains("  class instance_web_1,instance_web_3,instance_web_2 unhealthy\n"));
    assert!(src.contains("  %% blocked: rest_apis shop `GET /products` → web-1:8080: ENI_SG_RULES_MISMATCH at /security_groups/app/ingress"));
}

#[test]
fn a_failed_link_blocks_the_route_edge() {
    let src = mermaid(&broken!("link-observed-failed")).unwrap();
    well_formed(&src);
    let (_, edges) = parse(&src);
    let e = edge(&edges, "route_shop_GET__products", "link_link");
    assert_eq!(e.2.as_deref(), Some("\"BAD_STATE\""));
    assert_eq!(style_of(&src, 0), RED);
    // Nothing walked past the link: its configured edge is grey and dotted.
    let e = edge(&edges, "link_link", "listener_nlb_80");
    assert_eq!(e.1, "-.->");
    assert_eq!(
        style_of(&src, index_of(&edges, "link_link", "listener_nlb_80")),
        "stroke:#9e9e9e"
    );
}

#[test]
fn a_missing_listener_is_drawn_where_the_path_looked_for_it() {
    let src = mermaid(&broken!("uri-port-without-listener")).unwrap();
    well_formed(&src);
    let (_, edges) = parse(&src);
    let e = edge(&edges, "link_link", "missing_nlb_8080");
    assert_eq!(e.2.as_deref(), Some("\"ELBV2_LISTENERS_MISMATCH\""));
    assert!(src.contains("      missing_nlb_8080([\"no TCP listener :8080\"])\n"));
    assert!(src.contains("  class missing_nlb_8080 missing\n"));

    let src = mermaid(&broken!("link-targets-alb")).unwrap();
    well_formed(&src);
    let (_, edges) = parse(&src);
    let e = edges.iter().find(|e| e.3.starts_with("missing_")).unwrap();
    assert_eq!(e.0, "link_link");
    assert_eq!(e.2.as_deref(), Some("\"VPC_LINK_TARGET_NOT_NLB\""));
}

#[test]
fn load_balancer_side_blocks_colour_the_edge_into_the_listener() {
    let src = mermaid(&broken!("privatelink-enforced")).unwrap();
    well_formed(&src);
    let (_, edges) = parse(&src);
    let e = edge(&edges, "link_link", "listener_nlb_80");
    assert_eq!(e.2.as_deref(), Some("\"ENI_SG_RULES_MISMATCH\""));
    assert_eq!(
        style_of(&src, index_of(&edges, "link_link", "listener_nlb_80")),
        RED
    );
    assert_eq!(style_of(&src, 0), GREEN);
}

#[test]
fn one_blocked_zone_leaves_the_other_targets_green() {
    let src = mermaid(&broken!("nlb-one-zone")).unwrap();
    well_formed(&src);
    let (_, edges) = parse(&src);
    assert_eq!(
        style_of(&src, index_of(&edges, "tg_backend", "instance_web_1")),
        GREEN
    );
    assert_eq!(
        style_of(&src, index_of(&edges, "tg_backend", "instance_web_3")),
        GREEN
    );
    let e = edge(&edges, "tg_backend", "instance_web_2");
    assert_eq!(e.2.as_deref(), Some("\"ELB_INSTALLED_AZ_RESTRICTION\""));
    assert!(src.contains("instance_web_2[\"web-2 · Target.NotInUse\"]"));
}

#[test]
fn an_unknown_verdict_is_a_comment_when_no_edge_exists() {
    let src = mermaid(&broken!("integration-without-connection-id")).unwrap();
    well_formed(&src);
    assert!(src.contains("  %% unknown: rest_apis shop `GET /products` : the integration's connection id resolves to no VPC link of this topology\n"));
    let (_, edges) = parse(&src);
    assert!(edges.iter().all(|e| e.0 != "route_shop_GET__products"));
}

#[test]
fn labels_and_ids_are_escaped() {
    let mut t = three_tier();
    let mut v = serde_json::to_value(&t).unwrap();
    v["vpcs"]["app"]["name"] = serde_json::json!("say \"hi\" #1 <b>`x`</b>");
    let web1 = v["instances"]["web-1"].take();
    v["instances"].as_object_mut().unwrap().remove("web-1");
    v["instances"]["we\"b]; x --> y"] = web1;
    v["target_groups"]["backend"]["targets"][0]["id"] = serde_json::json!("we\"b]; x --> y");
    t = crate::topology_from_value(v).unwrap();
    let src = mermaid(&t).unwrap();
    well_formed(&src);
    assert!(src.contains(
        "subgraph vpc_app [\"VPC app (say #quot;hi#quot; #35;1 #60;b#62;#96;x#96;#60;/b#62;) · 10.0.0.0/16\"]"
    ));
    assert!(src.contains("instance_we_b___x_____y[\"we#quot;b]; x --#62; y\"]"));
    assert!(src.contains("tg_backend -->|\":8080\"| instance_we_b___x_____y\n"));
}

#[test]
fn a_topology_with_dangling_references_is_still_drawn() {
    let mut v = serde_json::to_value(three_tier()).unwrap();
    v["instances"]["web-2"]["subnet"] = serde_json::json!("nope");
    let t = crate::topology_from_value(v).unwrap();
    let src = mermaid(&t).unwrap();
    well_formed(&src);
    assert!(src.contains("  %% reachability not evaluated: 1 reference problems; edges drawn from the references that resolve\n"));
    assert!(src.contains("/instances/web-2/subnet"));
    // web-2 has no subnet to sit in, so it is drawn at the top level.
    assert!(src.contains("\n  instance_web_2[\"web-2\"]\n"));
    let (_, edges) = parse(&src);
    assert!(
        edges.iter().all(|e| e.1 == "-.->"),
        "no verdicts without reachability"
    );
    edge(&edges, "link_link", "listener_nlb_80");
    edge(&edges, "tg_backend", "instance_web_2");
    assert!(!src.contains("linkStyle 0 stroke:#2e7d32"));
}
