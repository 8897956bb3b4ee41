//! Hand-worked bills. Each test writes out the arithmetic from the price table (facts §8,
//! us-east-1: NLB $0.0225/h, $0.006/NLCU-h; REST $3.50/M for the first 333 M, $2.80/M for
//! the next 667 M; HTTP $1.00/M for the first 300 M, then $0.90/M; alarm $0.10/month).

use super::*;
use crate::examples::THREE_TIER;
use crate::parse::topology_from_str;

fn three_tier() -> Topology {
    topology_from_str(THREE_TIER).unwrap()
}

fn line<'a>(e: &'a CostEstimate, kind: &str, id: &str, item: &str) -> &'a LineItem {
    e.resources
        .iter()
        .find(|r| r.resource.kind == kind && r.resource.id == id)
        .and_then(|r| r.items.iter().find(|i| i.item == item))
        .unwrap_or_else(|| panic!("no {item} for {kind}/{id}: {e:#?}"))
}

#[test]
fn three_tier_with_default_traffic() {
    let e = estimate_cost(&three_tier(), &Traffic::default()).unwrap();
    // NLB hours: 730 h × $0.0225 = $16.425 → $16.43.
    assert_eq!(
        line(&e, "load_balancers", "nlb", "NLB hours").monthly_usd,
        16.43
    );
    // NLCU: 1,000,000 requests × (2,048 + 8,192) bytes = 10,240,000,000 bytes a month
    //   = 9.5367431640625 GiB → 9.5367 NLCU-hours from processed bytes (1 GB/NLCU-hour).
    //   New connections: 1,000,000 / 730 / 3600 = 0.3805/s → 0.000476 NLCU/h, smaller.
    //   9.5367431640625 × $0.006 = $0.0572 → $0.06. Processed bytes dominate.
    let nlcu = line(&e, "load_balancers", "nlb", "NLB capacity (NLCU)");
    assert!(
        (nlcu.quantity - 9.5367431640625).abs() < 1e-9,
        "{}",
        nlcu.quantity
    );
    assert_eq!(nlcu.monthly_usd, 0.06);
    assert_eq!(nlcu.dominant_dimension, Some(NlcuDimension::ProcessedBytes));
    // REST requests: 1 M × $3.50 = $3.50.
    assert_eq!(
        line(&e, "rest_apis", "shop", "REST API requests").monthly_usd,
        3.50
    );
    // One standard alarm: $0.10.
    assert_eq!(
        line(&e, "alarms", "unhealthy", "standard-resolution alarm").monthly_usd,
        0.10
    );
    // Total: 16.43 + 0.06 + 3.50 + 0.10 = $20.09.
    assert_eq!(e.monthly_usd, 20.09);
    assert_eq!(e.region, "us-east-1");
    assert_eq!(e.prices_as_of, "2026-05");
}

#[test]
fn rest_tier_boundary() {
    // 400 M requests: 333 M × $3.50 = $1,165.50, plus 67 M × $2.80 = $187.60 → $1,353.10.
    let traffic = Traffic {
        requests_per_month: 400_000_000,
        ..Traffic::default()
    };
    let e = estimate_cost(&three_tier(), &traffic).unwrap();
    let rest = line(&e, "rest_apis", "shop", "REST API requests");
    assert_eq!(rest.monthly_usd, 1353.10);
    assert!(
        rest.detail
            .as_deref()
            .unwrap()
            .ends_with("333000000 × $3.50/M + 67000000 × $2.80/M"),
        "{:?}",
        rest.detail
    );
    // Exactly at the boundary: 333 M × $3.50 = $1,165.50.
    let at = Traffic {
        requests_per_month: 333_000_000,
        ..Traffic::default()
    };
    let e = estimate_cost(&three_tier(), &at).unwrap();
    assert_eq!(
        line(&e, "rest_apis", "shop", "REST API requests").monthly_usd,
        1165.50
    );
}

#[test]
fn new_connections_can_dominate() {
    // 1,000 new TCP connections/s ÷ 800 per NLCU = 1.25 NLCU each hour;
    // 1.25 × 730 h = 912.5 NLCU-hours × $0.006 = $5.475 → $5.48.
    // Processed bytes stay at 9.5367/730 = 0.0131 NLCU/h, active 1,000 ÷ 100,000 = 0.01.
    let traffic = Traffic {
        new_connections_per_second: Some(1000.0),
        ..Traffic::default()
    };
    let e = estimate_cost(&three_tier(), &traffic).unwrap();
    let nlcu = line(&e, "load_balancers", "nlb", "NLB capacity (NLCU)");
    assert_eq!(nlcu.quantity, 912.5);
    assert_eq!(nlcu.monthly_usd, 5.48);
    assert_eq!(nlcu.dominant_dimension, Some(NlcuDimension::NewConnections));
}

