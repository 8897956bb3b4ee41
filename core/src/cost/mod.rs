//! `estimate_cost`: a monthly bill for a topology under a traffic assumption, itemised per
//! resource, from a dated price table (facts §8).

mod money;
mod prices;

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::diagnostic::{Diagnostic, ResourceRef};
use crate::graph::{self, ApiKind, Graph};
use crate::model::{LbProtocol, Topology, VpcLinkVersion};

use money::Nano;
pub use prices::{PriceTable, TABLES};

/// What the API is expected to carry in a month. The defaults fit a small internal API.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Traffic {
    pub requests_per_month: u64,
    /// Average request size in bytes, headers included.
    pub request_bytes: u64,
    /// Average response size in bytes, headers included.
    pub response_bytes: u64,
    /// New connections per second reaching the load balancers. Absent: one connection per
    /// request, spread evenly over the month.
    pub new_connections_per_second: Option<f64>,
    /// How long a connection stays open, in seconds (drives active connections).
    pub connection_seconds: f64,
    /// Count only what this topology adds: resources that already exist (they carry an
    /// ARN or AWS id) are treated as shared and their fixed charges left out.
    pub incremental: bool,
}

impl Default for Traffic {
    fn default() -> Self {
        Traffic {
            requests_per_month: 1_000_000,
            request_bytes: 2_048,
            response_bytes: 8_192,
            new_connections_per_second: None,
            connection_seconds: 1.0,
            incremental: false,
        }
    }
}

