//! The constraint families: one file each, all implementing [`Family`].
//!
//! A family's cost is a sum over independent *units* (a resource, a session, a lesson,
//! a group of sessions). Each unit says what it depends on ([`Family::watch`]), so the
//! incremental state recomputes only the units a move touches. [`Family::cost`] is the
//! fast path used by the search; [`Family::explain`] lists the same cost as violations
//! in words, and the reference evaluator sums those.

use crate::eval::view::View;
use crate::eval::violation::Violation;
use crate::model::{CompiledRule, EventId, Grid, Instance, Penalty, ResId, Slot};

mod early_start;
mod ends_day;
mod isolated;
mod lunch_break;
mod max_consecutive;
mod max_days;
mod max_gaps;
mod max_per_day;
mod min_days_between;
mod min_per_day;
mod min_rest;
mod only_lessons;
mod preferred_rooms;
mod preferred_times;
mod relations;
mod room_capacity;
mod room_stability;
mod same_start;
mod spread_days;
mod unavailable;

/// What a unit's cost depends on.
#[derive(Clone, Copy, Debug, Default)]
pub struct Watch<'a> {
    /// Resources whose busy masks the unit reads.
    pub resources: &'a [ResId],
    /// Events whose placement (time, week, rooms) the unit reads.
    pub events: &'a [EventId],
}

/// A constraint family: a cost that is a sum over units.
pub trait Family: Send + Sync {
    /// Number of units.
    fn units(&self) -> usize;
    /// What unit `unit` depends on.
    fn watch(&self, unit: usize) -> Watch<'_>;
    /// Cost of `unit` (weighted by `pen`). Must not allocate: it runs in the hot loop.
    fn cost(&self, unit: usize, view: &View, pen: Penalty) -> i64;
    /// The violations of `unit`, whose costs sum to [`Family::cost`].
    fn explain(&self, unit: usize, view: &View, pen: Penalty, out: &mut Vec<Violation>);
    /// Whether `unit`'s cost follows from one resource's busy mask day by day (then it
    /// watches that resource alone), and how. The incremental state then keeps the
    /// value of every (week, day) and recomputes only the days a move changed.
    fn by_day(&self, _unit: usize) -> ByDay {
        ByDay::No
    }
    /// For a unit computed [`ByDay`], the value of one day whose busy mask is `mask`.
    fn day_value(&self, _unit: usize, _day: usize, _mask: u64, _grid: &Grid, _pen: Penalty) -> i64 {
        0
    }
    /// For a unit computed [`ByDay`], a class such that two units of this family with
    /// the same class have the same [`Family::day_value`] (the incremental state then
    /// shares lookup tables between their resources). By default every unit is its own
    /// class.
    fn day_class(&self, unit: usize) -> u64 {
        unit as u64
    }
    /// Whether `unit`'s deviation is the sum, over the pairs of events it reads, of
    /// [`Family::pair_deviation`] (`min_days_between`, `consecutive_if_same_day`, ...).
    fn pairwise(&self, _unit: usize) -> bool {
        false
    }
    /// For a [`Family::pairwise`] unit, the deviation of sessions `a` and `b`.
    fn pair_deviation(&self, _unit: usize, _inst: &Instance, _a: Session, _b: Session) -> u32 {
        0
    }
    /// For a unit computed [`ByDay::Week`], the cost of a week whose day values sum to
    /// `total`.
    fn week_cost(&self, _unit: usize, total: i64, _pen: Penalty) -> i64 {
        total
    }
}

/// A placed session, as [`Family::pair_deviation`] reads it.
#[derive(Clone, Copy, Debug)]
pub struct Session {
    /// The event.
    pub event: EventId,
    /// Its start.
    pub start: Slot,
    /// Its weeks.
    pub weeks: u8,
}

impl Session {
    /// Event `event` placed at `start` in `weeks`.
    pub fn new(event: EventId, start: Slot, weeks: u8) -> Session {
        Session {
            event,
            start,
            weeks,
        }
    }
}

/// How a unit's cost follows from one resource's busy masks (see [`Family::by_day`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ByDay {
    /// It does not.
    No,
    /// The cost is the sum over the weeks and days of [`Family::day_value`].
    Sum,
    /// The cost is the sum over the weeks of [`Family::week_cost`] of the week's sum of
    /// [`Family::day_value`].
    Week,
}

