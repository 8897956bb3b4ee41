//! Retry delays: exponential backoff with jitter from a seeded PRNG kept in the state, so a
//! run is reproducible from its seed and a checkpoint carries the generator along.

use super::types::ExecOptions;

/// Error codes AWS uses for throttling (botocore's retry list, without quota errors such
/// as `LimitExceededException`, which a retry does not fix; facts §2.3).
const THROTTLING: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "RequestLimitExceeded",
    "RequestThrottled",
    "ProvisionedThroughputExceededException",
    "BandwidthLimitExceeded",
    "SlowDown",
    "EC2ThrottledException",
    "PriorRequestNotComplete",
];

/// Throttled requests were refused before doing anything, so a retry cannot duplicate.
pub(crate) fn is_throttling(code: &str) -> bool {
    THROTTLING.contains(&code)
}

/// An undo refused because something still uses the resource. Right after a deletion that
/// is often only a matter of time: network interfaces of a deleted NLB or V2 link linger,
/// and subnet or security group deletions need retries (facts §9.4).
pub(crate) fn is_still_in_use(code: &str) -> bool {
    matches!(
        code,
        "DependencyViolation" | "ResourceInUse" | "ResourceInUseException"
    )
}

/// "It is not there": `NotFoundException` (API Gateway), `LoadBalancerNotFound`,
/// `TargetGroupNotFound` (elbv2), `InvalidGroup.NotFound` (EC2), `ResourceNotFound...`.
pub(crate) fn is_not_found(code: &str) -> bool {
    code.contains("NotFound")
}

/// splitmix64: tiny, fast and good enough for jitter.
pub(crate) fn next_random(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The delay before retry number `retry` (1 for the first retry): the cap is
/// `base × 2^(retry-1)` bounded by `max_backoff_ms`, and the delay is drawn uniformly from
/// the upper half of the cap ("equal jitter": spread out, yet never close to zero).
pub(crate) fn delay_ms(options: &ExecOptions, retry: u32, rng: &mut u64) -> u64 {
    let shift = retry.saturating_sub(1).min(32);
    let cap = options
        .base_backoff_ms
        .saturating_mul(1u64 << shift)
        .min(options.max_backoff_ms)
        .max(1);
    let half = cap / 2;
    let spread = cap - half;
    half + next_random(rng) % (spread + 1)
}
