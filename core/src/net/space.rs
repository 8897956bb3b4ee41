//! Exact coverage over (address interval × port interval) boxes.
//!
//! Addresses use [`Cidr::bounds`]: IPv4 is mapped into the IPv4-mapped IPv6 range, so one
//! `u128` line holds both families without overlap. A [`Space`] is a set of disjoint boxes;
//! subtracting what each rule decides and asking whether anything is left answers "is every
//! address in S allowed on every port in P?" exactly, without sampling.

use core::net::{Ipv4Addr, Ipv6Addr};
use std::fmt;

use crate::model::{Cidr, PortRange};

const V4_BASE: u128 = 0xffff_u128 << 32;
const V4_LAST: u128 = V4_BASE | 0xffff_ffff;

/// One box: an inclusive address interval times an inclusive port interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub first: u128,
    pub last: u128,
    pub ports: PortRange,
}

impl Span {
    pub fn new(first: u128, last: u128, ports: PortRange) -> Self {
        Span { first, last, ports }
    }
    /// Every address of `cidr` on `ports`, as one or two boxes. An IPv6 block that spans
    /// the IPv4-mapped range (such as `::/0`) leaves it out: IPv4 addresses live there on
    /// this line, and an IPv6 rule never matches IPv4 traffic.
    pub fn of(cidr: &Cidr, ports: PortRange) -> CidrSpans {
        let (first, last) = cidr.bounds();
        let whole = Span { first, last, ports };
        if cidr.is_ipv4() || last < V4_BASE || first > V4_LAST {
            return CidrSpans(Some(whole), None);
        }
        let below = (first < V4_BASE).then(|| Span::new(first, V4_BASE - 1, ports));
        let above = (last > V4_LAST).then(|| Span::new(V4_LAST + 1, last, ports));
        CidrSpans(below, above)
    }
    /// Every address of both families on `ports`.
    pub fn everywhere(ports: PortRange) -> Self {
        Span {
            first: 0,
            last: u128::MAX,
            ports,
        }
    }

    fn overlaps(&self, other: &Span) -> bool {
        self.first <= other.last
            && other.first <= self.last
            && self.ports.from <= other.ports.to
            && other.ports.from <= self.ports.to
    }

    fn intersection(&self, other: &Span) -> Option<Span> {
        self.overlaps(other).then(|| Span {
            first: self.first.max(other.first),
            last: self.last.min(other.last),
            ports: PortRange {
                from: self.ports.from.max(other.ports.from),
                to: self.ports.to.min(other.ports.to),
            },
        })
    }

    /// `self` minus `other`, as at most four disjoint boxes.
    fn minus(&self, other: &Span, out: &mut Vec<Span>) {
        let Some(mid) = self.intersection(other) else {
            out.push(*self);
            return;
        };
        // Address slices left and right of the overlap keep all of self's ports.
        if self.first < mid.first {
            out.push(Span::new(self.first, mid.first - 1, self.ports));
        }
        if mid.last < self.last {
            out.push(Span::new(mid.last + 1, self.last, self.ports));
        }
        // Within the overlapping addresses, the ports below and above the overlap.
        if self.ports.from < mid.ports.from {
            let ports = PortRange {
                from: self.ports.from,
                to: mid.ports.from - 1,
            };
            out.push(Span::new(mid.first, mid.last, ports));
        }
        if mid.ports.to < self.ports.to {
            let ports = PortRange {
                from: mid.ports.to + 1,
                to: self.ports.to,
            };
            out.push(Span::new(mid.first, mid.last, ports));
        }
    }

    /// The addresses of this box, written as a CIDR block when they form one.
    pub fn addresses(&self) -> String {
        address_range(self.first, self.last)
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} port {}", self.addresses(), self.ports)
    }
}

/// The boxes of one CIDR block (see [`Span::of`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CidrSpans(Option<Span>, Option<Span>);

