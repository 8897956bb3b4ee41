//! What an instance serves, compared with what the load balancer expects of it. Shared by
//! the health-check rules and the reachability report so both give one answer.

use crate::model::{AppProtocol, HealthCheck, Instance, LbProtocol, ServedPort};

/// Why a port or a health check does not meet the service on an instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServiceMismatch {
    /// Nothing listens on the port.
    PortNotServed { port: u16 },
    /// The check speaks another protocol than the service on that port.
    ProtocolMismatch {
        port: u16,
        check: LbProtocol,
        served: AppProtocol,
    },
    /// The HTTP(S) check asks a path other than the service's health path.
    PathMismatch {
        port: u16,
        path: String,
        health_path: String,
    },
}

impl ServiceMismatch {
    /// One sentence, in the topology's terms.
    pub fn describe(&self, instance_id: &str) -> String {
        match self {
            ServiceMismatch::PortNotServed { port } => {
                format!("instance `{instance_id}` serves nothing on port {port}")
            }
            ServiceMismatch::ProtocolMismatch {
                port,
                check,
                served,
            } => format!(
                "the check speaks {} but instance `{instance_id}` serves {} on port {port}",
                check.as_str(),
                app_name(*served)
            ),
            ServiceMismatch::PathMismatch {
                port,
                path,
                health_path,
            } => format!(
                "the check asks `{path}` but instance `{instance_id}` answers health checks on `{health_path}` (port {port})"
            ),
        }
    }
}

fn app_name(p: AppProtocol) -> &'static str {
    match p {
        AppProtocol::Tcp => "TCP",
        AppProtocol::Udp => "UDP",
        AppProtocol::Tls => "TLS",
        AppProtocol::Http => "HTTP",
        AppProtocol::Https => "HTTPS",
    }
}

fn served_on(instance: &Instance, port: u16) -> Option<Option<&ServedPort>> {
    let serves = instance.serves.as_ref()?;
    Some(serves.iter().find(|s| s.port == port))
}

/// Whether `port` is served, when the instance says what it serves (`None`: unknown).
pub fn port_mismatch(instance: &Instance, port: u16) -> Option<ServiceMismatch> {
    match served_on(instance, port)? {
        Some(_) => None,
        None => Some(ServiceMismatch::PortNotServed { port }),
    }
}

/// Whether the health check would get a healthy answer from the service, when the instance
/// says what it serves. `traffic_port` is the target's port (for `traffic-port` checks).
pub fn health_check_mismatch(
    instance: &Instance,
    check: &HealthCheck,
    traffic_port: u16,
) -> Option<ServiceMismatch> {
    let port = check.port_for(traffic_port);
    let served = match served_on(instance, port)? {
        Some(s) => s,
        None => return Some(ServiceMismatch::PortNotServed { port }),
    };
    let protocol = check.protocol_or_default();
    let speaks = match protocol {
        // A TCP check only needs the handshake, which any TCP-based service completes.
        LbProtocol::Tcp => served.protocol != AppProtocol::Udp,
        LbProtocol::Http => served.protocol == AppProtocol::Http,
        LbProtocol::Https => served.protocol == AppProtocol::Https,
        _ => true,
    };
    if !speaks {
        return Some(ServiceMismatch::ProtocolMismatch {
            port,
            check: protocol,
            served: served.protocol,
        });
    }
    if matches!(protocol, LbProtocol::Http | LbProtocol::Https) {
        if let Some(health_path) = &served.health_path {
            let path = check.path_or_default();
            if path != health_path {
                return Some(ServiceMismatch::PathMismatch {
                    port,
                    path: path.to_owned(),
                    health_path: health_path.clone(),
                });
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::HealthCheckPort;

    fn web() -> Instance {
        serde_json::from_value(serde_json::json!({
            "subnet": "a",
            "serves": [{ "port": 8080, "protocol": "HTTP", "health_path": "/health" }]
        }))
        .unwrap()
    }

    fn check(protocol: LbProtocol, port: HealthCheckPort, path: Option<&str>) -> HealthCheck {
        HealthCheck {
            protocol: Some(protocol),
            port,
            path: path.map(str::to_owned),
            ..HealthCheck::default()
        }
    }

    #[test]
    fn matching_check_passes_and_unknown_service_is_no_answer() {
        let hc = check(
            LbProtocol::Http,
            HealthCheckPort::TrafficPort,
            Some("/health"),
        );
        assert_eq!(health_check_mismatch(&web(), &hc, 8080), None);
        let mut unknown = web();
        unknown.serves = None;
        assert_eq!(health_check_mismatch(&unknown, &hc, 9999), None);
    }

    #[test]
    fn each_mismatch_is_named() {
        let hc = check(
            LbProtocol::Http,
            HealthCheckPort::Port(9000),
            Some("/health"),
        );
        assert_eq!(
            health_check_mismatch(&web(), &hc, 8080),
            Some(ServiceMismatch::PortNotServed { port: 9000 })
        );
        let hc = check(
            LbProtocol::Https,
            HealthCheckPort::TrafficPort,
            Some("/health"),
        );
        assert!(matches!(
            health_check_mismatch(&web(), &hc, 8080),
            Some(ServiceMismatch::ProtocolMismatch { .. })
        ));
        let hc = check(LbProtocol::Http, HealthCheckPort::TrafficPort, None);
        assert_eq!(
            health_check_mismatch(&web(), &hc, 8080),
            Some(ServiceMismatch::PathMismatch {
                port: 8080,
                path: "/".into(),
                health_path: "/health".into()
            })
        );
        let hc = check(LbProtocol::Tcp, HealthCheckPort::TrafficPort, None);
        assert_eq!(health_check_mismatch(&web(), &hc, 8080), None);
    }
}
