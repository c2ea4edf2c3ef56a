//! `max_days`: at most `limit` working days (days with any busy period) a week.
//! Deviation: days over, per week.

use super::per_resource::{explain_weekly, watch, weekly_cost};
use super::{Family, Watch};
use crate::eval::{View, Violation};
use crate::model::{Penalty, ResourceLimit};

pub struct MaxDays(pub ResourceLimit);

fn working_days(masks: &[u64]) -> u32 {
    masks.iter().filter(|&&m| m != 0).count() as u32
}

impl Family for MaxDays {
    fn units(&self) -> usize {
        self.0.resources.len()
    }
    fn watch(&self, unit: usize) -> Watch<'_> {
        watch(&self.0.resources, unit)
    }
    fn cost(&self, unit: usize, view: &View, pen: Penalty) -> i64 {
        weekly_cost(view, self.0.resources[unit], pen, |ms| {
            working_days(ms).saturating_sub(self.0.limit)
        })
    }
    fn explain(&self, unit: usize, view: &View, pen: Penalty, out: &mut Vec<Violation>) {
        let max = self.0.limit;
        explain_weekly(
            view,
            self.0.resources[unit],
            pen,
            out,
            |ms| working_days(ms).saturating_sub(max),
            |_, ms| format!("works {} days (max {max})", working_days(ms)),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::eval::families::testkit::*;

    #[test]
    fn counts_days_over() {
        // Lessons on Mon, Tue, Wed, Tue again: 3 working days, max 1 -> 2 over, weight 4 -> 8.
        let p = problem(
            4,
            r#"{"type":"max_days","teachers":["T"],"max":1,"hard":false,"weight":4}"#,
        );
        assert_eq!(
            soft_cost(&p, &[(0, 0, 0), (1, 1, 0), (2, 2, 0), (3, 1, 1)]),
            8
        );
    }
}
