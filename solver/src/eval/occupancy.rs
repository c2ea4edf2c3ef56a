//! Who is busy when: per resource, week and slot a count, and per resource, week and
//! day a bitmask of busy periods. Both the reference evaluator (built from scratch) and
//! the incremental state (kept up to date) use it.

use crate::model::{Instance, ResId, Slot};

/// Occupancy counts and busy masks of every resource.
#[derive(Clone, Debug)]
pub struct Occupancy {
    weeks: usize,
    days: usize,
    periods: usize,
    count: Vec<u8>,
    mask: Vec<u64>,
    clashes: i64,
}

impl Occupancy {
    /// Nobody busy.
    pub fn new(inst: &Instance) -> Occupancy {
        let g = &inst.grid;
        let rw = inst.resource_count() * g.week_count();
        Occupancy {
            weeks: g.week_count(),
            days: g.day_count(),
            periods: g.periods_per_day(),
            count: vec![0; rw * g.slot_count()],
            mask: vec![0; rw * g.day_count()],
            clashes: 0,
        }
    }

    /// Number of (resource, week, period) cells holding more than one event, counted
    /// once per extra event.
    #[inline]
    pub fn clashes(&self) -> i64 {
        self.clashes
    }

    /// Marks `r` busy for `duration` periods from `start` in the weeks of `weeks`.
    #[inline]
    pub fn add(&mut self, r: ResId, weeks: u8, start: Slot, duration: u8) {
        let day = start as usize / self.periods;
        let bits = (((1u128 << duration) - 1) as u64) << (start as usize % self.periods);
        for w in 0..self.weeks {
            if weeks & (1 << w) == 0 {
                continue;
            }
            let rw = r as usize * self.weeks + w;
            let base = rw * self.days * self.periods + start as usize;
            for c in &mut self.count[base..base + duration as usize] {
                if *c > 0 {
                    self.clashes += 1;
                }
                *c = c.saturating_add(1);
            }
            self.mask[rw * self.days + day] |= bits;
        }
    }

    /// Undoes [`Occupancy::add`].
    #[inline]
    pub fn remove(&mut self, r: ResId, weeks: u8, start: Slot, duration: u8) {
        let day = start as usize / self.periods;
        let first = start as usize % self.periods;
        for w in 0..self.weeks {
            if weeks & (1 << w) == 0 {
                continue;
            }
            let rw = r as usize * self.weeks + w;
            let base = rw * self.days * self.periods + start as usize;
            let mut freed = 0u64;
            for (k, c) in self.count[base..base + duration as usize]
                .iter_mut()
                .enumerate()
            {
                *c -= 1;
                if *c > 0 {
                    self.clashes -= 1;
                } else {
                    freed |= 1 << (first + k);
                }
            }
            self.mask[rw * self.days + day] &= !freed;
        }
    }

    /// Busy periods of `r` in week `w` on `day`.
    #[inline]
    pub fn day_mask(&self, r: ResId, w: usize, day: usize) -> u64 {
        self.mask[(r as usize * self.weeks + w) * self.days + day]
    }

    /// Busy masks of `r` in week `w`, one per day.
    #[inline]
    pub fn week_masks(&self, r: ResId, w: usize) -> &[u64] {
        let base = (r as usize * self.weeks + w) * self.days;
        &self.mask[base..base + self.days]
    }

    /// Number of events holding `r` at `slot` in week `w`.
    #[inline]
    pub fn count(&self, r: ResId, w: usize, slot: Slot) -> u8 {
        self.count[(r as usize * self.weeks + w) * self.days * self.periods + slot as usize]
    }

    /// Whether `r` is free for `duration` periods from `start` in all weeks of `weeks`.
    #[inline]
    pub fn is_free(&self, r: ResId, weeks: u8, start: Slot, duration: u8) -> bool {
        let day = start as usize / self.periods;
        let bits = (((1u128 << duration) - 1) as u64) << (start as usize % self.periods);
        (0..self.weeks).all(|w| weeks & (1 << w) == 0 || self.day_mask(r, w, day) & bits == 0)
    }
}