impl IntoIterator for CidrSpans {
    type Item = Span;
    type IntoIter = std::iter::Flatten<std::array::IntoIter<Option<Span>, 2>>;
    fn into_iter(self) -> Self::IntoIter {
        [self.0, self.1].into_iter().flatten()
    }
}

/// A set of addresses × ports, kept as disjoint boxes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Space {
    spans: Vec<Span>,
}

impl Space {
    pub fn empty() -> Self {
        Space::default()
    }
    pub fn from_span(span: Span) -> Self {
        Space { spans: vec![span] }
    }
    /// The union of `cidrs`, each on `ports`.
    pub fn from_cidrs<'a>(cidrs: impl IntoIterator<Item = &'a Cidr>, ports: PortRange) -> Self {
        let mut space = Space::empty();
        for cidr in cidrs {
            for span in Span::of(cidr, ports) {
                space.add(span);
            }
        }
        space
    }
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }
    pub fn spans(&self) -> &[Span] {
        &self.spans
    }
    /// The first box, as an example of what the set holds.
    pub fn first(&self) -> Option<Span> {
        self.spans.iter().min().copied()
    }

    /// Adds `span`, keeping the boxes disjoint.
    pub fn add(&mut self, span: Span) {
        let mut pieces = vec![span];
        for existing in &self.spans {
            let mut next = Vec::with_capacity(pieces.len());
            for p in &pieces {
                p.minus(existing, &mut next);
            }
            pieces = next;
            if pieces.is_empty() {
                return;
            }
        }
        self.spans.extend(pieces);
    }

    /// Removes every point of `span`.
    pub fn subtract(&mut self, span: &Span) {
        if !self.spans.iter().any(|s| s.overlaps(span)) {
            return;
        }
        let mut next = Vec::with_capacity(self.spans.len() + 3);
        for s in &self.spans {
            s.minus(span, &mut next);
        }
        self.spans = next;
    }

    /// Removes every address of `cidr` on `ports`.
    pub fn subtract_cidr(&mut self, cidr: &Cidr, ports: PortRange) {
        for span in Span::of(cidr, ports) {
            self.subtract(&span);
        }
    }

    /// Whether any address of `cidr` on `ports` is in this set.
    pub fn intersects_cidr(&self, cidr: &Cidr, ports: PortRange) -> bool {
        Span::of(cidr, ports)
            .into_iter()
            .any(|s| self.intersects(&s))
    }

    /// The points of this set inside `cidr` × `ports`.
    pub fn intersection_cidr(&self, cidr: &Cidr, ports: PortRange) -> Space {
        let mut out = Space::empty();
        for span in Span::of(cidr, ports) {
            out.spans.extend(self.intersection(&span).spans);
        }
        out
    }

    /// Removes every point of `other`.
    pub fn subtract_space(&mut self, other: &Space) {
        for s in &other.spans {
            self.subtract(s);
            if self.is_empty() {
                return;
            }
        }
    }

    pub fn intersects(&self, span: &Span) -> bool {
        self.spans.iter().any(|s| s.overlaps(span))
    }

    /// The points of this set inside `span`.
    pub fn intersection(&self, span: &Span) -> Space {
        Space {
            spans: self
                .spans
                .iter()
                .filter_map(|s| s.intersection(span))
                .collect(),
        }
    }

    /// Whether every point of `span` is in this set.
    pub fn covers(&self, span: &Span) -> bool {
        let mut rest = Space::from_span(*span);
        rest.subtract_space(self);
        rest.is_empty()
    }
}

fn address(v: u128) -> String {
    if (V4_BASE..=V4_LAST).contains(&v) {
        // The low 32 bits are the IPv4 address; the mask makes the narrowing exact.
        Ipv4Addr::from((v & 0xffff_ffff) as u32).to_string()
    } else {
        Ipv6Addr::from(v).to_string()
    }
}

