//! What each Terraform resource becomes (a CloudFormation type, a part folded into
//! another resource, or skipped), and the topology ids of the ones that are resources of
//! the model.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::names::pascal;
use super::{Role, Tx};
use crate::import::terraform::ir::TfValue;

/// The CloudFormation type a Terraform type is written as.
fn cfn_type(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "aws_vpc" => "AWS::EC2::VPC",
        "aws_vpc_ipv4_cidr_block_association" => "AWS::EC2::VPCCidrBlock",
        "aws_subnet" => "AWS::EC2::Subnet",
        "aws_network_acl" => "AWS::EC2::NetworkAcl",
        "aws_network_acl_rule" => "AWS::EC2::NetworkAclEntry",
        "aws_network_acl_association" => "AWS::EC2::SubnetNetworkAclAssociation",
        "aws_security_group" => "AWS::EC2::SecurityGroup",
        "aws_vpc_security_group_ingress_rule" => "AWS::EC2::SecurityGroupIngress",
        "aws_vpc_security_group_egress_rule" => "AWS::EC2::SecurityGroupEgress",
        "aws_instance" => "AWS::EC2::Instance",
        "aws_lb" | "aws_alb" => "AWS::ElasticLoadBalancingV2::LoadBalancer",
        "aws_lb_listener" | "aws_alb_listener" => "AWS::ElasticLoadBalancingV2::Listener",
        "aws_lb_target_group" | "aws_alb_target_group" => {
            "AWS::ElasticLoadBalancingV2::TargetGroup"
        }
        "aws_api_gateway_vpc_link" => "AWS::ApiGateway::VpcLink",
        "aws_apigatewayv2_vpc_link" => "AWS::ApiGatewayV2::VpcLink",
        "aws_api_gateway_rest_api" => "AWS::ApiGateway::RestApi",
        "aws_api_gateway_resource" => "AWS::ApiGateway::Resource",
        "aws_api_gateway_method" => "AWS::ApiGateway::Method",
        "aws_api_gateway_deployment" => "AWS::ApiGateway::Deployment",
        "aws_api_gateway_stage" => "AWS::ApiGateway::Stage",
        "aws_apigatewayv2_api" => "AWS::ApiGatewayV2::Api",
        "aws_apigatewayv2_integration" => "AWS::ApiGatewayV2::Integration",
        "aws_apigatewayv2_route" => "AWS::ApiGatewayV2::Route",
        "aws_apigatewayv2_stage" => "AWS::ApiGatewayV2::Stage",
        "aws_cloudwatch_metric_alarm" => "AWS::CloudWatch::Alarm",
        _ => return None,
    })
}

/// Types folded into another resource of the configuration.
fn is_part(kind: &str) -> bool {
    matches!(
        kind,
        "aws_lb_target_group_attachment"
            | "aws_alb_target_group_attachment"
            | "aws_api_gateway_integration"
            | "aws_api_gateway_method_settings"
    )
}

/// The topology collection a CloudFormation type maps into.
pub(super) fn collection(cfn: &str) -> Option<&'static str> {
    Some(match cfn {
        "AWS::EC2::VPC" => "vpcs",
        "AWS::EC2::Subnet" => "subnets",
        "AWS::EC2::SecurityGroup" => "security_groups",
        "AWS::EC2::NetworkAcl" => "network_acls",
        "AWS::EC2::Instance" => "instances",
        "AWS::ElasticLoadBalancingV2::LoadBalancer" => "load_balancers",
        "AWS::ElasticLoadBalancingV2::TargetGroup" => "target_groups",
        "AWS::ApiGateway::VpcLink" | "AWS::ApiGatewayV2::VpcLink" => "vpc_links",
        "AWS::ApiGateway::RestApi" => "rest_apis",
        "AWS::ApiGatewayV2::Api" => "http_apis",
        "AWS::CloudWatch::Alarm" => "alarms",
        _ => return None,
    })
}

