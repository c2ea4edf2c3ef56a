//! `same_start`: the k-th sessions of the listed lessons start at the same time (an
//! aligned block, a "barrette"). Deviation: distinct start times minus one, per k.
//! Hard ones are also kept together by the search, which moves them as one block.

use super::{Family, Watch};
use crate::eval::{View, Violation};
use crate::model::{EventId, Instance, Penalty};

pub struct SameStart {
    /// For each k, the k-th events of the lessons that have one.
    units: Vec<Vec<EventId>>,
}

impl SameStart {
    /// The family, with its units resolved against the instance.
    pub fn new(inst: &Instance, lessons: &[u32]) -> Self {
        SameStart {
            units: units_for(inst, lessons),
        }
    }

    /// Distinct placed starts among the unit's events, minus one.
    fn deviation(&self, unit: usize, view: &View) -> u32 {
        let events = &self.units[unit];
        let mut distinct = 0u32;
        for (i, &e) in events.iter().enumerate() {
            if let Some(s) = view.start(e) {
                if !events[..i].iter().any(|&o| view.start(o) == Some(s)) {
                    distinct += 1;
                }
            }
        }
        distinct.saturating_sub(1)
    }
}

/// For each k, the k-th events of the lessons (only groups of two or more).
fn units_for(inst: &Instance, lessons: &[u32]) -> Vec<Vec<EventId>> {
    let most = lessons
        .iter()
        .map(|&l| inst.lessons[l as usize].events.len())
        .max()
        .unwrap_or(0);
    (0..most)
        .map(|k| {
            lessons
                .iter()
                .filter_map(|&l| inst.lessons[l as usize].events.clone().nth(k))
                .collect::<Vec<_>>()
        })
        .filter(|u| u.len() > 1)
        .collect()
}

impl Family for SameStart {
    fn units(&self) -> usize {
        self.units.len()
    }
    fn watch(&self, unit: usize) -> Watch<'_> {
        Watch {
            resources: &[],
            events: &self.units[unit],
        }
    }
    fn cost(&self, unit: usize, view: &View, pen: Penalty) -> i64 {
        pen.cost(self.deviation(unit, view))
    }
    fn explain(&self, unit: usize, view: &View, pen: Penalty, out: &mut Vec<Violation>) {
        let dev = self.deviation(unit, view);
        if dev > 0 {
            let events = self.units[unit].clone();
            let where_: Vec<String> = events
                .iter()
                .filter_map(|&e| {
                    view.start(e).map(|s| {
                        format!(
                            "{} at {}",
                            view.inst.event_name(e),
                            view.inst.grid.slot_name(s)
                        )
                    })
                })
                .collect();
            out.push(Violation {
                cost: pen.cost(dev),
                message: format!(
                    "aligned sessions start at {} different times: {}",
                    dev + 1,
                    where_.join(", ")
                ),
                events,
                resources: vec![],
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::eval::families::testkit::*;

    #[test]
    fn counts_distinct_starts_minus_one() {
        // L0, L1, L2 aligned (soft): starts Mon P0, Mon P0, Tue P1 -> 2 distinct -> 1.
        let p = problem(
            3,
            r#"{"type":"same_start","lessons":["L0","L1","L2"],"hard":false,"weight":7}"#,
        );
        assert_eq!(soft_cost(&p, &[(0, 0, 0), (1, 0, 0), (2, 1, 1)]), 7);
    }
}
