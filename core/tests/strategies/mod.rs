//! Strategies shared by the property tests: arbitrary but well-typed topologies.
//!
//! Topologies are generated as JSON, then read by the real parser, so every generated
//! value is one a user could write.

use proptest::prelude::*;
use serde_json::{json, Map, Value};

// Ids per kind. Each map holds most of its kind's ids, and references mostly pick from
// the right kind, so about half the topologies resolve and the rules run on them; the rest
// dangle (VL001) or name another kind (VL002). `/`, `~` and spaces exercise JSON Pointer
// escaping.
const VPCS: &[&str] = &["app", "edge"];
const SUBNETS: &[&str] = &["a", "b/2"];
const SGS: &[&str] = &["nlb", "app~1"];
const ACLS: &[&str] = &["private", "nlb"];
const INSTANCES: &[&str] = &["web-1", "web-2"];
const LBS: &[&str] = &["nlb", "alb"];
const TGS: &[&str] = &["backend", "x y"];
const LINKS: &[&str] = &["link", "link2"];
const APIS: &[&str] = &["shop", "GET /x"];
const ALARMS: &[&str] = &["unhealthy", "errors"];
/// Anything at all: a dangling or wrong-kind reference.
const ANY_ID: &[&str] = &[
    "app", "nlb", "web-1", "backend", "link", "shop", "missing", "b/2",
];

/// A reference to a resource of the kind whose ids are `pool`.
fn id(pool: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop_oneof![
        150 => prop::sample::select(pool),
        1 => prop::sample::select(ANY_ID),
    ]
    .prop_map(str::to_owned)
}

fn ids(pool: &'static [&'static str], max: usize) -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(id(pool), 0..=max)
}

/// A JSON object from optional members; `None` members are left out, as a person would.
fn obj(members: Vec<(&str, Option<Value>)>) -> Value {
    let map: Map<String, Value> = members
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k.to_owned(), v)))
        .collect();
    Value::Object(map)
}

fn opt<T: Strategy>(s: T) -> impl Strategy<Value = Option<T::Value>> {
    prop::option::of(s)
}

fn pick(options: &'static [&'static str]) -> impl Strategy<Value = Value> {
    prop::sample::select(options).prop_map(|s| json!(s))
}

fn cidr() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => (any::<u32>(), 0u8..=32).prop_map(|(addr, len)| {
            let mask = if len == 0 { 0 } else { u32::MAX << (32 - len) };
            json!(format!("{}/{len}", std::net::Ipv4Addr::from(addr & mask)))
        }),
        1 => (any::<u128>(), 0u8..=128).prop_map(|(addr, len)| {
            let mask = if len == 0 { 0 } else { u128::MAX << (128 - len) };
            json!(format!("{}/{len}", std::net::Ipv6Addr::from(addr & mask)))
        }),
        // Blocks that overlap the example-like addresses, so coverage checks have work.
        2 => pick(&["10.0.0.0/16", "10.0.1.0/24", "10.0.100.0/22", "0.0.0.0/0", "::/0"]),
    ]
}

fn port() -> impl Strategy<Value = u16> {
    prop_oneof![3 => prop::sample::select(&[0u16, 80, 443, 1024, 8080, 65535][..]), 1 => any::<u16>()]
}

fn ports() -> impl Strategy<Value = Value> {
    prop_oneof![
        port().prop_map(|p| json!(p)),
        (port(), port()).prop_map(|(a, b)| json!(format!("{}-{}", a.min(b), a.max(b)))),
    ]
}

fn ip_protocol() -> impl Strategy<Value = Value> {
    prop_oneof![
        pick(&["tcp", "udp", "icmp", "icmpv6", "all", "-1", "47"]),
        Just(json!(-1)),
        Just(json!(6)),
    ]
}

fn lb_protocol() -> impl Strategy<Value = Value> {
    pick(&[
        "TCP", "TLS", "UDP", "TCP_UDP", "QUIC", "TCP_QUIC", "HTTP", "HTTPS", "GENEVE",
    ])
}

fn peer() -> impl Strategy<Value = Value> {
    prop_oneof![
        cidr().prop_map(|c| json!({ "cidr": c })),
        id(SGS).prop_map(|s| json!({ "security_group": s })),
        Just(json!({ "prefix_list": "pl-0123" })),
    ]
}