#[test]
fn tls_listeners_use_the_tls_dimensions_and_active_connections_can_dominate() {
    // TLS: 50 new/s and 3,000 active per NLCU. 10 new/s held 600 s = 6,000 active
    //   → 2 NLCU/h (new: 10/50 = 0.2). 2 × 730 = 1,460 NLCU-h × $0.006 = $8.76.
    let mut t = three_tier();
    if let Some(lb) = t.load_balancers.0.get_mut("nlb") {
        lb.listeners[0].protocol = LbProtocol::Tls;
        lb.listeners[0].certificate =
            Some("arn:aws:acm:us-east-1:123456789012:certificate/x".into());
    }
    let traffic = Traffic {
        new_connections_per_second: Some(10.0),
        connection_seconds: 600.0,
        ..Traffic::default()
    };
    let e = estimate_cost(&t, &traffic).unwrap();
    let nlcu = line(&e, "load_balancers", "nlb", "NLB capacity (NLCU)");
    assert!((nlcu.quantity - 1460.0).abs() < 1e-9);
    assert_eq!(nlcu.monthly_usd, 8.76);
    assert_eq!(
        nlcu.dominant_dimension,
        Some(NlcuDimension::ActiveConnections)
    );
}

#[test]
fn http_api_tiers_and_512_kb_metering() {
    // An HTTP API with one route over the same NLB; 400 M requests of 1 MiB each count as
    // 2 × 400 M = 800 M metered: 300 M × $1.00 + 500 M × $0.90 = $300 + $450 = $750.
    let mut doc: serde_json::Value = serde_json::from_str(THREE_TIER).unwrap();
    doc["rest_apis"] = serde_json::json!({});
    doc["http_apis"] = serde_json::json!({ "edge": { "routes": { "GET /products": { "integration": {
        "type": "HTTP_PROXY", "vpc_link": "v2", "method": "GET",
        "target": { "load_balancer": "nlb", "port": 80 } } } } } });
    doc["vpc_links"]["v2"] =
        serde_json::json!({ "subnets": ["private-a"], "security_groups": ["app"] });
    let t = crate::parse::topology_from_value(doc).unwrap();
    let traffic = Traffic {
        requests_per_month: 400_000_000,
        request_bytes: 1024 * 1024,
        ..Traffic::default()
    };
    let e = estimate_cost(&t, &traffic).unwrap();
    let req = line(&e, "http_apis", "edge", "HTTP API requests");
    assert_eq!(req.quantity, 800.0);
    assert_eq!(req.monthly_usd, 750.0);
}

#[test]
fn incremental_leaves_out_fixed_charges_of_existing_load_balancers() {
    let mut t = three_tier();
    if let Some(lb) = t.load_balancers.0.get_mut("nlb") {
        lb.arn = Some(
            "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/shop/abc"
                .parse()
                .unwrap(),
        );
    }
    let full = estimate_cost(&t, &Traffic::default()).unwrap();
    let inc = estimate_cost(
        &t,
        &Traffic {
            incremental: true,
            ..Traffic::default()
        },
    )
    .unwrap();
    let nlb = |e: &CostEstimate| {
        e.resources
            .iter()
            .find(|r| r.resource.id == "nlb" && r.resource.kind == "load_balancers")
            .cloned()
            .unwrap()
    };
    assert!(nlb(&full).shared && nlb(&inc).shared);
    assert!(nlb(&full).items.iter().any(|i| i.item == "NLB hours"));
    assert!(!nlb(&inc).items.iter().any(|i| i.item == "NLB hours"));
    assert!(nlb(&inc).note.is_some());
    // $20.09 − $16.43 = $3.66.
    assert_eq!(inc.monthly_usd, 3.66);
}

#[test]
fn unknown_region_names_the_regions_there_are() {
    let mut t = three_tier();
    t.region = "eu-west-1".parse().unwrap();
    let err = estimate_cost(&t, &Traffic::default()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "no price table for Region `eu-west-1`; this build has prices for: us-east-1"
    );
}

#[test]
fn bad_traffic_is_refused() {
    let traffic = Traffic {
        connection_seconds: f64::NAN,
        ..Traffic::default()
    };
    assert!(matches!(
        estimate_cost(&three_tier(), &traffic),
        Err(CostError::BadTraffic { .. })
    ));
}
