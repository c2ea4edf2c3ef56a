//! Relations between the sessions of a set: `consecutive`, `grouped`,
//! `consecutive_if_same_day`, `same_day`, `same_period`, `not_overlapping`, `min_gap`,
//! `max_days_between`, `max_slots`, `max_simultaneous`, `max_rooms`,
//! `same_room_if_consecutive`. One unit per
//! constraint; its deviation is documented on [`crate::model::Rule`]. Unplaced sessions
//! are left out (the placement rule already counts them).

use super::{Family, Session, Watch};
use crate::eval::{View, Violation};
use crate::model::{EventId, Instance, Penalty, Relation, MAX_DAYS, NO_ROOM};

pub struct Relations {
    events: Vec<EventId>,
    relation: Relation,
}

/// Any place, to ask [`pair_deviation`] whether a relation is pairwise.
const PAIR_PROBE: Place = Place {
    event: 0,
    day: 0,
    start: 0,
    end: 1,
    weeks: 1,
};

/// Where a placed session is: day, first period, period after its end, weeks.
#[derive(Clone, Copy)]
struct Place {
    event: EventId,
    day: usize,
    start: usize,
    end: usize,
    weeks: u8,
}

impl Place {
    fn of(inst: &Instance, session: Session) -> Place {
        let start = inst.grid.period(session.start);
        Place {
            event: session.event,
            day: inst.grid.day(session.start),
            start,
            end: start + inst.events[session.event as usize].duration as usize,
            weeks: session.weeks,
        }
    }
    fn mask(self) -> u64 {
        (((1u128 << (self.end - self.start)) - 1) as u64) << self.start
    }
    /// 1 when on one day without following each other (`consecutive_if_same_day`).
    fn apart_same_day(self, b: Place) -> u32 {
        u32::from(self.day == b.day && self.end != b.start && b.end != self.start)
    }
    /// 1 when sharing a period in some week (`not_overlapping`).
    fn overlapping(self, b: Place) -> u32 {
        u32::from(self.day == b.day && self.weeks & b.weeks != 0 && self.mask() & b.mask() != 0)
    }
    /// 1 when on one day less than `n` free periods apart (`min_gap`).
    fn closer_than(self, b: Place, n: u32) -> u32 {
        u32::from(self.day == b.day && self.gap(b) < n as i64)
    }
    /// Days apart beyond `n` (`max_days_between`).
    fn days_beyond(self, b: Place, n: u32) -> u32 {
        (self.day.abs_diff(b.day) as u32).saturating_sub(n)
    }
    /// Free periods between two sessions of the same day (negative when they overlap).
    fn gap(self, other: Place) -> i64 {
        if self.start <= other.start {
            other.start as i64 - self.end as i64
        } else {
            self.start as i64 - other.end as i64
        }
    }
}

/// The deviation of a pair of sessions, for the relations whose deviation is a sum
/// over pairs; `None` for the others.
fn pair_deviation(relation: &Relation, a: Place, b: Place) -> Option<u32> {
    Some(match relation {
        Relation::ConsecutiveIfSameDay => a.apart_same_day(b),
        Relation::NotOverlapping => a.overlapping(b),
        Relation::MinGap(n) => a.closer_than(b, *n),
        Relation::MaxDaysBetween(n) => a.days_beyond(b, *n),
        _ => return None,
    })
}

impl Relations {
    pub fn new(events: &[EventId], relation: Relation) -> Self {
        Relations {
            events: events.to_vec(),
            relation,
        }
    }

    fn place(view: &View, e: EventId) -> Option<Place> {
        view.start(e)
            .map(|s| Place::of(view.inst, Session::new(e, s, view.weeks[e as usize])))
    }

    fn places<'a>(&'a self, view: &'a View) -> impl Iterator<Item = Place> + 'a {
        self.events.iter().filter_map(|&e| Self::place(view, e))
    }

    /// Sum of `f` over the pairs of placed sessions.
    fn pairs(&self, view: &View, f: impl Fn(Place, Place) -> u32) -> u32 {
        let mut total = 0;
        for (i, &a) in self.events.iter().enumerate() {
            let Some(pa) = Self::place(view, a) else {
                continue;
            };
            for &b in &self.events[i + 1..] {
                if let Some(pb) = Self::place(view, b) {
                    total += f(pa, pb);
                }
            }
        }
        total
    }

