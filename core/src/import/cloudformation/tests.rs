//! Unit tests of the CloudFormation importer: one per mapping and per intrinsic, the
//! unknowns and their suppression, errors with line and column, and a hand-written
//! short-form template of the three-tier example that must import as that example.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use serde_json::{json, Value};

use super::{import_cloudformation, looks_like_cloudformation};
use crate::model::Topology;
use crate::validate;

fn import(text: &str) -> Topology {
    import_cloudformation(text, Some("t.yaml")).unwrap_or_else(|e| panic!("{e}"))
}

fn json_of(t: &Topology) -> Value {
    serde_json::to_value(t).unwrap()
}

fn unknown_paths(t: &Topology) -> Vec<String> {
    t.origin
        .as_ref()
        .unwrap()
        .unknowns
        .iter()
        .map(|u| u.path.as_str().to_owned())
        .collect()
}

fn skipped(t: &Topology) -> Vec<(String, String)> {
    t.origin
        .as_ref()
        .unwrap()
        .skipped
        .iter()
        .map(|s| (s.name.clone(), s.kind.clone()))
        .collect()
}

/// A template with a VPC and whatever resources `body` adds (indented two spaces).
fn with_vpc(body: &str) -> String {
    format!(
        "Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties: {{ CidrBlock: 10.0.0.0/16 }}\n{body}"
    )
}

// ---------------------------------------------------------------------------------------
// The three-tier example, written by hand.

