//! Integration URIs as API Gateway reads them for private integrations (facts §3.2).
//!
//! A small parser rather than a crate: these URIs are RFC 3986 URLs *with API Gateway
//! templates* in them — `http://${stageVariables.host}:8080/{proxy}` — which strict URI
//! crates reject, and the rules only need the scheme, host and port. It keeps the pieces as
//! slices of the input so that a fix can change one of them and leave the rest as written.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    Http,
    Https,
}

impl Scheme {
    pub fn as_str(&self) -> &'static str {
        match self {
            Scheme::Http => "http",
            Scheme::Https => "https",
        }
    }
    /// The port a URI without one connects to.
    pub fn default_port(&self) -> u16 {
        match self {
            Scheme::Http => 80,
            Scheme::Https => 443,
        }
    }
}

/// The port part of the authority.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Port {
    /// No port (or an empty one): the scheme's default.
    Default,
    Number(u16),
    /// A stage variable: only known per stage at run time.
    Templated,
}

/// A parsed absolute `http(s)` URI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Uri<'a> {
    pub scheme: Scheme,
    /// `user:pass@`, kept only to write the URI back.
    userinfo: Option<&'a str>,
    /// As written: a name, an IPv4 address, `[v6]`, or a template.
    pub host: &'a str,
    pub port: Port,
    /// The port as written, so a rewrite keeps a templated port intact.
    port_text: &'a str,
    /// Path, query and fragment, as written (may be empty).
    pub rest: &'a str,
}

/// Why a string is not a URI API Gateway can use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UriError {
    /// Absent or empty.
    Empty,
    /// Scheme, or the whole URI, comes from a stage variable: only known per stage.
    Templated,
    /// No `scheme://` in front.
    NotAbsolute,
    /// An absolute URI with a scheme other than http or https.
    Scheme(String),
    MissingHost,
    Port(String),
    /// A character that must be percent-encoded.
    Character(char),
}

impl fmt::Display for UriError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UriError::Empty => f.write_str("it is empty"),
            UriError::Templated => f.write_str("it is built from stage variables"),
            UriError::NotAbsolute => {
                f.write_str("it is not an absolute URL (it needs `http://` or `https://` in front)")
            }
            UriError::Scheme(s) => write!(f, "its scheme is `{s}`, not `http` or `https`"),
            UriError::MissingHost => f.write_str("it has no host"),
            UriError::Port(p) => write!(f, "its port `{p}` is not a number from 1 to 65535"),
            UriError::Character(c) => {
                write!(f, "it contains {c:?}, which must be percent-encoded")
            }
        }
    }
}

const TEMPLATE_START: &str = "${";

fn has_template(s: &str) -> bool {
    s.contains(TEMPLATE_START)
}

