//! Properties AWS cannot change in place: changing one replaces the resource.
//!
//! One table, each row with the fact it rests on, so a reviewer can check the whole list
//! at once. The diff asks [`is_immutable`]; two conditional cases on load balancers that a
//! table cannot say are the functions below it.

use super::key::Kind;

/// A property (JSON Pointer relative to the resource in the topology) that forces a
/// replacement, and why.
pub(crate) struct Immutable {
    pub kind: Kind,
    pub property: &'static str,
    pub source: &'static str,
}

const fn row(kind: Kind, property: &'static str, source: &'static str) -> Immutable {
    Immutable {
        kind,
        property,
        source,
    }
}

pub(crate) const IMMUTABLE: &[Immutable] = &[
    row(Kind::Vpc, "/cidr", "facts §11: AWS::EC2::VPC CidrBlock"),
    row(Kind::Subnet, "/vpc", "facts §11: AWS::EC2::Subnet VpcId"),
    row(
        Kind::Subnet,
        "/cidr",
        "facts §11: AWS::EC2::Subnet CidrBlock",
    ),
    row(
        Kind::Subnet,
        "/az",
        "facts §11: AWS::EC2::Subnet AvailabilityZone",
    ),
    row(
        Kind::SecurityGroup,
        "/vpc",
        "facts §11: AWS::EC2::SecurityGroup VpcId",
    ),
    row(
        Kind::SecurityGroup,
        "/name",
        "facts §11: AWS::EC2::SecurityGroup GroupName",
    ),
    row(
        Kind::SecurityGroup,
        "/description",
        "facts §11: AWS::EC2::SecurityGroup GroupDescription",
    ),
    row(
        Kind::NetworkAcl,
        "/vpc",
        "facts §11: AWS::EC2::NetworkAcl VpcId",
    ),
    // The VPC's default ACL comes with the VPC; no call makes another ACL the default.
    row(Kind::NetworkAcl, "/default", "facts §6: the default NACL"),
    row(
        Kind::Instance,
        "/subnet",
        "facts §11: AWS::EC2::Instance SubnetId",
    ),
    row(
        Kind::Instance,
        "/image_id",
        "facts §11: AWS::EC2::Instance ImageId",
    ),
    row(
        Kind::Instance,
        "/private_ip",
        "facts §11: AWS::EC2::Instance PrivateIpAddress",
    ),
    row(
        Kind::TargetGroup,
        "/vpc",
        "facts §4.5, §11: VpcId is create-only",
    ),
    row(Kind::TargetGroup, "/protocol", "facts §4.5, §11: Protocol"),
    row(Kind::TargetGroup, "/port", "facts §4.5, §11: Port"),
    row(
        Kind::TargetGroup,
        "/target_type",
        "facts §4.5, §11: TargetType",
    ),
    row(Kind::TargetGroup, "/name", "facts §4.5, §11: Name"),
    row(Kind::LoadBalancer, "/type", "facts §4.1, §11: Type"),
    row(Kind::LoadBalancer, "/scheme", "facts §4.1, §11: Scheme"),
    row(Kind::LoadBalancer, "/name", "facts §4.1, §11: Name"),
    row(
        Kind::VpcLink,
        "/targets",
        "facts §2.1: targetArns cannot change (CFN TargetArns: replacement)",
    ),
    row(
        Kind::VpcLink,
        "/subnets",
        "facts §2.6: V2 subnets are immutable (CFN SubnetIds: replacement)",
    ),
    row(
        Kind::VpcLink,
        "/security_groups",
        "facts §2.6: V2 security groups are immutable (CFN SecurityGroupIds: replacement)",
    ),
    row(
        Kind::Alarm,
        "/name",
        "facts §11: AWS::CloudWatch::Alarm AlarmName",
    ),
];

/// Whether changing `property` of a `kind` replaces the resource.
pub(crate) fn is_immutable(kind: Kind, property: &str) -> bool {
    IMMUTABLE
        .iter()
        .any(|r| r.kind == kind && r.property == property)
}

/// The fact behind an immutable property, for descriptions.
pub(crate) fn source(kind: Kind, property: &str) -> Option<&'static str> {
    IMMUTABLE
        .iter()
        .find(|r| r.kind == kind && r.property == property)
        .map(|r| r.source)
}

/// An NLB's security groups can only be given at creation: one created without groups can
/// never get one, and one created with groups cannot drop to none (facts §4.3, LB-03;
/// dropping all groups is refused by `SetSecurityGroups` on an NLB created with groups —
/// planned as a replacement to be safe).
pub(crate) fn load_balancer_groups_replace(current_has: bool, desired_has: bool) -> bool {
    current_has != desired_has
}

/// Subnets can be added to and removed from an NLB with `SetSubnets`, but not removed
/// while the NLB has an active VPC endpoint association, which a V1 VPC link is
/// (facts §4.1, §2.4).
pub(crate) fn load_balancer_subnets_replace(removes_subnets: bool, behind_v1_link: bool) -> bool {
    removes_subnets && behind_v1_link
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_cites_the_facts_and_appears_once() {
        for (i, r) in IMMUTABLE.iter().enumerate() {
            assert!(r.source.starts_with("facts §"), "{}", r.property);
            assert!(r.property.starts_with('/'));
            assert!(
                !IMMUTABLE[..i]
                    .iter()
                    .any(|o| o.kind == r.kind && o.property == r.property),
                "{:?} {} twice",
                r.kind,
                r.property
            );
        }
    }

    #[test]
    fn scheme_is_immutable_health_check_is_not() {
        assert!(is_immutable(Kind::LoadBalancer, "/scheme"));
        assert!(!is_immutable(Kind::TargetGroup, "/health_check"));
        assert!(!is_immutable(Kind::LoadBalancer, "/cross_zone"));
    }

    #[test]
    fn load_balancer_conditions() {
        assert!(load_balancer_groups_replace(false, true));
        assert!(!load_balancer_groups_replace(true, true));
        assert!(load_balancer_subnets_replace(true, true));
        assert!(!load_balancer_subnets_replace(true, false));
        assert!(!load_balancer_subnets_replace(false, true));
    }
}
