//! One pass over the topology: resolve every reference, build every index.

use std::collections::BTreeMap;

use super::codes::*;
use super::Lookups;
use super::*;
use crate::diagnostic::{Diagnostic, ResourceRef};

/// The collections and the words people use for them, for messages.
const KINDS: &[(&str, &str)] = &[
    ("vpcs", "VPC"),
    ("subnets", "subnet"),
    ("security_groups", "security group"),
    ("network_acls", "network ACL"),
    ("instances", "instance"),
    ("load_balancers", "load balancer"),
    ("target_groups", "target group"),
    ("vpc_links", "VPC link"),
    ("rest_apis", "REST API"),
    ("http_apis", "HTTP API"),
    ("alarms", "alarm"),
];

fn noun(kind: &str) -> &'static str {
    KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, n)| *n)
        .unwrap_or("resource")
}

fn contains(t: &Topology, by_id: &Lookups<'_>, kind: &str, id: &str) -> bool {
    match kind {
        "vpcs" => t.vpcs.contains(id),
        "subnets" => by_id.subnets.contains_key(id),
        "security_groups" => by_id.security_groups.contains_key(id),
        "network_acls" => by_id.network_acls.contains_key(id),
        "instances" => by_id.instances.contains_key(id),
        "load_balancers" => by_id.load_balancers.contains_key(id),
        "target_groups" => by_id.target_groups.contains_key(id),
        "vpc_links" => t.vpc_links.contains(id),
        "rest_apis" => t.rest_apis.contains(id),
        "http_apis" => t.http_apis.contains(id),
        "alarms" => t.alarms.contains(id),
        _ => false,
    }
}

struct Resolver<'t> {
    topology: &'t Topology,
    by_id: Lookups<'t>,
    errors: Vec<Diagnostic>,
}

impl<'t> Resolver<'t> {
    /// Checks that `id` names a resource in `kind`; reports VL001/VL002 at `path` if not.
    /// The owner and path are built only for a problem: most references resolve.
    fn expect(
        &mut self,
        owner: (&str, &str),
        path: impl FnOnce() -> JsonPointer,
        kind: &str,
        id: &str,
    ) -> bool {
        if contains(self.topology, &self.by_id, kind, id) {
            return true;
        }
        let owner = &ResourceRef::new(owner.0, owner.1);
        let path = path();
        let wanted = noun(kind);
        let elsewhere = KINDS
            .iter()
            .find(|(k, _)| *k != kind && contains(self.topology, &self.by_id, k, id));
        let diag = match elsewhere {
            Some((other, other_noun)) => Diagnostic::new(
                &WRONG_KIND,
                owner.clone(),
                path,
                format!("`{id}` is a {other_noun}, but this field needs a {wanted}."),
            )
            .with_help(format!(
                "Name one of the topology's {} here (under `{kind}`), or move `{id}` out of `{other}`.",
                plural(wanted)
            )),
            None => {
                let mut d = Diagnostic::new(
                    &UNKNOWN_REFERENCE,
                    owner.clone(),
                    path,
                    format!("There is no {wanted} `{id}` in this topology."),
                );
                if let Some(close) = self.closest(kind, id) {
                    d = d.with_help(format!("Did you mean `{close}`?"));
                } else {
                    d = d.with_help(format!("Add a {wanted} `{id}` under `{kind}`, or correct the id."));
                }
                d
            }
        };
        self.errors.push(diag);
        false
    }

    fn closest(&self, kind: &str, id: &str) -> Option<String> {
        let t = self.topology;
        let ids: Vec<&str> = match kind {
            "vpcs" => t.vpcs.iter().map(|(k, _)| k.as_str()).collect(),
            "subnets" => t.subnets.iter().map(|(k, _)| k.as_str()).collect(),
            "security_groups" => t.security_groups.iter().map(|(k, _)| k.as_str()).collect(),
            "network_acls" => t.network_acls.iter().map(|(k, _)| k.as_str()).collect(),
            "instances" => t.instances.iter().map(|(k, _)| k.as_str()).collect(),
            "load_balancers" => t.load_balancers.iter().map(|(k, _)| k.as_str()).collect(),
            "target_groups" => t.target_groups.iter().map(|(k, _)| k.as_str()).collect(),
            "vpc_links" => t.vpc_links.iter().map(|(k, _)| k.as_str()).collect(),
            "rest_apis" => t.rest_apis.iter().map(|(k, _)| k.as_str()).collect(),
            "http_apis" => t.http_apis.iter().map(|(k, _)| k.as_str()).collect(),
            _ => Vec::new(),
        };
        // Small alphabets only: beyond a few hundred ids the suggestion is noise anyway.
        if ids.len() > 500 {
            return None;
        }
        ids.into_iter()
            .map(|c| (edit_distance(c, id), c))
            .filter(|(d, c)| *d <= 2.max(c.len() / 4) && *d > 0)
            .min()
            .map(|(_, c)| c.to_owned())
    }
}

