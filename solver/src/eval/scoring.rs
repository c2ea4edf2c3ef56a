//! The families of an instance's constraints, and which units watch what.

use crate::eval::day_sums::{DaySums, Rules, DEFAULT_TABLE_ENTRIES};
use crate::eval::families::{family_for, ByDay, Family};
use crate::eval::violation::Cost;
use crate::model::{EventId, Grid, Instance, Penalty, ResId};

/// Least load ([`Instance::resource_loads`]) of a room whose holders the state indexes
/// ([`Scoring::held_resources`]), when they cannot do without it: such a room draws
/// them into Kempe chains ([`crate::search::moves::Links::Shared`]). At 70 %,
/// `Eng_College` found a timetable in 0.59 of the time and `liceo` in 0.83. Linking
/// every such room instead, `Klikks-SLP` (rooms asked 8-105 % of their periods) found
/// one in 4 runs of 6 against 6, and `Hong-Kong` (24-67 %) took 1.3 times as long; at
/// 80 %, `Eng_College` took 1.33 times as long (`BENCHMARKS.md`).
pub const SCARCE_ROOM: f64 = 0.7;

/// The constraint families of an instance, with an index from resources and events to
/// the units that depend on them. Built once per instance, shared by all searches.
pub struct Scoring {
    pub(crate) families: Vec<Box<dyn Family>>,
    pub(crate) hard: Vec<bool>,
    pub(crate) penalty: Vec<Penalty>,
    /// First global unit of each constraint (length constraints + 1).
    pub(crate) unit_base: Vec<u32>,
    /// Constraint of each global unit.
    pub(crate) unit_constraint: Vec<u32>,
    /// Number of (week, day) pairs: the size of a day-cached unit's cache.
    pub(crate) week_days: usize,
    res_ptr: Vec<u32>,
    res_units: Vec<u32>,
    /// Per resource, the units reading it that are not day-cached.
    whole_ptr: Vec<u32>,
    whole_units: Vec<u32>,
    /// Per resource, its *day-cached* units computed [`ByDay::Week`]: units computed by
    /// day (see [`Family::by_day`]) on a week cycle of at most 64 (week, day) pairs,
    /// whose day values the incremental state keeps to recompute only the days a move
    /// changed.
    daily_ptr: Vec<u32>,
    daily_units: Vec<DailyUnit>,
    /// Per resource, its day-cached units computed [`ByDay::Sum`], kept summed.
    day_sums: DaySums,
    /// Per resource, whether it has day-cached units of either kind.
    day_cached: Vec<bool>,
    ev_ptr: Vec<u32>,
    ev_units: Vec<u32>,
    /// Per unit, the events it reads.
    unit_ev_ptr: Vec<u32>,
    unit_events: Vec<u32>,
    /// Per event, the resources of [`Scoring::held_resources`].
    held_ptr: Vec<u32>,
    held: Vec<ResId>,
}

/// A day-cached unit, with what its evaluation needs at hand.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct DailyUnit {
    /// Global unit.
    pub unit: u32,
    /// Its constraint.
    pub constraint: u32,
    /// Its index among its constraint's units.
    pub local: u32,
}

/// Row `i` of compressed rows (`ptr`, `values`) built by [`csr`].
#[inline]
pub(crate) fn row<'a, T>(ptr: &[u32], values: &'a [T], i: u32) -> &'a [T] {
    &values[ptr[i as usize] as usize..ptr[i as usize + 1] as usize]
}

/// Compressed rows: the distinct `pairs` (key, value) grouped by key, as (row starts,
/// values).
pub(crate) fn csr<T: Copy + Ord>(n: usize, mut pairs: Vec<(u32, T)>) -> (Vec<u32>, Vec<T>) {
    pairs.sort_unstable();
    pairs.dedup();
    let mut ptr = vec![0u32; n + 1];
    for &(k, _) in pairs.iter() {
        ptr[k as usize + 1] += 1;
    }
    for i in 0..n {
        ptr[i + 1] += ptr[i];
    }
    (ptr, pairs.iter().map(|&(_, u)| u).collect())
}

impl Scoring {
    /// Builds the families of every constraint of `inst`.
    pub fn new(inst: &Instance) -> Scoring {
        Scoring::with_table_entries(inst, DEFAULT_TABLE_ENTRIES)
    }