/// Input that cannot be priced.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CostError {
    #[error("no price table for Region `{region}`; this build has prices for: {available}")]
    UnknownRegion { region: String, available: String },
    #[error("traffic `{field}` must be a finite number of zero or more, not {value}")]
    BadTraffic { field: String, value: f64 },
    #[error("the topology's references do not resolve; fix those first ({count} problems)")]
    BrokenReferences {
        count: usize,
        diagnostics: Vec<Diagnostic>,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct LineItem {
    /// What is charged, such as `NLB hours`.
    pub item: String,
    pub quantity: f64,
    /// The unit `quantity` counts, such as `hour` or `NLCU-hour`.
    pub unit: String,
    /// Dollars per unit (for tiered prices, the blended price).
    pub unit_price_usd: f64,
    pub monthly_usd: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// For NLB capacity: the NLCU dimension that sets the bill.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dominant_dimension: Option<NlcuDimension>,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct ResourceCost {
    pub resource: ResourceRef,
    pub items: Vec<LineItem>,
    pub monthly_usd: f64,
    /// The resource exists already and may carry other traffic.
    pub shared: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Which NLCU dimension set the bill for one NLB.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum NlcuDimension {
    NewConnections,
    ActiveConnections,
    ProcessedBytes,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct CostEstimate {
    pub region: String,
    /// When the price table was read.
    pub prices_as_of: String,
    pub currency: String,
    pub hours_per_month: u64,
    pub traffic: Traffic,
    pub resources: Vec<ResourceCost>,
    pub monthly_usd: f64,
    /// What the estimate assumes; read these before quoting the number.
    pub assumptions: Vec<String>,
    /// Charges the estimate leaves out.
    pub not_included: Vec<String>,
}

/// Estimates the monthly cost of `topology` under `traffic`.
pub fn estimate_cost(topology: &Topology, traffic: &Traffic) -> Result<CostEstimate, CostError> {
    let table =
        prices::for_region(topology.region.as_str()).ok_or_else(|| CostError::UnknownRegion {
            region: topology.region.to_string(),
            available: TABLES
                .iter()
                .map(|t| t.region)
                .collect::<Vec<_>>()
                .join(", "),
        })?;
    check_traffic(traffic)?;
    let graph = graph::build(topology).map_err(|d| CostError::BrokenReferences {
        count: d.len(),
        diagnostics: d,
    })?;
    Ok(Estimator {
        graph: &graph,
        table,
        traffic,
    }
    .run())
}

fn check_traffic(t: &Traffic) -> Result<(), CostError> {
    let fields = [
        ("new_connections_per_second", t.new_connections_per_second),
        ("connection_seconds", Some(t.connection_seconds)),
    ];
    for (field, value) in fields {
        if let Some(v) = value {
            if !v.is_finite() || v < 0.0 {
                return Err(CostError::BadTraffic {
                    field: field.to_owned(),
                    value: v,
                });
            }
        }
    }
    Ok(())
}

struct Estimator<'a, 't> {
    graph: &'a Graph<'t>,
    table: &'static PriceTable,
    traffic: &'a Traffic,
}

/// Monthly requests of one API family, and how they divide among APIs and load balancers.
#[derive(Default)]
struct Shares<'t> {
    routes_total: usize,
    per_api: BTreeMap<(ApiKind, &'t str), usize>,
    per_load_balancer: BTreeMap<&'t str, usize>,
}

impl<'t> Estimator<'_, 't> {
    fn run(&self) -> CostEstimate {
        let shares = self.shares();
        let hours = self.table.hours_per_month;
        let mut resources = Vec::new();

        for (id, lb) in &self.graph.topology.load_balancers {
            let shared = lb.arn.is_some();
            let routes = shares
                .per_load_balancer
                .get(id.as_str())
                .copied()
                .unwrap_or(0);
            let fraction = fraction(routes, shares.routes_total);
            let mut items = Vec::new();
            if !(shared && self.traffic.incremental) {
                let total = Nano(self.table.nlb_hour.0 * i128::from(hours));
                items.push(item(
                    "NLB hours",
                    hours as f64,
                    "hour",
                    self.table.nlb_hour,
                    total,
                    None,
                ));
            }
            let tls = lb.listeners.iter().any(|l| l.protocol == LbProtocol::Tls);
            let udp = lb
                .listeners
                .iter()
                .any(|l| matches!(l.protocol, LbProtocol::Udp | LbProtocol::TcpUdp));
            let (dims, kind) = if tls {
                (&self.table.tls, "TLS")
            } else if udp {
                (&self.table.udp, "UDP")
            } else {
                (&self.table.tcp, "TCP")
            };
            let (nlcu_per_hour, dominant, detail) = self.nlcu(dims, kind, fraction);
            let nlcu_hours = nlcu_per_hour * hours as f64;
            let mut capacity = item(
                "NLB capacity (NLCU)",
                nlcu_hours,
                "NLCU-hour",
                self.table.nlcu_hour,
                Nano::times(self.table.nlcu_hour, nlcu_hours),
                Some(format!(
                    "{detail}; the dominant dimension is {}",
                    dimension_name(dominant)
                )),
            );
            capacity.dominant_dimension = Some(dominant);
            items.push(capacity);
            resources.push(resource(
                ResourceRef::new("load_balancers", id),
                items,
                shared,
                (shared && self.traffic.incremental).then(|| {
                    "exists already: its hourly charge is left out and only this traffic's capacity is counted (an upper bound of the increment, since NLCUs bill the largest dimension of all its traffic)".to_owned()
                }),
            ));
        }

        for (id, link) in &self.graph.topology.vpc_links {
            let note = match link.version() {
                VpcLinkVersion::V1 => "no separate VPC link charge: a REST VPC link is paid through its NLB (facts §8.2)",
                VpcLinkVersion::V2 => "no separate VPC link charge is listed for HTTP-API links (facts §8.2, unconfirmed)",
            };
            resources.push(resource(
                ResourceRef::new("vpc_links", id),
                Vec::new(),
                link.aws_id.is_some(),
                Some(note.to_owned()),
            ));
        }

        for (kind, tiers) in [
            (ApiKind::Rest, self.table.rest_requests),
            (ApiKind::Http, self.table.http_requests),
        ] {
            self.api_requests(kind, tiers, &shares, &mut resources);
        }

        for (id, _) in &self.graph.topology.alarms {
            resources.push(resource(
                ResourceRef::new("alarms", id),
                vec![item(
                    "standard-resolution alarm",
                    1.0,
                    "alarm-month",
                    self.table.standard_alarm_month,
                    self.table.standard_alarm_month,
                    None,
                )],
                false,
                None,
            ));
        }

        let total: i128 = resources
            .iter()
            .flat_map(|r| r.items.iter())
            .map(|i| (i.monthly_usd * 100.0).round() as i128)
            .sum();
        CostEstimate {
            region: self.table.region.to_owned(),
            prices_as_of: self.table.as_of.to_owned(),
            currency: "USD".to_owned(),
            hours_per_month: hours,
            traffic: self.traffic.clone(),
            resources,
            monthly_usd: total as f64 / 100.0,
            assumptions: vec![
                format!("a month is {hours} hours"),
                "requests are spread evenly over the month and over the routes that use a VPC link".to_owned(),
                "\"1 GB\" of NLCU processed bytes is read as 2^30 bytes".to_owned(),
                "each line item is rounded to the cent; the total is the sum of the rounded items".to_owned(),
                "list prices without free tier or savings plans".to_owned(),
                "alarm prices come from a third-party summary of CloudWatch pricing (facts §8.4, unconfirmed)".to_owned(),
            ],
            not_included: vec![
                "EC2 instances and their EBS volumes".to_owned(),
                "data transfer out of API Gateway to clients and inter-AZ transfer with cross-zone load balancing".to_owned(),
                "CloudWatch Logs ingestion and storage for stage logging".to_owned(),
                "REST API caching".to_owned(),
            ],
        }
    }

    /// How requests divide: evenly over routes that use a VPC link.
    fn shares(&self) -> Shares<'t> {
        let mut s = Shares::default();
        for at in self.graph.integrations() {
            let lbs: Vec<&'t str> = match &at.integration.target {
                Some(t) => vec![t.load_balancer.as_str()],
                None => at
                    .links
                    .iter()
                    .filter_map(|l| self.graph.vpc_link(l.as_str()))
                    .flat_map(|l| l.targets.iter().map(|t| t.as_str()))
                    .collect(),
            };
            *s.per_api
                .entry((at.api_kind, at.api_id.as_str()))
                .or_default() += 1;
            s.routes_total += 1;
            // A route whose stages pick different links splits its share between them.
            for lb in lbs.iter().take(1) {
                *s.per_load_balancer.entry(lb).or_default() += 1;
            }
        }
        s
    }

    fn nlcu(
        &self,
        dims: &prices::NlcuDimensions,
        kind: &str,
        fraction: f64,
    ) -> (f64, NlcuDimension, String) {
        let t = self.traffic;
        let hours = self.table.hours_per_month as f64;
        let requests_per_hour = t.requests_per_month as f64 * fraction / hours;
        let new_per_second = match t.new_connections_per_second {
            Some(n) => n * fraction,
            None => requests_per_hour / 3600.0,
        };
        let active = new_per_second * t.connection_seconds;
        let bytes_per_hour = requests_per_hour * (t.request_bytes + t.response_bytes) as f64;
        let by_new = new_per_second / dims.new_flows_per_second;
        let by_active = active / dims.active_flows;
        let by_bytes = bytes_per_hour / dims.bytes_per_hour;
        let (nlcu, dominant) = [
            (by_new, NlcuDimension::NewConnections),
            (by_active, NlcuDimension::ActiveConnections),
            (by_bytes, NlcuDimension::ProcessedBytes),
        ]
        .into_iter()
        .fold((0.0, NlcuDimension::ProcessedBytes), |best, cur| {
            if cur.0 > best.0 {
                cur
            } else {
                best
            }
        });
        let detail = format!(
            "{kind}: {new_per_second:.4} new connections/s ({by_new:.6} NLCU), {active:.2} active ({by_active:.6} NLCU), {:.4} GB/hour ({by_bytes:.6} NLCU)",
            bytes_per_hour / dims.bytes_per_hour
        );
        (nlcu, dominant, detail)
    }

    fn api_requests(
        &self,
        kind: ApiKind,
        tiers: &[prices::Tier],
        shares: &Shares<'t>,
        out: &mut Vec<ResourceCost>,
    ) {
        let apis: Vec<(&str, usize)> = shares
            .per_api
            .iter()
            .filter(|((k, _), _)| *k == kind)
            .map(|((_, id), n)| (*id, *n))
            .collect();
        let routes: usize = apis.iter().map(|(_, n)| n).sum();
        if routes == 0 {
            return;
        }
        let t = self.traffic;
        let kind_requests =
            (t.requests_per_month as f64 * fraction(routes, shares.routes_total)).round() as u64;
        // HTTP APIs meter each 512 KB of a request as one request (facts §8.2).
        let metered = match kind {
            ApiKind::Http => kind_requests.saturating_mul(
                t.request_bytes
                    .div_ceil(self.table.http_metering_bytes)
                    .max(1),
            ),
            ApiKind::Rest => kind_requests,
        };
        let total = prices::tiered(tiers, metered);
        for (id, n) in apis {
            let share = n as f64 / routes as f64;
            let quantity = metered as f64 * share / 1_000_000.0;
            let cost = Nano((total.0 as f64 * share).round() as i128);
            let blended = if quantity > 0.0 {
                Nano((cost.0 as f64 / quantity).round() as i128)
            } else {
                tiers.first().map(|t| t.per_million).unwrap_or_default()
            };
            let label = match kind {
                ApiKind::Rest => "REST API requests",
                ApiKind::Http => "HTTP API requests",
            };
            out.push(resource(
                ResourceRef::new(kind.collection(), id),
                vec![item(
                    label,
                    quantity,
                    "million requests",
                    blended,
                    cost,
                    Some(format!(
                        "{metered} requests of this API type a month, by tier: {}",
                        prices::tier_slices(tiers, metered)
                            .iter()
                            .map(|(n, per_million, _)| format!(
                                "{n} × ${:.2}/M",
                                per_million.0 as f64 / Nano::PER_DOLLAR as f64
                            ))
                            .collect::<Vec<_>>()
                            .join(" + ")
                    )),
                )],
                false,
                None,
            ));
        }
    }
}

fn fraction(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

fn dimension_name(d: NlcuDimension) -> &'static str {
    match d {
        NlcuDimension::NewConnections => "new connections",
        NlcuDimension::ActiveConnections => "active connections",
        NlcuDimension::ProcessedBytes => "processed bytes",
    }
}

fn item(
    name: &str,
    quantity: f64,
    unit: &str,
    price: Nano,
    total: Nano,
    detail: Option<String>,
) -> LineItem {
    LineItem {
        item: name.to_owned(),
        quantity,
        unit: unit.to_owned(),
        unit_price_usd: price.0 as f64 / Nano::PER_DOLLAR as f64,
        monthly_usd: total.dollars(),
        detail,
        dominant_dimension: None,
    }
}

fn resource(
    resource: ResourceRef,
    items: Vec<LineItem>,
    shared: bool,
    note: Option<String>,
) -> ResourceCost {
    let cents: i128 = items
        .iter()
        .map(|i| (i.monthly_usd * 100.0).round() as i128)
        .sum();
    ResourceCost {
        resource,
        items,
        monthly_usd: cents as f64 / 100.0,
        shared,
        note,
    }
}

#[cfg(test)]
mod tests;
