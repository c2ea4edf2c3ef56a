//! Who is busy when: per resource, week and slot a count, and per resource, week and
//! day a bitmask of busy periods. Both the reference evaluator (built from scratch) and
//! the incremental state (kept up to date) use it.

use crate::model::{Instance, ResId, Slot};

/// Occupancy counts and busy masks of every resource.
///
/// A busy mask per (resource, week, day) says who holds something; holders beyond the
/// first (clashes) are counted apart, per cell and in a mask of the cells that have
/// some, so that adding or removing an event without clashes is a few mask operations.
///
/// The weeks of a day share a 64-bit word as far as their periods fit (two weeks of
/// up to 32 periods, ...): an event held every week then changes one word, not one per
/// week.
#[derive(Clone, Debug)]
pub struct Occupancy {
    days: usize,
    /// The periods of one day, as bits.
    day_periods: u64,
    /// Words per (resource, day).
    words: usize,
    /// Weeks in one word.
    weeks_per_word: usize,
    /// Bits of a word in use: `weeks_per_word * periods`.
    word_bits: usize,
    /// Per week, its word (of its resource and day) and the bit of its first period.
    week_at: Vec<(usize, u32)>,
    /// Per set of weeks within a word, one bit at the first period of each of them:
    /// periods times it cover those periods in each of those weeks.
    spread: Vec<u64>,
    /// (day, period) of each slot.
    places: Vec<(u8, u8)>,
    /// Per (resource, day, word, bit), holders beyond the first.
    extra: Vec<u16>,
    /// Per (resource, day, word), the busy periods of its weeks.
    mask: Vec<u64>,
    /// Per (resource, day, word), the periods with more than one holder.
    multi: Vec<u64>,
    clashes: i64,
    /// Per resource, the weight of its clashes (see [`Occupancy::raise_weight`]).
    weight: Vec<i64>,
    /// Clashes, each counted with its resource's weight.
    weighted_clashes: i64,
    /// While a change is recorded (see [`Occupancy::record`]): the clash counts before
    /// it, and the old (mask, multi) of each cell and old count of each extra it wrote.
    recording: Option<(i64, i64)>,
    cell_log: Vec<(u32, u64, u64)>,
    extra_log: Vec<(u32, u16)>,
}

/// A point of an occupancy's recording ([`Occupancy::mark`]).
#[derive(Clone, Copy, Debug)]
pub struct Mark {
    cells: usize,
    extras: usize,
    clashes: i64,
    weighted_clashes: i64,
}

