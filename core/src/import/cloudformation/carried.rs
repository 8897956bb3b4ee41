//! Values the vpclink exporter carries in `Metadata.vpclink` because no property can hold
//! them unambiguously (see `render::cloudformation`): fields it filled in with its defaults
//! (`defaults: {field: value}`), which come back out while the property still holds the
//! value the exporter wrote (an edited value is the template's own), and fields the
//! topology states although they are what it implies (`namespace`, `connection_type`,
//! `authorization`, a MOCK integration's `method`), which come back in. Templates without
//! that metadata are not touched. `serves`, a stage's `logging` and `name` are read where
//! their resources are.

use std::collections::BTreeMap;

use super::build::Coll;
use super::template::{Resource, Template};
use super::yaml::Node;
use crate::model::{Id, Integration, Route, Topology};

/// Applies what every resource of the template carries to the imported topology.
/// `ids` maps logical ids to where the importer put them.
pub fn apply(t: &Template<'_>, ids: &BTreeMap<String, (Coll, Id)>, topo: &mut Topology) {
    for r in &t.resources {
        let Some(meta) = r.meta else { continue };
        let defaults = Defaults(meta.get("defaults"));
        let text = |key: &str| meta.get(key).and_then(Node::as_str).map(str::to_owned);
        match r.kind.as_str() {
            "AWS::EC2::Instance" => {
                if let Some(i) =
                    own(ids, r, Coll::Instances).and_then(|id| topo.instances.0.get_mut(id))
                {
                    defaults.clear("instance_type", &mut i.instance_type);
                }
            }
            "AWS::EC2::SecurityGroup" => {
                if let Some(g) = own(ids, r, Coll::SecurityGroups)
                    .and_then(|id| topo.security_groups.0.get_mut(id))
                {
                    defaults.clear("description", &mut g.description);
                }
            }
            "AWS::CloudWatch::Alarm" => {
                let Some(a) = own(ids, r, Coll::Alarms).and_then(|id| topo.alarms.0.get_mut(id))
                else {
                    continue;
                };
                defaults.clear("statistic", &mut a.statistic);
                defaults.clear("period_seconds", &mut a.period_seconds);
                defaults.clear("evaluation_periods", &mut a.evaluation_periods);
                defaults.clear("comparison", &mut a.comparison);
                defaults.clear("load_balancer", &mut a.load_balancer);
                if let Some(ns) = text("namespace") {
                    a.namespace = Some(ns);
                }
            }
            "AWS::ApiGateway::Method" => {
                if let Some(route) = route(topo, r, Coll::RestApis) {
                    integration(&mut route.integration, &defaults, &text);
                    if let Some(auth) = text("authorization") {
                        route.authorization = Some(auth);
                    }
                }
            }
            "AWS::ApiGatewayV2::Integration" => {
                if let Some(route) = route(topo, r, Coll::HttpApis) {
                    integration(&mut route.integration, &defaults, &text);
                }
            }
            "AWS::ApiGatewayV2::Route" => {
                if let (Some(route), Some(auth)) =
                    (route(topo, r, Coll::HttpApis), text("authorization"))
                {
                    route.authorization = Some(auth);
                }
            }
            _ => {}
        }
    }
}

/// The topology id of a top-level resource, when it went into `coll`.
fn own<'i>(ids: &'i BTreeMap<String, (Coll, Id)>, r: &Resource<'_>, coll: Coll) -> Option<&'i Id> {
    ids.get(&r.logical)
        .filter(|(c, _)| *c == coll)
        .map(|(_, id)| id)
}

/// The route a part resource (`Metadata.vpclink.id` and `route`) belongs to.
fn route<'t>(topo: &'t mut Topology, r: &Resource<'_>, coll: Coll) -> Option<&'t mut Route> {
    let api: Id = r.meta_id.as_deref()?.parse().ok()?;
    let routes = match coll {
        Coll::RestApis => &mut topo.rest_apis.0.get_mut(&api)?.routes,
        _ => &mut topo.http_apis.0.get_mut(&api)?.routes,
    };
    routes.0.get_mut(r.meta_route.as_deref()?)
}

/// `Metadata.vpclink.defaults`: field → the value the exporter wrote for it.
struct Defaults<'n>(Option<&'n Node>);

impl Defaults<'_> {
    /// Leaves `value` out when the exporter filled it in and the template still holds what
    /// it wrote.
    fn clear<T: std::fmt::Display>(&self, field: &str, value: &mut Option<T>) {
        let written = self.0.and_then(|d| d.get(field)).and_then(Node::as_str);
        if written.is_some() && value.as_ref().map(ToString::to_string).as_deref() == written {
            *value = None;
        }
    }
}