fn plural(noun: &str) -> String {
    format!("{noun}s")
}

/// Levenshtein distance, for "did you mean" hints.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Resolves `topology` into a [`Graph`], or returns every reference problem found.
pub fn build(topology: &Topology) -> Result<Graph<'_>, Vec<Diagnostic>> {
    let t = topology;
    let mut r = Resolver {
        topology: t,
        by_id: Lookups::of(t),
        errors: Vec::new(),
    };

    let mut subnets_by_vpc: BTreeMap<&str, Vec<&Id>> = BTreeMap::new();
    for (id, subnet) in &t.subnets {
        let owner = ("subnets", id.as_str());
        let at = || JsonPointer::resource("subnets", id);
        if r.expect(owner, || at().key("vpc"), "vpcs", subnet.vpc.as_str()) {
            subnets_by_vpc
                .entry(subnet.vpc.as_str())
                .or_default()
                .push(id);
        }
        if let Some(acl) = &subnet.network_acl {
            r.expect(
                owner,
                || at().key("network_acl"),
                "network_acls",
                acl.as_str(),
            );
        }
    }

    for (id, sg) in &t.security_groups {
        let owner = ("security_groups", id.as_str());
        let at = || JsonPointer::resource("security_groups", id);
        r.expect(owner, || at().key("vpc"), "vpcs", sg.vpc.as_str());
        for (i, rule) in sg.ingress.iter().enumerate() {
            if let Peer::SecurityGroup(other) = &rule.source {
                let p = at()
                    .key("ingress")
                    .index(i)
                    .key("source")
                    .key("security_group");
                r.expect(owner, || p, "security_groups", other.as_str());
            }
        }
        for (i, rule) in sg.egress.iter().flatten().enumerate() {
            if let Peer::SecurityGroup(other) = &rule.destination {
                let p = at()
                    .key("egress")
                    .index(i)
                    .key("destination")
                    .key("security_group");
                r.expect(owner, || p, "security_groups", other.as_str());
            }
        }
    }

    for (id, acl) in &t.network_acls {
        let owner = ("network_acls", id.as_str());
        r.expect(
            owner,
            || JsonPointer::resource("network_acls", id).key("vpc"),
            "vpcs",
            acl.vpc.as_str(),
        );
    }

    let mut security_group_users: BTreeMap<&str, Vec<SgUser>> = BTreeMap::new();
    let mut instances_by_subnet: BTreeMap<&str, Vec<&Id>> = BTreeMap::new();
    for (id, instance) in &t.instances {
        let owner = ("instances", id.as_str());
        let at = || JsonPointer::resource("instances", id);
        if r.expect(
            owner,
            || at().key("subnet"),
            "subnets",
            instance.subnet.as_str(),
        ) {
            instances_by_subnet
                .entry(instance.subnet.as_str())
                .or_default()
                .push(id);
        }
        for (i, sg) in instance.security_groups.iter().enumerate() {
            if r.expect(
                owner,
                || at().key("security_groups").index(i),
                "security_groups",
                sg.as_str(),
            ) {
                security_group_users
                    .entry(sg.as_str())
                    .or_default()
                    .push(SgUser::Instance(id));
            }
        }
    }

    let mut listeners_by_target_group: BTreeMap<&str, Vec<ListenerAt>> = BTreeMap::new();
    for (id, lb) in &t.load_balancers {
        let owner = ("load_balancers", id.as_str());
        let at = || JsonPointer::resource("load_balancers", id);
        for (i, s) in lb.subnets.iter().enumerate() {
            r.expect(
                owner,
                || at().key("subnets").index(i),
                "subnets",
                s.as_str(),
            );
        }
        for (i, sg) in lb.security_groups.iter().enumerate() {
            if r.expect(
                owner,
                || at().key("security_groups").index(i),
                "security_groups",
                sg.as_str(),
            ) {
                security_group_users
                    .entry(sg.as_str())
                    .or_default()
                    .push(SgUser::LoadBalancer(id));
            }
        }
        for (i, listener) in lb.listeners.iter().enumerate() {
            let p = at().key("listeners").index(i).key("forward");
            if r.expect(owner, || p, "target_groups", listener.forward.as_str()) {
                listeners_by_target_group
                    .entry(listener.forward.as_str())
                    .or_default()
                    .push(ListenerAt {
                        load_balancer_id: id,
                        load_balancer: lb,
                        index: i,
                        listener,
                    });
            }
        }
    }

    let mut targets: BTreeMap<&str, Vec<TargetAt>> = BTreeMap::new();
    for (id, tg) in &t.target_groups {
        let owner = ("target_groups", id.as_str());
        let at = || JsonPointer::resource("target_groups", id);
        r.expect(owner, || at().key("vpc"), "vpcs", tg.vpc.as_str());
        let mut resolved = Vec::with_capacity(tg.targets.len());
        for (i, target) in tg.targets.iter().enumerate() {
            let p = at().key("targets").index(i).key("id");
            let mut instance = None;
            let ok = match tg.target_type {
                TargetType::Instance => {
                    let ok = r.expect(owner, || p, "instances", &target.id);
                    instance = t.instances.get_key_value(&target.id);
                    ok
                }
                TargetType::Alb => r.expect(owner, || p, "load_balancers", &target.id),
                TargetType::Ip => {
                    let ok = target.id.parse::<IpAddress>().is_ok();
                    if !ok {
                        r.errors.push(
                            Diagnostic::new(
                                &BAD_TARGET_ID,
                                ResourceRef::new(owner.0, owner.1),
                                p,
                                format!("`{}` is not an IP address, but target group `{id}` has target type `ip`.", target.id),
                            )
                            .with_help("Register IP addresses in ip target groups, or set `target_type` to `instance` to register instances."),
                        );
                    }
                    ok
                }
                TargetType::Lambda => true,
            };
            if ok {
                resolved.push(TargetAt {
                    target_group_id: id,
                    index: i,
                    target,
                    instance,
                    port: tg.target_port(target),
                });
            }
        }
        targets.insert(id.as_str(), resolved);
    }

    let mut links_by_load_balancer: BTreeMap<&str, Vec<&Id>> = BTreeMap::new();
    for (id, link) in &t.vpc_links {
        let owner = ("vpc_links", id.as_str());
        let at = || JsonPointer::resource("vpc_links", id);
        for (i, lb) in link.targets.iter().enumerate() {
            if r.expect(
                owner,
                || at().key("targets").index(i),
                "load_balancers",
                lb.as_str(),
            ) {
                links_by_load_balancer
                    .entry(lb.as_str())
                    .or_default()
                    .push(id);
            }
        }
        for (i, s) in link.subnets.iter().enumerate() {
            r.expect(
                owner,
                || at().key("subnets").index(i),
                "subnets",
                s.as_str(),
            );
        }
        for (i, sg) in link.security_groups.iter().enumerate() {
            if r.expect(
                owner,
                || at().key("security_groups").index(i),
                "security_groups",
                sg.as_str(),
            ) {
                security_group_users
                    .entry(sg.as_str())
                    .or_default()
                    .push(SgUser::VpcLink(id));
            }
        }
    }

    let mut integrations = Vec::new();
    let apis = t
        .rest_apis
        .iter()
        .map(|(id, a)| (ApiKind::Rest, id, &a.routes, &a.stages))
        .chain(
            t.http_apis
                .iter()
                .map(|(id, a)| (ApiKind::Http, id, &a.routes, &a.stages)),
        );
    let mut integrations_by_api = BTreeMap::new();
    for (kind, api_id, routes, stages) in apis {
        let first = integrations.len();
        let owner = (kind.collection(), api_id.as_str());
        for (key, route) in routes.iter() {
            let at = JsonPointer::resource(kind.collection(), api_id)
                .key("routes")
                .key(key);
            let parsed = match parse_route_key(key) {
                Ok(p) => p,
                Err(message) => {
                    r.errors.push(Diagnostic::new(
                        &BAD_ROUTE_KEY,
                        ResourceRef::new(owner.0, owner.1),
                        at,
                        message,
                    ));
                    continue;
                }
            };
            let integration = &route.integration;
            let ipath = at.key("integration");
            let mut links = Vec::new();
            match (
                &integration.vpc_link,
                integration.connection_stage_variable(),
            ) {
                (Some(_), Some(var)) => {
                    // Each stage's value of the variable names a link; the rules check
                    // stages that lack it, so only resolvable values are followed here.
                    for (stage_name, stage) in stages.iter() {
                        if let Some(value) = stage.variables.get(var) {
                            let p = JsonPointer::resource(kind.collection(), api_id)
                                .key("stages")
                                .key(stage_name)
                                .key("variables")
                                .key(var);
                            if r.expect(owner, || p, "vpc_links", value) {
                                if let Some((lid, _)) = t.vpc_links.get_key_value(value) {
                                    if !links.contains(&lid) {
                                        links.push(lid);
                                    }
                                }
                            }
                        }
                    }
                }
                (Some(link), None) => {
                    if r.expect(owner, || ipath.clone().key("vpc_link"), "vpc_links", link) {
                        if let Some((lid, _)) = t.vpc_links.get_key_value(link.as_str()) {
                            links.push(lid);
                        }
                    }
                }
                (None, _) => {}
            }
            if let Some(target) = &integration.target {
                let p = ipath.key("target").key("load_balancer");
                r.expect(owner, || p, "load_balancers", target.load_balancer.as_str());
            }
            integrations.push(IntegrationAt {
                api_kind: kind,
                api_id,
                route_key: key,
                route: parsed,
                integration,
                links,
            });
        }
        integrations_by_api.insert((kind, api_id.as_str()), first..integrations.len());
    }

    for (id, alarm) in &t.alarms {
        let owner = ("alarms", id.as_str());
        let at = || JsonPointer::resource("alarms", id);
        if let Some(tg) = &alarm.target_group {
            r.expect(
                owner,
                || at().key("target_group"),
                "target_groups",
                tg.as_str(),
            );
        }
        if let Some(lb) = &alarm.load_balancer {
            r.expect(
                owner,
                || at().key("load_balancer"),
                "load_balancers",
                lb.as_str(),
            );
        }
        if let Some(api) = &alarm.api {
            if !t.rest_apis.contains(api.as_str()) {
                r.expect(owner, || at().key("api"), "http_apis", api.as_str());
            }
        }
    }

    if let Some(obs) = &t.observed {
        let owner = ("observed", "");
        let at = || JsonPointer::root().key("observed");
        for (id, _) in &obs.vpc_links {
            r.expect(
                owner,
                || at().key("vpc_links").key(id),
                "vpc_links",
                id.as_str(),
            );
        }
        for (id, _) in &obs.load_balancers {
            r.expect(
                owner,
                || at().key("load_balancers").key(id),
                "load_balancers",
                id.as_str(),
            );
        }
        for (id, _) in &obs.target_health {
            r.expect(
                owner,
                || at().key("target_health").key(id),
                "target_groups",
                id.as_str(),
            );
        }
        for (id, _) in &obs.instances {
            r.expect(
                owner,
                || at().key("instances").key(id),
                "instances",
                id.as_str(),
            );
        }
    }

    check_duplicate_aws_ids(t, &mut r.errors);

    if r.errors.is_empty() {
        Ok(Graph {
            topology: t,
            subnets_by_vpc,
            instances_by_subnet,
            listeners_by_target_group,
            links_by_load_balancer,
            integrations,
            integrations_by_api,
            targets,
            security_group_users,
            by_id: r.by_id,
        })
    } else {
        Err(r.errors)
    }
}

