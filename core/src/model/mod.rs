//! The topology format: serde types, one file per family, and value types that reject bad
//! values when parsed.

pub mod alarm;
pub mod apigw;
pub mod elb;
pub mod ids;
pub mod network;
pub mod observed;
pub mod origin;
pub mod topology;
pub mod values;

pub use alarm::{Alarm, Dimension};
pub use apigw::{
    parse_route_key, ConnectionType, EndpointType, HttpApi, Integration, IntegrationType,
    ListenerRef, LogLevel, RestApi, Route, RouteKey, Stage, TlsConfig, VpcLink, VpcLinkVersion,
};
pub use elb::{
    CrossZoneSetting, HealthCheck, HealthCheckPort, LbProtocol, Listener, LoadBalancer,
    LoadBalancerType, Scheme, Target, TargetGroup, TargetType,
};
pub use ids::{Id, IdMap, KeyMap};
pub use network::{
    AppProtocol, EgressRule, IngressRule, Instance, NaclAction, NaclEntry, NetworkAcl, Peer,
    SecurityGroup, ServedPort, SgRuleView, Subnet, Vpc,
};
pub use observed::{
    InstanceState, LoadBalancerState, Observed, ObservedInstance, ObservedLoadBalancer,
    ObservedTargetHealth, ObservedVpcLink, TargetHealthState, VpcLinkStatus,
};
pub use origin::{Origin, SkippedResource, SourceFormat, SourceLocation, UnknownValue};
pub use topology::{Topology, FORMAT_VERSION};
pub use values::{AccountId, Arn, Az, Cidr, IpAddress, IpProtocol, PortRange, Region};