impl<'a> Uri<'a> {
    pub fn parse(text: &'a str) -> Result<Uri<'a>, UriError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(UriError::Empty);
        }
        if let Some(c) = text.chars().find(|c| {
            c.is_whitespace()
                || c.is_control()
                || matches!(c, '<' | '>' | '"' | '\\' | '^' | '`' | '|')
        }) {
            return Err(UriError::Character(c));
        }
        let Some((scheme, after)) = text.split_once("://") else {
            // `${stageVariables.url}` alone, or a scheme-less `${stageVariables.host}/x`.
            if text.starts_with(TEMPLATE_START) {
                return Err(UriError::Templated);
            }
            return Err(UriError::NotAbsolute);
        };
        if has_template(scheme) {
            return Err(UriError::Templated);
        }
        let scheme = match scheme.to_ascii_lowercase().as_str() {
            "http" => Scheme::Http,
            "https" => Scheme::Https,
            _ if scheme.is_empty() || !is_scheme(scheme) => return Err(UriError::NotAbsolute),
            _ => return Err(UriError::Scheme(scheme.to_owned())),
        };
        let end = authority_end(after);
        let (authority, rest) = after.split_at(end);
        let (userinfo, host_port) = match authority.rsplit_once('@') {
            Some((u, hp)) => (Some(u), hp),
            None => (None, authority),
        };
        let (host, port_text) = split_host_port(host_port);
        if host.is_empty() {
            return Err(UriError::MissingHost);
        }
        let port = match port_text {
            None | Some("") => Port::Default,
            Some(p) if has_template(p) => Port::Templated,
            Some(p) => match p.parse::<u16>() {
                Ok(n) if n > 0 && p.bytes().all(|b| b.is_ascii_digit()) => Port::Number(n),
                _ => return Err(UriError::Port(p.to_owned())),
            },
        };
        Ok(Uri {
            scheme,
            userinfo,
            host,
            port,
            port_text: port_text.unwrap_or(""),
            rest,
        })
    }

    /// The port the request goes to, when it does not depend on a stage variable. A
    /// templated host without a port may carry one (`${stageVariables.host}` = `nlb:8080`).
    pub fn effective_port(&self) -> Option<u16> {
        match self.port {
            Port::Default if self.host_is_templated() => None,
            Port::Default => Some(self.scheme.default_port()),
            Port::Number(n) => Some(n),
            Port::Templated => None,
        }
    }

    /// Whether the host comes (partly) from a stage variable.
    pub fn host_is_templated(&self) -> bool {
        has_template(self.host)
    }

    /// The host without IPv6 brackets, for comparing with certificate names.
    pub fn host_name(&self) -> &str {
        self.host
            .strip_prefix('[')
            .and_then(|h| h.strip_suffix(']'))
            .unwrap_or(self.host)
    }

    /// The same URI with another port, written explicitly.
    pub fn with_port(&self, port: u16) -> String {
        self.write(self.scheme, self.host, &port.to_string())
    }

    /// The same URI with another scheme; the port is written out so the request still goes
    /// to the listener it went to before.
    pub fn with_scheme(&self, scheme: Scheme) -> String {
        let port = match self.port {
            Port::Default => self.scheme.default_port().to_string(),
            Port::Number(_) | Port::Templated => self.port_text.to_owned(),
        };
        self.write(scheme, self.host, &port)
    }

    /// The same URI with another host.
    pub fn with_host(&self, host: &str) -> String {
        self.write(self.scheme, host, self.port_text)
    }

    fn write(&self, scheme: Scheme, host: &str, port: &str) -> String {
        let mut s = String::with_capacity(16 + host.len() + self.rest.len());
        s.push_str(scheme.as_str());
        s.push_str("://");
        if let Some(u) = self.userinfo {
            s.push_str(u);
            s.push('@');
        }
        s.push_str(host);
        if !port.is_empty() {
            s.push(':');
            s.push_str(port);
        }
        s.push_str(self.rest);
        s
    }
}

/// RFC 3986: `ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )`.
fn is_scheme(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// Where the authority ends: the first `/`, `?` or `#` outside a `${...}` template.
fn authority_end(s: &str) -> usize {
    let mut depth = 0usize;
    for (i, c) in s.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            '/' | '?' | '#' if depth == 0 => return i,
            _ => {}
        }
    }
    s.len()
}

/// Splits `host:port`, minding `[v6]` literals and `:` inside templates.
fn split_host_port(s: &str) -> (&str, Option<&str>) {
    if s.starts_with('[') {
        return match s.find(']') {
            Some(close) => {
                let (host, tail) = s.split_at(close + 1);
                (host, tail.strip_prefix(':'))
            }
            None => (s, None),
        };
    }
    let mut depth = 0usize;
    let mut colon = None;
    for (i, c) in s.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            ':' if depth == 0 => colon = Some(i),
            _ => {}
        }
    }
    match colon {
        Some(i) => {
            let (host, tail) = s.split_at(i);
            (host, tail.strip_prefix(':'))
        }
        None => (s, None),
    }
}

/// Whether a certificate name (CN/SAN) covers `host`: exact, case-insensitive, or a
/// wildcard `*.example.com` standing for exactly one leftmost label.
/// What a URI says about the listener port, with the reason when it cannot say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UriPort {
    Port(u16),
    /// Known only per stage (a stage variable), or the URI is not usable.
    Unknown(String),
}

/// The listener port a REST integration URI selects: its port, or 80/443 by scheme.
pub fn uri_port(uri: &str) -> UriPort {
    match Uri::parse(uri) {
        Ok(parsed) => match parsed.effective_port() {
            Some(port) => UriPort::Port(port),
            None => UriPort::Unknown(format!(
                "the host and port of integration URI `{uri}` come from a stage variable, known only per stage"
            )),
        },
        Err(UriError::Templated) => UriPort::Unknown(format!(
            "integration URI `{uri}` comes from a stage variable, known only per stage"
        )),
        Err(e) => UriPort::Unknown(format!("integration URI `{uri}` cannot be used: {e}")),
    }
}

