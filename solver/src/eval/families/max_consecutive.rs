//! `max_consecutive`: at most `limit` busy periods in a row; a declared break ends a
//! run. Deviation: the periods over, per run.

use super::DayRule;
use crate::model::{Grid, ResId, ResourceLimit};

pub struct MaxConsecutive(pub ResourceLimit);

/// Calls `f` with the length of each run of busy periods of `m`, runs being cut at
/// breaks (bit `p` of `breaks`: a break after period `p`). A few word operations a run.
#[inline]
fn for_each_run(m: u64, breaks: u64, mut f: impl FnMut(u32)) {
    let mut rest = m;
    while rest != 0 {
        let start = rest.trailing_zeros();
        let mut len = (rest >> start).trailing_ones();
        // A break inside the run, after any of its periods but the last, cuts it.
        let inner = ((1u64 << (len - 1)) - 1) << start;
        let cut = breaks & inner;
        if cut != 0 {
            len = cut.trailing_zeros() - start + 1;
        }
        f(len);
        rest &= !((u64::MAX >> (64 - len)) << start);
    }
}

/// Sum over the runs of (run length - limit), and the longest run.
fn excess(m: u64, breaks: u64, limit: u32) -> (u32, u32) {
    let (mut total, mut longest) = (0, 0);
    if m.count_ones() <= limit {
        for_each_run(m, breaks, |len| longest = longest.max(len));
        return (0, longest);
    }
    for_each_run(m, breaks, |len| {
        total += len.saturating_sub(limit);
        longest = longest.max(len);
    });
    (total, longest)
}

/// Sum over the runs of (run length - limit): the deviation. It is the number of busy
/// periods that end `limit + 1` periods in a row, found with `limit` word operations:
/// `chain` keeps the periods ending `k + 1` linked busy periods, `linked` the busy
/// periods whose previous period is busy with no break between.
#[inline]
fn deviation(m: u64, breaks: u64, limit: u32) -> u32 {
    if m.count_ones() <= limit {
        return 0;
    }
    let linked = m & (m << 1) & !(breaks << 1);
    let mut chain = m;
    for _ in 0..limit {
        chain &= linked & (chain << 1);
    }
    chain.count_ones()
}

impl DayRule for MaxConsecutive {
    fn resources(&self) -> &[ResId] {
        &self.0.resources
    }
    fn class(&self, _unit: usize) -> u64 {
        0
    }
    #[inline]
    fn deviation(&self, _unit: usize, _day: usize, mask: u64, grid: &Grid) -> u32 {
        deviation(mask, grid.break_after, self.0.limit)
    }
    fn describe(&self, _unit: usize, _dev: u32, mask: u64, grid: &Grid) -> String {
        format!(
            "is busy {} periods in a row (max {})",
            excess(mask, grid.break_after, self.0.limit).1,
            self.0.limit
        )
    }
}

#[cfg(test)]
mod tests {
    use super::{deviation, excess};
    use crate::eval::families::testkit::*;

    #[test]
    fn runs_are_cut_by_free_periods_and_breaks() {
        // 0b1110111: runs of 3 and 3, limit 2 -> 1 + 1.
        assert_eq!(excess(0b111_0111, 0, 2), (2, 3));
        // Same periods, a break after period 1: runs 2, 1, 3 -> 0 + 0 + 1.
        assert_eq!(excess(0b111_0111, 0b10, 2), (1, 3));
        // A run reaching the last period, and a break at a run's last period (no cut).
        assert_eq!(excess(u64::MAX, 0, 60), (4, 64));
        assert_eq!(excess(0b1111, 0b1000, 3), (1, 4));
        // Every break cuts: four runs of 1.
        assert_eq!(excess(0b1111, 0b0111, 0), (4, 1));
        assert_eq!(deviation(0b111_0111, 0b10, 2), 1);
        assert_eq!(deviation(0b11, 0, 2), 0);
    }

    #[test]
    fn word_deviation_equals_the_sum_over_runs() {
        let mut rng = fastrand::Rng::with_seed(7);
        for _ in 0..20_000 {
            let width = rng.u32(1..=64);
            let keep = u64::MAX >> (64 - width);
            let (m, breaks) = (rng.u64(..) & keep, rng.u64(..) & rng.u64(..) & keep);
            let limit = rng.u32(0..=width);
            assert_eq!(
                deviation(m, breaks, limit),
                excess(m, breaks, limit).0,
                "{m:b} {breaks:b} {limit}"
            );
        }
    }

    #[test]
    fn counts_periods_over_per_run() {
        // T busy Mon periods 0,1,2,3 (one run of 4), max 2 -> 2 over; weight 3 -> 6.
        let p = problem(
            4,
            r#"{"type":"max_consecutive","teachers":["T"],"max":2,"hard":false,"weight":3}"#,
        );
        assert_eq!(
            soft_cost(&p, &[(0, 0, 0), (1, 0, 1), (2, 0, 2), (3, 0, 3)]),
            6
        );
    }
}
