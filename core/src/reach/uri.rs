//! The port of a REST integration URI: it picks the NLB listener (facts §3.2, C7).

/// What the URI says about the listener port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UriPort {
    Port(u16),
    /// The port cannot be known before deployment, or the URI is malformed.
    Unknown(String),
}

/// Reads `http(s)://host[:port]/...`; no port means 80 for http and 443 for https.
pub fn uri_port(uri: &str) -> UriPort {
    let lower = uri.get(..8).unwrap_or(uri).to_ascii_lowercase();
    let (rest, default) = if lower.starts_with("https://") {
        (uri.get(8..).unwrap_or(""), 443)
    } else if lower.starts_with("http://") {
        (uri.get(7..).unwrap_or(""), 80)
    } else {
        return UriPort::Unknown(format!(
            "integration URI `{uri}` is not an absolute http:// or https:// URL"
        ));
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.contains("${") {
        return UriPort::Unknown(format!(
            "the host and port of integration URI `{uri}` come from a stage variable, known only per stage"
        ));
    }
    // Drop user info, then look for a port after the host (IPv6 hosts are bracketed).
    let host_port = authority.rsplit('@').next().unwrap_or(authority);
    let port_text = match host_port.strip_prefix('[') {
        Some(v6) => v6.split_once(']').map(|(_, after)| after).unwrap_or(""),
        None => host_port,
    };
    match port_text.rsplit_once(':') {
        None => UriPort::Port(default),
        Some((_, "")) => UriPort::Port(default),
        Some((_, p)) => match p.parse::<u16>() {
            Ok(port) if port > 0 => UriPort::Port(port),
            _ => UriPort::Unknown(format!(
                "integration URI `{uri}` has port `{p}`, which is not a port number"
            )),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_and_defaults() {
        assert_eq!(
            uri_port("http://nlb.internal:80/products"),
            UriPort::Port(80)
        );
        assert_eq!(uri_port("http://nlb.internal/products"), UriPort::Port(80));
        assert_eq!(uri_port("https://api.example.com/x"), UriPort::Port(443));
        assert_eq!(
            uri_port("HTTPS://api.example.com:8443"),
            UriPort::Port(8443)
        );
        assert_eq!(uri_port("http://[fd00::1]:8080/x"), UriPort::Port(8080));
        assert_eq!(uri_port("http://[fd00::1]/x"), UriPort::Port(80));
        assert_eq!(uri_port("http://u:p@h:81/x"), UriPort::Port(81));
    }

    #[test]
    fn stage_variables_and_bad_uris_are_unknown() {
        assert!(matches!(
            uri_port("http://${stageVariables.host}/x"),
            UriPort::Unknown(_)
        ));
        assert!(matches!(
            uri_port("http://nlb:${stageVariables.port}/x"),
            UriPort::Unknown(_)
        ));
        // A stage variable in the path does not hide the port.
        assert_eq!(
            uri_port("http://nlb:8080/${stageVariables.path}"),
            UriPort::Port(8080)
        );
        assert!(matches!(uri_port("ftp://h/x"), UriPort::Unknown(_)));
        assert!(matches!(uri_port("http://h:99999/x"), UriPort::Unknown(_)));
    }
}
