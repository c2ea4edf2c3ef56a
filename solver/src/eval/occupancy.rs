//! Who is busy when: per resource, week and slot a count, and per resource, week and
//! day a bitmask of busy periods. Both the reference evaluator (built from scratch) and
//! the incremental state (kept up to date) use it.

use crate::model::{Instance, ResId, Slot};

/// Occupancy counts and busy masks of every resource.
///
/// A busy mask per (resource, week, day) says who holds something; holders beyond the
/// first (clashes) are counted apart, per cell and in a mask of the cells that have
/// some, so that adding or removing an event without clashes is a few mask operations.
#[derive(Clone, Debug)]
pub struct Occupancy {
    weeks: usize,
    days: usize,
    periods: usize,
    /// (day, period) of each slot.
    places: Vec<(u8, u8)>,
    /// Per (resource, week, slot), holders beyond the first.
    extra: Vec<u16>,
    /// Per (resource, week, day), the busy periods.
    mask: Vec<u64>,
    /// Per (resource, week, day), the periods with more than one holder.
    multi: Vec<u64>,
    clashes: i64,
    /// While a change is recorded (see [`Occupancy::record`]): the clash count before
    /// it, and the old (mask, multi) of each cell and old count of each extra it wrote.
    recording: Option<i64>,
    cell_log: Vec<(u32, u64, u64)>,
    extra_log: Vec<(u32, u16)>,
}

