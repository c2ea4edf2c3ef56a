//! The constraint families: one file each, all implementing [`Family`].
//!
//! A family's cost is a sum over independent *units* (a resource, a session, a lesson,
//! a group of sessions). Each unit says what it depends on ([`Family::watch`]), so the
//! incremental state recomputes only the units a move touches. [`Family::cost`] is the
//! fast path used by the search; [`Family::explain`] lists the same cost as violations
//! in words, and the reference evaluator sums those.

use crate::eval::view::View;
use crate::eval::violation::Violation;
use crate::model::{CompiledRule, EventId, Instance, Penalty, ResId};

mod isolated;
mod lunch_break;
mod max_consecutive;
mod max_days;
mod max_gaps;
mod max_per_day;
mod min_days_between;
mod min_per_day;
mod preferred_times;
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
}

/// The family implementing a compiled rule (the registry of families).
pub fn family_for(inst: &Instance, rule: &CompiledRule) -> Box<dyn Family> {
    match rule {
        CompiledRule::Unavailable {
            resources,
            events,
            times,
        } => Box::new(unavailable::Unavailable::new(resources, events, times)),
        CompiledRule::PreferredTimes { events, starts } => {
            Box::new(preferred_times::PreferredTimes::new(events, starts))
        }
        CompiledRule::SameStart { lessons } => Box::new(same_start::SameStart::new(inst, lessons)),
        CompiledRule::MinDaysBetween { events, days } => {
            Box::new(min_days_between::MinDaysBetween::new(events, *days))
        }
        CompiledRule::SpreadDays { events, days } => {
            Box::new(spread_days::SpreadDays::new(events, *days))
        }
        CompiledRule::MaxPerDay(l) => Box::new(max_per_day::MaxPerDay(l.clone())),
        CompiledRule::MinPerDay(l) => Box::new(min_per_day::MinPerDay(l.clone())),
        CompiledRule::MaxConsecutive(l) => Box::new(max_consecutive::MaxConsecutive(l.clone())),
        CompiledRule::MaxGapsPerDay(l) => Box::new(max_gaps::MaxGaps::per_day(l.clone())),
        CompiledRule::MaxGapsPerWeek(l) => Box::new(max_gaps::MaxGaps::per_week(l.clone())),
        CompiledRule::MaxDays(l) => Box::new(max_days::MaxDays(l.clone())),
        CompiledRule::LunchBreak { limit, periods } => Box::new(lunch_break::LunchBreak {
            limit: limit.clone(),
            periods: *periods,
        }),
        CompiledRule::Isolated { resources } => Box::new(isolated::Isolated(resources.clone())),
        CompiledRule::RoomCapacity { events } => {
            Box::new(room_capacity::RoomCapacity(events.clone()))
        }
        CompiledRule::RoomStability { lessons } => {
            Box::new(room_stability::RoomStability::new(inst, lessons))
        }
    }
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

    /// Sum over weeks and days of `pen.cost(deviation(day, mask))`.
    #[inline]
    pub fn daily_cost(
        view: &View,
        r: ResId,
        pen: Penalty,
        deviation: impl Fn(usize, u64) -> u32,
    ) -> i64 {
        let mut total = 0;
        for w in 0..view.inst.grid.week_count() {
            for (d, &m) in view.occ.week_masks(r, w).iter().enumerate() {
                let dev = deviation(d, m);
                if dev > 0 {
                    total += pen.cost(dev);
                }
            }
        }
        total
    }

    /// Sum over weeks of `pen.cost(deviation(masks of the week))`.
    #[inline]
    pub fn weekly_cost(
        view: &View,
        r: ResId,
        pen: Penalty,
        deviation: impl Fn(&[u64]) -> u32,
    ) -> i64 {
        let mut total = 0;
        for w in 0..view.inst.grid.week_count() {
            let dev = deviation(view.occ.week_masks(r, w));
            if dev > 0 {
                total += pen.cost(dev);
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

    /// One violation per (week, day) with a deviation; `message(deviation, mask)` says
    /// what is wrong, prefixed by the resource name and followed by the day.
    pub fn explain_daily(
        view: &View,
        r: ResId,
        pen: Penalty,
        out: &mut Vec<Violation>,
        deviation: impl Fn(usize, u64) -> u32,
        message: impl Fn(u32, u64) -> String,
    ) {
        for w in 0..view.inst.grid.week_count() {
            for (d, &m) in view.occ.week_masks(r, w).iter().enumerate() {
                let dev = deviation(d, m);
                if dev > 0 {
                    out.push(Violation {
                        cost: pen.cost(dev),
                        message: format!(
                            "{} {} {}",
                            view.inst.resource_name(r),
                            message(dev, m),
                            when(view, w, d)
                        ),
                        events: view.events_on_day(r, w, d),
                        resources: vec![r],
                    });
                }
            }
        }
    }

    /// One violation per week with a deviation.
    pub fn explain_weekly(
        view: &View,
        r: ResId,
        pen: Penalty,
        out: &mut Vec<Violation>,
        deviation: impl Fn(&[u64]) -> u32,
        message: impl Fn(u32, &[u64]) -> String,
    ) {
        for w in 0..view.inst.grid.week_count() {
            let masks = view.occ.week_masks(r, w);
            let dev = deviation(masks);
            if dev > 0 {
                out.push(Violation {
                    cost: pen.cost(dev),
                    message: format!(
                        "{} {}{}",
                        view.inst.resource_name(r),
                        message(dev, masks),
                        in_week(view, w)
                    ),
                    events: vec![],
                    resources: vec![r],
                });
            }
        }
    }
}

#[cfg(test)]
pub(crate) mod testkit;
