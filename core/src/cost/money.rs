//! Money as whole nano-dollars, so that sums and tier boundaries are exact and rounding to
//! cents happens once, at the end of each line item.

use std::ops::{Add, AddAssign};

/// An amount in billionths of a US dollar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Nano(pub i128);

impl Nano {
    pub const PER_DOLLAR: i128 = 1_000_000_000;

    /// `price` (nano-dollars per unit) times a fractional `quantity`, to the nearest nano-dollar.
    pub fn times(price: Nano, quantity: f64) -> Nano {
        // f64 carries 15–16 significant digits: far more than a monthly bill needs.
        Nano((price.0 as f64 * quantity).round() as i128)
    }

    /// Whole cents, half away from zero: how each line item is shown.
    pub fn cents(self) -> i128 {
        let half = 5_000_000;
        if self.0 >= 0 {
            (self.0 + half) / 10_000_000
        } else {
            (self.0 - half) / 10_000_000
        }
    }

    /// Dollars rounded to the cent, for output.
    pub fn dollars(self) -> f64 {
        self.cents() as f64 / 100.0
    }
}

impl Add for Nano {
    type Output = Nano;
    fn add(self, rhs: Nano) -> Nano {
        Nano(self.0 + rhs.0)
    }
}
impl AddAssign for Nano {
    fn add_assign(&mut self, rhs: Nano) {
        self.0 += rhs.0;
    }
}

/// A price literal in dollars with up to nine decimals, written as text so that no binary
/// fraction creeps in (`dollars("0.0225")`).
pub const fn dollars(text: &str) -> Nano {
    let bytes = text.as_bytes();
    let mut whole: i128 = 0;
    let mut frac: i128 = 0;
    let mut frac_digits = 0;
    let mut seen_point = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'.' {
            seen_point = true;
        } else if seen_point {
            frac = frac * 10 + (b - b'0') as i128;
            frac_digits += 1;
        } else {
            whole = whole * 10 + (b - b'0') as i128;
        }
        i += 1;
    }
    while frac_digits < 9 {
        frac *= 10;
        frac_digits += 1;
    }
    Nano(whole * Nano::PER_DOLLAR + frac)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_and_rounding_are_exact() {
        assert_eq!(dollars("0.0225"), Nano(22_500_000));
        assert_eq!(dollars("3.50"), Nano(3_500_000_000));
        // 730 h × $0.0225 = $16.425, which rounds half up to $16.43 (f64 would give 16.42).
        let hourly = Nano(dollars("0.0225").0 * 730);
        assert_eq!(hourly.cents(), 1643);
        assert_eq!(Nano::times(dollars("0.006"), 912.5).cents(), 548);
    }
}