    fn deviation(&self, view: &View) -> u32 {
        match &self.relation {
            Relation::Consecutive => self
                .events
                .windows(2)
                .filter(
                    |w| match (Self::place(view, w[0]), Self::place(view, w[1])) {
                        (Some(a), Some(b)) => a.day != b.day || b.start != a.end,
                        _ => false,
                    },
                )
                .count() as u32,
            Relation::Grouped => {
                let (mut days, mut mask, mut length) = (0u64, 0u64, 0u32);
                for p in self.places(view) {
                    days |= 1 << p.day;
                    mask |= p.mask();
                    length += (p.end - p.start) as u32;
                }
                if mask == 0 {
                    return 0; // Nothing placed.
                }
                let run = mask >> mask.trailing_zeros();
                let one_run = run & run.wrapping_add(1) == 0 && mask.count_ones() == length;
                u32::from(days.count_ones() > 1 || !one_run)
            }
            Relation::ConsecutiveIfSameDay => self.pairs(view, Place::apart_same_day),
            Relation::NotOverlapping => self.pairs(view, Place::overlapping),
            Relation::MinGap(n) => self.pairs(view, |a, b| a.closer_than(b, *n)),
            Relation::MaxDaysBetween(n) => self.pairs(view, |a, b| a.days_beyond(b, *n)),
            Relation::SameDay => {
                let days = self.places(view).fold(0u64, |m, p| m | 1 << p.day);
                days.count_ones().saturating_sub(1)
            }
            Relation::SamePeriod => {
                let periods = self.places(view).fold(0u64, |m, p| m | 1 << p.start);
                periods.count_ones().saturating_sub(1)
            }
            Relation::MaxSlots { times, max } => {
                // The selected periods each day that some session covers, in one pass.
                let mut covered = [0u64; MAX_DAYS];
                let covered = &mut covered[..times.len()];
                for p in self.places(view) {
                    covered[p.day] |= p.mask() & times[p.day];
                }
                let occupied: u32 = covered.iter().map(|m| m.count_ones()).sum();
                occupied.saturating_sub(*max)
            }
            Relation::MaxSimultaneous { times, max } => {
                let mut over = 0;
                for (d, &selected) in times.iter().enumerate() {
                    let mut rest = selected;
                    while rest != 0 {
                        let bit = rest & rest.wrapping_neg();
                        rest ^= bit;
                        let at_once = self
                            .places(view)
                            .filter(|p| p.day == d && p.mask() & bit != 0)
                            .count() as u32;
                        over += at_once.saturating_sub(*max);
                    }
                }
                over
            }
            Relation::SameRoomIfConsecutive => self.pairs(view, |a, b| {
                let follow = a.day == b.day && (a.end == b.start || b.end == a.start);
                u32::from(
                    follow
                        && a.weeks & b.weeks != 0
                        && view.rooms_of(a.event) != view.rooms_of(b.event),
                )
            }),
            Relation::MaxRooms(max) => {
                let mut distinct = 0u32;
                for (i, &e) in self.events.iter().enumerate() {
                    for (k, &r) in view.rooms_of(e).iter().enumerate() {
                        let seen = r == NO_ROOM
                            || view.rooms_of(e)[..k].contains(&r)
                            || self.events[..i]
                                .iter()
                                .any(|&f| view.rooms_of(f).contains(&r));
                        distinct += u32::from(!seen);
                    }
                }
                distinct.saturating_sub(*max)
            }
        }
    }

