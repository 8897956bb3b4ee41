//! VL216: a health check uses a protocol and path AWS accepts.

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::model::{LbProtocol, TargetType};
use crate::pointer::JsonPointer;
use crate::rules::{fixes, Context, Rule};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL216",
        name: "health-check-protocol-or-path-invalid",
        family: Family::LoadBalancer,
        severity: Severity::Error,
        title: "Health check protocol or path is invalid",
        rationale: "Health checks speak TCP, HTTP or HTTPS (HTTP(S) only for HTTP(S) target groups); a path is only allowed with HTTP(S) checks and must start with `/`.",
        source: "facts §4.6, TG-03 [S1][S32]; https://docs.aws.amazon.com/elasticloadbalancing/latest/network/target-group-health-checks.html",
    },
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    for (tg_id, tg) in &cx.graph.topology.target_groups {
        if tg.target_type == TargetType::Lambda {
            continue;
        }
        let hc = &tg.health_check;
        let at = JsonPointer::resource("target_groups", tg_id).key("health_check");
        let resource = ResourceRef::new("target_groups", tg_id);
        let http_group = matches!(tg.protocol, LbProtocol::Http | LbProtocol::Https);
        if let Some(p) = hc.protocol {
            let valid = match p {
                LbProtocol::Http | LbProtocol::Https => true,
                // Application load balancer target groups check over HTTP(S) only.
                LbProtocol::Tcp => !http_group,
                _ => false,
            };
            if !valid {
                let allowed = if http_group {
                    "HTTP or HTTPS"
                } else {
                    "TCP, HTTP or HTTPS"
                };
                let replacement = if http_group {
                    LbProtocol::Http
                } else {
                    LbProtocol::Tcp
                };
                let mut patch = vec![fixes::set(at.clone().key("protocol"), &replacement)];
                if replacement == LbProtocol::Tcp && hc.path.is_some() {
                    patch.push(fixes::remove(at.clone().key("path")));
                }
                out.push(
                    Diagnostic::new(
                        &RULE.meta,
                        resource.clone(),
                        at.clone().key("protocol"),
                        format!(
                            "The health check of `{tg_id}` uses {}; health checks of a {} target group speak {allowed}, so AWS rejects the target group.",
                            p.as_str(),
                            tg.protocol.as_str()
                        ),
                    )
                    .with_help(format!(
                        "Use a {allowed} health check; an HTTP check on a path that reports the service's health tells the most."
                    ))
                    .with_fix(fixes::unsafe_fix(
                        format!("Check over {}", replacement.as_str()),
                        patch,
                    )),
                );
                // The path is judged against a protocol that is itself wrong; one finding is enough.
                continue;
            }
        }
        let Some(path) = &hc.path else {
            continue;
        };
        let checks_http = matches!(
            hc.protocol.unwrap_or(if http_group {
                LbProtocol::Http
            } else {
                LbProtocol::Tcp
            }),
            LbProtocol::Http | LbProtocol::Https
        );
        if !checks_http {
            out.push(
                Diagnostic::new(
                    &RULE.meta,
                    resource,
                    at.clone().key("path"),
                    format!(
                        "The health check of `{tg_id}` is a TCP check but sets path `{path}`; only HTTP and HTTPS checks take a path, so AWS rejects it."
                    ),
                )
                .with_help("Remove the path, or set the check's protocol to HTTP (or HTTPS) if the targets answer on that path.")
                .with_fix(fixes::unsafe_fix(
                    "Remove the path and keep the TCP check",
                    vec![fixes::remove(at.key("path"))],
                )),
            );
        } else if !path.starts_with('/') {
            out.push(
                Diagnostic::new(
                    &RULE.meta,
                    resource,
                    at.clone().key("path"),
                    format!(
                        "The health check path `{path}` of `{tg_id}` does not start with `/`; AWS only accepts absolute paths."
                    ),
                )
                .with_help("Start the path with `/`.")
                .with_fix(fixes::safe(
                    format!("Use `/{path}`"),
                    vec![fixes::set(at.key("path"), &format!("/{path}"))],
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use serde_json::json;

    const HC: &str = "/target_groups/backend/health_check";

    #[test]
    fn quiet_on_the_clean_example() {
        assert_quiet("VL216", unchanged());
    }

    #[test]
    fn fires_for_a_udp_health_check_and_the_fix_checks_over_tcp() {
        let patch = json!([{ "op": "replace", "path": format!("{HC}/protocol"), "value": "UDP" }]);
        assert_fires_at(
            "VL216",
            patch.clone(),
            &["/target_groups/backend/health_check/protocol"],
        );
        assert_fix_clears("VL216", patch);
    }

    #[test]
    fn fires_for_a_path_on_a_tcp_check() {
        let patch = json!([{ "op": "replace", "path": format!("{HC}/protocol"), "value": "TCP" }]);
        assert_fires_at(
            "VL216",
            patch.clone(),
            &["/target_groups/backend/health_check/path"],
        );
        assert_fix_clears("VL216", patch);
    }

    #[test]
    fn fires_for_a_relative_path_and_the_fix_adds_the_slash() {
        let patch = json!([{ "op": "replace", "path": format!("{HC}/path"), "value": "health" }]);
        assert_fires_at(
            "VL216",
            patch.clone(),
            &["/target_groups/backend/health_check/path"],
        );
        assert_fix_clears("VL216", patch);
    }
}