#[test]
fn the_three_tier_template_imports_as_the_three_tier_example() {
    let t = import(include_str!("testdata/three-tier.yaml"));
    let mut got = json_of(&t);
    let origin = got.as_object_mut().unwrap().remove("origin").unwrap();

    let mut want: Value =
        serde_json::from_str(include_str!("../../../../examples/three-tier.json")).unwrap();
    // What a template cannot say: the ports the instances serve. The API's name equals its
    // id, which the importer leaves out.
    for (_, i) in want["instances"].as_object_mut().unwrap() {
        i.as_object_mut().unwrap().remove("serves");
    }
    want["rest_apis"]["shop"]
        .as_object_mut()
        .unwrap()
        .remove("name");
    let want = json_of(&serde_json::from_value(want).unwrap());
    assert_eq!(got, want, "{}", serde_json::to_string_pretty(&got).unwrap());

    // The Region is pinned by a literal zone, and nothing else is unknown.
    assert_eq!(origin.get("unknowns"), None, "{origin}");
    // The SNS topic is skipped; the VPC under a false condition too.
    let names: Vec<&str> = origin["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["NeverCreated", "Topic"]);
    // Sources: logical id and line of each resource, listener and route.
    let sources = &origin["sources"];
    assert_eq!(sources["/vpcs/app"]["name"], "Vpc");
    assert_eq!(sources["/vpcs/app"]["line"], 27);
    assert_eq!(sources["/vpcs/app"]["column"], 3);
    assert_eq!(
        sources["/load_balancers/nlb/listeners/0"]["name"],
        "Listener"
    );
    assert_eq!(
        sources["/rest_apis/shop/routes/GET ~1products"]["name"],
        "ProductsGet"
    );
    assert_eq!(sources["/security_groups/nlb/egress/0"]["name"], "NlbToApp");
    assert_eq!(sources["/network_acls/nlb/egress/1"]["name"], "NlbOut110");
}

#[test]
fn the_three_tier_template_checks_like_the_example_and_points_at_lines() {
    let t = import(include_str!("testdata/three-tier.yaml"));
    let report = validate(&t);
    let codes: Vec<&str> = report.diagnostics.iter().map(|d| d.code).collect();
    // The example's own findings (serves is unknown here, so nothing compares with it).
    assert!(!report.has_at_least(crate::Severity::Warning), "{codes:?}");
    for d in &report.diagnostics {
        assert!(d.source.is_some(), "{} at {} has no source", d.code, d.path);
    }
}

// ---------------------------------------------------------------------------------------
// Intrinsic functions.

fn vpc_cidr(expr: &str, extra: &str) -> String {
    format!(
        "{extra}Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: {expr}\n"
    )
}

fn cidr_of(text: &str) -> String {
    let t = import(text);
    t.vpcs.get("vpc").unwrap().cidr.to_string()
}

#[test]
fn ref_takes_parameter_defaults_and_splits_list_parameters() {
    let params = "Parameters:\n  Block: { Type: String, Default: 10.1.0.0/16 }\n  Blocks: { Type: CommaDelimitedList, Default: '10.2.0.0/16, 10.3.0.0/16' }\n";
    assert_eq!(cidr_of(&vpc_cidr("!Ref Block", params)), "10.1.0.0/16");
    assert_eq!(cidr_of(&vpc_cidr("{ Ref: Block }", params)), "10.1.0.0/16");
    assert_eq!(
        cidr_of(&vpc_cidr("!Select [1, !Ref Blocks]", params)),
        "10.3.0.0/16"
    );
}

#[test]
fn sub_in_both_forms_and_join_select_split_findinmap() {
    let params = "Parameters:\n  Second: { Type: String, Default: '4' }\nMappings:\n  M:\n    us-east-1: { Block: 10.5.0.0/16 }\n";
    for (expr, want) in [
        ("!Sub '10.${Second}.0.0/16'", "10.4.0.0/16"),
        ("!Sub ['10.${X}.0.0/16', { X: 7 }]", "10.7.0.0/16"),
        ("{ 'Fn::Sub': '10.${Second}.0.0/${!Literal}' }", ""),
        ("!Join ['.', ['10', !Ref Second, '0.0/16']]", "10.4.0.0/16"),
        ("!Select [2, ['a', 'b', '10.9.0.0/16']]", "10.9.0.0/16"),
        ("!Select [1, !Split [',', 'x,10.8.0.0/16']]", "10.8.0.0/16"),
        ("!FindInMap [M, !Ref 'AWS::Region', Block]", "10.5.0.0/16"),
        ("{ 'Fn::FindInMap': [M, us-east-1, Block] }", "10.5.0.0/16"),
    ] {
        let text = vpc_cidr(expr, params);
        if want.is_empty() {
            // `${!Literal}` stays literal, which is not a CIDR: an error naming the value.
            let e = import_cloudformation(&text, None).unwrap_err();
            assert!(e.message.contains("${Literal}"), "{expr}: {e}");
        } else {
            assert_eq!(cidr_of(&text), want, "{expr}");
        }
    }
}

#[test]
fn base64_cidr_and_getatt_of_template_data() {
    let text = with_vpc(
        "  S:\n    Type: AWS::EC2::Subnet\n    Properties:\n      VpcId: !Ref Vpc\n      AvailabilityZone: eu-west-1b\n      CidrBlock: !Select [3, !Cidr [!GetAtt Vpc.CidrBlock, 8, 12]]\n  T:\n    Type: AWS::EC2::Subnet\n    Properties:\n      VpcId: !GetAtt S.VpcId\n      AvailabilityZone: !GetAtt [S, AvailabilityZone]\n      CidrBlock: !Base64 10.0.200.0/24\n",
    );
    let t = import(&text);
    let s = t.subnets.get("s").unwrap();
    assert_eq!(s.cidr.to_string(), "10.0.48.0/20");
    let tt = t.subnets.get("t").unwrap();
    assert_eq!((tt.vpc.as_str(), tt.az.as_str()), ("vpc", "eu-west-1b"));
    // The literal zone pins the Region.
    assert_eq!(t.region.as_str(), "eu-west-1");
    assert!(!unknown_paths(&t).contains(&"/region".to_owned()));
}

#[test]
fn conditions_pick_if_branches_and_drop_false_resources() {
    let text = "Parameters:\n  Env: { Type: String, Default: prod }\n  Free: { Type: String }\nConditions:\n  Prod: !Equals [!Ref Env, prod]\n  Dev: !Not [!Condition Prod]\n  Either: !Or [!Condition Dev, !Equals [a, b]]\n  Unknown: !Equals [!Ref Free, x]\n  Both: !And [!Condition Prod, !Condition Unknown]\nResources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties: { CidrBlock: !If [Prod, 10.1.0.0/16, 10.2.0.0/16] }\n  DevVpc:\n    Type: AWS::EC2::VPC\n    Condition: Either\n    Properties: { CidrBlock: 10.3.0.0/16 }\n  MaybeVpc:\n    Type: AWS::EC2::VPC\n    Condition: Both\n    Properties: { CidrBlock: !If [Unknown, 10.4.0.0/16, 10.4.0.0/16] }\n  OpenVpc:\n    Type: AWS::EC2::VPC\n    Properties: { CidrBlock: !If [Unknown, 10.5.0.0/16, 10.6.0.0/16] }\n";
    let t = import(text);
    assert_eq!(t.vpcs.get("vpc").unwrap().cidr.to_string(), "10.1.0.0/16");
    assert!(t.vpcs.get("dev-vpc").is_none());
    assert!(skipped(&t).contains(&("DevVpc".into(), "AWS::EC2::VPC".into())));
    // Undecidable: imported, and the whole resource is unknown.
    assert_eq!(
        t.vpcs.get("maybe-vpc").unwrap().cidr.to_string(),
        "10.4.0.0/16"
    );
    let u = unknown_paths(&t);
    assert!(u.contains(&"/vpcs/maybe-vpc".to_owned()), "{u:?}");
    // An undecidable `If` with different branches is an unknown value.
    assert!(u.contains(&"/vpcs/open-vpc/cidr".to_owned()), "{u:?}");
    let origin = t.origin.as_ref().unwrap();
    let open = origin
        .unknowns
        .iter()
        .find(|u| u.path.as_str() == "/vpcs/open-vpc/cidr")
        .unwrap();
    assert_eq!(open.expression, "!If [Unknown, 10.5.0.0/16, 10.6.0.0/16]");
    assert!(
        open.reason.contains("condition `Unknown`"),
        "{}",
        open.reason
    );
}

#[test]
fn getazs_gives_distinct_placeholder_zones_per_index() {
    let text = with_vpc(
        "  A:\n    Type: AWS::EC2::Subnet\n    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24, AvailabilityZone: !Select [0, !GetAZs ''] }\n  B:\n    Type: AWS::EC2::Subnet\n    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.2.0/24, AvailabilityZone: !Select [1, !GetAZs { Ref: 'AWS::Region' }] }\n  C:\n    Type: AWS::EC2::Subnet\n    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.3.0/24 }\n",
    );
    let t = import(&text);
    let zone = |id: &str| t.subnets.get(id).unwrap().az.to_string();
    assert_eq!(zone("a"), "us-east-1a");
    assert_eq!(zone("b"), "us-east-1b");
    // No zone at all: the first letter no other subnet uses.
    assert_eq!(zone("c"), "us-east-1c");
    let u = unknown_paths(&t);
    for p in ["/region", "/subnets/a/az", "/subnets/b/az", "/subnets/c/az"] {
        assert!(u.contains(&p.to_owned()), "{p} missing from {u:?}");
    }
    let exprs: Vec<String> = t
        .origin
        .as_ref()
        .unwrap()
        .unknowns
        .iter()
        .map(|u| u.expression.clone())
        .collect();
    assert!(
        exprs.contains(&"!Select [0, !GetAZs '']".to_owned()),
        "{exprs:?}"
    );
}

#[test]
fn import_value_and_parameters_without_default_become_placeholders() {
    let text = "Parameters:\n  VpcId: { Type: 'AWS::EC2::VPC::Id' }\n  Subnets: { Type: 'List<AWS::EC2::Subnet::Id>' }\nResources:\n  Sg:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: app\n      VpcId: !Ref VpcId\n      SecurityGroupIngress:\n        - { IpProtocol: tcp, FromPort: 80, ToPort: 80, SourceSecurityGroupId: !ImportValue shared-nlb-sg }\n        - { IpProtocol: tcp, FromPort: 81, ToPort: 81, CidrIp: !ImportValue shared-cidr }\n  Inst:\n    Type: AWS::EC2::Instance\n    Properties: { SubnetId: !Select [0, !Ref Subnets], SecurityGroupIds: [!Ref Sg] }\n";
    let t = import(text);
    // One placeholder VPC for the parameter, shared by everything that names it.
    assert_eq!(t.vpcs.len(), 1);
    assert_eq!(t.security_groups.get("sg").unwrap().vpc.as_str(), "vpc-id");
    let sg = t.security_groups.get("sg").unwrap();
    // The imported group is a permissive placeholder in the same VPC.
    let crate::model::Peer::SecurityGroup(peer) = &sg.ingress[0].source else {
        panic!("{:?}", sg.ingress[0]);
    };
    let placeholder = t.security_groups.get(peer.as_str()).unwrap();
    assert_eq!(placeholder.vpc.as_str(), "vpc-id");
    assert!(matches!(
        placeholder.ingress[0].source,
        crate::model::Peer::PrefixList(_)
    ));
    // An unknown CIDR peer is an unknown prefix list: it may allow anything.
    assert!(matches!(
        sg.ingress[1].source,
        crate::model::Peer::PrefixList(_)
    ));
    let subnet = t.subnets.get("subnets-0").unwrap();
    assert_eq!(subnet.vpc.as_str(), "vpc-id");
    let u = unknown_paths(&t);
    for p in [
        "/vpcs/vpc-id",
        "/subnets/subnets-0",
        "/security_groups/sg/ingress/1/source",
        &format!("/security_groups/{peer}"),
    ] {
        assert!(u.iter().any(|x| x == p), "{p} missing from {u:?}");
    }
    // The topology is valid and checks without findings caused by the placeholders.
    let report = validate(&t);
    assert!(
        !report.has_at_least(crate::Severity::Error),
        "{:?}",
        report.diagnostics
    );
}

#[test]
fn dynamic_references_and_ssm_parameters_are_unknown() {
    let text = "Parameters:\n  Ami: { Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>', Default: /aws/service/ami }\nResources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties: { CidrBlock: 10.0.0.0/16 }\n  S:\n    Type: AWS::EC2::Subnet\n    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24, AvailabilityZone: us-east-1a }\n  I:\n    Type: AWS::EC2::Instance\n    Properties: { SubnetId: !Ref S, ImageId: !Ref Ami, InstanceType: '{{resolve:ssm:/type}}' }\n";
    let t = import(text);
    let i = t.instances.get("i").unwrap();
    assert_eq!(
        (i.image_id.as_deref(), i.instance_type.as_deref()),
        (None, None)
    );
    let u = unknown_paths(&t);
    assert!(u.contains(&"/instances/i/image_id".to_owned()), "{u:?}");
    assert!(
        u.contains(&"/instances/i/instance_type".to_owned()),
        "{u:?}"
    );
}

// ---------------------------------------------------------------------------------------
// Mappings.

#[test]
fn security_groups_inline_and_separate_rules_and_the_default_egress() {
    let text = with_vpc("  A:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: a\n      GroupName: alpha\n      VpcId: !Ref Vpc\n      SecurityGroupIngress:\n        - { IpProtocol: '-1', CidrIp: 10.0.0.0/8 }\n        - { IpProtocol: '6', FromPort: 1024, ToPort: 65535, SourcePrefixListId: pl-123 }\n        - { IpProtocol: icmp, FromPort: -1, ToPort: -1, CidrIpv6: '::/0' }\n  B:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: b\n      VpcId: !Ref Vpc\n      SecurityGroupEgress:\n        - { IpProtocol: tcp, FromPort: 443, ToPort: 443, DestinationPrefixListId: pl-9 }\n  AFromB:\n    Type: AWS::EC2::SecurityGroupIngress\n    Properties: { GroupId: !Ref A, IpProtocol: udp, FromPort: 53, ToPort: 53, SourceSecurityGroupId: !GetAtt B.GroupId }\n  AOut:\n    Type: AWS::EC2::SecurityGroupEgress\n    Properties: { GroupId: !Ref A, IpProtocol: tcp, FromPort: 1, ToPort: 2, CidrIp: 10.0.0.0/8 }\n  BOut:\n    Type: AWS::EC2::SecurityGroupEgress\n    Properties: { GroupId: !Ref B, IpProtocol: tcp, FromPort: 8080, ToPort: 8080, DestinationSecurityGroupId: !Ref A }\n");
    let t = import(&text);
    let j = json_of(&t);
    assert_eq!(
        j["security_groups"]["a"],
        json!({ "vpc": "vpc", "name": "alpha", "description": "a", "ingress": [
            { "protocol": "all", "source": { "cidr": "10.0.0.0/8" } },
            { "protocol": "tcp", "ports": "1024-65535", "source": { "prefix_list": "pl-123" } },
            { "protocol": "icmp", "source": { "cidr": "::/0" } },
            { "protocol": "udp", "ports": "53", "source": { "security_group": "b" } } ] })
    );
    assert_eq!(
        j["security_groups"]["b"]["egress"],
        json!([ { "protocol": "tcp", "ports": "443", "destination": { "prefix_list": "pl-9" } },
                { "protocol": "tcp", "ports": "8080", "destination": { "security_group": "a" } } ])
    );
    // A's egress stays AWS's default (allow all), which already covers AOut.
    assert!(skipped(&t).contains(&("AOut".into(), "AWS::EC2::SecurityGroupEgress".into())));
    let origin = t.origin.as_ref().unwrap();
    assert_eq!(
        origin.sources["/security_groups/a/ingress/3"].name,
        "AFromB"
    );
}

#[test]
fn network_acl_entries_protocol_numbers_and_associations() {
    let text = with_vpc("  S:\n    Type: AWS::EC2::Subnet\n    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24, AvailabilityZone: us-east-1a }\n  Acl:\n    Type: AWS::EC2::NetworkAcl\n    Properties: { VpcId: !Ref Vpc }\n  In:\n    Type: AWS::EC2::NetworkAclEntry\n    Properties: { NetworkAclId: !Ref Acl, RuleNumber: 90, Protocol: -1, RuleAction: deny, CidrBlock: 192.168.0.0/16 }\n  Udp:\n    Type: AWS::EC2::NetworkAclEntry\n    Properties: { NetworkAclId: !Ref Acl, RuleNumber: 100, Protocol: 17, RuleAction: allow, CidrBlock: 0.0.0.0/0, PortRange: { From: 53, To: 53 } }\n  Icmp:\n    Type: AWS::EC2::NetworkAclEntry\n    Properties: { NetworkAclId: !Ref Acl, RuleNumber: 110, Protocol: 1, RuleAction: allow, CidrBlock: 0.0.0.0/0, Icmp: { Code: -1, Type: -1 } }\n  Out:\n    Type: AWS::EC2::NetworkAclEntry\n    Properties: { NetworkAclId: !Ref Acl, RuleNumber: 100, Protocol: 6, Egress: 'true', RuleAction: ALLOW, CidrBlock: 0.0.0.0/0, PortRange: { From: 1024, To: 65535 } }\n  Assoc:\n    Type: AWS::EC2::SubnetNetworkAclAssociation\n    Properties: { SubnetId: !Ref S, NetworkAclId: !Ref Acl }\n  Other:\n    Type: AWS::EC2::NetworkAclEntry\n    Properties: { NetworkAclId: !GetAtt Vpc.DefaultNetworkAcl, RuleNumber: 1, Protocol: 6, RuleAction: allow, CidrBlock: 0.0.0.0/0 }\n");
    let t = import(&text);
    let j = json_of(&t);
    assert_eq!(
        j["network_acls"]["acl"],
        json!({ "vpc": "vpc",
            "ingress": [
                { "rule": 90, "protocol": "all", "cidr": "192.168.0.0/16", "action": "deny" },
                { "rule": 100, "protocol": "udp", "ports": "53", "cidr": "0.0.0.0/0", "action": "allow" },
                { "rule": 110, "protocol": "icmp", "cidr": "0.0.0.0/0", "action": "allow" } ],
            "egress": [
                { "rule": 100, "protocol": "tcp", "ports": "1024-65535", "cidr": "0.0.0.0/0", "action": "allow" } ] })
    );
    assert_eq!(j["subnets"]["s"]["network_acl"], "acl");
    // An entry of the VPC's default ACL (not modelled) is skipped.
    assert!(skipped(&t).contains(&("Other".into(), "AWS::EC2::NetworkAclEntry".into())));
}

#[test]
fn unknown_acl_entries_widen_an_allow_and_drop_a_deny() {
    let text = "Parameters:\n  Block: { Type: String }\nResources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties: { CidrBlock: 10.0.0.0/16 }\n  Acl:\n    Type: AWS::EC2::NetworkAcl\n    Properties: { VpcId: !Ref Vpc }\n  Deny:\n    Type: AWS::EC2::NetworkAclEntry\n    Properties: { NetworkAclId: !Ref Acl, RuleNumber: 50, Protocol: 6, RuleAction: deny, CidrBlock: !Ref Block }\n  Allow:\n    Type: AWS::EC2::NetworkAclEntry\n    Properties: { NetworkAclId: !Ref Acl, RuleNumber: 60, Protocol: 6, RuleAction: allow, CidrBlock: !Ref Block, PortRange: { From: 80, To: 80 } }\n";
    let t = import(text);
    let acl = t.network_acls.get("acl").unwrap();
    assert_eq!(acl.ingress.len(), 1);
    assert_eq!(acl.ingress[0].cidr.to_string(), "0.0.0.0/0");
    assert_eq!(acl.ingress[0].rule, 60);
    let u = unknown_paths(&t);
    assert!(u.contains(&"/network_acls/acl/ingress".to_owned()), "{u:?}");
    assert!(
        u.contains(&"/network_acls/acl/ingress/0".to_owned()),
        "{u:?}"
    );
}

#[test]
fn load_balancers_listeners_and_target_groups() {
    let text = with_vpc("  A:\n    Type: AWS::EC2::Subnet\n    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24, AvailabilityZone: us-east-1a }\n  I:\n    Type: AWS::EC2::Instance\n    Properties: { SubnetId: !Ref A }\n  Lb:\n    Type: AWS::ElasticLoadBalancingV2::LoadBalancer\n    Properties:\n      Type: network\n      SubnetMappings: [{ SubnetId: !Ref A }]\n      LoadBalancerAttributes: [{ Key: load_balancing.cross_zone.enabled, Value: 'true' }]\n  Tls:\n    Type: AWS::ElasticLoadBalancingV2::Listener\n    Properties:\n      LoadBalancerArn: !Ref Lb\n      Port: '443'\n      Protocol: TLS\n      Certificates: [{ CertificateArn: arn:aws:acm:us-east-1:123456789012:certificate/abc }]\n      DefaultActions: [{ Type: forward, TargetGroupArn: !Ref Ips }]\n  Redirect:\n    Type: AWS::ElasticLoadBalancingV2::Listener\n    Properties:\n      LoadBalancerArn: !Ref Lb\n      Port: 81\n      Protocol: TCP\n      DefaultActions: [{ Type: fixed-response }]\n  Ips:\n    Type: AWS::ElasticLoadBalancingV2::TargetGroup\n    Properties:\n      VpcId: !Ref Vpc\n      Protocol: TLS\n      Port: 8443\n      TargetType: ip\n      HealthCheckEnabled: 'true'\n      HealthCheckPort: '9000'\n      Matcher: { HttpCode: 200-299 }\n      Targets: [{ Id: !GetAtt I.PrivateIp, Port: 9443 }, { Id: 10.0.1.77, AvailabilityZone: all }]\n      TargetGroupAttributes:\n        - { Key: preserve_client_ip.enabled, Value: 'false' }\n        - { Key: load_balancing.cross_zone.enabled, Value: use_load_balancer_configuration }\n");
    let t = import(&text);
    let j = json_of(&t);
    assert_eq!(
        j["load_balancers"]["lb"],
        json!({ "type": "network", "scheme": "internet-facing", "subnets": ["a"],
                "security_groups": [], "cross_zone": true,
                "listeners": [ { "port": 443, "protocol": "TLS", "forward": "ips",
                    "certificate": "arn:aws:acm:us-east-1:123456789012:certificate/abc" } ] })
    );
    let tg = &j["target_groups"]["ips"];
    assert_eq!(
        tg["health_check"],
        json!({ "enabled": true, "port": 9000, "matcher": "200-299" })
    );
    assert_eq!(tg["preserve_client_ip"], false);
    assert_eq!(tg["cross_zone"], "use_load_balancer_configuration");
    // `!GetAtt I.PrivateIp`: a placeholder address inside the instance's subnet, also
    // written on the instance, and recorded as unknown.
    assert_eq!(
        tg["targets"],
        json!([ { "id": "10.0.1.10", "port": 9443 }, { "id": "10.0.1.77" } ])
    );
    assert_eq!(j["instances"]["i"]["private_ip"], "10.0.1.10");
    assert!(unknown_paths(&t).contains(&"/instances/i/private_ip".to_owned()));
    assert!(skipped(&t).contains(&(
        "Redirect".into(),
        "AWS::ElasticLoadBalancingV2::Listener".into()
    )));
}

#[test]
fn targets_registered_by_ecs_are_unknown() {
    let text = with_vpc("  Tg:\n    Type: AWS::ElasticLoadBalancingV2::TargetGroup\n    Properties: { VpcId: !Ref Vpc, Protocol: TCP, Port: 80, TargetType: ip }\n  Svc:\n    Type: AWS::ECS::Service\n    Properties:\n      LoadBalancers: [{ ContainerName: web, ContainerPort: 80, TargetGroupArn: !Ref Tg }]\n");
    let t = import(&text);
    assert!(unknown_paths(&t).contains(&"/target_groups/tg/targets".to_owned()));
    assert!(skipped(&t).contains(&("Svc".into(), "AWS::ECS::Service".into())));
}

#[test]
fn rest_api_resource_tree_methods_deployment_stage_and_metadata_ids() {
    let text = "Resources:\n  Api:\n    Type: AWS::ApiGateway::RestApi\n    Metadata: { vpclink: { id: shop, kind: rest_apis } }\n    Properties: { Name: Shop, EndpointConfiguration: { Types: [PRIVATE] } }\n  V1:\n    Type: AWS::ApiGateway::Resource\n    Properties: { RestApiId: !Ref Api, ParentId: !GetAtt Api.RootResourceId, PathPart: v1 }\n  Items:\n    Type: AWS::ApiGateway::Resource\n    Properties: { RestApiId: !Ref Api, ParentId: !Ref V1, PathPart: '{id}' }\n  Get:\n    Type: AWS::ApiGateway::Method\n    Properties:\n      RestApiId: !Ref Api\n      ResourceId: !Ref Items\n      HttpMethod: get\n      AuthorizationType: AWS_IAM\n      Integration: { Type: HTTP, IntegrationHttpMethod: GET, Uri: 'https://${stageVariables.host}/v1/{id}', ConnectionType: VPC_LINK, ConnectionId: '${stageVariables.link}' }\n  Root:\n    Type: AWS::ApiGateway::Method\n    Metadata: { vpclink: { id: shop, kind: rest_apis, route: ANY / } }\n    Properties:\n      RestApiId: !Ref Api\n      ResourceId: !GetAtt Api.RootResourceId\n      HttpMethod: ANY\n      Integration: { Type: MOCK }\n  NoIntegration:\n    Type: AWS::ApiGateway::Method\n    Properties: { RestApiId: !Ref Api, ResourceId: !Ref V1, HttpMethod: POST }\n  Dep:\n    Type: AWS::ApiGateway::Deployment\n    Properties:\n      RestApiId: !Ref Api\n      StageName: beta\n      StageDescription: { LoggingLevel: ERROR, MetricsEnabled: false, Variables: { link: abc } }\n  Stage:\n    Type: AWS::ApiGateway::Stage\n    Properties:\n      RestApiId: !Ref Api\n      StageName: prod\n      Variables: { host: api.internal, link: abc }\n      AccessLogSetting: { DestinationArn: 'arn:aws:logs:us-east-1:123456789012:log-group:x' }\n      MethodSettings:\n        - { ResourcePath: '/v1/{id}', HttpMethod: GET, LoggingLevel: ERROR }\n        - { ResourcePath: '/*', HttpMethod: '*', MetricsEnabled: true }\n";
    let t = import(text);
    let j = json_of(&t);
    let api = &j["rest_apis"]["shop"];
    assert_eq!(api["name"], "Shop");
    assert_eq!(api["endpoint_type"], "PRIVATE");
    assert_eq!(
        api["routes"]["GET /v1/{id}"],
        json!({ "integration": { "type": "HTTP", "vpc_link": "${stageVariables.link}",
            "uri": "https://${stageVariables.host}/v1/{id}", "method": "GET" },
            "authorization": "AWS_IAM" })
    );
    assert_eq!(
        api["routes"]["ANY /"],
        json!({ "integration": { "type": "MOCK" } })
    );
    assert_eq!(
        api["stages"]["beta"],
        json!({ "logging": "ERROR", "metrics": false, "variables": { "link": "abc" } })
    );
    assert_eq!(
        api["stages"]["prod"],
        json!({ "metrics": true, "access_log_destination": "arn:aws:logs:us-east-1:123456789012:log-group:x",
                "variables": { "host": "api.internal", "link": "abc" } })
    );
    assert!(skipped(&t).contains(&("NoIntegration".into(), "AWS::ApiGateway::Method".into())));
}

#[test]
fn openapi_body_and_sam_api() {
    let text = "Transform: AWS::Serverless-2016-10-31\nResources:\n  Link:\n    Type: AWS::ApiGateway::VpcLink\n    Properties: { Name: l, TargetArns: [!Ref Nlb] }\n  Nlb:\n    Type: AWS::ElasticLoadBalancingV2::LoadBalancer\n    Properties: { Type: network, Scheme: internal }\n  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: Prod\n      EndpointConfiguration: PRIVATE\n      MethodSettings: [{ ResourcePath: '/*', HttpMethod: '*', LoggingLevel: INFO }]\n      DefinitionBody:\n        openapi: 3.0.1\n        paths:\n          /items:\n            x-amazon-apigateway-any-method:\n              x-amazon-apigateway-integration:\n                type: http_proxy\n                httpMethod: ANY\n                connectionType: VPC_LINK\n                connectionId: !Ref Link\n                uri: !Sub 'http://${Nlb.DNSName}:8080/items'\n                timeoutInMillis: 5000\n                tlsConfig: { insecureSkipVerification: true }\n            parameters: []\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: { Handler: x }\n  Included:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: v1\n      DefinitionBody:\n        Fn::Transform: { Name: AWS::Include, Parameters: { Location: ./swagger.yaml } }\n";
    let t = import(text);
    let j = json_of(&t);
    let api = &j["rest_apis"]["api"];
    assert_eq!(api["endpoint_type"], "PRIVATE");
    assert_eq!(
        api["routes"]["ANY /items"]["integration"],
        json!({ "type": "HTTP_PROXY", "vpc_link": "link", "method": "ANY", "timeout_ms": 5000,
            "uri": "http://internal-nlb.elb.us-east-1.amazonaws.com:8080/items",
            "tls": { "insecure_skip_verification": true } })
    );
    assert_eq!(api["stages"]["Prod"], json!({ "logging": "INFO" }));
    assert_eq!(j["vpc_links"]["link"]["targets"], json!(["nlb"]));
    let origin = t.origin.as_ref().unwrap();
    let inc = origin
        .unknowns
        .iter()
        .find(|u| u.path.as_str() == "/rest_apis/included/routes")
        .unwrap();
    assert!(inc.reason.contains("./swagger.yaml"), "{}", inc.reason);
    assert!(skipped(&t).contains(&("Fn".into(), "AWS::Serverless::Function".into())));
    assert_eq!(
        origin.sources["/rest_apis/api/routes/ANY ~1items"].line,
        Some(19)
    );
}

#[test]
fn http_api_integrations_routes_and_stages() {
    let text = with_vpc("  A:\n    Type: AWS::EC2::Subnet\n    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24, AvailabilityZone: us-east-1a }\n  Sg:\n    Type: AWS::EC2::SecurityGroup\n    Properties: { GroupDescription: link, VpcId: !Ref Vpc }\n  Link:\n    Type: AWS::ApiGatewayV2::VpcLink\n    Properties: { Name: l, SubnetIds: [!Ref A], SecurityGroupIds: [!Ref Sg] }\n  Alb:\n    Type: AWS::ElasticLoadBalancingV2::LoadBalancer\n    Properties: { Scheme: internal, Subnets: [!Ref A] }\n  Tg:\n    Type: AWS::ElasticLoadBalancingV2::TargetGroup\n    Properties: { VpcId: !Ref Vpc, Protocol: HTTP, Port: 80 }\n  L:\n    Type: AWS::ElasticLoadBalancingV2::Listener\n    Properties: { LoadBalancerArn: !Ref Alb, Port: 8080, DefaultActions: [{ Type: forward, TargetGroupArn: !Ref Tg }] }\n  Api:\n    Type: AWS::ApiGatewayV2::Api\n    Properties: { Name: orders, ProtocolType: HTTP }\n  Ws:\n    Type: AWS::ApiGatewayV2::Api\n    Properties: { Name: chat, ProtocolType: WEBSOCKET }\n  Integ:\n    Type: AWS::ApiGatewayV2::Integration\n    Properties: { ApiId: !Ref Api, IntegrationType: HTTP_PROXY, ConnectionType: VPC_LINK, ConnectionId: !Ref Link, IntegrationUri: !Ref L, IntegrationMethod: ANY, TlsConfig: { ServerNameToVerify: orders.internal }, PayloadFormatVersion: '1.0' }\n  LbInteg:\n    Type: AWS::ApiGatewayV2::Integration\n    Properties: { ApiId: !Ref Api, IntegrationType: HTTP_PROXY, ConnectionType: VPC_LINK, ConnectionId: !Ref Link, IntegrationUri: !Ref Alb, IntegrationMethod: ANY }\n  Unused:\n    Type: AWS::ApiGatewayV2::Integration\n    Properties: { ApiId: !Ref Api, IntegrationType: HTTP_PROXY, IntegrationUri: 'https://example.com' }\n  Route:\n    Type: AWS::ApiGatewayV2::Route\n    Properties: { ApiId: !Ref Api, RouteKey: 'GET /orders', Target: !Join ['/', [integrations, !Ref Integ]] }\n  Default:\n    Type: AWS::ApiGatewayV2::Route\n    Properties: { ApiId: !Ref Api, RouteKey: $default, Target: !Sub 'integrations/${LbInteg}' }\n  Stage:\n    Type: AWS::ApiGatewayV2::Stage\n    Properties: { ApiId: !Ref Api, StageName: $default, StageVariables: { a: b }, DefaultRouteSettings: { DetailedMetricsEnabled: true } }\n");
    let t = import(&text);
    let j = json_of(&t);
    let api = &j["http_apis"]["api"];
    assert_eq!(
        api["routes"]["GET /orders"]["integration"],
        json!({ "type": "HTTP_PROXY", "vpc_link": "link", "method": "ANY",
            "target": { "load_balancer": "alb", "port": 8080 },
            "tls": { "server_name_to_verify": "orders.internal" } })
    );
    // A load balancer ARN where a listener ARN belongs is kept, without a port.
    assert_eq!(
        api["routes"]["$default"]["integration"]["target"],
        json!({ "load_balancer": "alb" })
    );
    assert_eq!(
        api["stages"]["$default"],
        json!({ "metrics": true, "variables": { "a": "b" } })
    );
    assert_eq!(
        j["vpc_links"]["link"],
        json!({ "subnets": ["a"], "security_groups": ["sg"], "name": "l" })
    );
    // An ALB (no Type) defaults to application.
    assert_eq!(j["load_balancers"]["alb"]["type"], "application");
    assert_eq!(
        j["load_balancers"]["alb"]["listeners"][0]["protocol"],
        "HTTP"
    );
    let s = skipped(&t);
    assert!(
        s.contains(&("Ws".into(), "AWS::ApiGatewayV2::Api".into())),
        "{s:?}"
    );
    assert!(
        s.contains(&("Unused".into(), "AWS::ApiGatewayV2::Integration".into())),
        "{s:?}"
    );
}

#[test]
fn alarms_resolve_full_names_and_keep_the_full_arn_mistake() {
    let text = with_vpc("  Tg:\n    Type: AWS::ElasticLoadBalancingV2::TargetGroup\n    Properties: { VpcId: !Ref Vpc, Protocol: TCP, Port: 80 }\n  Good:\n    Type: AWS::CloudWatch::Alarm\n    Properties:\n      MetricName: UnHealthyHostCount\n      Namespace: AWS/NetworkELB\n      Dimensions: [{ Name: TargetGroup, Value: !GetAtt Tg.TargetGroupFullName }, { Name: AvailabilityZone, Value: us-east-1a }]\n      Threshold: 0.5\n      Period: 60\n  Bad:\n    Type: AWS::CloudWatch::Alarm\n    Properties:\n      MetricName: UnHealthyHostCount\n      Namespace: AWS/NetworkELB\n      Dimensions: [{ Name: TargetGroup, Value: !Ref Tg }]\n      Threshold: 0\n  Math:\n    Type: AWS::CloudWatch::Alarm\n    Properties: { Metrics: [], Threshold: 1 }\n");
    let t = import(&text);
    let j = json_of(&t);
    assert_eq!(
        j["alarms"]["good"],
        json!({ "metric": "UnHealthyHostCount", "target_group": "tg", "threshold": 0.5,
                "period_seconds": 60,
                "dimensions": [ { "name": "AvailabilityZone", "value": "us-east-1a" } ] })
    );
    let bad = &j["alarms"]["bad"]["dimensions"][0]["value"];
    assert!(
        bad.as_str()
            .unwrap()
            .starts_with("arn:aws:elasticloadbalancing:"),
        "{bad}"
    );
    let report = validate(&t);
    assert!(
        report.diagnostics.iter().any(|d| d.code == "VL503"),
        "{:?}",
        report.diagnostics
    );
    assert!(skipped(&t).contains(&("Math".into(), "AWS::CloudWatch::Alarm".into())));
}

// ---------------------------------------------------------------------------------------
// Unknowns never cause findings; real findings point at the template.

#[test]
fn parameter_subnets_and_groups_cause_no_findings_and_keep_real_ones() {
    // A template whose NLB sits in parameter subnets and whose instance uses a parameter
    // group: nothing about those may be reported. The listener port that matches no URI
    // is real and must be reported at the method's line.
    let text = "Parameters:\n  VpcId: { Type: 'AWS::EC2::VPC::Id' }\n  Subnets: { Type: 'List<AWS::EC2::Subnet::Id>' }\n  Groups: { Type: 'List<AWS::EC2::SecurityGroup::Id>' }\nResources:\n  Nlb:\n    Type: AWS::ElasticLoadBalancingV2::LoadBalancer\n    Properties: { Type: network, Scheme: internal, Subnets: !Ref Subnets }\n  Web:\n    Type: AWS::EC2::Instance\n    Properties: { SubnetId: !Select [0, !Ref Subnets], SecurityGroupIds: !Ref Groups }\n  Tg:\n    Type: AWS::ElasticLoadBalancingV2::TargetGroup\n    Properties: { VpcId: !Ref VpcId, Protocol: TCP, Port: 8080, Targets: [{ Id: !Ref Web }] }\n  L:\n    Type: AWS::ElasticLoadBalancingV2::Listener\n    Properties: { LoadBalancerArn: !Ref Nlb, Port: 80, Protocol: TCP, DefaultActions: [{ Type: forward, TargetGroupArn: !Ref Tg }] }\n  Link:\n    Type: AWS::ApiGateway::VpcLink\n    Properties: { Name: l, TargetArns: [!Ref Nlb] }\n  Api:\n    Type: AWS::ApiGateway::RestApi\n    Properties: { Name: a }\n  Get:\n    Type: AWS::ApiGateway::Method\n    Properties:\n      RestApiId: !Ref Api\n      ResourceId: !GetAtt Api.RootResourceId\n      HttpMethod: GET\n      Integration: { Type: HTTP_PROXY, IntegrationHttpMethod: GET, ConnectionType: VPC_LINK, ConnectionId: !Ref Link, Uri: 'http://nlb.internal:8081/' }\n";
    let t = import(text);
    let report = validate(&t);
    let errors: Vec<(&str, &str, Option<u32>)> = report
        .diagnostics
        .iter()
        .filter(|d| d.severity == crate::Severity::Error)
        .map(|d| {
            (
                d.code,
                d.path.as_str(),
                d.source.as_ref().and_then(|s| s.line),
            )
        })
        .collect();
    assert_eq!(
        errors,
        [(
            "VL406",
            "/rest_apis/api/routes/GET ~1/integration/uri",
            Some(24)
        )]
    );
    // Without the suppression, the placeholders alone would not cause errors either: the
    // importer's values are chosen to be harmless.
    let mut bare = t.clone();
    bare.origin = None;
    let bare_errors: Vec<&str> = validate(&bare)
        .diagnostics
        .iter()
        .filter(|d| d.severity == crate::Severity::Error)
        .map(|d| d.code)
        .collect();
    assert_eq!(bare_errors, ["VL406"]);
}

#[test]
fn suppression_drops_findings_under_unknown_paths_only() {
    use crate::model::UnknownValue;
    let mut t: Topology =
        serde_json::from_str(include_str!("../../../../examples/three-tier.json")).unwrap();
    // Break the target group's security group: VL301 at the group's ingress.
    t.security_groups.0.get_mut("app").unwrap().ingress.clear();
    let before: Vec<&str> = validate(&t).diagnostics.iter().map(|d| d.code).collect();
    assert!(before.contains(&"VL301"), "{before:?}");
    let mut origin = crate::model::Origin {
        format: crate::model::SourceFormat::Cloudformation,
        file: None,
        sources: Default::default(),
        unknowns: vec![UnknownValue {
            path: crate::JsonPointer::root().key("alarms").key("unhealthy"),
            expression: "x".into(),
            reason: "y".into(),
        }],
        skipped: Vec::new(),
    };
    t.origin = Some(origin.clone());
    let codes: Vec<&str> = validate(&t).diagnostics.iter().map(|d| d.code).collect();
    assert!(
        codes.contains(&"VL301"),
        "an unrelated unknown hides nothing: {codes:?}"
    );
    origin.unknowns[0].path = crate::JsonPointer::resource("security_groups", "app").key("ingress");
    t.origin = Some(origin);
    let codes: Vec<&str> = validate(&t).diagnostics.iter().map(|d| d.code).collect();
    assert!(!codes.contains(&"VL301"), "{codes:?}");
}

#[test]
fn a_flow_through_a_subnet_with_an_unknown_block_is_not_reported() {
    // The NLB's subnets have unknown CIDRs: whether the target's CIDR rule covers them (for
    // health checks from the NLB's nodes) is unknown, so VL302 must stay quiet.
    let base = "Parameters:\n  A: { Type: String }\n  B: { Type: String }\nResources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties: { CidrBlock: 10.0.0.0/16 }\n  Na:\n    Type: AWS::EC2::Subnet\n    Properties: { VpcId: !Ref Vpc, AvailabilityZone: us-east-1a, CidrBlock: !Ref A }\n  Nb:\n    Type: AWS::EC2::Subnet\n    Properties: { VpcId: !Ref Vpc, AvailabilityZone: us-east-1b, CidrBlock: !Ref B }\n  App:\n    Type: AWS::EC2::SecurityGroup\n    Properties: { GroupDescription: app, VpcId: !Ref Vpc, SecurityGroupIngress: [RULES] }\n  Web:\n    Type: AWS::EC2::Instance\n    Properties: { SubnetId: !Ref Na, SecurityGroupIds: [!Ref App] }\n  Nlb:\n    Type: AWS::ElasticLoadBalancingV2::LoadBalancer\n    Properties: { Type: network, Scheme: internal, Subnets: [!Ref Na, !Ref Nb] }\n  Tg:\n    Type: AWS::ElasticLoadBalancingV2::TargetGroup\n    Properties: { VpcId: !Ref Vpc, Protocol: TCP, Port: 8080, Targets: [{ Id: !Ref Web }] }\n  L:\n    Type: AWS::ElasticLoadBalancingV2::Listener\n    Properties: { LoadBalancerArn: !Ref Nlb, Port: 80, Protocol: TCP, DefaultActions: [{ Type: forward, TargetGroupArn: !Ref Tg }] }\n";
    let narrow = base.replace(
        "RULES",
        "{ IpProtocol: tcp, FromPort: 8080, ToPort: 8080, CidrIp: 10.0.1.0/24 }",
    );
    let t = import(&narrow);
    let codes: Vec<&str> = validate(&t).diagnostics.iter().map(|d| d.code).collect();
    assert!(!codes.contains(&"VL302"), "{codes:?}");
    // The same topology without its origin does report it: the placeholder blocks lie
    // outside 10.0.1.0/24. The suppression is what keeps the unknown from showing.
    let mut bare = t.clone();
    bare.origin = None;
    let bare_codes: Vec<&str> = validate(&bare).diagnostics.iter().map(|d| d.code).collect();
    assert!(bare_codes.contains(&"VL302"), "{bare_codes:?}");
}

#[test]
fn diagnostics_point_at_the_longest_source() {
    let text = with_vpc("  A:\n    Type: AWS::EC2::Subnet\n    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.1.0.0/24, AvailabilityZone: us-east-1a }\n");
    let t = import(&text);
    let report = validate(&t);
    let d = report
        .diagnostics
        .iter()
        .find(|d| d.code == "VL319")
        .unwrap();
    let src = d.source.as_ref().unwrap();
    assert_eq!(
        (src.name.as_str(), src.line, src.column),
        ("A", Some(5), Some(3))
    );
    // Imported from a file, every location names it, so any runtime prints file:line.
    assert_eq!(src.file.as_deref(), Some("t.yaml"));
    // Imported without a file name, the location names none.
    let unnamed = validate(&import_cloudformation(&text, None).unwrap());
    let d = unnamed
        .diagnostics
        .iter()
        .find(|d| d.code == "VL319")
        .unwrap();
    assert_eq!(d.source.as_ref().and_then(|s| s.file.as_deref()), None);
    // Hand-written topologies have no origin, and their findings no source.
    let mut bare = t.clone();
    bare.origin = None;
    assert!(validate(&bare)
        .diagnostics
        .iter()
        .all(|d| d.source.is_none()));
    let text = serde_json::to_string(&validate(&bare)).unwrap();
    assert!(!text.contains("\"source\":{"), "{text}");
}

// ---------------------------------------------------------------------------------------
// Errors and detection.

#[test]
fn broken_yaml_and_json_name_line_and_column() {
    let e = import_cloudformation("Resources:\n  A:\n    Type: [x\n", None).unwrap_err();
    assert!(e.line.is_some() && e.column.is_some(), "{e:?}");
    assert!(e.message.contains("not valid YAML or JSON"), "{e}");
    let e = import_cloudformation("{\n  \"Resources\": {\n    \"A\": }\n}", None).unwrap_err();
    assert_eq!(e.line, Some(3), "{e:?}");
    let e = import_cloudformation("Resources: !Ref\n  - [", None).unwrap_err();
    assert!(e.line.is_some(), "{e:?}");
}

#[test]
fn wrong_shapes_are_errors_with_place() {
    let cases: [(&str, &str, u32); 6] = [
        ("Resources: [1, 2]\n", "/Resources", 1),
        ("Resources:\n  A: 3\n", "/Resources/A", 2),
        ("Resources:\n  A:\n    Properties: {}\n", "/Resources/A", 2),
        ("Resources:\n  A:\n    Type: AWS::EC2::VPC\n    Properties: [1]\n", "/Resources/A/Properties", 4),
        ("Resources:\n  A:\n    Type: AWS::ElasticLoadBalancingV2::TargetGroup\n    Properties: { Port: eighty, Protocol: TCP, VpcId: vpc-1 }\n", "/Resources/A/Properties/Port", 4),
        ("Resources:\n  A:\n    Type: AWS::EC2::VPC\n    Properties: { CidrBlock: !Select [5, [a]] }\n", "/Resources/A/Properties/CidrBlock", 4),
    ];
    for (text, path, line) in cases {
        let e = import_cloudformation(text, None).unwrap_err();
        assert_eq!(e.path.as_deref(), Some(path), "{text}: {e}");
        assert_eq!(e.line, Some(line), "{text}: {e}");
    }
    let e = import_cloudformation("Description: x\n", None).unwrap_err();
    assert!(e.message.contains("Resources"), "{e}");
    let e = import_cloudformation("- a\n", None).unwrap_err();
    assert!(e.message.contains("map"), "{e}");
}

#[test]
fn repeated_logical_ids_keep_the_last_declaration() {
    let text = "Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties: { CidrBlock: 10.1.0.0/16 }\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties: { CidrBlock: 10.2.0.0/16 }\n";
    let t = import(text);
    assert_eq!(t.vpcs.get("vpc").unwrap().cidr.to_string(), "10.2.0.0/16");
    assert_eq!(
        skipped(&t),
        [("Vpc".to_owned(), "AWS::EC2::VPC".to_owned())]
    );
}

#[test]
fn detection_by_content() {
    assert!(looks_like_cloudformation(
        "AWSTemplateFormatVersion: '2010-09-09'\nResources: {}\n"
    ));
    assert!(looks_like_cloudformation(
        "Transform: AWS::Serverless-2016-10-31\n"
    ));
    assert!(looks_like_cloudformation(
        "{\"Resources\": {\"A\": {\"Type\": \"AWS::EC2::VPC\"}}}"
    ));
    assert!(!looks_like_cloudformation(include_str!(
        "../../../../examples/three-tier.json"
    )));
    assert!(!looks_like_cloudformation("openapi: 3.0.1\npaths: {}\n"));
    assert!(!looks_like_cloudformation("{ not yaml"));
}

#[test]
fn a_link_to_a_load_balancer_outside_the_template_keeps_its_arn() {
    // A literal ARN in another Region than the template's subnets: VL103 is real. The
    // load balancer's listeners and subnets are unknown, so nothing is said about them,
    // nor about the route's URI port.
    let text = "Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties: { CidrBlock: 10.0.0.0/16 }\n  S:\n    Type: AWS::EC2::Subnet\n    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24, AvailabilityZone: us-east-1a }\n  Link:\n    Type: AWS::ApiGateway::VpcLink\n    Properties:\n      Name: l\n      TargetArns: [arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/shop-nlb/0123456789abcdef]\n  Api:\n    Type: AWS::ApiGateway::RestApi\n    Properties: { Name: a }\n  Get:\n    Type: AWS::ApiGateway::Method\n    Properties:\n      RestApiId: !Ref Api\n      ResourceId: !GetAtt Api.RootResourceId\n      HttpMethod: GET\n      Integration: { Type: HTTP_PROXY, IntegrationHttpMethod: GET, ConnectionType: VPC_LINK, ConnectionId: !Ref Link, Uri: 'http://nlb.internal:8443/' }\n";
    let t = import(text);
    let lb = t.load_balancers.get("shop-nlb").unwrap();
    assert_eq!(lb.arn.as_ref().unwrap().region(), "eu-west-1");
    assert_eq!(t.vpc_links.get("link").unwrap().targets.len(), 1);
    let report = validate(&t);
    let errors: Vec<(&str, &str)> = report
        .diagnostics
        .iter()
        .filter(|d| d.severity == crate::Severity::Error)
        .map(|d| (d.code, d.path.as_str()))
        .collect();
    assert_eq!(errors, [("VL103", "/vpc_links/link/targets/0")]);

    // The same link from a parameter: no finding at all rests on the placeholder.
    let text = text
        .replace(
            "Resources:\n",
            "Parameters:\n  Arn: { Type: String }\nResources:\n",
        )
        .replace(
            "[arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/shop-nlb/0123456789abcdef]",
            "[!Ref Arn]",
        );
    let t = import(&text);
    let errors: Vec<&str> = validate(&t)
        .diagnostics
        .iter()
        .filter(|d| d.severity == crate::Severity::Error)
        .map(|d| d.code)
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    assert!(unknown_paths(&t).contains(&"/rest_apis/api/routes/GET ~1/integration".to_owned()));
}

#[test]
fn zones_by_getazs_index_keep_zone_findings_and_unknown_zones_drop_them() {
    // The NLB serves the zone of `!Select [0, !GetAZs]`, the target sits in index 1: which
    // zone that is has no name offline, but it is another zone than index 0, so VL214 is
    // real. Without any zone on the target's subnet, AWS may pick index 0's zone: dropped.
    let text = |zone_b: &str| {
        format!("Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties: {{ CidrBlock: 10.0.0.0/16 }}\n  A:\n    Type: AWS::EC2::Subnet\n    Properties: {{ VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24, AvailabilityZone: !Select [0, !GetAZs ''] }}\n  B:\n    Type: AWS::EC2::Subnet\n    Properties: {{ VpcId: !Ref Vpc, CidrBlock: 10.0.2.0/24{zone_b} }}\n  Web:\n    Type: AWS::EC2::Instance\n    Properties: {{ SubnetId: !Ref B }}\n  Nlb:\n    Type: AWS::ElasticLoadBalancingV2::LoadBalancer\n    Properties: {{ Type: network, Scheme: internal, Subnets: [!Ref A] }}\n  Tg:\n    Type: AWS::ElasticLoadBalancingV2::TargetGroup\n    Properties: {{ VpcId: !Ref Vpc, Protocol: TCP, Port: 80, Targets: [{{ Id: !Ref Web }}] }}\n  L:\n    Type: AWS::ElasticLoadBalancingV2::Listener\n    Properties: {{ LoadBalancerArn: !Ref Nlb, Port: 80, Protocol: TCP, DefaultActions: [{{ Type: forward, TargetGroupArn: !Ref Tg }}] }}\n")
    };
    let codes = |t: &Topology| -> Vec<&'static str> {
        validate(t).diagnostics.iter().map(|d| d.code).collect()
    };
    let indexed = import(&text(", AvailabilityZone: !Select [1, !GetAZs '']"));
    assert!(codes(&indexed).contains(&"VL214"), "{:?}", codes(&indexed));
    let unknown = import(&text(""));
    assert!(!codes(&unknown).contains(&"VL214"), "{:?}", codes(&unknown));
}

#[test]
fn foreach_loops_are_listed_not_expanded() {
    let text = "Transform: AWS::LanguageExtensions\nResources:\n  Fn::ForEach::Subnets:\n    - Name\n    - [A, B]\n    - Subnet${Name}:\n        Type: AWS::EC2::Subnet\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties: { CidrBlock: 10.0.0.0/16 }\n";
    let t = import(text);
    assert_eq!(t.vpcs.len(), 1);
    assert_eq!(
        skipped(&t),
        [("Fn::ForEach::Subnets".to_owned(), "Fn::ForEach".to_owned())]
    );
}