impl Occupancy {
    /// Nobody busy.
    pub fn new(inst: &Instance) -> Occupancy {
        let g = &inst.grid;
        let (weeks, periods) = (g.week_count(), g.periods_per_day());
        let weeks_per_word = (64 / periods).clamp(1, weeks);
        let words = weeks.div_ceil(weeks_per_word);
        let cells = inst.resource_count() * g.day_count() * words;
        let spread = (0..1usize << weeks_per_word)
            .map(|set| {
                (0..weeks_per_word)
                    .filter(|k| set & (1 << k) != 0)
                    .map(|k| 1u64 << (k * periods))
                    .sum()
            })
            .collect();
        Occupancy {
            days: g.day_count(),
            day_periods: u64::MAX >> (64 - periods),
            words,
            weeks_per_word,
            word_bits: weeks_per_word * periods,
            week_at: (0..weeks)
                .map(|w| (w / weeks_per_word, ((w % weeks_per_word) * periods) as u32))
                .collect(),
            spread,
            places: g.places.clone(),
            extra: vec![0; cells * weeks_per_word * periods],
            mask: vec![0; cells],
            multi: vec![0; cells],
            clashes: 0,
            weight: vec![1; inst.resource_count()],
            weighted_clashes: 0,
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

    /// Clashes, each counted with its resource's weight (1 until raised).
    #[inline]
    pub fn weighted_clashes(&self) -> i64 {
        self.weighted_clashes
    }

    /// The weight of resource `r`'s clashes.
    pub fn weight(&self, r: ResId) -> i64 {
        self.weight[r as usize]
    }

    /// Raises by one the weight of resource `r`'s clashes, those there now included.
    /// Not while a change is recorded.
    pub fn raise_weight(&mut self, r: ResId) {
        debug_assert!(self.recording.is_none());
        self.weight[r as usize] += 1;
        self.weighted_clashes += self.clashes_of(r);
    }

    /// Clashes on resource `r` (holders beyond the first, per week and period).
    pub fn clashes_of(&self, r: ResId) -> i64 {
        let cells = self.at(r, 0)..self.at(r, self.days);
        let extra = &self.extra[cells.start * self.word_bits..cells.end * self.word_bits];
        extra.iter().map(|&n| n as i64).sum()
    }

    /// (day, period) of `slot`.
    #[inline]
    fn place(&self, slot: Slot) -> (usize, usize) {
        let (d, p) = self.places[slot as usize];
        (d as usize, p as usize)
    }

    /// Index of the first word of (`r`, `day`) in the masks.
    #[inline]
    fn at(&self, r: ResId, day: usize) -> usize {
        (r as usize * self.days + day) * self.words
    }

    /// Word `i` of `r`'s masks on the day of `start`, and the bits of it that
    /// `duration` periods from `start` in the weeks of `weeks` cover (0 if none).
    #[inline]
    fn cell(&self, r: ResId, weeks: u8, start: Slot, duration: u8, i: usize) -> (usize, u64) {
        let (day, first) = self.place(start);
        let span = (((1u128 << duration) - 1) as u64) << first;
        let set = (weeks as usize >> (i * self.weeks_per_word)) & ((1 << self.weeks_per_word) - 1);
        (self.at(r, day) + i, span * self.spread[set])
    }

    /// Starts recording the changes, for [`Occupancy::undo`] (does nothing if already
    /// recording).
    #[inline]
    pub fn record(&mut self) {
        if self.recording.is_none() {
            self.recording = Some((self.clashes, self.weighted_clashes));
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
        if let Some((clashes, weighted_clashes)) = self.recording.take() {
            self.undo_to(Mark {
                cells: 0,
                extras: 0,
                clashes,
                weighted_clashes,
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
            weighted_clashes: self.weighted_clashes,
        }
    }

    /// Undoes the changes recorded after `mark`, still recording.
    pub fn undo_to(&mut self, mark: Mark) {
        for &(at, mask, multi) in self.cell_log[mark.cells..].iter().rev() {
            self.mask[at as usize] = mask;
            self.multi[at as usize] = multi;
        }
        self.cell_log.truncate(mark.cells);
        for &(i, count) in self.extra_log[mark.extras..].iter().rev() {
            self.extra[i as usize] = count;
        }
        self.extra_log.truncate(mark.extras);
        self.clashes = mark.clashes;
        self.weighted_clashes = mark.weighted_clashes;
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
    #[inline(always)]
    pub fn add(&mut self, r: ResId, weeks: u8, start: Slot, duration: u8) {
        for i in 0..self.words {
            let (at, bits) = self.cell(r, weeks, start, duration, i);
            if bits == 0 {
                continue;
            }
            self.log_cell(at);
            let mut overlap = self.mask[at] & bits;
            self.mask[at] |= bits;
            if overlap != 0 {
                self.multi[at] |= overlap;
                self.clashes += overlap.count_ones() as i64;
                self.weighted_clashes += self.weight[r as usize] * overlap.count_ones() as i64;
                let base = at * self.word_bits;
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
    #[inline(always)]
    pub fn remove(&mut self, r: ResId, weeks: u8, start: Slot, duration: u8) {
        for i in 0..self.words {
            let (at, bits) = self.cell(r, weeks, start, duration, i);
            if bits == 0 {
                continue;
            }
            self.log_cell(at);
            let mut shared = self.multi[at] & bits;
            self.mask[at] &= !(bits & !shared);
            if shared != 0 {
                self.clashes -= shared.count_ones() as i64;
                self.weighted_clashes -= self.weight[r as usize] * shared.count_ones() as i64;
                let base = at * self.word_bits;
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
        let (word, shift) = self.week_at[w];
        (self.mask[self.at(r, day) + word] >> shift) & self.day_periods
    }

    /// Busy masks of `r` in week `w`, one per day.
    #[inline]
    pub fn week_masks(&self, r: ResId, w: usize) -> impl ExactSizeIterator<Item = u64> + '_ {
        (0..self.days).map(move |d| self.day_mask(r, w, d))
    }

    /// Number of events holding `r` at `slot` in week `w`.
    #[inline]
    pub fn count(&self, r: ResId, w: usize, slot: Slot) -> u32 {
        let (day, p) = self.place(slot);
        let (word, shift) = self.week_at[w];
        let (at, bit) = (self.at(r, day) + word, shift as usize + p);
        (self.mask[at] >> bit & 1) as u32 + self.extra[at * self.word_bits + bit] as u32
    }

    /// Whether more than one event holds `r` at some period of the `duration` periods
    /// from `start`, in some week of `weeks`.
    #[inline]
    pub fn is_shared(&self, r: ResId, weeks: u8, start: Slot, duration: u8) -> bool {
        (0..self.words).any(|i| {
            let (at, bits) = self.cell(r, weeks, start, duration, i);
            self.multi[at] & bits != 0
        })
    }

    /// Whether `r` has a clash anywhere.
    pub fn has_clash(&self, r: ResId) -> bool {
        self.multi[self.at(r, 0)..self.at(r, self.days)]
            .iter()
            .any(|&m| m != 0)
    }

    /// Whether `r` is free for `duration` periods from `start` in all weeks of `weeks`.
    #[inline]
    pub fn is_free(&self, r: ResId, weeks: u8, start: Slot, duration: u8) -> bool {
        (0..self.words).all(|i| {
            let (at, bits) = self.cell(r, weeks, start, duration, i);
            self.mask[at] & bits == 0
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Problem;

    /// An instance of 2 days of `periods` periods, `weeks` weeks and 3 teachers.
    fn instance(periods: usize, weeks: usize) -> Instance {
        let periods: Vec<String> = (0..periods)
            .map(|p| format!(r#"{{"name":"P{p}"}}"#))
            .collect();
        let weeks: Vec<String> = (0..weeks).map(|w| format!(r#""W{w}""#)).collect();
        let json = format!(
            r#"{{"name":"t","time":{{"days":["D0","D1"],"periods":[{}],"weeks":[{}]}},
            "teachers":[{{"name":"T0"}},{{"name":"T1"}},{{"name":"T2"}}],"lessons":[]}}"#,
            periods.join(","),
            weeks.join(",")
        );
        let problem: Problem = serde_json::from_str(&json).expect("test problem parses");
        problem.compile().expect("test problem compiles")
    }

    /// Random adds, removes, undos and undos to a mark agree with plain counts per
    /// (resource, week, slot), whether the weeks of a day share one word, several or
    /// none; so do the clashes weighted by weights raised at random.
    #[test]
    fn masks_counts_and_clashes_follow_plain_counts() {
        for (periods, weeks) in [(10, 2), (30, 3), (10, 8), (64, 2), (7, 1)] {
            let inst = instance(periods, weeks);
            let g = &inst.grid;
            let mut occ = Occupancy::new(&inst);
            let mut placed: Vec<(ResId, u8, Slot, u8)> = Vec::new();
            // What was placed when recording began, and at a mark since.
            let mut at_record = placed.clone();
            let mut at_mark = (placed.clone(), occ.mark());
            let mut rng = fastrand::Rng::with_seed(periods as u64 * 10 + weeks as u64);
            for step in 0..600 {
                match step % 50 {
                    0 => {
                        occ.keep();
                        occ.record();
                        at_record = placed.clone();
                    }
                    20 => at_mark = (placed.clone(), occ.mark()),
                    30 => {
                        occ.undo_to(at_mark.1);
                        placed = at_mark.0.clone();
                    }
                    49 => {
                        occ.undo();
                        placed = at_record.clone();
                        occ.raise_weight(rng.u32(..3));
                    }
                    _ if placed.is_empty() || rng.u8(..3) != 0 => {
                        let duration = rng.u8(1..4).min(periods as u8);
                        let first = rng.usize(..=periods - duration as usize);
                        let weeks_mask = rng.u8(1..=((1u16 << weeks) - 1) as u8);
                        let e = (
                            rng.u32(..3),
                            weeks_mask,
                            g.slot(rng.usize(..2), first),
                            duration,
                        );
                        occ.add(e.0, e.1, e.2, e.3);
                        placed.push(e);
                    }
                    _ => {
                        let e = placed.swap_remove(rng.usize(..placed.len()));
                        occ.remove(e.0, e.1, e.2, e.3);
                    }
                }
                let mut counts = vec![0u32; 3 * weeks * g.slot_count()];
                for &(r, wm, s, d) in &placed {
                    for w in (0..weeks).filter(|w| wm & (1 << w) != 0) {
                        for k in 0..d as usize {
                            counts[(r as usize * weeks + w) * g.slot_count() + s as usize + k] += 1;
                        }
                    }
                }
                check(&occ, &inst, &counts, weeks);
            }
        }
    }

    fn check(occ: &Occupancy, inst: &Instance, counts: &[u32], weeks: usize) {
        let g = &inst.grid;
        let at = |r: usize, w: usize, s: usize| (r * weeks + w) * g.slot_count() + s;
        let clashes: u32 = counts.iter().map(|&c| c.saturating_sub(1)).sum();
        assert_eq!(occ.clashes(), clashes as i64);
        let per_resource = counts.len() / 3;
        let mut weighted = 0;
        for (r, counts) in counts.chunks(per_resource).enumerate() {
            let clashes: u32 = counts.iter().map(|&c| c.saturating_sub(1)).sum();
            assert_eq!(occ.clashes_of(r as ResId), clashes as i64);
            weighted += occ.weight(r as ResId) * clashes as i64;
        }
        assert_eq!(occ.weighted_clashes(), weighted);
        for r in 0..3 {
            for w in 0..weeks {
                for day in 0..2 {
                    let mut mask = 0u64;
                    for p in 0..g.periods_per_day() {
                        let s = g.slot(day, p);
                        let n = counts[at(r, w, s as usize)];
                        assert_eq!(occ.count(r as ResId, w, s), n);
                        if n > 0 {
                            mask |= 1 << p;
                        }
                        assert_eq!(occ.is_free(r as ResId, 1 << w, s, 1), n == 0);
                        assert_eq!(occ.is_shared(r as ResId, 1 << w, s, 1), n > 1);
                    }
                    assert_eq!(occ.day_mask(r as ResId, w, day), mask);
                }
            }
        }
    }
}