fn skip_reason(kind: &str) -> &'static str {
    match kind {
        "aws_elb" => {
            "a Classic Load Balancer: VPC links target Network Load Balancers (and REST APIs \
             over V2 links Application Load Balancers); classic ones are not modelled"
        }
        "aws_lb_listener_rule" | "aws_alb_listener_rule" => {
            "listener rules are not modelled; the listener's default action is"
        }
        "aws_lb_listener_certificate" => {
            "extra listener certificates are not modelled; the listener's own certificate is"
        }
        k if k.starts_with("aws_default_") => {
            "manages a default resource AWS creates with the VPC, which the import does not model"
        }
        k if k.starts_with("aws_ecs_") => {
            "ECS is not modelled; its tasks are not targets of this topology"
        }
        k if k.starts_with("aws_lambda_") => "Lambda functions are not part of the private path model",
        k if k.starts_with("aws_autoscaling_") => {
            "Auto Scaling is not modelled; the instances it launches are not targets of this topology"
        }
        k if k.starts_with("aws_iam_") => "IAM is outside the private path model",
        k if !k.starts_with("aws_") => "not a resource of the hashicorp/aws provider",
        _ => "resource type outside the private path model",
    }
}

impl Tx<'_> {
    pub(super) fn classify(&mut self) {
        for i in 0..self.cfg.resources.len() {
            let kind = self.kind(i);
            let cfn = if kind == "aws_security_group_rule" {
                match self.str_val(i, "type").as_deref() {
                    Some("ingress") => Some("AWS::EC2::SecurityGroupIngress"),
                    Some("egress") => Some("AWS::EC2::SecurityGroupEgress"),
                    _ => {
                        self.skip(i, "its `type` is not `ingress` or `egress` offline");
                        continue;
                    }
                }
            } else {
                cfn_type(kind)
            };
            match cfn {
                Some(t) => {
                    if let Some(r) = self.role.get_mut(i) {
                        *r = Role::Cfn(t);
                    }
                    let logical = self.unique(&pascal(self.address(i)));
                    if let Some(l) = self.logical.get_mut(i) {
                        *l = logical;
                    }
                }
                None if is_part(kind) => {
                    if let Some(r) = self.role.get_mut(i) {
                        *r = Role::Merged;
                    }
                }
                None => self.skip(i, skip_reason(kind)),
            }
        }
        self.merge_attachments();
        self.merge_integrations();
        self.merge_settings();
        self.find_default_egress();
    }

    fn is(&self, i: usize, cfn: &str) -> bool {
        matches!(self.role.get(i), Some(Role::Cfn(t)) if *t == cfn)
    }

    fn of_kinds(&self, kinds: &[&str]) -> Vec<usize> {
        (0..self.cfg.resources.len())
            .filter(|&i| kinds.contains(&self.kind(i)))
            .collect()
    }

    fn merge_attachments(&mut self) {
        for a in self.of_kinds(&[
            "aws_lb_target_group_attachment",
            "aws_alb_target_group_attachment",
        ]) {
            let tg = self
                .val(a, "target_group_arn")
                .and_then(|v| self.target(v))
                .filter(|&t| self.is(t, "AWS::ElasticLoadBalancingV2::TargetGroup"));
            match tg {
                Some(t) => self.attachments.entry(t).or_default().push(a),
                None => self.skip(
                    a,
                    "its target group is not declared in this configuration, so the target \
                     joins a group outside the model",
                ),
            }
        }
    }

    /// A key that is equal for values naming the same thing: the resource a reference
    /// resolves to, else the reference or the literal text.
    fn key(&self, v: Option<&TfValue>) -> Option<String> {
        match v? {
            TfValue::Ref { address, .. } => Some(match self.resolve(address) {
                Some(i) => format!("#{i}"),
                None => format!("@{address}"),
            }),
            other => self.literal(other).map(|t| format!("={t}")),
        }
    }

    fn merge_integrations(&mut self) {
        // (API, resource, verb) → method: one pass, however many methods there are.
        let mut methods: HashMap<(String, String, String), usize> = HashMap::new();
        for m in self.of_kinds(&["aws_api_gateway_method"]) {
            if let (Some(api), Some(res), Some(verb)) = (
                self.key(self.val(m, "rest_api_id")),
                self.key(self.val(m, "resource_id")),
                self.str_val(m, "http_method"),
            ) {
                methods.entry((api, res, verb)).or_insert(m);
            }
        }
        for g in self.of_kinds(&["aws_api_gateway_integration"]) {
            let by_ref = self
                .val(g, "http_method")
                .and_then(|v| self.target(v))
                .filter(|&m| self.kind(m) == "aws_api_gateway_method");
            let method = by_ref.or_else(|| {
                let key = (
                    self.key(self.val(g, "rest_api_id"))?,
                    self.key(self.val(g, "resource_id"))?,
                    self.str_val(g, "http_method")?,
                );
                methods.get(&key).copied()
            });
            match method {
                Some(m)
                    if self.is(m, "AWS::ApiGateway::Method")
                        && !self.integration_of.contains_key(&m) =>
                {
                    self.integration_of.insert(m, g);
                }
                Some(_) => self.skip(g, "its method has another integration already"),
                None => self.skip(
                    g,
                    "no aws_api_gateway_method of this configuration matches its rest_api_id, \
                     resource_id and http_method",
                ),
            }
        }
    }

    /// Method settings join their stage: an `aws_api_gateway_stage`, or the stage a
    /// deployment creates with its `stage_name`.
    fn merge_settings(&mut self) {
        let mut stages: HashMap<(String, String), usize> = HashMap::new();
        for t in self.of_kinds(&["aws_api_gateway_stage", "aws_api_gateway_deployment"]) {
            if let (Some(api), Some(name)) = (
                self.key(self.val(t, "rest_api_id")),
                self.str_val(t, "stage_name"),
            ) {
                let stage = self.kind(t) == "aws_api_gateway_stage";
                // A stage resource wins over a deployment naming the same stage.
                match stages.get(&(api.clone(), name.clone())) {
                    Some(&old) if !stage || self.kind(old) == "aws_api_gateway_stage" => {}
                    _ => {
                        stages.insert((api, name), t);
                    }
                }
            }
        }
        for s in self.of_kinds(&["aws_api_gateway_method_settings"]) {
            let by_ref = self
                .val(s, "stage_name")
                .and_then(|v| self.target(v))
                .filter(|&t| self.kind(t) == "aws_api_gateway_stage");
            let stage = by_ref.or_else(|| {
                let key = (
                    self.key(self.val(s, "rest_api_id"))?,
                    self.str_val(s, "stage_name")?,
                );
                stages.get(&key).copied()
            });
            match stage {
                Some(t)
                    if self.is(t, "AWS::ApiGateway::Stage")
                        || self.is(t, "AWS::ApiGateway::Deployment") =>
                {
                    self.settings_of.entry(t).or_default().push(s);
                }
                _ => self.skip(s, "its stage is not declared in this configuration"),
            }
        }
    }

    /// Groups whose egress rules are all the exporter's declaration of AWS's default
    /// (`vpclink:egress = default`, all traffic to `0.0.0.0/0` or `::/0`, unchanged).
    fn find_default_egress(&mut self) {
        let mut rules_of: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for i in 0..self.cfg.resources.len() {
            let egress = match self.kind(i) {
                "aws_vpc_security_group_egress_rule" => true,
                "aws_security_group_rule" => {
                    self.role.get(i) == Some(&Role::Cfn("AWS::EC2::SecurityGroupEgress"))
                }
                _ => false,
            };
            if !egress {
                continue;
            }
            if let Some(g) = self
                .val(i, "security_group_id")
                .and_then(|v| self.target(v))
            {
                rules_of.entry(g).or_default().push(i);
            }
        }
        for (g, rules) in rules_of {
            if !self.is(g, "AWS::EC2::SecurityGroup") {
                continue;
            }
            let inline = match self.val(g, "egress") {
                None => false,
                Some(TfValue::List(items)) => !items.is_empty(),
                Some(_) => true,
            };
            if inline || !rules.iter().all(|&r| self.is_default_egress(r)) {
                continue;
            }
            self.default_egress.insert(g);
            for r in rules {
                if let Some(role) = self.role.get_mut(r) {
                    *role = Role::Merged;
                }
            }
        }
    }

    fn is_default_egress(&self, i: usize) -> bool {
        let tagged = self
            .val(i, "tags")
            .and_then(|t| t.get("vpclink:egress"))
            .and_then(TfValue::as_str)
            == Some("default");
        let all = matches!(
            self.str_val(i, "ip_protocol").as_deref(),
            Some("-1" | "all")
        );
        let v4 = self.str_val(i, "cidr_ipv4");
        let v6 = self.str_val(i, "cidr_ipv6");
        let anywhere = matches!(
            (v4.as_deref(), v6.as_deref()),
            (Some("0.0.0.0/0"), None) | (None, Some("::/0"))
        );
        let other_peer = self.val(i, "referenced_security_group_id").is_some()
            || self.val(i, "prefix_list_id").is_some();
        self.kind(i) == "aws_vpc_security_group_egress_rule"
            && tagged
            && all
            && anywhere
            && !other_peer
    }

    /// Topology ids: `vpclink:id` tags first, then the resource name with its key, under
    /// its modules where names collide, numbered where they still do.
    pub(super) fn assign_ids(&mut self) {
        let mut taken: HashSet<(&'static str, String)> = HashSet::new();
        let mut coll_of: Vec<Option<&'static str>> = Vec::new();
        for i in 0..self.cfg.resources.len() {
            coll_of.push(match self.role.get(i) {
                Some(Role::Cfn(t)) => collection(t),
                _ => None,
            });
        }
        for (i, coll) in coll_of.iter().enumerate() {
            let Some(coll) = coll else { continue };
            let tag = self
                .val(i, "tags")
                .and_then(|t| t.get("vpclink:id"))
                .and_then(TfValue::as_str)
                .filter(|s| s.parse::<crate::model::Id>().is_ok());
            if let Some(tag) = tag {
                if taken.insert((coll, tag.to_owned())) {
                    if let Some(slot) = self.id.get_mut(i) {
                        *slot = Some(tag.to_owned());
                    }
                }
            }
        }
        let mut count: HashMap<(&'static str, String), usize> = HashMap::new();
        for (i, coll) in coll_of.iter().enumerate() {
            if let (Some(coll), None, Some(Some(a))) =
                (coll, self.id.get(i).cloned().flatten(), self.addr.get(i))
            {
                *count.entry((coll, a.local_id())).or_default() += 1;
            }
        }
        for (i, coll) in coll_of.iter().enumerate() {
            let Some(coll) = coll else { continue };
            if self.id.get(i).cloned().flatten().is_some() {
                continue;
            }
            let base = match self.addr.get(i).cloned().flatten() {
                Some(a) if count.get(&(*coll, a.local_id())).copied().unwrap_or(0) > 1 => {
                    a.module_id()
                }
                Some(a) => a.local_id(),
                None => pascal(self.address(i)).to_ascii_lowercase(),
            };
            let mut base: String = base.chars().take(200).collect();
            if base.is_empty() {
                base = "resource".to_owned();
            }
            let mut n = 1;
            let id = loop {
                let candidate = if n == 1 {
                    base.clone()
                } else {
                    format!("{base}-{n}")
                };
                if taken.insert((coll, candidate.clone())) {
                    break candidate;
                }
                n += 1;
            };
            if let Some(slot) = self.id.get_mut(i) {
                *slot = Some(id);
            }
        }
    }

    pub(super) fn emit_all(&mut self) {
        for i in 0..self.cfg.resources.len() {
            if !matches!(self.role.get(i), Some(Role::Cfn(_))) {
                continue;
            }
            match self.kind(i) {
                "aws_vpc" => self.vpc(i),
                "aws_vpc_ipv4_cidr_block_association" => self.cidr_block_association(i),
                "aws_subnet" => self.subnet(i),
                "aws_network_acl" => self.network_acl(i),
                "aws_network_acl_rule" => self.network_acl_rule(i),
                "aws_network_acl_association" => self.network_acl_association(i),
                "aws_security_group" => self.security_group(i),
                "aws_security_group_rule" => self.security_group_rule(i),
                "aws_vpc_security_group_ingress_rule" => self.vpc_security_group_rule(i, true),
                "aws_vpc_security_group_egress_rule" => self.vpc_security_group_rule(i, false),
                "aws_instance" => self.instance(i),
                "aws_lb" | "aws_alb" => self.load_balancer(i),
                "aws_lb_listener" | "aws_alb_listener" => self.listener(i),
                "aws_lb_target_group" | "aws_alb_target_group" => self.target_group(i),
                "aws_api_gateway_vpc_link" | "aws_apigatewayv2_vpc_link" => self.vpc_link(i),
                "aws_api_gateway_rest_api" => self.rest_api(i),
                "aws_api_gateway_resource" => self.rest_resource(i),
                "aws_api_gateway_method" => self.method(i),
                "aws_api_gateway_deployment" => self.deployment(i),
                "aws_api_gateway_stage" => self.rest_stage(i),
                "aws_apigatewayv2_api" => self.http_api(i),
                "aws_apigatewayv2_integration" => self.v2_integration(i),
                "aws_apigatewayv2_route" => self.v2_route(i),
                "aws_apigatewayv2_stage" => self.v2_stage(i),
                "aws_cloudwatch_metric_alarm" => self.alarm(i),
                _ => {}
            }
        }
    }
}