/// A point of an occupancy's recording ([`Occupancy::mark`]).
#[derive(Clone, Copy, Debug)]
pub struct Mark {
    cells: usize,
    extras: usize,
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
            places: g.places.clone(),
            extra: vec![0; rw * g.slot_count()],
            mask: vec![0; rw * g.day_count()],
            multi: vec![0; rw * g.day_count()],
            clashes: 0,
            recording: None,
            cell_log: Vec::with_capacity(1024),
            extra_log: Vec::with_capacity(64),
        }
    }

    /// Number of (resource, week, period) cells holding more than one event, counted
    /// once per extra event.
    #[inline]
    pub fn clashes(&self) -> i64 {
        self.clashes
    }

    /// (day, period) of `slot`.
    #[inline]
    fn place(&self, slot: Slot) -> (usize, usize) {
        let (d, p) = self.places[slot as usize];
        (d as usize, p as usize)
    }

    /// Index of (`r`, week `w`, `day`) in the masks.
    #[inline]
    fn at(&self, r: ResId, w: usize, day: usize) -> usize {
        (r as usize * self.weeks + w) * self.days + day
    }

    /// The periods `duration` periods from `start` cover, as bits of its day, and the
    /// mask index of `r` on that day in each week of `weeks`.
    #[inline]
    fn cells(
        &self,
        r: ResId,
        weeks: u8,
        start: Slot,
        duration: u8,
    ) -> (u64, impl Iterator<Item = usize> + use<>) {
        let (day, first) = self.place(start);
        let bits = (((1u128 << duration) - 1) as u64) << first;
        let (first_week, days) = (r as usize * self.weeks, self.days);
        let mut ws = weeks;
        let at = std::iter::from_fn(move || {
            (ws != 0).then(|| {
                let w = ws.trailing_zeros() as usize;
                ws &= ws - 1;
                (first_week + w) * days + day
            })
        });
        (bits, at)
    }

    /// Starts recording the changes, for [`Occupancy::undo`] (does nothing if already
    /// recording).
    #[inline]
    pub fn record(&mut self) {
        if self.recording.is_none() {
            self.recording = Some(self.clashes);
        }
    }

    /// Keeps the changes recorded since [`Occupancy::record`] and stops recording.
    #[inline]
    pub fn keep(&mut self) {
        self.recording = None;
        self.cell_log.clear();
        self.extra_log.clear();
    }

    /// Undoes the changes recorded since [`Occupancy::record`] and stops recording.
    pub fn undo(&mut self) {
        if let Some(clashes) = self.recording.take() {
            self.undo_to(Mark {
                cells: 0,
                extras: 0,
                clashes,
            });
        }
    }

    /// The current point of the recording, to come back to with [`Occupancy::undo_to`].
    #[inline]
    pub fn mark(&self) -> Mark {
        Mark {
            cells: self.cell_log.len(),
            extras: self.extra_log.len(),
            clashes: self.clashes,
        }
    }

    /// Undoes the changes recorded after `mark`, still recording.
    pub fn undo_to(&mut self, mark: Mark) {
        for (at, mask, multi) in self.cell_log.drain(mark.cells..).rev() {
            self.mask[at as usize] = mask;
            self.multi[at as usize] = multi;
        }
        for (i, count) in self.extra_log.drain(mark.extras..).rev() {
            self.extra[i as usize] = count;
        }
        self.clashes = mark.clashes;
    }

    #[inline]
    fn log_cell(&mut self, at: usize) {
        if self.recording.is_some() {
            self.cell_log
                .push((at as u32, self.mask[at], self.multi[at]));
        }
    }

    #[inline]
    fn log_extra(&mut self, i: usize) {
        if self.recording.is_some() {
            self.extra_log.push((i as u32, self.extra[i]));
        }
    }

    /// Marks `r` busy for `duration` periods from `start` in the weeks of `weeks`.
    #[inline]
    pub fn add(&mut self, r: ResId, weeks: u8, start: Slot, duration: u8) {
        let (bits, cells) = self.cells(r, weeks, start, duration);
        for at in cells {
            self.log_cell(at);
            let mut overlap = self.mask[at] & bits;
            self.mask[at] |= bits;
            if overlap != 0 {
                self.multi[at] |= overlap;
                self.clashes += overlap.count_ones() as i64;
                let base = at * self.periods;
                while overlap != 0 {
                    let p = overlap.trailing_zeros() as usize;
                    overlap &= overlap - 1;
                    self.log_extra(base + p);
                    self.extra[base + p] = self.extra[base + p].saturating_add(1);
                }
            }
        }
    }

    /// Undoes [`Occupancy::add`].
    #[inline]
    pub fn remove(&mut self, r: ResId, weeks: u8, start: Slot, duration: u8) {
        let (bits, cells) = self.cells(r, weeks, start, duration);
        for at in cells {
            self.log_cell(at);
            let mut shared = self.multi[at] & bits;
            self.mask[at] &= !(bits & !shared);
            if shared != 0 {
                self.clashes -= shared.count_ones() as i64;
                let base = at * self.periods;
                while shared != 0 {
                    let p = shared.trailing_zeros() as usize;
                    shared &= shared - 1;
                    self.log_extra(base + p);
                    self.extra[base + p] -= 1;
                    if self.extra[base + p] == 0 {
                        self.multi[at] &= !(1 << p);
                    }
                }
            }
        }
    }

    /// Busy periods of `r` in week `w` on `day`.
    #[inline]
    pub fn day_mask(&self, r: ResId, w: usize, day: usize) -> u64 {
        self.mask[self.at(r, w, day)]
    }

    /// Busy masks of `r` in week `w`, one per day.
    #[inline]
    pub fn week_masks(&self, r: ResId, w: usize) -> &[u64] {
        let base = (r as usize * self.weeks + w) * self.days;
        &self.mask[base..base + self.days]
    }

    /// Number of events holding `r` at `slot` in week `w`.
    #[inline]
    pub fn count(&self, r: ResId, w: usize, slot: Slot) -> u32 {
        let (day, p) = self.place(slot);
        let at = self.at(r, w, day);
        (self.mask[at] >> p & 1) as u32 + self.extra[at * self.periods + p] as u32
    }

    /// Whether more than one event holds `r` at some period of the `duration` periods
    /// from `start`, in some week of `weeks`.
    #[inline]
    pub fn is_shared(&self, r: ResId, weeks: u8, start: Slot, duration: u8) -> bool {
        let (bits, mut cells) = self.cells(r, weeks, start, duration);
        cells.any(|at| self.multi[at] & bits != 0)
    }

    /// Whether `r` is free for `duration` periods from `start` in all weeks of `weeks`.
    #[inline]
    pub fn is_free(&self, r: ResId, weeks: u8, start: Slot, duration: u8) -> bool {
        let (day, first) = self.place(start);
        let bits = (((1u128 << duration) - 1) as u64) << first;
        (0..self.weeks).all(|w| weeks & (1 << w) == 0 || self.day_mask(r, w, day) & bits == 0)
    }
}
