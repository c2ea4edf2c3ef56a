//! A daily rule (`max_per_day`, `max_consecutive`) counting only the sessions of some
//! lessons (FET's activity-tag limits): per resource, the day's mask is made of those
//! sessions alone, rebuilt from their placements.

use super::per_resource::when;
use super::{DayRule, Family, Watch};
use crate::eval::{View, Violation};
use crate::model::{EventId, Instance, Penalty, ResId, MAX_DAYS};

pub struct OnlyLessons<R> {
    rule: R,
    /// For each resource of the rule, the listed events it attends.
    events: Vec<Vec<EventId>>,
}

impl<R: DayRule> OnlyLessons<R> {
    pub fn new(inst: &Instance, rule: R, only: &[EventId]) -> Self {
        let events = rule
            .resources()
            .iter()
            .map(|r| {
                only.iter()
                    .copied()
                    .filter(|&e| inst.events[e as usize].resources.binary_search(r).is_ok())
                    .collect()
            })
            .collect();
        OnlyLessons { rule, events }
    }

    /// Calls `f(week, day, mask)` for every day of every week, the mask made of the
    /// unit's listed sessions (built in one pass over them per week).
    fn for_each_day(&self, unit: usize, view: &View, mut f: impl FnMut(usize, usize, u64)) {
        let g = &view.inst.grid;
        let mut masks = [0u64; MAX_DAYS];
        let masks = &mut masks[..g.day_count()];
        for w in 0..g.week_count() {
            masks.fill(0);
            for &e in &self.events[unit] {
                match view.start(e) {
                    Some(s) if view.weeks[e as usize] & (1 << w) != 0 => {
                        masks[g.day(s)] |= g.span_mask(s, view.inst.events[e as usize].duration)
                    }
                    _ => {}
                }
            }
            for (d, &m) in masks.iter().enumerate() {
                f(w, d, m);
            }
        }
    }
}

impl<R: DayRule> Family for OnlyLessons<R> {
    fn units(&self) -> usize {
        self.events.len()
    }
    fn watch(&self, unit: usize) -> Watch<'_> {
        Watch {
            resources: &[],
            events: &self.events[unit],
        }
    }
    fn cost(&self, unit: usize, view: &View, pen: Penalty) -> i64 {
        let g = &view.inst.grid;
        let mut total = 0;
        self.for_each_day(unit, view, |_, d, m| {
            let dev = self.rule.deviation(unit, d, m, g);
            if dev > 0 {
                total += self.rule.cost(dev, pen);
            }
        });
        total
    }
    fn explain(&self, unit: usize, view: &View, pen: Penalty, out: &mut Vec<Violation>) {
        let (g, r): (_, ResId) = (&view.inst.grid, self.rule.resources()[unit]);
        self.for_each_day(unit, view, |w, d, m| {
            let dev = self.rule.deviation(unit, d, m, g);
            if dev > 0 {
                out.push(Violation {
                    cost: self.rule.cost(dev, pen),
                    message: format!(
                        "{} {} in the listed lessons {}",
                        view.inst.resource_name(r),
                        self.rule.describe(unit, dev, m, g),
                        when(view, w, d)
                    ),
                    events: self.events[unit].clone(),
                    resources: vec![r],
                });
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::eval::families::testkit::*;

    #[test]
    fn only_the_listed_lessons_count() {
        // Monday: L0, L1, L2 at P0..P2. Max 1 a day over L0 and L2 -> 1 over; over all
        // lessons -> 2 over.
        let placements = [(0, 0, 0), (1, 0, 1), (2, 0, 2)];
        let p = problem(
            3,
            r#"{"type":"max_per_day","teachers":["T"],"max":1,"lessons":["L0","L2"],"hard":false}"#,
        );
        assert_eq!(soft_cost(&p, &placements), 1);
        let p = problem(
            3,
            r#"{"type":"max_per_day","teachers":["T"],"max":1,"hard":false}"#,
        );
        assert_eq!(soft_cost(&p, &placements), 2);
    }

    #[test]
    fn runs_are_made_of_the_listed_lessons_only() {
        // L0, L1, L2 at P0..P2: over L0 and L2 the runs are 1 and 1 (L1 breaks it).
        let p = problem(
            3,
            r#"{"type":"max_consecutive","teachers":["T"],"max":1,"lessons":["L0","L2"],"hard":false}"#,
        );
        assert_eq!(soft_cost(&p, &[(0, 0, 0), (1, 0, 1), (2, 0, 2)]), 0);
        assert_eq!(soft_cost(&p, &[(0, 0, 0), (1, 0, 2), (2, 0, 1)]), 1);
    }
}