/// `first`–`last` as a CIDR block when aligned, else as a range.
pub fn address_range(first: u128, last: u128) -> String {
    if first == last {
        return address(first);
    }
    let size = last.wrapping_sub(first).wrapping_add(1);
    let v4 = (V4_BASE..=V4_LAST).contains(&first) && (V4_BASE..=V4_LAST).contains(&last);
    if size.is_power_of_two() && first % size == 0 {
        let host_bits = size.trailing_zeros();
        let prefix = if v4 { 32 - host_bits } else { 128 - host_bits };
        return format!("{}/{prefix}", address(first));
    }
    if first == 0 && last == u128::MAX {
        return "::/0".to_owned();
    }
    format!("{}–{}", address(first), address(last))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cidr(s: &str) -> Cidr {
        s.parse().unwrap()
    }
    fn ports(s: &str) -> PortRange {
        s.parse().unwrap()
    }

    #[test]
    fn subtracting_the_whole_box_leaves_nothing() {
        let mut s = Space::from_cidrs([&cidr("10.0.0.0/16")], ports("80"));
        s.subtract_cidr(&cidr("10.0.0.0/8"), PortRange::ALL);
        assert!(s.is_empty());
    }

    #[test]
    fn partial_cover_leaves_the_exact_rest() {
        let mut s = Space::from_cidrs([&cidr("10.0.0.0/23")], ports("1024-65535"));
        s.subtract_cidr(&cidr("10.0.0.0/24"), PortRange::EPHEMERAL);
        s.subtract_cidr(&cidr("10.0.1.0/24"), ports("1024-32767"));
        let rest = s.first().unwrap();
        assert_eq!(rest.addresses(), "10.0.1.0/24");
        assert_eq!(rest.ports, ports("32768-65535"));
        s.subtract_cidr(&cidr("10.0.1.0/24"), ports("32768-65535"));
        assert!(s.is_empty());
    }

    #[test]
    fn families_never_cover_each_other() {
        let mut s = Space::from_cidrs([&cidr("10.0.0.0/16")], ports("443"));
        s.subtract_cidr(&cidr("::/0"), PortRange::ALL);
        assert!(!s.is_empty());
        s.subtract_cidr(&cidr("0.0.0.0/0"), PortRange::ALL);
        assert!(s.is_empty());
    }

    #[test]
    fn union_is_disjoint_and_covers() {
        let s = Space::from_cidrs(
            [
                &cidr("10.0.0.0/24"),
                &cidr("10.0.0.0/25"),
                &cidr("10.0.1.0/24"),
            ],
            ports("80"),
        );
        let one = |c: &str, p: &str| Span::of(&cidr(c), ports(p)).into_iter().next().unwrap();
        assert!(s.covers(&one("10.0.0.0/23", "80")));
        assert!(!s.covers(&one("10.0.0.0/22", "80")));
        assert!(!s.covers(&one("10.0.0.0/24", "80-81")));
        let mut total: u128 = 0;
        for span in s.spans() {
            total += span.last - span.first + 1;
        }
        assert_eq!(total, 512);
    }

    #[test]
    fn ranges_are_written_as_cidrs_when_aligned() {
        let text = |c: &str| -> Vec<String> {
            Span::of(&cidr(c), ports("1"))
                .into_iter()
                .map(|s| s.addresses())
                .collect()
        };
        assert_eq!(text("10.0.1.0/24"), ["10.0.1.0/24"]);
        assert_eq!(text("0.0.0.0/0"), ["0.0.0.0/0"]);
        assert_eq!(text("2001:db8::/32"), ["2001:db8::/32"]);
        // ::/0 leaves out the IPv4 addresses in the middle of the line.
        assert_eq!(text("::/0").len(), 2);
        assert_eq!(address_range(V4_BASE | 1, V4_BASE | 2), "0.0.0.1–0.0.0.2");
        assert_eq!(Span::everywhere(PortRange::ALL).addresses(), "::/0");
    }
}