    /// Like [`Scoring::new`], with at most `max_entries` entries computed for the lookup
    /// tables of the day sums (0: every day sum is computed; the cost is the same either
    /// way).
    pub fn with_table_entries(inst: &Instance, max_entries: usize) -> Scoring {
        let families: Vec<Box<dyn Family>> = inst
            .constraints
            .iter()
            .map(|c| family_for(inst, &c.rule))
            .collect();
        let mut unit_base = vec![0u32];
        let mut unit_constraint = Vec::new();
        let (mut by_res, mut by_ev) = (Vec::new(), Vec::new());
        let week_days = inst.grid.week_count() * inst.grid.day_count();
        let (mut whole, mut daily, mut summed) = (Vec::new(), Vec::new(), Vec::new());
        for (c, f) in families.iter().enumerate() {
            for u in 0..f.units() {
                let global = unit_constraint.len() as u32;
                unit_constraint.push(c as u32);
                let w = f.watch(u);
                let by_day = f.by_day(u);
                let cached = by_day != ByDay::No && week_days <= 64;
                by_res.extend(w.resources.iter().map(|&r| (r, global)));
                by_ev.extend(w.events.iter().map(|&e| (e, global)));
                if cached {
                    let unit = DailyUnit {
                        unit: global,
                        constraint: c as u32,
                        local: u as u32,
                    };
                    if by_day == ByDay::Week {
                        daily.push((w.resources[0], unit));
                    } else {
                        summed.push((w.resources[0], unit));
                    }
                } else {
                    whole.extend(w.resources.iter().map(|&r| (r, global)));
                }
            }
            unit_base.push(unit_constraint.len() as u32);
        }
        let (res_ptr, res_units) = csr(inst.resource_count(), by_res);
        let unit_event_pairs = by_ev.iter().map(|&(e, u)| (u, e)).collect();
        let (unit_ev_ptr, unit_events) = csr(unit_constraint.len(), unit_event_pairs);
        let (ev_ptr, ev_units) = csr(inst.events.len(), by_ev);
        let (whole_ptr, whole_units) = csr(inst.resource_count(), whole);
        let (daily_ptr, daily_units) = csr(inst.resource_count(), daily);
        let hard: Vec<bool> = inst.constraints.iter().map(|c| c.hard).collect();
        let penalty: Vec<Penalty> = inst.constraints.iter().map(|c| c.penalty).collect();
        let rules = Rules {
            families: &families,
            penalty: &penalty,
            hard: &hard,
            grid: &inst.grid,
        };
        let day_sums = DaySums::new(&rules, inst.resource_count(), summed, max_entries);
        let load = inst.resource_loads();
        let held_pairs = inst.events.iter().enumerate().flat_map(|(e, ev)| {
            let scarce = ev.sole_rooms().filter(|&r| load[r as usize] >= SCARCE_ROOM);
            ev.resources
                .iter()
                .copied()
                .chain(scarce)
                .map(move |r| (e as u32, r))
        });
        let (held_ptr, held) = csr(inst.events.len(), held_pairs.collect());
        let day_cached = (0..inst.resource_count())
            .map(|r| day_sums.has(r as ResId) || daily_ptr[r] != daily_ptr[r + 1])
            .collect();
        Scoring {
            hard,
            penalty,
            families,
            unit_base,
            unit_constraint,
            week_days,
            res_ptr,
            res_units,
            whole_ptr,
            whole_units,
            daily_ptr,
            daily_units,
            day_sums,
            day_cached,
            ev_ptr,
            ev_units,
            unit_ev_ptr,
            unit_events,
            held_ptr,
            held,
        }
    }

    /// The resources of event `e` whose holders the state indexes
    /// ([`crate::eval::State::holders`]), which draw other sessions into its Kempe chains:
    /// its teachers and student subgroups, then the scarce rooms it cannot do without
    /// ([`crate::model::Event::sole_rooms`], [`SCARCE_ROOM`]), sorted.
    #[inline]
    pub fn held_resources(&self, e: EventId) -> &[ResId] {
        row(&self.held_ptr, &self.held, e)
    }

    /// Total number of units over all constraints.
    pub fn unit_count(&self) -> usize {
        self.unit_constraint.len()
    }

    /// Units that read resource `r`.
    #[inline]
    pub(crate) fn units_of_resource(&self, r: u32) -> &[u32] {
        row(&self.res_ptr, &self.res_units, r)
    }

    /// Units that read resource `r` and are not day-cached: a move changing `r`
    /// recomputes them whole.
    #[inline]
    pub(crate) fn whole_units_of_resource(&self, r: u32) -> &[u32] {
        row(&self.whole_ptr, &self.whole_units, r)
    }

    /// Whether resource `r` has day-cached units (day-summed or weekly).
    #[inline]
    pub(crate) fn is_day_cached(&self, r: ResId) -> bool {
        self.day_cached[r as usize]
    }

    /// Whether resource `r` has day-summed units (see [`Scoring::day_sum`]).
    #[inline]
    pub(crate) fn has_day_sum(&self, r: ResId) -> bool {
        self.day_sums.has(r)
    }

