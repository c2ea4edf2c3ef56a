//! What a partial timetable may still mend. A hard rule against holes or short days
//! (no gaps, an early start, a minimum per day) breaks as soon as a session waits off the
//! timetable, though its waiting sessions could fill the hole later. Like FET, which
//! lets a subgroup's gaps stand while they fit in the hours it still has to place,
//! forward search forgives a resource's cost under these rules up to the periods of its
//! sessions still off the timetable: the cost it pays is what no waiting session could
//! mend. With every session placed, nothing is forgiven.

use crate::eval::{csr, row, State};
use crate::model::{CompiledRule, EventId, Instance, ResId, UNPLACED};

/// Forgiven cost per resource, kept up to date as blocks move.
pub struct Completion {
    /// Per resource, its hard units of forgivable rules as (constraint, unit of the
    /// constraint), in compressed rows.
    unit_ptr: Vec<u32>,
    units: Vec<(u32, u32)>,
    /// Per resource with forgivable units, its sessions, in compressed rows.
    session_ptr: Vec<u32>,
    sessions: Vec<EventId>,
    /// Per resource, the cost forgiven now.
    forgiven: Vec<i64>,
    /// Sum of `forgiven`.
    total: i64,
    /// Scratch: resources seen in the current evaluation.
    seen: Vec<u32>,
    epoch: u32,
    changed: Vec<ResId>,
}

/// Whether `rule` is one a partial timetable breaks that its waiting sessions could
/// mend, per resource: holes and short days.
pub fn forgivable(rule: &CompiledRule) -> bool {
    matches!(
        rule,
        CompiledRule::MaxGapsPerDay(_)
            | CompiledRule::MaxGapsPerWeek(_)
            | CompiledRule::EarlyStart(_)
            | CompiledRule::MinPerDay { .. }
    )
}

/// Whether forward search suits `inst`: every hard rule either stays met as sessions
/// come off ([`CompiledRule::monotone`]) or is forgivable.
pub fn suits(inst: &Instance) -> bool {
    inst.constraints
        .iter()
        .filter(|c| c.hard)
        .all(|c| c.rule.monotone() || forgivable(&c.rule))
}

impl Completion {
    /// The forgiven costs of `st`'s timetable.
    pub fn new(st: &State) -> Completion {
        let inst = st.instance();
        let scoring = st.scoring();
        let mut pairs = Vec::new();
        for (c, constraint) in inst.constraints.iter().enumerate() {
            if constraint.hard && forgivable(&constraint.rule) {
                let family = &scoring.families[c];
                for u in 0..family.units() {
                    for &r in family.watch(u).resources {
                        pairs.push((r, (c as u32, u as u32)));
                    }
                }
            }
        }
        let (unit_ptr, units) = csr(inst.resource_count(), pairs);
        let sessions = inst.events.iter().enumerate().flat_map(|(e, ev)| {
            ev.resources
                .iter()
                .filter(|&&r| !row(&unit_ptr, &units, r).is_empty())
                .map(move |&r| (r, e as EventId))
        });
        let (session_ptr, sessions) = csr(inst.resource_count(), sessions.collect());
        let mut completion = Completion {
            unit_ptr,
            units,
            session_ptr,
            sessions,
            forgiven: vec![0; inst.resource_count()],
            total: 0,
            seen: vec![0; inst.resource_count()],
            epoch: 0,
            changed: Vec::with_capacity(64),
        };
        for r in 0..inst.resource_count() as ResId {
            let f = completion.forgiven_now(st, r);
            completion.forgiven[r as usize] = f;
            completion.total += f;
        }
        completion
    }

    /// The hard cost of `st` less what is forgiven: what forward search drives down.
    pub fn hard(&self, st: &State) -> i64 {
        st.cost().hard - self.total
    }

    /// The cost of `r`'s forgivable units in `st`, up to the periods of its sessions off
    /// the timetable (times the heaviest weight of those units).
    fn forgiven_now(&self, st: &State, r: ResId) -> i64 {
        let units = row(&self.unit_ptr, &self.units, r);
        if units.is_empty() {
            return 0;
        }
        let scoring = st.scoring();
        let view = st.view();
        let (mut cost, mut weight) = (0, 0);
        for &(c, u) in units {
            let (c, penalty) = (c as usize, scoring.penalty[c as usize]);
            cost += scoring.families[c].cost(u as usize, &view, penalty);
            weight = weight.max(penalty.weight);
        }
        if cost == 0 {
            return 0;
        }
        let inst = st.instance();
        let waiting: i64 = row(&self.session_ptr, &self.sessions, r)
            .iter()
            .filter(|&&e| st.start(e) == UNPLACED)
            .map(|&e| inst.events[e as usize].duration as i64 * st.weeks(e).count_ones() as i64)
            .sum();
        cost.min(weight * waiting)
    }

