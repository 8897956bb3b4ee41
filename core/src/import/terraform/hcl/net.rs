//! Terraform's IP address functions — `cidrsubnet`, `cidrhost`, `cidrnetmask`,
//! `cidrsubnets` — for IPv4 and IPv6, computed on integers as Terraform's go-cidr does.

use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use ipnet::IpNet;

use super::value::{error, FResult};

/// A prefix as (first address, prefix length, address width in bits).
fn parse(prefix: &str) -> FResult<(u128, u8, u8)> {
    let net: IpNet = prefix
        .trim()
        .parse()
        .map_err(|_| super::value::Fail::Error(format!("\"{prefix}\" is not a CIDR prefix")))?;
    // Host bits in the prefix are ignored, as Terraform does.
    let net = net.trunc();
    Ok(match net {
        IpNet::V4(n) => (u128::from(u32::from(n.network())), n.prefix_len(), 32),
        IpNet::V6(n) => (u128::from(n.network()), n.prefix_len(), 128),
    })
}

fn address(value: u128, width: u8) -> String {
    if width == 32 {
        let v4 = u32::try_from(value).unwrap_or(u32::MAX);
        IpAddr::V4(Ipv4Addr::from(v4)).to_string()
    } else {
        IpAddr::V6(Ipv6Addr::from(value)).to_string()
    }
}

/// 2^bits as u128 (bits ≤ 128; 2^128 saturates, only ever compared against).
fn pow2(bits: u32) -> u128 {
    1u128.checked_shl(bits).unwrap_or(u128::MAX)
}

pub(super) fn cidrsubnet(prefix: &str, newbits: i64, netnum: i64) -> FResult<String> {
    let (base, len, width) = parse(prefix)?;
    let Ok(newbits) = u8::try_from(newbits) else {
        return error(format!("newbits {newbits} is out of range"));
    };
    let new_len = u32::from(len) + u32::from(newbits);
    if new_len > u32::from(width) {
        return error(format!(
            "prefix /{len} extended by {newbits} bits is longer than {width} bits"
        ));
    }
    let Ok(netnum) = u128::try_from(netnum) else {
        return error("netnum must not be negative");
    };
    if netnum >= pow2(u32::from(newbits)) {
        return error(format!("netnum {netnum} does not fit in {newbits} bits"));
    }
    let host_bits = u32::from(width) - new_len;
    let start = base | netnum.checked_shl(host_bits).unwrap_or(0);
    Ok(format!("{}/{new_len}", address(start, width)))
}

pub(super) fn cidrhost(prefix: &str, hostnum: i64) -> FResult<String> {
    let (base, len, width) = parse(prefix)?;
    let host_bits = u32::from(width) - u32::from(len);
    let size = pow2(host_bits);
    // A negative host number counts back from the end of the range.
    let offset = if hostnum < 0 {
        size.checked_sub(u128::from(hostnum.unsigned_abs()))
    } else {
        u128::try_from(hostnum).ok().filter(|&h| h < size)
    };
    match offset {
        Some(offset) => Ok(address(base + offset, width)),
        None => error(format!("host number {hostnum} is outside prefix {prefix}")),
    }
}

pub(super) fn cidrnetmask(prefix: &str) -> FResult<String> {
    let (_, len, width) = parse(prefix)?;
    if width != 32 {
        return error("cidrnetmask takes only IPv4 prefixes");
    }
    let mask = u32::MAX.checked_shl(32 - u32::from(len)).unwrap_or(0);
    Ok(Ipv4Addr::from(mask).to_string())
}

/// Consecutive subnets of the given extra bits, each aligned to its own size, as
/// Terraform's `cidrsubnets` allocates them.
pub(super) fn cidrsubnets(prefix: &str, newbits: &[i64]) -> FResult<Vec<String>> {
    let (base, len, width) = parse(prefix)?;
    let end = base + (pow2(u32::from(width) - u32::from(len)) - 1);
    let mut cursor = base;
    let mut out = Vec::with_capacity(newbits.len());
    for &bits in newbits {
        let Ok(bits) = u8::try_from(bits) else {
            return error(format!("newbits {bits} is out of range"));
        };
        let new_len = u32::from(len) + u32::from(bits);
        if bits == 0 || new_len > u32::from(width) {
            return error(format!("cannot extend /{len} by {bits} bits"));
        }
        let size = pow2(u32::from(width) - new_len);
        let start = cursor.div_ceil(size).saturating_mul(size);
        let last = start.saturating_add(size - 1);
        if last > end || start < cursor {
            return error(format!("not enough space in {prefix} for all the subnets"));
        }
        out.push(format!("{}/{new_len}", address(start, width)));
        cursor = last.saturating_add(1);
    }
    Ok(out)
}