    /// The cost of resource `r`'s day-cached [`ByDay::Sum`] units on `day` over the
    /// weeks whose busy masks are `masks`, on the instance's `grid`.
    #[inline(always)]
    pub(crate) fn day_sum(
        &self,
        r: ResId,
        day: usize,
        masks: impl Iterator<Item = u64>,
        grid: &Grid,
    ) -> Cost {
        let Some(table) = self.day_sums.table(r, day) else {
            let rules = Rules {
                families: &self.families,
                penalty: &self.penalty,
                hard: &self.hard,
                grid,
            };
            return rules.sum_over(self.day_sums.units_of(r), day, masks);
        };
        let mut total = Cost::ZERO;
        for mask in masks {
            let [hard, soft] = table[mask as usize];
            total.hard += hard as i64;
            total.soft += soft as i64;
        }
        total
    }

    /// Day-cached units of resource `r` computed [`ByDay::Sum`]: kept in its day sums,
    /// not on their own.
    pub(crate) fn day_summed_units(&self, r: ResId) -> &[DailyUnit] {
        self.day_sums.units_of(r)
    }

    /// Day-cached units of resource `r` computed [`ByDay::Week`].
    #[inline]
    pub(crate) fn daily_units_of_resource(&self, r: u32) -> &[DailyUnit] {
        row(&self.daily_ptr, &self.daily_units, r)
    }

    /// The constraint of unit `u` and the unit's index among that constraint's units.
    #[inline]
    pub(crate) fn unit_parts(&self, u: u32) -> (usize, usize) {
        let c = self.unit_constraint[u as usize] as usize;
        (c, u as usize - self.unit_base[c] as usize)
    }

    /// Units that read event `e`.
    #[inline]
    pub(crate) fn units_of_event(&self, e: u32) -> &[u32] {
        row(&self.ev_ptr, &self.ev_units, e)
    }

    /// Events that unit `u` reads.
    #[inline]
    pub(crate) fn events_of_unit(&self, u: u32) -> &[u32] {
        row(&self.unit_ev_ptr, &self.unit_events, u)
    }

    /// Whether unit `u` belongs to a hard constraint.
    #[inline]
    pub(crate) fn is_hard_unit(&self, u: u32) -> bool {
        self.hard[self.unit_constraint[u as usize] as usize]
    }

    /// Hard units that read resource `r`.
    pub fn hard_units_of_resource(&self, r: u32) -> impl Iterator<Item = u32> + '_ {
        self.units_of_resource(r)
            .iter()
            .copied()
            .filter(|&u| self.is_hard_unit(u))
    }

    /// Hard units that read event `e`.
    pub fn hard_units_of_event(&self, e: u32) -> impl Iterator<Item = u32> + '_ {
        self.units_of_event(e)
            .iter()
            .copied()
            .filter(|&u| self.is_hard_unit(u))
    }
}

#[cfg(test)]
mod tests {
    use super::Scoring;
    use crate::model::{Problem, ResId};

    #[test]
    fn only_scarce_rooms_their_sessions_cannot_do_without_are_held() {
        // Four periods: three lessons need the gym (75 %); the lab is needed by one and
        // is one of two choices of another (1.5 of 4 periods).
        let json = r#"{"name":"t","time":{"days":["D0"],"periods":[{"name":"P0"},{"name":"P1"},{"name":"P2"},{"name":"P3"}]},
            "teachers":[{"name":"T0"},{"name":"T1"}],"classes":[{"name":"C0"},{"name":"C1"}],
            "rooms":[{"name":"Gym"},{"name":"Lab"},{"name":"Hall"}],
            "lessons":[{"id":"A","teachers":["T0"],"students":["C0"],"rooms":[{"one_of":["Gym"]}],"sessions":[1,1,1]},
              {"id":"D","teachers":["T1"],"students":["C1"],"rooms":[{"one_of":["Lab"]}]},
              {"id":"E","teachers":["T1"],"students":["C1"],"rooms":[{"one_of":["Lab","Hall"]}]}]}"#;
        let inst = serde_json::from_str::<Problem>(json)
            .unwrap()
            .compile()
            .unwrap();
        let scoring = Scoring::new(&inst);
        let gym = inst.rooms.start;
        let rooms_held = |e: u32| -> Vec<ResId> {
            let held = scoring.held_resources(e);
            assert_eq!(
                held[..inst.events[e as usize].resources.len()],
                inst.events[e as usize].resources[..],
                "teachers and student subgroups first"
            );
            held.iter().copied().filter(|&r| r >= gym).collect()
        };
        assert_eq!(rooms_held(0), vec![gym], "the gym, asked 75 %");
        assert!(rooms_held(3).is_empty(), "the lab, asked 37.5 %");
        assert!(rooms_held(4).is_empty(), "a choice of two rooms");
    }
}