fn integration(
    i: &mut Integration,
    defaults: &Defaults<'_>,
    text: &dyn Fn(&str) -> Option<String>,
) {
    defaults.clear("method", &mut i.method);
    if let Some(m) = text("method") {
        i.method = Some(m);
    }
    if let Some(c) = text("connection_type")
        .and_then(|c| serde_json::from_value(serde_json::Value::String(c)).ok())
    {
        i.connection_type = Some(c);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests {
    use crate::import::cloudformation::import_cloudformation;

    /// One instance and one alarm, with `meta` as the instance's extra `Metadata.vpclink`
    /// keys, and `image_type` and `image_default` its `ImageId` parameter.
    fn template(meta: &str, image_type: &str, image_default: &str) -> String {
        format!(
            r#"
Parameters:
  Image:
    Type: {image_type}
    Default: {image_default}
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {{CidrBlock: 10.0.0.0/16}}
  Subnet:
    Type: AWS::EC2::Subnet
    Properties: {{VpcId: {{Ref: Vpc}}, AvailabilityZone: us-east-1a, CidrBlock: 10.0.1.0/24}}
  Web:
    Type: AWS::EC2::Instance
    Metadata:
      vpclink: {{id: web, kind: instances{meta}}}
    Properties:
      ImageId: {{Ref: Image}}
      InstanceType: t3.micro
      SubnetId: {{Ref: Subnet}}
"#
        )
    }

    const AL2023: &str = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";
    const SSM: &str = "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>";

    #[test]
    fn the_latest_al2023_parameter_is_no_image_id_and_nothing_unknown() {
        let t = import_cloudformation(&template("", SSM, AL2023), None).unwrap();
        let web = t.instances.get("web").unwrap();
        assert_eq!(web.image_id, None);
        assert_eq!(web.instance_type.as_deref(), Some("t3.micro"));
        assert!(t.origin.unwrap().unknowns.is_empty());
    }

    #[test]
    fn another_ssm_parameter_stays_unknown() {
        let other = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64";
        let t = import_cloudformation(&template("", SSM, other), None).unwrap();
        assert_eq!(t.instances.get("web").unwrap().image_id, None);
        let unknowns = t.origin.unwrap().unknowns;
        assert_eq!(unknowns.len(), 1, "{unknowns:?}");
        assert_eq!(unknowns[0].path.as_str(), "/instances/web/image_id");
    }

    #[test]
    fn a_plain_parameter_with_that_default_is_an_image_id() {
        // Only an SSM parameter resolves the name; a String parameter is the text itself.
        let t = import_cloudformation(&template("", "String", AL2023), None).unwrap();
        assert_eq!(
            t.instances.get("web").unwrap().image_id.as_deref(),
            Some(AL2023)
        );
    }

    #[test]
    fn carried_serves_and_defaults_come_back() {
        let meta = ", defaults: {instance_type: t3.micro}, serves: [{port: 8080, protocol: HTTP, \
                    health_path: /health, certificate_names: ['123', a.example]}]";
        let t = import_cloudformation(&template(meta, SSM, AL2023), None).unwrap();
        let web = t.instances.get("web").unwrap();
        assert_eq!(web.instance_type, None);
        let serves = serde_json::to_value(web.serves.as_ref().unwrap()).unwrap();
        assert_eq!(
            serves,
            serde_json::json!([{ "port": 8080, "protocol": "HTTP", "health_path": "/health",
                                 "certificate_names": ["123", "a.example"] }])
        );
    }

    #[test]
    fn a_default_edited_in_the_template_is_kept() {
        let meta = ", defaults: {instance_type: t3.nano}";
        let t = import_cloudformation(&template(meta, SSM, AL2023), None).unwrap();
        assert_eq!(
            t.instances.get("web").unwrap().instance_type.as_deref(),
            Some("t3.micro")
        );
    }

    #[test]
    fn without_metadata_nothing_is_carried() {
        let t = import_cloudformation(&template("", SSM, AL2023), None).unwrap();
        assert_eq!(t.instances.get("web").unwrap().serves, None);
    }

    #[test]
    fn malformed_serves_is_an_error_at_its_line() {
        let meta = ", serves: [{port: eighty, protocol: HTTP}]";
        let e = import_cloudformation(&template(meta, SSM, AL2023), None).unwrap_err();
        assert!(e.message.contains("Metadata.vpclink.serves"), "{e}");
        assert_eq!(e.line, Some(16), "the `vpclink:` line");
    }
}