fn sg_rule(peer_key: &'static str) -> impl Strategy<Value = Value> {
    (ip_protocol(), opt(ports()), peer()).prop_map(move |(protocol, ports, peer)| {
        obj(vec![
            ("protocol", Some(protocol)),
            ("ports", ports),
            (peer_key, Some(peer)),
        ])
    })
}

fn nacl_entry() -> impl Strategy<Value = Value> {
    (
        prop_oneof![Just(100u32), Just(110), 0u32..40_000],
        ip_protocol(),
        opt(ports()),
        cidr(),
        pick(&["allow", "deny"]),
    )
        .prop_map(|(rule, protocol, ports, cidr, action)| {
            obj(vec![
                ("rule", Some(json!(rule))),
                ("protocol", Some(protocol)),
                ("ports", ports),
                ("cidr", Some(cidr)),
                ("action", Some(action)),
            ])
        })
}

fn az() -> impl Strategy<Value = Value> {
    pick(&[
        "us-east-1a",
        "us-east-1b",
        "us-east-1c",
        "us-west-2a",
        "us-west-2-lax-1a",
    ])
}

fn aws_id(kind: &'static str) -> impl Strategy<Value = Option<Value>> {
    // Mostly absent; a few candidates, so duplicates (VL005) still turn up.
    prop::option::weighted(
        0.15,
        prop::sample::select(&["1", "2", "3"][..]).prop_map(move |n| json!(format!("{kind}-{n}"))),
    )
}

fn arn(kind: &'static str) -> impl Strategy<Value = Option<Value>> {
    // Mostly absent, so two resources rarely claim the same ARN (VL005).
    prop::option::weighted(
        0.2,
        prop::sample::select(&["us-east-1", "eu-west-1"][..]).prop_map(move |region| {
            json!(format!(
                "arn:aws:elasticloadbalancing:{region}:123456789012:{kind}/abc/0123"
            ))
        }),
    )
}

/// A map holding each id of `pool` with high probability.
fn map_of<S: Strategy<Value = Value>>(
    pool: &'static [&'static str],
    value: S,
) -> impl Strategy<Value = Value> {
    prop::collection::vec((prop::bool::weighted(0.98), value), pool.len()).prop_map(move |v| {
        Value::Object(
            pool.iter()
                .zip(v)
                .filter(|(_, (present, _))| *present)
                .map(|(k, (_, value))| ((*k).to_owned(), value))
                .collect(),
        )
    })
}

fn vpc() -> impl Strategy<Value = Value> {
    (cidr(), prop::collection::vec(cidr(), 0..2), aws_id("vpc")).prop_map(|(c, sec, aws)| {
        obj(vec![
            ("cidr", Some(c)),
            ("secondary_cidrs", Some(json!(sec))),
            ("aws_id", aws),
        ])
    })
}

fn subnet() -> impl Strategy<Value = Value> {
    (id(VPCS), az(), cidr(), opt(id(ACLS)), aws_id("subnet")).prop_map(
        |(vpc, az, cidr, acl, aws)| {
            obj(vec![
                ("vpc", Some(json!(vpc))),
                ("az", Some(az)),
                ("cidr", Some(cidr)),
                ("network_acl", acl.map(Value::from)),
                ("aws_id", aws),
            ])
        },
    )
}

fn security_group() -> impl Strategy<Value = Value> {
    (
        id(VPCS),
        prop::collection::vec(sg_rule("source"), 0..3),
        opt(prop::collection::vec(sg_rule("destination"), 0..3)),
        aws_id("sg"),
    )
        .prop_map(|(vpc, ingress, egress, aws)| {
            obj(vec![
                ("vpc", Some(json!(vpc))),
                ("ingress", Some(json!(ingress))),
                ("egress", egress.map(Value::from)),
                ("aws_id", aws),
            ])
        })
}

fn network_acl() -> impl Strategy<Value = Value> {
    (
        id(VPCS),
        prop::collection::vec(nacl_entry(), 0..4),
        prop::collection::vec(nacl_entry(), 0..4),
        any::<bool>(),
        aws_id("acl"),
    )
        .prop_map(|(vpc, ingress, egress, default, aws)| {
            obj(vec![
                ("vpc", Some(json!(vpc))),
                ("ingress", Some(json!(ingress))),
                ("egress", Some(json!(egress))),
                ("default", Some(json!(default))),
                ("aws_id", aws),
            ])
        })
}

