//! Day sums: for each resource, the cost of one day of its day-cached [`ByDay::Sum`]
//! units added up (hard and soft apart), so that the incremental state keeps one value
//! per (resource, day) instead of one per unit and week.
//!
//! Where the day is short enough (at most [`MAX_TABLE_PERIODS`] periods), the sum is
//! looked up in a table indexed by (day, busy mask) built once per instance. Resources
//! whose units have the same classes ([`Family::day_class`]) share a table (all the
//! students of a school under the same rules read one), and so do alike days of
//! different tables (a teacher's days but the one with their unavailable periods), so
//! that the tables stay in cache.
//!
//! [`ByDay::Sum`]: crate::eval::families::ByDay::Sum

use std::collections::HashMap;

use crate::eval::families::Family;
use crate::eval::scoring::DailyUnit;
use crate::eval::violation::Cost;
use crate::model::{Grid, Penalty, ResId};

/// Longest day (in periods) for which sums are tabled: 4,096 masks per day.
pub const MAX_TABLE_PERIODS: usize = 12;

/// Default bound on the table entries computed for an instance (at most 4 bytes each
/// stored: 8 MiB).
pub const DEFAULT_TABLE_ENTRIES: usize = 1 << 21;

const NO_TABLE: u32 = u32::MAX;

/// The day-summed units of each resource and their lookup tables.
pub(crate) struct DaySums {
    ptr: Vec<u32>,
    units: Vec<DailyUnit>,
    /// Per resource, its table, or [`NO_TABLE`].
    table_of: Vec<u32>,
    /// Per table and day, where its entries start in `tables`: `table * days + day`.
    day_at: Vec<u32>,
    /// The distinct day tables one after the other, each `1 << periods` entries of
    /// (hard, soft) indexed by busy mask. Days with the same sums share one (most days
    /// are alike), so that the tables stay in cache.
    tables: Vec<[i16; 2]>,
    /// Entries of a day table: `1 << periods`.
    day_len: usize,
    days: usize,
}

/// What the day sums read of the scoring.
pub(crate) struct Rules<'a> {
    pub families: &'a [Box<dyn Family>],
    pub penalty: &'a [Penalty],
    pub hard: &'a [bool],
    pub grid: &'a Grid,
}

impl Rules<'_> {
    /// Sum of `units`' values on `day` with busy mask `mask`, computed.
    fn sum(&self, units: &[DailyUnit], day: usize, mask: u64) -> Cost {
        let mut total = Cost::ZERO;
        for du in units {
            let c = du.constraint as usize;
            let value = self.families[c].day_value(
                du.local as usize,
                day,
                mask,
                self.grid,
                self.penalty[c],
            );
            total += Cost::of(self.hard[c], value);
        }
        total
    }

    /// Sum of `units`' values on `day` over the weeks whose busy masks are `masks`,
    /// computed (each distinct mask once).
    #[inline(never)]
    pub fn sum_over(
        &self,
        units: &[DailyUnit],
        day: usize,
        masks: impl Iterator<Item = u64>,
    ) -> Cost {
        let mut total = Cost::ZERO;
        let mut last: Option<(u64, Cost)> = None;
        for mask in masks {
            let cost = match last {
                Some((m, cost)) if m == mask => cost,
                _ => self.sum(units, day, mask),
            };
            last = Some((mask, cost));
            total += cost;
        }
        total
    }
}

impl DaySums {
    /// The day sums of `resources` resources over `summed` (resource, unit) pairs,
    /// with tables of at most `max_entries` entries computed in all.
    pub fn new(
        rules: &Rules,
        resources: usize,
        summed: Vec<(u32, DailyUnit)>,
        max_entries: usize,
    ) -> DaySums {
        let (ptr, units) = super::scoring::csr(resources, summed);
        let periods = rules.grid.periods_per_day();
        let shift = periods as u32;
        let mut sums = DaySums {
            ptr,
            units,
            table_of: vec![NO_TABLE; resources],
            day_at: Vec::new(),
            tables: Vec::new(),
            day_len: 1 << shift,
            days: rules.grid.day_count(),
        };
        if periods > MAX_TABLE_PERIODS {
            return sums;
        }
        let len = rules.grid.day_count() << shift;
        // Resources by the classes of their units: one table per class.
        let mut by_key: HashMap<Vec<(u32, u64)>, Vec<usize>> = HashMap::new();
        for r in 0..resources {
            let units = sums.units_of(r as ResId);
            if !units.is_empty() {
                let key = units
                    .iter()
                    .map(|du| {
                        let f = &rules.families[du.constraint as usize];
                        (du.constraint, f.day_class(du.local as usize))
                    })
                    .collect();
                by_key.entry(key).or_default().push(r);
            }
        }
        // The most shared classes first, while the budget lasts. A class of its own
        // (a teacher with their own unavailable times) is worth a table too: most of its
        // days are like other resources' days and share their part.
        let mut classes: Vec<Vec<usize>> = by_key.into_values().collect();
        classes.sort_unstable_by_key(|rs| (std::cmp::Reverse(rs.len()), rs[0]));
        let mut stored: HashMap<Vec<[i16; 2]>, u32> = HashMap::new();
        let mut computed = 0;
        for rs in classes {
            computed += len;
            if computed > max_entries {
                break;
            }
            let Some(table) = table(rules, sums.units_of(rs[0] as ResId), len, shift) else {
                continue;
            };
            for day in table.chunks(sums.day_len) {
                let at = *stored.entry(day.to_vec()).or_insert_with(|| {
                    sums.tables.extend_from_slice(day);
                    (sums.tables.len() - day.len()) as u32
                });
                sums.day_at.push(at);
            }
            let t = (sums.day_at.len() / sums.days - 1) as u32;
            for r in rs {
                sums.table_of[r] = t;
            }
        }
        sums
    }

    /// Day-summed units of resource `r`.
    #[inline]
    pub fn units_of(&self, r: ResId) -> &[DailyUnit] {
        &self.units[self.ptr[r as usize] as usize..self.ptr[r as usize + 1] as usize]
    }

    /// Whether resource `r` has day-summed units.
    #[inline]
    pub fn has(&self, r: ResId) -> bool {
        self.ptr[r as usize] != self.ptr[r as usize + 1]
    }

    /// The table of resource `r` for `day`, indexed by busy mask, if it has one.
    #[inline(always)]
    pub fn table(&self, r: ResId, day: usize) -> Option<&[[i16; 2]]> {
        match self.table_of[r as usize] {
            NO_TABLE => None,
            t => {
                let at = self.day_at[t as usize * self.days + day] as usize;
                Some(&self.tables[at..at + self.day_len])
            }
        }
    }
}

/// The table of `units`' day sums, or `None` if a value does not fit in 16 bits.
fn table(rules: &Rules, units: &[DailyUnit], len: usize, shift: u32) -> Option<Vec<[i16; 2]>> {
    (0..len)
        .map(|i| {
            let sum = rules.sum(units, i >> shift, (i & ((1 << shift) - 1)) as u64);
            Some([i16::try_from(sum.hard).ok()?, i16::try_from(sum.soft).ok()?])
        })
        .collect()
}
