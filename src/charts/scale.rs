//! Scales: value to position (linear), category to slot (band), and "nice" tick steps.

/// Maps a domain `[d0, d1]` linearly onto a range `[r0, r1]` (the range may run backwards, as
/// an SVG y axis does).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Linear {
    d0: f64,
    d1: f64,
    r0: f64,
    r1: f64,
}

impl Linear {
    pub fn new(domain: (f64, f64), range: (f64, f64)) -> Self {
        Linear {
            d0: domain.0,
            d1: domain.1,
            r0: range.0,
            r1: range.1,
        }
    }

    /// The position of `v`; an empty domain maps everything to the range's start.
    pub fn map(&self, v: f64) -> f64 {
        if self.d1 == self.d0 {
            return self.r0;
        }
        self.r0 + (v - self.d0) / (self.d1 - self.d0) * (self.r1 - self.r0)
    }
}

/// `n` equal slots across `[r0, r1]`, each with `padding` (a share of the slot, 0 to 1) left
/// empty, half on each side.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Band {
    n: usize,
    r0: f64,
    r1: f64,
    padding: f64,
}

impl Band {
    pub fn new(n: usize, range: (f64, f64), padding: f64) -> Self {
        Band {
            n,
            r0: range.0,
            r1: range.1,
            padding: padding.clamp(0.0, 0.95),
        }
    }

    /// The width of a slot, padding included.
    pub fn step(&self) -> f64 {
        if self.n == 0 {
            return 0.0;
        }
        (self.r1 - self.r0) / self.n as f64
    }

    /// Where the bar of slot `i` starts.
    pub fn start(&self, i: usize) -> f64 {
        self.r0 + self.step() * (i as f64 + self.padding / 2.0)
    }

    /// The width of a bar.
    pub fn width(&self) -> f64 {
        self.step() * (1.0 - self.padding)
    }

    /// The middle of slot `i`.
    pub fn center(&self, i: usize) -> f64 {
        self.r0 + self.step() * (i as f64 + 0.5)
    }
}

/// The whole-number step of about `target` ticks from 0 to `max`: 1, 2 or 5 times a power of
/// ten, the smallest that needs no more than `target` steps.
pub fn nice_step(max: i64, target: usize) -> i64 {
    let target = target.max(1) as i64;
    let mut power = 1i64;
    loop {
        for m in [1, 2, 5] {
            let step = m * power;
            if step.saturating_mul(target) >= max {
                return step;
            }
        }
        power = power.saturating_mul(10);
        if power >= i64::MAX / 10 {
            return power;
        }
    }
}

/// Ticks for counts from 0 to at least `max`, about `target` of them, the last at or above
/// `max`. With nothing to count, 0 and 1 (an axis still needs a top).
pub fn ticks(max: i64, target: usize) -> Vec<i64> {
    let max = max.max(1);
    let step = nice_step(max, target);
    let top = (max + step - 1) / step * step;
    (0..=top / step).map(|i| i * step).collect()
}

/// A count with thousands separators, as axis labels show it.
pub fn group_thousands(n: i64) -> String {
    let out = crate::domain::text::thousands(n.unsigned_abs());
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn linear_maps_ends_and_middle_and_runs_backwards() {
        let y = Linear::new((0.0, 10.0), (200.0, 0.0));
        assert_eq!(y.map(0.0), 200.0);
        assert_eq!(y.map(10.0), 0.0);
        assert_eq!(y.map(2.5), 150.0);
        assert_eq!(Linear::new((3.0, 3.0), (5.0, 9.0)).map(7.0), 5.0);
    }

    #[test]
    fn band_slots_split_the_range_with_padding() {
        let b = Band::new(4, (0.0, 400.0), 0.2);
        assert_eq!(b.step(), 100.0);
        assert_eq!(b.width(), 80.0);
        assert_eq!(b.start(0), 10.0);
        assert_eq!(b.start(3), 310.0);
        assert_eq!(b.center(1), 150.0);
        assert_eq!(Band::new(0, (0.0, 10.0), 0.1).width(), 0.0);
    }

    #[test]
    fn nice_steps_are_one_two_or_five_times_a_power_of_ten() {
        assert_eq!(nice_step(1, 5), 1);
        assert_eq!(nice_step(5, 5), 1);
        assert_eq!(nice_step(6, 5), 2);
        assert_eq!(nice_step(11, 5), 5);
        assert_eq!(nice_step(26, 5), 10);
        assert_eq!(nice_step(99, 5), 20);
        assert_eq!(nice_step(101, 5), 50);
        assert_eq!(nice_step(4_170, 4), 2_000);
        assert_eq!(nice_step(7, 0), 10);
    }

    #[test]
    fn ticks_start_at_zero_and_reach_the_maximum() {
        assert_eq!(ticks(0, 5), [0, 1]);
        assert_eq!(ticks(1, 5), [0, 1]);
        assert_eq!(ticks(7, 5), [0, 2, 4, 6, 8]);
        assert_eq!(ticks(10, 5), [0, 2, 4, 6, 8, 10]);
        assert_eq!(ticks(4_170, 4), [0, 2_000, 4_000, 6_000]);
        for max in 1..500 {
            let t = ticks(max, 5);
            assert!(*t.last().unwrap() >= max, "{max}: {t:?}");
            assert!(t.len() <= 7, "{max}: {t:?}");
        }
    }

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(group_thousands(0), "0");
        assert_eq!(group_thousands(999), "999");
        assert_eq!(group_thousands(1_000), "1,000");
        assert_eq!(group_thousands(1_234_567), "1,234,567");
        assert_eq!(group_thousands(-12_000), "-12,000");
    }
}