pub fn certificate_name_matches(name: &str, host: &str) -> bool {
    let name = name.trim_end_matches('.');
    let host = host.trim_end_matches('.');
    if name.eq_ignore_ascii_case(host) {
        return true;
    }
    match name.strip_prefix("*.") {
        Some(suffix) => match host.split_once('.') {
            Some((label, rest)) => !label.is_empty() && rest.eq_ignore_ascii_case(suffix),
            None => false,
        },
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_forms_api_gateway_documents() {
        let cases: &[(&str, Scheme, &str, Port, &str)] = &[
            (
                "http://nlb.internal:80/products",
                Scheme::Http,
                "nlb.internal",
                Port::Number(80),
                "/products",
            ),
            (
                "https://api.example.com/{proxy}",
                Scheme::Https,
                "api.example.com",
                Port::Default,
                "/{proxy}",
            ),
            (
                "http://${stageVariables.host}/{proxy+}",
                Scheme::Http,
                "${stageVariables.host}",
                Port::Default,
                "/{proxy+}",
            ),
            (
                "http://${stageVariables.host}:8080",
                Scheme::Http,
                "${stageVariables.host}",
                Port::Number(8080),
                "",
            ),
            (
                "http://host:${stageVariables.port}/x",
                Scheme::Http,
                "host",
                Port::Templated,
                "/x",
            ),
            (
                "HTTP://Host:81?a=b",
                Scheme::Http,
                "Host",
                Port::Number(81),
                "?a=b",
            ),
            (
                "http://[fd00::1]:8443/",
                Scheme::Http,
                "[fd00::1]",
                Port::Number(8443),
                "/",
            ),
            (
                "http://u:p@host:82/",
                Scheme::Http,
                "host",
                Port::Number(82),
                "/",
            ),
            ("http://host:/", Scheme::Http, "host", Port::Default, "/"),
        ];
        for (text, scheme, host, port, rest) in cases {
            let uri = Uri::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(
                (uri.scheme, uri.host, uri.port, uri.rest),
                (*scheme, *host, *port, *rest),
                "{text}"
            );
        }
    }

    #[test]
    fn rejects_what_api_gateway_rejects_and_defers_templates() {
        let cases: &[(&str, UriError)] = &[
            ("", UriError::Empty),
            ("   ", UriError::Empty),
            ("nlb.internal/products", UriError::NotAbsolute),
            ("/products", UriError::NotAbsolute),
            ("://host", UriError::NotAbsolute),
            ("ftp://host/", UriError::Scheme("ftp".into())),
            (
                "arn:aws:elasticloadbalancing:us-east-1:1:listener/net/a/b/c",
                UriError::NotAbsolute,
            ),
            ("http:///path", UriError::MissingHost),
            ("http://host:99999/", UriError::Port("99999".into())),
            ("http://host:0/", UriError::Port("0".into())),
            ("http://host:8o/", UriError::Port("8o".into())),
            ("http://host/a b", UriError::Character(' ')),
            ("${stageVariables.url}", UriError::Templated),
            ("${stageVariables.scheme}://host/", UriError::Templated),
        ];
        for (text, want) in cases {
            assert_eq!(Uri::parse(text).err().as_ref(), Some(want), "{text}");
        }
    }

    #[test]
    fn effective_port_defaults_by_scheme() {
        let port = |s| Uri::parse(s).ok().and_then(|u| u.effective_port());
        assert_eq!(port("http://a/"), Some(80));
        assert_eq!(port("https://a/"), Some(443));
        assert_eq!(port("https://a:8443/"), Some(8443));
        assert_eq!(port("https://a:${stageVariables.p}/"), None);
    }

    #[test]
    fn rewrites_keep_the_rest_as_written() {
        let uri = Uri::parse("https://u@api.example.com/{proxy}?q=1").unwrap();
        assert_eq!(
            uri.with_port(8443),
            "https://u@api.example.com:8443/{proxy}?q=1"
        );
        assert_eq!(
            uri.with_scheme(Scheme::Http),
            "http://u@api.example.com:443/{proxy}?q=1"
        );
        assert_eq!(
            uri.with_host("svc.internal"),
            "https://u@svc.internal/{proxy}?q=1"
        );
    }

    #[test]
    fn certificate_names_match_exactly_or_by_one_wildcard_label() {
        assert!(certificate_name_matches(
            "api.example.com",
            "API.example.com"
        ));
        assert!(certificate_name_matches("*.example.com", "api.example.com"));
        assert!(!certificate_name_matches(
            "*.example.com",
            "a.b.example.com"
        ));
        assert!(!certificate_name_matches("*.example.com", "example.com"));
        assert!(!certificate_name_matches("api.example.com", "nlb.internal"));
    }

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