fn served_port() -> impl Strategy<Value = Value> {
    (
        port(),
        pick(&["TCP", "UDP", "TLS", "HTTP", "HTTPS"]),
        opt(pick(&["/health", "/", "/other"])),
        prop::collection::vec(
            pick(&["nlb.internal", "*.internal", "shop.example.com"]),
            0..2,
        ),
    )
        .prop_map(|(port, protocol, path, names)| {
            obj(vec![
                ("port", Some(json!(port))),
                ("protocol", Some(protocol)),
                ("health_path", path),
                ("certificate_names", Some(json!(names))),
            ])
        })
}

fn instance() -> impl Strategy<Value = Value> {
    (
        id(SUBNETS),
        ids(SGS, 2),
        opt(pick(&["10.0.1.10", "10.0.2.20", "fd00::1"])),
        opt(prop::collection::vec(served_port(), 0..3)),
        aws_id("i"),
    )
        .prop_map(|(subnet, sgs, ip, serves, aws)| {
            obj(vec![
                ("subnet", Some(json!(subnet))),
                ("security_groups", Some(json!(sgs))),
                ("private_ip", ip),
                ("serves", serves.map(Value::from)),
                ("aws_id", aws),
            ])
        })
}

fn listener() -> impl Strategy<Value = Value> {
    (
        port(),
        lb_protocol(),
        id(TGS),
        opt(Just(json!(
            "arn:aws:acm:us-east-1:123456789012:certificate/x"
        ))),
    )
        .prop_map(|(port, protocol, forward, cert)| {
            obj(vec![
                ("port", Some(json!(port))),
                ("protocol", Some(protocol)),
                ("forward", Some(json!(forward))),
                ("certificate", cert),
            ])
        })
}

fn load_balancer() -> impl Strategy<Value = Value> {
    (
        pick(&["network", "application", "gateway"]),
        opt(pick(&["internal", "internet-facing"])),
        ids(SUBNETS, 3),
        ids(SGS, 2),
        opt(any::<bool>()),
        opt(any::<bool>()),
        prop::collection::vec(listener(), 0..3),
        arn("loadbalancer/net"),
    )
        .prop_map(
            |(kind, scheme, subnets, sgs, cross, enforce, listeners, arn)| {
                obj(vec![
                    ("type", Some(kind)),
                    ("scheme", scheme),
                    ("subnets", Some(json!(subnets))),
                    ("security_groups", Some(json!(sgs))),
                    ("cross_zone", cross.map(Value::from)),
                    (
                        "enforce_inbound_rules_on_privatelink",
                        enforce.map(Value::from),
                    ),
                    ("listeners", Some(json!(listeners))),
                    ("arn", arn),
                ])
            },
        )
}

fn health_check() -> impl Strategy<Value = Value> {
    (
        opt(any::<bool>()),
        opt(lb_protocol()),
        opt(prop_oneof![
            Just(json!("traffic-port")),
            port().prop_map(|p| json!(p))
        ]),
        opt(pick(&["/health", "/", "health"])),
        opt(0u32..400),
        opt(0u32..150),
        opt(0u32..12),
        opt(0u32..12),
        opt(pick(&["200", "200-399", "200,204", "600", "x"])),
    )
        .prop_map(
            |(enabled, protocol, port, path, interval, timeout, healthy, unhealthy, matcher)| {
                obj(vec![
                    ("enabled", enabled.map(Value::from)),
                    ("protocol", protocol),
                    ("port", port),
                    ("path", path),
                    ("interval_seconds", interval.map(Value::from)),
                    ("timeout_seconds", timeout.map(Value::from)),
                    ("healthy_threshold", healthy.map(Value::from)),
                    ("unhealthy_threshold", unhealthy.map(Value::from)),
                    ("matcher", matcher),
                ])
            },
        )
}

/// A target whose id mostly fits the target type (`None`: instance, AWS's default), and
/// now and then does not (VL004, or VL001 for an IP in an instance group).
fn target(target_type: Option<&'static str>) -> impl Strategy<Value = Value> {
    let ip = prop::sample::select(&["10.0.1.5", "fd00::5"][..]).prop_map(str::to_owned);
    let id = match target_type {
        None | Some("instance") => prop_oneof![40 => id(INSTANCES), 1 => ip].boxed(),
        Some("ip") => prop_oneof![20 => ip, 1 => id(INSTANCES)].boxed(),
        Some("alb") => id(LBS).boxed(),
        _ => Just("arn:aws:lambda:us-east-1:123456789012:function:f".to_owned()).boxed(),
    };
    (id, opt(port()), opt(az())).prop_map(|(id, port, az)| {
        obj(vec![
            ("id", Some(json!(id))),
            ("port", port.map(Value::from)),
            ("az", az),
        ])
    })
}

