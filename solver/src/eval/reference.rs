//! The reference evaluator: a timetable's cost from scratch, per constraint, with every
//! violation explained. Deliberately simple: clashes are recounted from each resource's
//! event list rather than from the occupancy counts the search maintains.

use serde::Serialize;

use crate::eval::families::family_for;
use crate::eval::occupancy::Occupancy;
use crate::eval::view::View;
use crate::eval::violation::{Cost, Violation};
use crate::model::{EventId, Instance, ResId, Timetable, NO_ROOM, UNPLACED};

/// The cost of one constraint (or built-in rule) and its violations.
#[derive(Clone, Debug, Serialize)]
pub struct Entry {
    /// Which constraint: `clashes`, `placement`, or `constraints[i] type`.
    pub label: String,
    /// Its type: `clashes`, `placement`, or the rule's type (`max_per_day`...).
    pub kind: String,
    /// Hard or soft.
    pub hard: bool,
    /// Whose wish it is, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Total cost.
    pub cost: i64,
    /// Every violation, with its cost.
    pub violations: Vec<Violation>,
}

/// A timetable's evaluation.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// Total cost.
    pub cost: Cost,
    /// Per constraint, in problem order after the two built-in rules.
    pub entries: Vec<Entry>,
}

impl Report {
    /// Costs summed per constraint type and hardness, in order of first appearance.
    pub fn by_kind(&self) -> Vec<(String, bool, i64)> {
        let mut out: Vec<(String, bool, i64)> = Vec::new();
        for e in &self.entries {
            match out
                .iter_mut()
                .find(|(k, h, _)| *k == e.kind && *h == e.hard)
            {
                Some(row) => row.2 += e.cost,
                None => out.push((e.kind.clone(), e.hard, e.cost)),
            }
        }
        out
    }
}

/// Computes the cost of `tt` from scratch.
pub fn evaluate(inst: &Instance, tt: &Timetable) -> Report {
    let g = &inst.grid;
    let mut placement = Vec::new();
    // Events whose start is usable for occupancy (in the grid and within the day).
    let usable = |e: usize| {
        let s = tt.starts[e];
        s != UNPLACED
            && (s as usize) < g.slot_count()
            && g.period(s) + inst.events[e].duration as usize <= g.periods_per_day()
    };
    let mut occ = Occupancy::new(inst);
    let mut by_resource: Vec<Vec<EventId>> = vec![Vec::new(); inst.resource_count()];
    for (e, ev) in inst.events.iter().enumerate() {
        let id = e as EventId;
        let name = inst.event_name(id);
        if tt.starts[e] == UNPLACED {
            placement.push(violation(1, format!("{name} is not scheduled"), id));
            continue;
        }
        if !usable(e) {
            placement.push(violation(1, format!("{name} does not fit in the day"), id));
            continue;
        }
        if ev.starts.binary_search(&tt.starts[e]).is_err() {
            placement.push(violation(
                1,
                format!(
                    "{name} may not start at {} (pinned elsewhere or across a break)",
                    g.slot_name(tt.starts[e])
                ),
                id,
            ));
        }
        if !ev.week_options.contains(&tt.weeks[e]) {
            placement.push(violation(
                1,
                format!("{name} is in weeks it may not take"),
                id,
            ));
        }
        for (k, &r) in tt.rooms_of(inst, id).iter().enumerate() {
            if r == NO_ROOM {
                if !ev.room_optional(k) {
                    placement.push(violation(1, format!("{name} has no room"), id));
                }
            } else if !ev.room_needs[k].contains(&r) {
                placement.push(violation(
                    1,
                    format!(
                        "{name} is in {}, which does not suit it",
                        inst.resource_name(r)
                    ),
                    id,
                ));
            }
        }
        for r in ev.resources.iter().copied().chain(
            tt.rooms_of(inst, id)
                .iter()
                .copied()
                .filter(|&r| r != NO_ROOM),
        ) {
            occ.add(r, tt.weeks[e], tt.starts[e], ev.duration);
            by_resource[r as usize].push(id);
        }
    }
    let mut entries = vec![
        entry("clashes", true, clashes(inst, tt, &by_resource)),
        entry("placement", true, placement),
    ];
    let view = View {
        inst,
        starts: &tt.starts,
        weeks: &tt.weeks,
        rooms: &tt.rooms,
        occ: &occ,
    };
    for c in &inst.constraints {
        let family = family_for(inst, &c.rule);
        let mut violations = Vec::new();
        for u in 0..family.units() {
            family.explain(u, &view, c.penalty, &mut violations);
        }
        let mut e = entry(&c.label, c.hard, violations);
        e.kind = c.kind.to_string();
        e.owner = c.owner.clone();
        entries.push(e);
    }
    let mut cost = Cost::ZERO;
    for e in &entries {
        cost += Cost::of(e.hard, e.cost);
    }
    Report { cost, entries }
}

fn violation(cost: i64, message: String, e: EventId) -> Violation {
    Violation {
        cost,
        message,
        events: vec![e],
        resources: vec![],
    }
}

fn entry(label: &str, hard: bool, violations: Vec<Violation>) -> Entry {
    Entry {
        label: label.to_string(),
        kind: label.to_string(),
        hard,
        owner: None,
        cost: violations.iter().map(|v| v.cost).sum(),
        violations,
    }
}

/// One violation per resource, week and period where several events meet; its cost is
/// the number of events there minus one.
fn clashes(inst: &Instance, tt: &Timetable, by_resource: &[Vec<EventId>]) -> Vec<Violation> {
    let g = &inst.grid;
    let mut out = Vec::new();
    for (r, events) in by_resource.iter().enumerate() {
        for w in 0..g.week_count() {
            for slot in 0..g.slot_count() as u16 {
                let here: Vec<EventId> = events
                    .iter()
                    .copied()
                    .filter(|&e| {
                        let (s, d) = (
                            tt.starts[e as usize],
                            inst.events[e as usize].duration as u16,
                        );
                        tt.weeks[e as usize] & (1 << w) != 0 && s <= slot && slot < s + d
                    })
                    .collect();
                if here.len() > 1 {
                    let names: Vec<String> = here.iter().map(|&e| inst.event_name(e)).collect();
                    let week = if g.week_count() > 1 {
                        format!(" (week {})", g.weeks[w])
                    } else {
                        String::new()
                    };
                    out.push(Violation {
                        cost: here.len() as i64 - 1,
                        message: format!(
                            "{} has {} sessions at {}{week}: {}",
                            inst.resource_name(r as ResId),
                            here.len(),
                            g.slot_name(slot),
                            names.join(", ")
                        ),
                        events: here,
                        resources: vec![r as ResId],
                    });
                }
            }
        }
    }
    out
}