/// A rule whose cost, for each of its resources, is a sum over weeks and days of a
/// function of that day's busy mask. [`Daily`] makes it a [`Family`].
pub trait DayRule: Send + Sync {
    /// The resources it applies to, one unit each.
    fn resources(&self) -> &[ResId];
    /// Deviation of resource number `unit` on `day` when its busy periods are `mask`.
    fn deviation(&self, unit: usize, day: usize, mask: u64, grid: &Grid) -> u32;
    /// Cost of one day's deviation.
    fn cost(&self, deviation: u32, pen: Penalty) -> i64 {
        pen.cost(deviation)
    }
    /// A class such that units with the same class have the same
    /// [`DayRule::deviation`] (see [`Family::day_class`]): 0 when the rule has no
    /// per-resource parameter.
    fn class(&self, unit: usize) -> u64;
    /// What is wrong on such a day, after the resource's name (e.g. `is busy 9
    /// periods (max 8)`).
    fn describe(&self, unit: usize, deviation: u32, mask: u64, grid: &Grid) -> String;
}

/// The family of a [`DayRule`]: one daily unit per resource.
pub struct Daily<R>(pub R);

impl<R: DayRule> Family for Daily<R> {
    fn units(&self) -> usize {
        self.0.resources().len()
    }
    fn watch(&self, unit: usize) -> Watch<'_> {
        per_resource::watch(self.0.resources(), unit)
    }
    fn cost(&self, unit: usize, view: &View, pen: Penalty) -> i64 {
        per_resource::sum_days(self, unit, self.0.resources()[unit], view, pen)
    }
    fn explain(&self, unit: usize, view: &View, pen: Penalty, out: &mut Vec<Violation>) {
        let grid = &view.inst.grid;
        per_resource::explain_days(view, self.0.resources()[unit], out, |d, m| {
            let dev = self.0.deviation(unit, d, m, grid);
            (dev > 0).then(|| (self.0.cost(dev, pen), self.0.describe(unit, dev, m, grid)))
        });
    }
    fn by_day(&self, _unit: usize) -> ByDay {
        ByDay::Sum
    }
    #[inline]
    fn day_value(&self, unit: usize, day: usize, mask: u64, grid: &Grid, pen: Penalty) -> i64 {
        match self.0.deviation(unit, day, mask, grid) {
            0 => 0,
            dev => self.0.cost(dev, pen),
        }
    }
    fn day_class(&self, unit: usize) -> u64 {
        self.0.class(unit)
    }
}

/// A rule whose cost, for each of its resources, is a function of a weekly tally: the
/// sum over the days of a function of the day's busy mask. [`Weekly`] makes it a
/// [`Family`].
pub trait WeekRule: Send + Sync {
    /// The resources it applies to, one unit each.
    fn resources(&self) -> &[ResId];
    /// What `day`, whose busy periods are `mask`, adds to the week's tally of resource
    /// number `unit`.
    fn tally(&self, unit: usize, day: usize, mask: u64) -> i64;
    /// Deviation of a week whose tally is `total`.
    fn deviation(&self, unit: usize, total: i64) -> u32;
    /// What is wrong in such a week, after the resource's name (e.g. `works 5 days
    /// (max 4)`).
    fn describe(&self, unit: usize, deviation: u32, total: i64) -> String;
}

/// The family of a [`WeekRule`]: one unit per resource, computed [`ByDay::Week`].
pub struct Weekly<R>(pub R);

impl<R: WeekRule> Weekly<R> {
    /// Tally of resource number `unit` in week `w`.
    fn week_total(&self, unit: usize, view: &View, w: usize) -> i64 {
        let r = self.0.resources()[unit];
        view.occ
            .week_masks(r, w)
            .enumerate()
            .map(|(d, m)| self.0.tally(unit, d, m))
            .sum()
    }
}