    fn describe(&self, deviation: u32) -> String {
        match &self.relation {
            Relation::Consecutive => {
                format!("{deviation} session(s) not right after the previous one")
            }
            Relation::Grouped => "not one run of consecutive periods on one day".into(),
            Relation::ConsecutiveIfSameDay => {
                format!("{deviation} pair(s) on the same day not following each other")
            }
            Relation::SameDay => format!("spread over {} days", deviation + 1),
            Relation::SamePeriod => format!("start at {} different periods", deviation + 1),
            Relation::NotOverlapping => format!("{deviation} overlapping pair(s)"),
            Relation::MinGap(n) => {
                format!("{deviation} same-day pair(s) less than {n} free period(s) apart")
            }
            Relation::MaxDaysBetween(n) => {
                format!("{deviation} day(s) beyond {n} day(s) apart, over all pairs")
            }
            Relation::MaxSlots { max, .. } => {
                format!(
                    "occupy {} of the selected times (max {max})",
                    deviation + max
                )
            }
            Relation::MaxSimultaneous { max, .. } => {
                format!("{deviation} session(s) over {max} at once in the selected times")
            }
            Relation::MaxRooms(max) => format!("use {} rooms (max {max})", deviation + max),
            Relation::SameRoomIfConsecutive => {
                format!("{deviation} pair(s) following each other in different rooms")
            }
        }
    }
}

