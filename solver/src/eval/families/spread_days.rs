//! `spread_days`: the sessions of the listed lessons, together, fall on at least `days`
//! distinct days (ITC-2007 minimum working days). Deviation: the days missing.

use super::{Family, Watch};
use crate::eval::{View, Violation};
use crate::model::{EventId, Penalty};

pub struct SpreadDays {
    events: Vec<EventId>,
    days: u32,
}

impl SpreadDays {
    pub fn new(events: &[EventId], days: u32) -> Self {
        SpreadDays {
            events: events.to_vec(),
            days,
        }
    }
    fn distinct_days(&self, view: &View) -> u32 {
        let mut seen = 0u64;
        for &e in &self.events {
            if let Some(s) = view.start(e) {
                seen |= 1 << (view.inst.grid.day(s) & 63);
            }
        }
        seen.count_ones()
    }
}

impl Family for SpreadDays {
    fn units(&self) -> usize {
        1
    }
    fn watch(&self, _unit: usize) -> Watch<'_> {
        Watch {
            resources: &[],
            events: &self.events,
        }
    }
    fn cost(&self, _unit: usize, view: &View, pen: Penalty) -> i64 {
        pen.cost(self.days.saturating_sub(self.distinct_days(view)))
    }
    fn explain(&self, _unit: usize, view: &View, pen: Penalty, out: &mut Vec<Violation>) {
        let got = self.distinct_days(view);
        if got < self.days {
            let lessons: Vec<String> = self
                .events
                .iter()
                .map(|&e| view.inst.event_name(e))
                .collect();
            out.push(Violation {
                cost: pen.cost(self.days - got),
                message: format!(
                    "{} fall on {got} day(s), {} wanted",
                    lessons.join(", "),
                    self.days
                ),
                events: self.events.clone(),
                resources: vec![],
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::eval::families::testkit::*;

    #[test]
    fn counts_missing_days() {
        // 3 sessions on days 0, 0, 2 -> 2 distinct; want 4 -> 2 missing, weight 5 -> 10.
        let p = problem(
            3,
            r#"{"type":"spread_days","lessons":["L0","L1","L2"],"days":4,"hard":false,"weight":5}"#,
        );
        assert_eq!(soft_cost(&p, &[(0, 0, 0), (1, 0, 1), (2, 2, 0)]), 10);
    }
}