fn target_group() -> impl Strategy<Value = Value> {
    let target_type = opt(prop_oneof![
        12 => Just("instance"),
        1 => prop::sample::select(&["ip", "alb", "lambda"][..]),
    ]);
    let typed = target_type.prop_flat_map(|tt| (Just(tt), prop::collection::vec(target(tt), 0..4)));
    (
        id(VPCS),
        lb_protocol(),
        port(),
        typed,
        opt(health_check()),
        opt(any::<bool>()),
        opt(pick(&["on", "off", "use_load_balancer_configuration"])),
        arn("targetgroup"),
    )
        .prop_map(
            |(vpc, protocol, port, (tt, targets), hc, preserve, cross, arn)| {
                obj(vec![
                    ("vpc", Some(json!(vpc))),
                    ("protocol", Some(protocol)),
                    ("port", Some(json!(port))),
                    ("target_type", tt.map(Value::from)),
                    ("health_check", hc),
                    ("targets", Some(json!(targets))),
                    ("preserve_client_ip", preserve.map(Value::from)),
                    ("cross_zone", cross),
                    ("arn", arn),
                ])
            },
        )
}

fn vpc_link() -> impl Strategy<Value = Value> {
    (ids(LBS, 3), ids(SUBNETS, 1), ids(SGS, 1), aws_id("vl")).prop_map(
        |(targets, subnets, sgs, aws)| {
            obj(vec![
                ("targets", Some(json!(targets))),
                ("subnets", Some(json!(subnets))),
                ("security_groups", Some(json!(sgs))),
                ("aws_id", aws),
            ])
        },
    )
}

fn integration() -> impl Strategy<Value = Value> {
    (
        pick(&["HTTP", "HTTP_PROXY", "AWS", "AWS_PROXY", "MOCK"]),
        opt(pick(&["INTERNET", "VPC_LINK"])),
        opt(prop_oneof![3 => id(LINKS), 1 => Just("${stageVariables.link}".to_owned())]),
        opt(pick(&[
            "http://nlb.internal:80/products",
            "https://nlb.internal/products",
            "http://h:8080",
            "ftp://x",
            "not a url",
        ])),
        opt((id(LBS), opt(port()))),
        opt(pick(&["GET", "POST", "ANY"])),
        opt(prop_oneof![Just(29_000u32), 0u32..60_000]),
        opt((any::<bool>(), opt(pick(&["nlb.internal"])))),
    )
        .prop_map(|(kind, conn, link, uri, target, method, timeout, tls)| {
            obj(vec![
                ("type", Some(kind)),
                ("connection_type", conn),
                ("vpc_link", link.map(Value::from)),
                ("uri", uri),
                (
                    "target",
                    target.map(|(lb, port)| {
                        obj(vec![
                            ("load_balancer", Some(json!(lb))),
                            ("port", port.map(Value::from)),
                        ])
                    }),
                ),
                ("method", method),
                ("timeout_ms", timeout.map(Value::from)),
                (
                    "tls",
                    tls.map(|(skip, name)| {
                        obj(vec![
                            ("insecure_skip_verification", Some(json!(skip))),
                            ("server_name_to_verify", name),
                        ])
                    }),
                ),
            ])
        })
}

fn stage() -> impl Strategy<Value = Value> {
    (
        opt(pick(&["OFF", "ERROR", "INFO"])),
        opt(any::<bool>()),
        opt(id(LINKS)),
    )
        .prop_map(|(logging, metrics, link)| {
            obj(vec![
                ("logging", logging),
                ("metrics", metrics.map(Value::from)),
                ("variables", link.map(|l| json!({ "link": l }))),
            ])
        })
}

fn api() -> impl Strategy<Value = Value> {
    let route_key = prop_oneof![
        40 => prop::sample::select(&["GET /products", "ANY /{proxy+}", "$default", "POST /a/b~c"][..]),
        1 => prop::sample::select(&["FETCH /x", "GET nope"][..]),
    ];
    (
        prop::collection::btree_map(route_key, integration(), 0..3),
        prop::collection::btree_map(prop::sample::select(&["prod", "dev"][..]), stage(), 0..3),
    )
        .prop_map(|(routes, stages)| {
            let routes: Map<String, Value> = routes
                .into_iter()
                .map(|(k, i)| (k.to_owned(), json!({ "integration": i })))
                .collect();
            let stages: Map<String, Value> =
                stages.into_iter().map(|(k, s)| (k.to_owned(), s)).collect();
            json!({ "routes": routes, "stages": stages })
        })
}