impl<R: WeekRule> Family for Weekly<R> {
    fn units(&self) -> usize {
        self.0.resources().len()
    }
    fn watch(&self, unit: usize) -> Watch<'_> {
        per_resource::watch(self.0.resources(), unit)
    }
    fn cost(&self, unit: usize, view: &View, pen: Penalty) -> i64 {
        (0..view.inst.grid.week_count())
            .map(|w| self.week_cost(unit, self.week_total(unit, view, w), pen))
            .sum()
    }
    fn explain(&self, unit: usize, view: &View, pen: Penalty, out: &mut Vec<Violation>) {
        let r = self.0.resources()[unit];
        for w in 0..view.inst.grid.week_count() {
            let total = self.week_total(unit, view, w);
            let dev = self.0.deviation(unit, total);
            if dev > 0 {
                out.push(Violation {
                    cost: pen.cost(dev),
                    message: format!(
                        "{} {}{}",
                        view.inst.resource_name(r),
                        self.0.describe(unit, dev, total),
                        per_resource::in_week(view, w)
                    ),
                    events: vec![],
                    resources: vec![r],
                });
            }
        }
    }
    fn by_day(&self, _unit: usize) -> ByDay {
        ByDay::Week
    }
    #[inline]
    fn day_value(&self, unit: usize, day: usize, mask: u64, _grid: &Grid, _pen: Penalty) -> i64 {
        self.0.tally(unit, day, mask)
    }
    #[inline]
    fn week_cost(&self, unit: usize, total: i64, pen: Penalty) -> i64 {
        match self.0.deviation(unit, total) {
            0 => 0,
            dev => pen.cost(dev),
        }
    }
}

/// A rule costing 1 per listed session in the wrong place. [`PerSession`] makes it a
/// [`Family`] with one unit per session.
pub trait SessionRule: Send + Sync {
    /// The sessions it applies to.
    fn events(&self) -> &[EventId];
    /// Whether session `e` is where it should not be.
    fn wrong(&self, e: EventId, view: &View) -> bool;
    /// What is wrong with `e`, after its name (e.g. `starts at Lundi M1, not at a
    /// preferred time`).
    fn describe(&self, e: EventId, view: &View) -> String;
}

/// The family of a [`SessionRule`]: one unit per session.
pub struct PerSession<R>(pub R);

impl<R: SessionRule> Family for PerSession<R> {
    fn units(&self) -> usize {
        self.0.events().len()
    }
    fn watch(&self, unit: usize) -> Watch<'_> {
        Watch {
            resources: &[],
            events: &self.0.events()[unit..unit + 1],
        }
    }
    fn cost(&self, unit: usize, view: &View, pen: Penalty) -> i64 {
        if self.0.wrong(self.0.events()[unit], view) {
            pen.cost(1)
        } else {
            0
        }
    }
    fn explain(&self, unit: usize, view: &View, pen: Penalty, out: &mut Vec<Violation>) {
        let e = self.0.events()[unit];
        if self.0.wrong(e, view) {
            out.push(Violation {
                cost: pen.cost(1),
                message: format!("{} {}", view.inst.event_name(e), self.0.describe(e, view)),
                events: vec![e],
                resources: vec![],
            });
        }
    }
}

/// The family of a daily rule over all sessions, or over `only` these.
fn daily_of<R: DayRule + 'static>(
    inst: &Instance,
    rule: R,
    only: &Option<Vec<EventId>>,
) -> Box<dyn Family> {
    match only {
        None => Box::new(Daily(rule)),
        Some(events) => Box::new(only_lessons::OnlyLessons::new(inst, rule, events)),
    }
}

