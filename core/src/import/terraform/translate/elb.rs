//! Load balancers (`aws_lb`/`aws_alb`), listeners and target groups, with each target
//! group's attachments as its `Targets`.

use super::{first_block, node, Props, Tx};
use crate::import::terraform::ir::TfValue;

impl Tx<'_> {
    pub(super) fn load_balancer(&mut self, i: usize) {
        let pos = node::at(i);
        let mut p = Props::default();
        self.set(&mut p, i, "Name", "name");
        self.set(&mut p, i, "Type", "load_balancer_type");
        match self.val(i, "internal") {
            Some(v @ TfValue::Unknown { .. }) | Some(v @ TfValue::Ref { .. }) => {
                self.set_value(&mut p, i, "Scheme", "internal", v);
            }
            Some(v) => {
                let internal = self.literal(v).is_some_and(|s| s == "true");
                let scheme = if internal {
                    "internal"
                } else {
                    "internet-facing"
                };
                p.put("Scheme", node::text(scheme, pos));
                p.names.push(("Scheme".to_owned(), "internal".to_owned()));
            }
            None => {}
        }
        self.set(&mut p, i, "Subnets", "subnets");
        if !p.has("Subnets") {
            if let Some(TfValue::List(mappings)) = self.val(i, "subnet_mapping") {
                let items: Vec<TfValue> = mappings
                    .iter()
                    .filter_map(|m| m.get("subnet_id").cloned())
                    .collect();
                let nodes = items
                    .iter()
                    .filter_map(|s| self.conv(s, i))
                    .map(|s| node::map(vec![("SubnetId".to_owned(), s)], pos))
                    .collect();
                p.put("SubnetMappings", node::seq(nodes, pos));
                p.names
                    .push(("SubnetMappings".to_owned(), "subnet_mapping".to_owned()));
            }
        }
        self.set(&mut p, i, "SecurityGroups", "security_groups");
        self.set(
            &mut p,
            i,
            "EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic",
            "enforce_security_group_inbound_rules_on_private_link_traffic",
        );
        // Cross-zone is a setting of network load balancers (always on for ALBs).
        let network = self
            .str_val(i, "load_balancer_type")
            .is_some_and(|t| t == "network");
        if let (true, Some(v)) = (network, self.val(i, "enable_cross_zone_load_balancing")) {
            if let Some(n) = self.conv(v, i) {
                let attr = node::map(
                    vec![
                        (
                            "Key".to_owned(),
                            node::text("load_balancing.cross_zone.enabled", pos),
                        ),
                        ("Value".to_owned(), n),
                    ],
                    pos,
                );
                p.put("LoadBalancerAttributes", node::seq(vec![attr], pos));
            }
        }
        let meta = self.meta(i);
        let logical = self.logical.get(i).cloned().unwrap_or_default();
        self.push(
            &logical,
            "AWS::ElasticLoadBalancingV2::LoadBalancer",
            i,
            p,
            meta,
        );
    }

    pub(super) fn listener(&mut self, i: usize) {
        let pos = node::at(i);
        let mut p = Props::default();
        self.set(&mut p, i, "LoadBalancerArn", "load_balancer_arn");
        self.set(&mut p, i, "Port", "port");
        self.set(&mut p, i, "Protocol", "protocol");
        if let Some(cert) = self.val(i, "certificate_arn").and_then(|c| self.conv(c, i)) {
            p.put(
                "Certificates",
                node::seq(
                    vec![node::map(vec![("CertificateArn".to_owned(), cert)], pos)],
                    pos,
                ),
            );
        }
        let actions: Vec<TfValue> = match self.val(i, "default_action") {
            Some(TfValue::List(items)) => items.clone(),
            Some(other) => vec![other.clone()],
            None => Vec::new(),
        };
        let mut nodes = Vec::new();
        for a in &actions {
            let mut entries = Vec::new();
            if let Some(t) = a.get("type").and_then(|t| self.conv(t, i)) {
                entries.push(("Type".to_owned(), t));
            }
            if let Some(tg) = a
                .get("target_group_arn")
                .and_then(super::present)
                .and_then(|t| self.conv(t, i))
            {
                entries.push(("TargetGroupArn".to_owned(), tg));
            }
            // `forward { target_group { arn = … } }`: weighted forwarding.
            let groups: Vec<TfValue> = a
                .get("forward")
                .and_then(first_block)
                .map(|f| match f.get("target_group") {
                    Some(TfValue::List(items)) => items.clone(),
                    Some(other) => vec![other.clone()],
                    None => Vec::new(),
                })
                .unwrap_or_default();
            let groups: Vec<_> = groups
                .iter()
                .filter_map(|g| g.get("arn").and_then(|arn| self.conv(arn, i)))
                .map(|arn| node::map(vec![("TargetGroupArn".to_owned(), arn)], pos))
                .collect();
            if !groups.is_empty() {
                entries.push((
                    "ForwardConfig".to_owned(),
                    node::map(
                        vec![("TargetGroups".to_owned(), node::seq(groups, pos))],
                        pos,
                    ),
                ));
            }
            if let TfValue::Unknown { .. } = a {
                if let Some(n) = self.conv(a, i) {
                    nodes.push(n);
                }
                continue;
            }
            nodes.push(node::map(entries, pos));
        }
        p.put("DefaultActions", node::seq(nodes, pos));
        p.names
            .push(("DefaultActions".to_owned(), "default_action".to_owned()));
        let meta = self.meta(i);
        let logical = self.logical.get(i).cloned().unwrap_or_default();
        self.push(
            &logical,
            "AWS::ElasticLoadBalancingV2::Listener",
            i,
            p,
            meta,
        );
    }

    pub(super) fn target_group(&mut self, i: usize) {
        let pos = node::at(i);
        let mut p = Props::default();
        for (cfn, tf) in [
            ("Name", "name"),
            ("TargetType", "target_type"),
            ("Protocol", "protocol"),
            ("Port", "port"),
            ("VpcId", "vpc_id"),
        ] {
            self.set(&mut p, i, cfn, tf);
        }
        if let Some(hc) = self.block(i, "health_check") {
            for (cfn, tf) in [
                ("HealthCheckEnabled", "enabled"),
                ("HealthCheckProtocol", "protocol"),
                ("HealthCheckPort", "port"),
                ("HealthCheckPath", "path"),
                ("HealthCheckIntervalSeconds", "interval"),
                ("HealthCheckTimeoutSeconds", "timeout"),
                ("HealthyThresholdCount", "healthy_threshold"),
                ("UnhealthyThresholdCount", "unhealthy_threshold"),
            ] {
                if let Some(v) = hc.get(tf) {
                    self.set_value(&mut p, i, cfn, &format!("health_check.{tf}"), v);
                }
            }
            if let Some(m) = hc
                .get("matcher")
                .and_then(super::present)
                .and_then(|m| self.conv(m, i))
            {
                p.put("Matcher", node::map(vec![("HttpCode".to_owned(), m)], pos));
            }
        }
        let mut attrs = Vec::new();
        for (key, tf) in [
            ("preserve_client_ip.enabled", "preserve_client_ip"),
            (
                "load_balancing.cross_zone.enabled",
                "load_balancing_cross_zone_enabled",
            ),
        ] {
            if let Some(n) = self.val(i, tf).and_then(|v| self.conv(v, i)) {
                attrs.push(node::map(
                    vec![
                        ("Key".to_owned(), node::text(key, pos)),
                        ("Value".to_owned(), n),
                    ],
                    pos,
                ));
            }
        }
        if !attrs.is_empty() {
            p.put("TargetGroupAttributes", node::seq(attrs, pos));
        }
        let attachments = self.attachments.get(&i).cloned().unwrap_or_default();
        if !attachments.is_empty() {
            let mut targets = Vec::new();
            for a in attachments {
                let mut entries = Vec::new();
                for (cfn, tf) in [
                    ("Id", "target_id"),
                    ("Port", "port"),
                    ("AvailabilityZone", "availability_zone"),
                ] {
                    if let Some(n) = self.val(a, tf).and_then(|v| self.conv(v, a)) {
                        entries.push((cfn.to_owned(), n));
                    }
                }
                targets.push(node::map(entries, node::at(a)));
            }
            p.put("Targets", node::seq(targets, pos));
        }
        let meta = self.meta(i);
        let logical = self.logical.get(i).cloned().unwrap_or_default();
        self.push(
            &logical,
            "AWS::ElasticLoadBalancingV2::TargetGroup",
            i,
            p,
            meta,
        );
    }
}
