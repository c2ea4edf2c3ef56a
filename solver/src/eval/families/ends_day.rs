//! `ends_day`: each session of the listed lessons is the last of the day for all its
//! student subgroups. Deviation: 1 per subgroup busy later that day, per session and
//! week.

use super::{Family, Watch};
use crate::eval::{View, Violation};
use crate::model::{EventId, Instance, Penalty, ResId};

pub struct EndsDay {
    events: Vec<EventId>,
    /// Student subgroups of each event.
    students: Vec<Vec<ResId>>,
}

impl EndsDay {
    pub fn new(inst: &Instance, events: &[EventId]) -> Self {
        EndsDay {
            events: events.to_vec(),
            students: events
                .iter()
                .map(|&e| {
                    let rs = &inst.events[e as usize].resources;
                    rs.iter()
                        .copied()
                        .filter(|r| inst.atoms.contains(r))
                        .collect()
                })
                .collect(),
        }
    }

    /// Subgroups (with the week) busy after event `unit` on its day.
    fn for_each_later(&self, unit: usize, view: &View, mut f: impl FnMut(ResId, usize)) {
        let e = self.events[unit];
        let Some(s) = view.start(e) else { return };
        let g = &view.inst.grid;
        let (day, end) = (
            g.day(s),
            g.period(s) + view.inst.events[e as usize].duration as usize,
        );
        let after = if end >= 64 { 0 } else { u64::MAX << end };
        for &r in &self.students[unit] {
            for w in 0..g.week_count() {
                if view.weeks[e as usize] & (1 << w) != 0
                    && view.occ.day_mask(r, w, day) & after != 0
                {
                    f(r, w);
                }
            }
        }
    }
}

impl Family for EndsDay {
    fn units(&self) -> usize {
        self.events.len()
    }
    fn watch(&self, unit: usize) -> Watch<'_> {
        Watch {
            resources: &self.students[unit],
            events: &self.events[unit..unit + 1],
        }
    }
    fn cost(&self, unit: usize, view: &View, pen: Penalty) -> i64 {
        let mut later = 0;
        self.for_each_later(unit, view, |_, _| later += 1);
        if later == 0 {
            0
        } else {
            pen.cost(later)
        }
    }
    fn explain(&self, unit: usize, view: &View, pen: Penalty, out: &mut Vec<Violation>) {
        let mut later = Vec::new();
        self.for_each_later(unit, view, |r, _| later.push(r));
        if !later.is_empty() {
            let names: Vec<&str> = later.iter().map(|&r| view.inst.resource_name(r)).collect();
            out.push(Violation {
                cost: pen.cost(later.len() as u32),
                message: format!(
                    "{} does not end the day of {}",
                    view.inst.event_name(self.events[unit]),
                    names.join(", ")
                ),
                events: vec![self.events[unit]],
                resources: later,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::eval::families::testkit::*;

    #[test]
    fn counts_sessions_followed_by_another_lesson_of_their_students() {
        // L0 ends the day at D0 P3; at D1 P1, L1 at D1 P2 follows it -> 1.
        let p = problem(2, r#"{"type":"ends_day","lessons":["L0"],"hard":false}"#);
        assert_eq!(soft_cost(&p, &[(0, 0, 3), (1, 0, 1)]), 0);
        assert_eq!(soft_cost(&p, &[(0, 1, 1), (1, 1, 2)]), 1);
    }
}