/// The family implementing a compiled rule (the registry of families).
pub fn family_for(inst: &Instance, rule: &CompiledRule) -> Box<dyn Family> {
    match rule {
        CompiledRule::Unavailable {
            resources,
            events,
            times,
        } => Box::new(unavailable::Unavailable::new(resources, events, times)),
        CompiledRule::PreferredTimes { events, starts } => Box::new(PerSession(
            preferred_times::PreferredTimes::new(events, starts),
        )),
        CompiledRule::SameStart { lessons } => Box::new(same_start::SameStart::new(inst, lessons)),
        CompiledRule::MinDaysBetween { events, days } => {
            Box::new(min_days_between::MinDaysBetween::new(events, *days))
        }
        CompiledRule::SpreadDays { events, days } => {
            Box::new(spread_days::SpreadDays::new(events, *days))
        }
        CompiledRule::MaxPerDay { limit, only } => {
            daily_of(inst, max_per_day::MaxPerDay(limit.clone()), only)
        }
        CompiledRule::MinPerDay { limit, every_day } => Box::new(Daily(min_per_day::MinPerDay {
            limit: limit.clone(),
            every_day: *every_day,
        })),
        CompiledRule::MaxConsecutive { limit, only } => {
            daily_of(inst, max_consecutive::MaxConsecutive(limit.clone()), only)
        }
        CompiledRule::MaxGapsPerDay(l) => {
            Box::new(Daily(max_gaps::MaxGapsPerDay::new(inst, l.clone())))
        }
        CompiledRule::MaxGapsPerWeek(l) => {
            Box::new(Weekly(max_gaps::MaxGapsPerWeek::new(inst, l.clone())))
        }
        CompiledRule::WorkingDays {
            limit,
            periods,
            at_least,
        } => Box::new(Weekly(max_days::WorkingDays {
            limit: limit.clone(),
            periods: *periods,
            at_least: *at_least,
        })),
        CompiledRule::EarlyStart(l) => {
            Box::new(Weekly(early_start::EarlyStart::new(inst, l.clone())))
        }
        CompiledRule::MinRest { limit, circular } => {
            Box::new(min_rest::MinRest::new(inst, limit.clone(), *circular))
        }
        CompiledRule::Relation { events, relation } => {
            Box::new(relations::Relations::new(events, relation.clone()))
        }
        CompiledRule::EndsDay { events } => Box::new(ends_day::EndsDay::new(inst, events)),
        CompiledRule::PreferredRooms { events, rooms } => Box::new(PerSession(
            preferred_rooms::PreferredRooms::new(events, rooms),
        )),
        CompiledRule::LunchBreak { limit, periods } => Box::new(Daily(lunch_break::LunchBreak {
            limit: limit.clone(),
            periods: *periods,
        })),
        CompiledRule::Isolated { resources } => {
            Box::new(Daily(isolated::Isolated(resources.clone())))
        }
        CompiledRule::RoomCapacity { events } => {
            Box::new(room_capacity::RoomCapacity::new(inst, events.clone()))
        }
        CompiledRule::RoomStability { lessons } => {
            Box::new(room_stability::RoomStability::new(inst, lessons))
        }
    }
}

/// For each resource of `resources` and each day, the periods it is unavailable by a
/// hard `unavailable` constraint: they are not idle time (not gaps, not late starts).
/// One mask per day, resource after resource.
pub(crate) fn unavailable_masks(inst: &Instance, resources: &[ResId]) -> Vec<u64> {
    resources
        .iter()
        .flat_map(|&r| (0..inst.grid.day_count()).map(move |d| inst.unavailable(r, d)))
        .collect()
}

/// Helpers shared by the families whose units are single resources and whose cost is a
/// function of the resource's busy masks.
pub(crate) mod per_resource {
    use super::*;

    /// Watch of the unit over `resources[unit]`.
    pub fn watch(resources: &[ResId], unit: usize) -> Watch<'_> {
        Watch {
            resources: &resources[unit..unit + 1],
            events: &[],
        }
    }

    /// Sum over weeks and days of `family.day_value` on resource `r`'s busy masks.
    #[inline]
    pub fn sum_days<F: Family + ?Sized>(
        family: &F,
        unit: usize,
        r: ResId,
        view: &View,
        pen: Penalty,
    ) -> i64 {
        let grid = &view.inst.grid;
        let mut total = 0;
        for w in 0..grid.week_count() {
            for (d, m) in view.occ.week_masks(r, w).enumerate() {
                total += family.day_value(unit, d, m, grid, pen);
            }
        }
        total
    }

    /// "on Lundi" or "on Lundi (week A)".
    pub fn when(view: &View, w: usize, day: usize) -> String {
        let g = &view.inst.grid;
        if g.week_count() > 1 {
            format!("on {} (week {})", g.days[day], g.weeks[w])
        } else {
            format!("on {}", g.days[day])
        }
    }

    /// " in week A" when there is a cycle.
    pub fn in_week(view: &View, w: usize) -> String {
        let g = &view.inst.grid;
        if g.week_count() > 1 {
            format!(" in week {}", g.weeks[w])
        } else {
            String::new()
        }
    }

    /// One violation per (week, day) for which `violation(day, mask)` gives a cost and
    /// a description (prefixed by the resource name, followed by the day).
    pub fn explain_days(
        view: &View,
        r: ResId,
        out: &mut Vec<Violation>,
        violation: impl Fn(usize, u64) -> Option<(i64, String)>,
    ) {
        for w in 0..view.inst.grid.week_count() {
            for (d, m) in view.occ.week_masks(r, w).enumerate() {
                if let Some((cost, what)) = violation(d, m) {
                    out.push(Violation {
                        cost,
                        message: format!(
                            "{} {what} {}",
                            view.inst.resource_name(r),
                            when(view, w, d)
                        ),
                        events: view.events_on_day(r, w, d),
                        resources: vec![r],
                    });
                }
            }
        }
    }
}

#[cfg(test)]
pub(crate) mod testkit;