fn alarm() -> impl Strategy<Value = Value> {
    (
        pick(&["UnHealthyHostCount", "HealthyHostCount", "5XXError", "5xx"]),
        opt(pick(&["AWS/NetworkELB", "AWS/ApiGateway"])),
        opt(id(TGS)),
        opt(id(LBS)),
        opt(id(APIS)),
        opt(prop_oneof![Just(60u32), 0u32..700]),
        -5i32..5,
        prop::collection::vec(pick(&["TargetGroup", "LoadBalancer", "ApiName"]), 0..2),
    )
        .prop_map(|(metric, ns, tg, lb, api, period, threshold, dims)| {
            let dims: Vec<Value> = dims
                .into_iter()
                .map(|name| json!({ "name": name, "value": "x" }))
                .collect();
            obj(vec![
                ("metric", Some(metric)),
                ("namespace", ns),
                ("target_group", tg.map(Value::from)),
                ("load_balancer", lb.map(Value::from)),
                ("api", api.map(Value::from)),
                ("period_seconds", period.map(Value::from)),
                // Whole numbers: the JSON round trip of arbitrary floats is not exact.
                ("threshold", Some(json!(threshold))),
                ("dimensions", Some(json!(dims))),
            ])
        })
}

fn observed() -> impl Strategy<Value = Value> {
    let health = (
        prop_oneof![id(INSTANCES), Just("10.0.1.5".to_owned())],
        opt(port()),
        pick(&[
            "initial",
            "healthy",
            "unhealthy",
            "unhealthy.draining",
            "unused",
            "draining",
            "unavailable",
        ]),
        opt(pick(&["Target.FailedHealthChecks", "Target.NotInUse"])),
    )
        .prop_map(|(target, port, state, reason)| {
            obj(vec![
                ("target", Some(json!(target))),
                ("port", port.map(Value::from)),
                ("state", Some(state)),
                ("reason", reason),
            ])
        });
    (
        map_of(
            LINKS,
            pick(&["PENDING", "AVAILABLE", "DELETING", "FAILED", "INACTIVE"])
                .prop_map(|s| json!({ "status": s })),
        ),
        map_of(
            LBS,
            pick(&["provisioning", "active", "active_impaired", "failed"])
                .prop_map(|s| json!({ "state": s })),
        ),
        map_of(
            TGS,
            prop::collection::vec(health, 0..3).prop_map(Value::from),
        ),
        map_of(
            INSTANCES,
            pick(&[
                "pending",
                "running",
                "shutting-down",
                "terminated",
                "stopping",
                "stopped",
            ])
            .prop_map(|s| json!({ "state": s })),
        ),
    )
        .prop_map(|(links, lbs, health, instances)| {
            json!({ "vpc_links": links, "load_balancers": lbs,
                    "target_health": health, "instances": instances })
        })
}

pub fn topology_json() -> impl Strategy<Value = Value> {
    (
        (
            pick(&["us-east-1", "eu-west-1"]),
            opt(Just(json!("123456789012"))),
            map_of(VPCS, vpc()),
            map_of(SUBNETS, subnet()),
            map_of(SGS, security_group()),
            map_of(ACLS, network_acl()),
        ),
        (
            map_of(INSTANCES, instance()),
            map_of(LBS, load_balancer()),
            map_of(TGS, target_group()),
            map_of(LINKS, vpc_link()),
            map_of(APIS, api()),
            map_of(&["GET /x", "h"], api()),
            map_of(ALARMS, alarm()),
            opt(observed()),
        ),
    )
        .prop_map(
            |(
                (region, account, vpcs, subnets, sgs, acls),
                (inst, lbs, tgs, links, rest, http, alarms, obs),
            )| {
                obj(vec![
                    ("version", Some(json!(1))),
                    ("region", Some(region)),
                    ("account", account),
                    ("vpcs", Some(vpcs)),
                    ("subnets", Some(subnets)),
                    ("security_groups", Some(sgs)),
                    ("network_acls", Some(acls)),
                    ("instances", Some(inst)),
                    ("load_balancers", Some(lbs)),
                    ("target_groups", Some(tgs)),
                    ("vpc_links", Some(links)),
                    ("rest_apis", Some(rest)),
                    ("http_apis", Some(http)),
                    ("alarms", Some(alarms)),
                    ("observed", obs),
                ])
            },
        )
}