fn check_duplicate_aws_ids(t: &Topology, errors: &mut Vec<Diagnostic>) {
    fn scan<'a>(
        kind: &str,
        items: impl Iterator<Item = (&'a Id, Option<&'a str>)>,
        errors: &mut Vec<Diagnostic>,
    ) {
        let mut seen: BTreeMap<&str, &Id> = BTreeMap::new();
        for (id, aws) in items {
            let Some(aws) = aws else { continue };
            if let Some(first) = seen.get(aws) {
                errors.push(
                    Diagnostic::new(
                        &DUPLICATE_AWS_ID,
                        ResourceRef::new(kind, id),
                        JsonPointer::resource(kind, id),
                        format!(
                            "`{id}` and `{first}` both claim the existing {} `{aws}`.",
                            noun(kind)
                        ),
                    )
                    .with_help("Keep one entry for each existing AWS resource.")
                    .with_related(JsonPointer::resource(kind, first), "the first entry for it"),
                );
            } else {
                seen.insert(aws, id);
            }
        }
    }
    scan(
        "vpcs",
        t.vpcs.iter().map(|(i, r)| (i, r.aws_id.as_deref())),
        errors,
    );
    scan(
        "subnets",
        t.subnets.iter().map(|(i, r)| (i, r.aws_id.as_deref())),
        errors,
    );
    scan(
        "security_groups",
        t.security_groups
            .iter()
            .map(|(i, r)| (i, r.aws_id.as_deref())),
        errors,
    );
    scan(
        "network_acls",
        t.network_acls.iter().map(|(i, r)| (i, r.aws_id.as_deref())),
        errors,
    );
    scan(
        "instances",
        t.instances.iter().map(|(i, r)| (i, r.aws_id.as_deref())),
        errors,
    );
    scan(
        "load_balancers",
        t.load_balancers
            .iter()
            .map(|(i, r)| (i, r.arn.as_ref().map(|a| a.as_str()))),
        errors,
    );
    scan(
        "target_groups",
        t.target_groups
            .iter()
            .map(|(i, r)| (i, r.arn.as_ref().map(|a| a.as_str()))),
        errors,
    );
    scan(
        "vpc_links",
        t.vpc_links.iter().map(|(i, r)| (i, r.aws_id.as_deref())),
        errors,
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::topology_from_str;

    fn codes(text: &str) -> Vec<(String, String)> {
        let t = topology_from_str(text).unwrap();
        match build(&t) {
            Ok(_) => vec![],
            Err(e) => e
                .into_iter()
                .map(|d| (d.code.to_owned(), d.path.to_string()))
                .collect(),
        }
    }

    #[test]
    fn dangling_reference_names_its_path_and_suggests() {
        let t = topology_from_str(
            r#"{"version":1,"region":"us-east-1","vpcs":{"app":{"cidr":"10.0.0.0/16"}},
               "subnets":{"a":{"vpc":"ap","az":"us-east-1a","cidr":"10.0.1.0/24"}}}"#,
        )
        .unwrap();
        let errs = build(&t).unwrap_err();
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].code, "VL001");
        assert_eq!(errs[0].path.as_str(), "/subnets/a/vpc");
        assert_eq!(errs[0].help.as_deref(), Some("Did you mean `app`?"));
    }

    #[test]
    fn wrong_kind_is_named() {
        let got = codes(
            r#"{"version":1,"region":"us-east-1","vpcs":{"app":{"cidr":"10.0.0.0/16"}},
               "subnets":{"a":{"vpc":"app","az":"us-east-1a","cidr":"10.0.1.0/24"}},
               "instances":{"web":{"subnet":"a"}},
               "load_balancers":{"nlb":{"type":"network","subnets":["a"],
                  "listeners":[{"port":80,"protocol":"TCP","forward":"web"}]}}}"#,
        );
        assert_eq!(
            got,
            vec![(
                "VL002".into(),
                "/load_balancers/nlb/listeners/0/forward".into()
            )]
        );
    }

    #[test]
    fn ip_targets_must_be_addresses_and_route_keys_must_parse() {
        let got = codes(
            r#"{"version":1,"region":"us-east-1","vpcs":{"app":{"cidr":"10.0.0.0/16"}},
               "target_groups":{"tg":{"vpc":"app","protocol":"TCP","port":80,"target_type":"ip",
                  "targets":[{"id":"10.0.1.5"},{"id":"web-1"}]}},
               "rest_apis":{"api":{"routes":{"FETCH /x":{"integration":{"type":"MOCK"}}}}}}"#,
        );
        assert_eq!(
            got,
            vec![
                ("VL004".into(), "/target_groups/tg/targets/1/id".into()),
                ("VL003".into(), "/rest_apis/api/routes/FETCH ~1x".into())
            ]
        );
    }

    #[test]
    fn duplicate_aws_ids_are_reported() {
        let got = codes(
            r#"{"version":1,"region":"us-east-1",
               "vpcs":{"a":{"cidr":"10.0.0.0/16","aws_id":"vpc-1"},"b":{"cidr":"10.1.0.0/16","aws_id":"vpc-1"}}}"#,
        );
        assert_eq!(got, vec![("VL005".into(), "/vpcs/b".into())]);
    }

    #[test]
    fn stage_variable_connection_resolves_per_stage() {
        let t = topology_from_str(
            r#"{"version":1,"region":"us-east-1","vpc_links":{"l1":{},"l2":{}},
               "rest_apis":{"api":{"routes":{"GET /x":{"integration":{"type":"HTTP_PROXY",
                  "vpc_link":"${stageVariables.link}","uri":"http://h/x"}}},
                  "stages":{"a":{"variables":{"link":"l1"}},"b":{"variables":{"link":"l2"}}}}}}"#,
        )
        .unwrap();
        let g = build(&t).unwrap();
        let links: Vec<&str> = g.integrations()[0]
            .links
            .iter()
            .map(|l| l.as_str())
            .collect();
        assert_eq!(links, vec!["l1", "l2"]);
    }
}