    /// Collects the resources of `events` that have forgivable units, once each.
    fn collect(&mut self, inst: &Instance, events: impl Iterator<Item = EventId>) {
        self.epoch = self.epoch.wrapping_add(1);
        if self.epoch == 0 {
            self.seen.iter_mut().for_each(|s| *s = 0);
            self.epoch = 1;
        }
        self.changed.clear();
        for e in events {
            for &r in &inst.events[e as usize].resources {
                let has_units = !row(&self.unit_ptr, &self.units, r).is_empty();
                if has_units && self.seen[r as usize] != self.epoch {
                    self.seen[r as usize] = self.epoch;
                    self.changed.push(r);
                }
            }
        }
    }

    /// Change of the forgiven cost that moving `events` (and nothing else) brought to
    /// `st`, not yet recorded.
    pub fn delta(&mut self, st: &State, events: impl Iterator<Item = EventId>) -> i64 {
        self.collect(st.instance(), events);
        self.changed
            .iter()
            .map(|&r| self.forgiven_now(st, r) - self.forgiven[r as usize])
            .sum()
    }

    /// Records the forgiven cost of the resources of `events` in `st` as it is now.
    pub fn update(&mut self, st: &State, events: impl Iterator<Item = EventId>) {
        self.collect(st.instance(), events);
        for i in 0..self.changed.len() {
            let r = self.changed[i];
            let f = self.forgiven_now(st, r);
            self.total += f - self.forgiven[r as usize];
            self.forgiven[r as usize] = f;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::{evaluate, Scoring};
    use crate::model::{Problem, Timetable, UNPLACED};

    /// A generated lycée whose students' gap limit is hard.
    fn school_with_hard_gaps() -> Problem {
        let mut p = crate::generate::generate(3, 7);
        let gaps = p
            .constraints
            .iter_mut()
            .find(|c| c.rule.type_name() == "max_gaps_per_day")
            .expect("the generator limits students' gaps");
        gaps.hard = true;
        p
    }

    /// A timetable with every session at a random start of its domain.
    fn random_timetable(inst: &Instance, rng: &mut fastrand::Rng) -> Timetable {
        let mut tt = Timetable::empty(inst);
        for (e, ev) in inst.events.iter().enumerate() {
            tt.starts[e] = ev.starts[rng.usize(..ev.starts.len())];
        }
        tt
    }

    /// The cost of the hard forgivable rules in `tt`, by the reference evaluator.
    fn forgivable_cost(inst: &Instance, tt: &Timetable) -> i64 {
        let report = evaluate(inst, tt);
        inst.constraints
            .iter()
            .zip(&report.entries[2..])
            .filter(|(c, _)| c.hard && forgivable(&c.rule))
            .map(|(_, entry)| entry.cost)
            .sum()
    }

    #[test]
    fn nothing_is_forgiven_once_every_session_is_placed() {
        let inst = school_with_hard_gaps().compile().unwrap();
        assert!(suits(&inst));
        let scoring = Scoring::new(&inst);
        let mut rng = fastrand::Rng::with_seed(3);
        let tt = random_timetable(&inst, &mut rng);
        assert!(forgivable_cost(&inst, &tt) > 0, "the test sees gaps");
        let st = State::new(&inst, &scoring, tt);
        assert_eq!(Completion::new(&st).total, 0);
    }

    /// As sessions come off, the forgiven cost kept up to date matches one computed
    /// afresh, and what the rule costs beyond it never rises: a timetable that is
    /// completable stays so.
    #[test]
    fn forgiven_cost_follows_sessions_coming_off_and_the_rest_never_rises() {
        let inst = school_with_hard_gaps().compile().unwrap();
        let scoring = Scoring::new(&inst);
        let mut rng = fastrand::Rng::with_seed(5);
        let mut st = State::new(&inst, &scoring, random_timetable(&inst, &mut rng));
        let mut completion = Completion::new(&st);
        let mut kept = forgivable_cost(&inst, st.timetable());
        let mut forgiven_some = false;
        for e in rng.choose_multiple(0..inst.events.len() as EventId, 80) {
            if st.start(e) == UNPLACED {
                continue;
            }
            st.unplace(e);
            let change = completion.delta(&st, std::iter::once(e));
            st.commit();
            let before = completion.total;
            completion.update(&st, std::iter::once(e));
            assert_eq!(completion.total, before + change);
            assert_eq!(completion.total, Completion::new(&st).total);
            let now = forgivable_cost(&inst, st.timetable()) - completion.total;
            assert!(now <= kept, "{now} > {kept} after taking off {e}");
            kept = now;
            forgiven_some |= completion.total > 0;
        }
        assert!(forgiven_some, "the test sees forgiven gaps");
    }
}
