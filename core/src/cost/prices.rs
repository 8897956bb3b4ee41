//! The dated price table. Prices are list prices, us-east-1, as recorded in the facts file
//! (§8, sources [S44][S45][S46]); they are data, re-checked before each release.

use super::money::{dollars, Nano};

/// Per-NLCU capacity of one traffic type (facts §8.1).
#[derive(Debug, Clone, Copy)]
pub struct NlcuDimensions {
    pub new_flows_per_second: f64,
    pub active_flows: f64,
    /// Processed bytes per NLCU per hour.
    pub bytes_per_hour: f64,
}

/// One tier of a monthly request price: up to `up_to_millions` (cumulative), at `per_million`.
#[derive(Debug, Clone, Copy)]
pub struct Tier {
    pub up_to_millions: Option<u64>,
    pub per_million: Nano,
}

#[derive(Debug, Clone, Copy)]
pub struct PriceTable {
    pub region: &'static str,
    /// When the prices were read.
    pub as_of: &'static str,
    pub nlb_hour: Nano,
    pub nlcu_hour: Nano,
    pub tcp: NlcuDimensions,
    pub tls: NlcuDimensions,
    pub udp: NlcuDimensions,
    pub rest_requests: &'static [Tier],
    pub http_requests: &'static [Tier],
    /// HTTP API requests are metered in increments of this many bytes.
    pub http_metering_bytes: u64,
    pub standard_alarm_month: Nano,
    pub hours_per_month: u64,
}

/// "1 GB" in the NLCU definition, read as 2^30 bytes (AWS bills data in binary gigabytes).
const GIB: f64 = 1_073_741_824.0;

const REST_US_EAST_1: &[Tier] = &[
    Tier {
        up_to_millions: Some(333),
        per_million: dollars("3.50"),
    },
    Tier {
        up_to_millions: Some(1_000),
        per_million: dollars("2.80"),
    },
    Tier {
        up_to_millions: Some(20_000),
        per_million: dollars("2.38"),
    },
    Tier {
        up_to_millions: None,
        per_million: dollars("1.51"),
    },
];

const HTTP_US_EAST_1: &[Tier] = &[
    Tier {
        up_to_millions: Some(300),
        per_million: dollars("1.00"),
    },
    Tier {
        up_to_millions: None,
        per_million: dollars("0.90"),
    },
];

pub const US_EAST_1: PriceTable = PriceTable {
    region: "us-east-1",
    as_of: "2026-05",
    nlb_hour: dollars("0.0225"),
    nlcu_hour: dollars("0.006"),
    tcp: NlcuDimensions {
        new_flows_per_second: 800.0,
        active_flows: 100_000.0,
        bytes_per_hour: GIB,
    },
    tls: NlcuDimensions {
        new_flows_per_second: 50.0,
        active_flows: 3_000.0,
        bytes_per_hour: GIB,
    },
    udp: NlcuDimensions {
        new_flows_per_second: 400.0,
        active_flows: 50_000.0,
        bytes_per_hour: GIB,
    },
    rest_requests: REST_US_EAST_1,
    http_requests: HTTP_US_EAST_1,
    http_metering_bytes: 512 * 1024,
    standard_alarm_month: dollars("0.10"),
    hours_per_month: 730,
};

/// Every table this build carries.
pub const TABLES: &[PriceTable] = &[US_EAST_1];

pub fn for_region(region: &str) -> Option<&'static PriceTable> {
    TABLES.iter().find(|t| t.region == region)
}

/// The price of `requests` in one month under tiered pricing.
pub fn tiered(tiers: &[Tier], requests: u64) -> Nano {
    tier_slices(tiers, requests)
        .into_iter()
        .fold(Nano::default(), |sum, (_, _, cost)| sum + cost)
}

/// How `requests` fall into the tiers: (requests in the tier, its price per million, cost).
pub fn tier_slices(tiers: &[Tier], requests: u64) -> Vec<(u64, Nano, Nano)> {
    let mut out = Vec::new();
    let mut floor: u64 = 0;
    for tier in tiers {
        let ceiling = tier
            .up_to_millions
            .map(|m| m.saturating_mul(1_000_000))
            .unwrap_or(u64::MAX);
        if requests <= floor {
            break;
        }
        let in_tier = requests.min(ceiling) - floor;
        let cost = Nano(tier.per_million.0 * i128::from(in_tier) / 1_000_000);
        out.push((in_tier, tier.per_million, cost));
        floor = ceiling;
    }
    out
}