impl Family for Relations {
    fn units(&self) -> usize {
        1
    }
    fn watch(&self, _unit: usize) -> Watch<'_> {
        Watch {
            resources: &[],
            events: &self.events,
        }
    }
    fn pairwise(&self, _unit: usize) -> bool {
        pair_deviation(&self.relation, PAIR_PROBE, PAIR_PROBE).is_some()
    }
    fn pair_deviation(&self, _unit: usize, inst: &Instance, a: Session, b: Session) -> u32 {
        pair_deviation(&self.relation, Place::of(inst, a), Place::of(inst, b)).unwrap_or(0)
    }
    fn cost(&self, _unit: usize, view: &View, pen: Penalty) -> i64 {
        match self.deviation(view) {
            0 => 0,
            d => pen.cost(d),
        }
    }
    fn explain(&self, _unit: usize, view: &View, pen: Penalty, out: &mut Vec<Violation>) {
        let deviation = self.deviation(view);
        if deviation > 0 {
            let names: Vec<String> = self
                .events
                .iter()
                .map(|&e| view.inst.event_name(e))
                .collect();
            out.push(Violation {
                cost: pen.cost(deviation),
                message: format!("{}: {}", names.join(", "), self.describe(deviation)),
                events: self.events.clone(),
                resources: vec![],
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::eval::families::testkit::*;

    fn rule(json: &str) -> String {
        format!(r#"{{{json},"lessons":["L0","L1","L2"],"hard":false}}"#)
    }

    // Placements are (event, day, period); days D0..D4, periods P0..P3.
    const SPREAD: [(usize, usize, usize); 3] = [(0, 0, 0), (1, 0, 1), (2, 2, 3)];
    const RUN: [(usize, usize, usize); 3] = [(0, 1, 2), (1, 1, 1), (2, 1, 3)];

    #[test]
    fn consecutive_counts_sessions_not_right_after_the_previous() {
        let p = problem(3, &rule(r#""type":"consecutive""#));
        // L0 P0, L1 P1 right after; L2 on another day -> 1.
        assert_eq!(soft_cost(&p, &SPREAD), 1);
        // L1 before L0 -> 1 (L0 -> L1 broken; L1 P1 -> L2 P3 broken too) -> 2.
        assert_eq!(soft_cost(&p, &RUN), 2);
        assert_eq!(soft_cost(&p, &[(0, 3, 0), (1, 3, 1), (2, 3, 2)]), 0);
    }

    #[test]
    fn grouped_needs_one_run_on_one_day_in_any_order() {
        let p = problem(3, &rule(r#""type":"grouped""#));
        assert_eq!(soft_cost(&p, &RUN), 0);
        assert_eq!(soft_cost(&p, &SPREAD), 1);
        assert_eq!(soft_cost(&p, &[(0, 1, 0), (1, 1, 1), (2, 1, 3)]), 1);
        // Nothing placed yet (construction): no cost, and no overflow.
        assert_eq!(soft_cost(&p, &[]), 0);
    }

    #[test]
    fn consecutive_if_same_day_counts_same_day_pairs_apart() {
        let p = problem(3, &rule(r#""type":"consecutive_if_same_day""#));
        assert_eq!(soft_cost(&p, &SPREAD), 0);
        // P2, P1, P3 on one day: pairs (P2,P1) ok, (P2,P3) ok, (P1,P3) apart -> 1.
        assert_eq!(soft_cost(&p, &RUN), 1);
    }

    #[test]
    fn same_day_and_same_period_count_distinct_values_minus_one() {
        let p = problem(3, &rule(r#""type":"same_day""#));
        assert_eq!(soft_cost(&p, &SPREAD), 1);
        assert_eq!(soft_cost(&p, &RUN), 0);
        let p = problem(3, &rule(r#""type":"same_period""#));
        assert_eq!(soft_cost(&p, &SPREAD), 2);
        assert_eq!(soft_cost(&p, &[(0, 0, 1), (1, 2, 1), (2, 4, 1)]), 0);
    }

    #[test]
    fn min_gap_and_max_days_between_count_pairs() {
        let p = problem(3, &rule(r#""type":"min_gap","periods":1"#));
        // SPREAD: L0 P0 and L1 P1 same day, 0 free periods -> 1.
        assert_eq!(soft_cost(&p, &SPREAD), 1);
        // RUN: all three on one day, each pair closer than 1 free period except
        // (P1, P3) -> 2.
        assert_eq!(soft_cost(&p, &RUN), 2);
        let p = problem(3, &rule(r#""type":"max_days_between","days":1"#));
        // Days 0, 0, 2: pairs (0,2) twice, 1 day over each -> 2.
        assert_eq!(soft_cost(&p, &SPREAD), 2);
    }

    #[test]
    fn max_slots_and_max_simultaneous_count_selected_times() {
        let p = problem(
            3,
            r#"{"type":"max_slots","lessons":["L0","L1","L2"],"max":1,"hard":false,
                "times":[{"day":"D0"},{"day":"D2","periods":["P0"]}]}"#,
        );
        // SPREAD: D0 P0 and D0 P1 selected and occupied; D2 P3 not selected -> 2 - 1.
        assert_eq!(soft_cost(&p, &SPREAD), 1);
        let p = problem(
            3,
            r#"{"type":"max_simultaneous","lessons":["L0","L1","L2"],"max":1,"hard":false,
                "times":[{"day":"D0"}]}"#,
        );
        assert_eq!(soft_cost(&p, &SPREAD), 0);
        // All three at D0 P0 (the clash is another rule's cost): 3 at once -> 2 over.
        assert_eq!(soft_cost(&p, &[(0, 0, 0), (1, 0, 0), (2, 0, 0)]), 2);
    }

    #[test]
    fn not_overlapping_counts_overlapping_pairs() {
        let p = problem(3, &rule(r#""type":"not_overlapping""#));
        assert_eq!(soft_cost(&p, &SPREAD), 0);
        assert_eq!(soft_cost(&p, &[(0, 0, 0), (1, 0, 0), (2, 1, 0)]), 1);
    }

    #[test]
    fn max_rooms_counts_distinct_rooms() {
        let p = problem_with_rooms(
            3,
            r#"{"type":"max_rooms","lessons":["L0","L1","L2"],"max":1,"hard":false}"#,
        );
        let rooms = [(0, 0, 0, "R20"), (1, 1, 0, "R40"), (2, 2, 0, "R20")];
        assert_eq!(soft_cost_rooms(&p, &rooms), 1);
    }

    #[test]
    fn same_room_if_consecutive_counts_following_pairs_in_different_rooms() {
        let p = problem_with_rooms(
            3,
            r#"{"type":"same_room_if_consecutive","lessons":["L0","L1","L2"],"hard":false}"#,
        );
        // L0 D0 P0 in R20, L1 D0 P1 in R40 (follows L0: 1), L2 D0 P3 in R20 (a free
        // period after L1: not following).
        let rooms = [(0, 0, 0, "R20"), (1, 0, 1, "R40"), (2, 0, 3, "R20")];
        assert_eq!(soft_cost_rooms(&p, &rooms), 1);
        // L1 moved to R20: 0; L2 right after L1 in R40: 1.
        let rooms = [(0, 0, 0, "R20"), (1, 0, 1, "R20"), (2, 0, 2, "R40")];
        assert_eq!(soft_cost_rooms(&p, &rooms), 1);
        // Following each other across days does not count.
        let rooms = [(0, 0, 3, "R20"), (1, 1, 0, "R40"), (2, 2, 0, "R20")];
        assert_eq!(soft_cost_rooms(&p, &rooms), 0);
    }
}
