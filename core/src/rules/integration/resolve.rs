//! What the integration rules share: naming a route in messages, and following an
//! integration through its VPC link to the load balancer and listener it reaches.

use crate::graph::{ApiKind, Graph, IntegrationAt, TargetAt};
use crate::model::{
    AppProtocol, ConnectionType, Id, IntegrationType, Listener, LoadBalancer, ServedPort,
    VpcLinkVersion,
};

/// "route `GET /products` of REST API `shop`", for messages.
pub fn route_name(ia: &IntegrationAt<'_>) -> String {
    format!(
        "route `{}` of {} `{}`",
        ia.route_key,
        api_noun(ia.api_kind),
        ia.api_id
    )
}

pub fn api_noun(kind: ApiKind) -> &'static str {
    match kind {
        ApiKind::Rest => "REST API",
        ApiKind::Http => "HTTP API",
    }
}

pub fn is_vpc_link(ia: &IntegrationAt<'_>) -> bool {
    ia.integration.effective_connection_type() == ConnectionType::VpcLink
}

pub fn is_http_type(kind: IntegrationType) -> bool {
    matches!(kind, IntegrationType::Http | IntegrationType::HttpProxy)
}

/// A load balancer an integration reaches through one of its VPC links.
#[derive(Debug, Clone, Copy)]
pub struct Backend<'t> {
    pub link_id: &'t Id,
    pub link_version: VpcLinkVersion,
    pub lb_id: &'t Id,
    pub lb: &'t LoadBalancer,
}

/// Per resolved VPC link, the load balancer it carries this integration to: a V1 link's
/// single target, or the integration's `target` for a V2 link. A V1 link with no or several
/// targets is left out — AWS refuses that link anyway (VL101), so guessing would mislead.
pub fn backends<'t>(graph: &Graph<'t>, ia: &IntegrationAt<'t>) -> Vec<Backend<'t>> {
    let mut out = Vec::new();
    for link_id in &ia.links {
        let Some(link) = graph.vpc_link(link_id.as_str()) else {
            continue;
        };
        let version = link.version();
        let lb_id = match version {
            VpcLinkVersion::V1 => match link.targets.as_slice() {
                [only] => Some(only),
                _ => None,
            },
            VpcLinkVersion::V2 => ia.integration.target.as_ref().map(|t| &t.load_balancer),
        };
        let Some((lb_id, lb)) =
            lb_id.and_then(|id| graph.topology.load_balancers.get_key_value(id.as_str()))
        else {
            continue;
        };
        out.push(Backend {
            link_id,
            link_version: version,
            lb_id,
            lb,
        });
    }
    out
}

/// The listener a port picks on a load balancer: the one on that port carrying TCP
/// (API Gateway speaks HTTP over TCP).
pub fn listener_on_port(lb: &LoadBalancer, port: u16) -> Option<(usize, &Listener)> {
    lb.listeners
        .iter()
        .enumerate()
        .find(|(_, l)| l.port == port && l.protocol.carries_tcp())
}

/// What one target declares it serves on the port the load balancer sends to.
#[derive(Debug, Clone, Copy)]
pub struct Declared<'t> {
    pub instance_id: &'t Id,
    pub served: &'t ServedPort,
}

/// For the targets behind `listener`, what each declares on its traffic port. Targets
/// that declare nothing (no `serves`, ip targets) are absent: unknown, not wrong.
pub fn declared_behind<'t>(graph: &Graph<'t>, listener: &'t Listener) -> Vec<Declared<'t>> {
    graph
        .targets_of(listener.forward.as_str())
        .iter()
        .filter_map(|t: &TargetAt<'t>| {
            let (instance_id, instance) = t.instance?;
            let served = instance
                .serves
                .as_ref()?
                .iter()
                .find(|s| s.port == t.port)?;
            Some(Declared {
                instance_id,
                served,
            })
        })
        .collect()
}

pub fn protocol_word(p: AppProtocol) -> &'static str {
    match p {
        AppProtocol::Tcp => "plain TCP",
        AppProtocol::Udp => "UDP",
        AppProtocol::Tls => "TLS",
        AppProtocol::Http => "plain HTTP",
        AppProtocol::Https => "HTTPS",
    }
}

/// REST VPC-link integrations whose URI parses and names its port (directly or by scheme):
/// what the URI rules compare with listeners. Malformed URIs are VL405's; a templated port
/// is only known per stage, so those stay out.
pub fn rest_uris<'a, 't>(
    graph: &'a Graph<'t>,
) -> impl Iterator<Item = (&'a IntegrationAt<'t>, crate::uri::Uri<'t>, u16)> + 'a {
    graph.integrations().iter().filter_map(|ia| {
        if ia.api_kind != ApiKind::Rest || !is_vpc_link(ia) {
            return None;
        }
        let uri = crate::uri::Uri::parse(ia.integration.uri.as_deref()?).ok()?;
        let port = uri.effective_port()?;
        Some((ia, uri, port))
    })
}
