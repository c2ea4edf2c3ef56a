//! Exact re-placement of a freed set of blocks: a large neighbourhood solved as a MILP
//! with HiGHS, everything else in the timetable fixed.
//!
//! The model places every freed block on one of its starts where none of its teachers,
//! student subgroups or sole rooms is held by a fixed session and each room need with
//! a choice has a free room, with no two freed sessions sharing a teacher, subgroup
//! or sole room, and minimises the hard cost the move can change:
//!
//! - rules computed day by day from one resource's busy periods ([`ByDay`]: gaps,
//!   hours a day, working days, unavailable times, ...), whatever the rule: each
//!   resource-day the freed blocks may reach chooses one of its possible busy masks,
//!   whose day value the rule's own code gives; a weekly rule picks its week total;
//! - rules on one freed block's start (preferred times, a lesson's unavailable times):
//!   the cost of each start, evaluated by placing the block there;
//! - rules summed over pairs of sessions (`min_days_between`,
//!   `consecutive_if_same_day`, `not_overlapping`, ...): one term per pair, its
//!   deviation for each start of one session given the other's.
//!
//! Any other hard rule the move touches is checked on the state once the blocks are
//! placed: when one got worse, that combination of starts is cut off and the model
//! solved again (a few rounds at most). The state's own hard cost decides: the move is
//! kept only when it lowers it.

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use good_lp::{
    constraint, highs, variable, Expression, ProblemVariables, Solution, SolverModel, Variable,
};

use crate::eval::families::{ByDay, Family, Session};
use crate::eval::State;
use crate::model::{EventId, ResId, Slot};
use crate::search::moves::{move_block, Neighbourhood};

/// Most periods of one resource's day the freed blocks may reach: a resource-day has
/// one variable per subset of them.
pub const MAX_OPEN_PERIODS: u32 = 10;

/// Most week totals a weekly rule may take in the model.
const MAX_WEEK_TOTALS: i64 = 256;

/// Most models solved for one move: the first, then one per cut.
const MAX_ROUNDS: usize = 4;

/// Why a re-placement was not made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The timetable has several weeks, which the model does not cover.
    Weeks,
    /// A freed block has no start free of fixed sessions.
    NoStart,
    /// A resource's day has more than [`MAX_OPEN_PERIODS`] periods within reach, or a
    /// weekly rule too many possible week totals.
    TooOpen,
    /// HiGHS found no placement within its time limit, or none without a clash.
    NoSolution,
    /// The best placement found does not lower the hard cost.
    NoGain,
}

/// Takes the `blocks` off `st` and places them back by solving the MILP of the module
/// doc within `time_limit` (per model). When the state's hard cost falls, the move is
/// committed and the change of hard cost returned; otherwise the state is left as it
/// was.
pub fn replace(
    st: &mut State,
    nb: &Neighbourhood,
    blocks: &[usize],
    time_limit: Duration,
) -> Result<i64, Refusal> {
    if st.instance().grid.week_count() != 1 {
        return Err(Refusal::Weeks);
    }
    let inst = st.instance();
    let sc = st.scoring();
    for &b in blocks {
        for &e in &inst.blocks[b] {
            st.unplace(e);
        }
    }
    let model = Model::build(st, nb, blocks);
    st.rollback();
    let mut model = model?;
    // The hard units the move may change that the model leaves out, with their cost
    // now: they must not get worse.
    model.modelled.sort_unstable();
    let mut unmodelled: Vec<u32> = blocks
        .iter()
        .flat_map(|&b| inst.blocks[b].iter())
        .flat_map(|&e| sc.units_of_event(e).iter().copied())
        .chain(model.unmodelled_resource_units.iter().copied())
        .filter(|&u| sc.is_hard_unit(u) && model.modelled.binary_search(&u).is_err())
        .collect();
    unmodelled.sort_unstable();
    unmodelled.dedup();
    let unmodelled: Vec<(u32, i64)> = unmodelled.iter().map(|&u| (u, unit_cost(st, u))).collect();
    let mut cuts: Vec<Vec<(usize, usize)>> = Vec::new();
    for _ in 0..MAX_ROUNDS {
        let Some(choice) = model.solve(&cuts, time_limit) else {
            return Err(Refusal::NoSolution);
        };
        for (i, &b) in blocks.iter().enumerate() {
            move_block(st, &inst.blocks[b], model.starts[i][choice[i]], None, 0);
        }
        let change = st.hard_delta().hard;
        if change < 0 {
            st.commit();
            return Ok(change);
        }
        // A cut for each unmodelled unit that got worse: not all of its freed blocks
        // where they are now.
        let before = cuts.len();
        for &(u, cost) in &unmodelled {
            if unit_cost(st, u) > cost {
                let mut cut: Vec<(usize, usize)> = blocks
                    .iter()
                    .enumerate()
                    .filter(|&(_, &b)| unit_reads_block(st, u, b))
                    .map(|(i, _)| (i, choice[i]))
                    .collect();
                cut.sort_unstable();
                if !cut.is_empty() && !cuts.contains(&cut) {
                    cuts.push(cut);
                }
            }
        }
        st.rollback();
        if cuts.len() == before {
            return Err(Refusal::NoGain);
        }
    }
    Err(Refusal::NoGain)
}

/// The cost of unit `u` in the state's timetable.
fn unit_cost(st: &State, u: u32) -> i64 {
    let sc = st.scoring();
    let (c, local) = sc.unit_parts(u);
    sc.families[c].cost(local, &st.view(), sc.penalty[c])
}

/// Whether unit `u` reads an event of block `b` or a resource one of them holds.
fn unit_reads_block(st: &State, u: u32, b: usize) -> bool {
    let (inst, sc) = (st.instance(), st.scoring());
    let (c, local) = sc.unit_parts(u);
    let watch = sc.families[c].watch(local);
    inst.blocks[b]
        .iter()
        .any(|&e| watch.events.contains(&e) || held(st, e).any(|r| watch.resources.contains(&r)))
}

/// The resources a session of `e` holds whatever its start: its teachers, student
/// subgroups and the rooms it cannot do without ([`crate::model::Event::sole_rooms`]).
fn held<'s>(st: &'s State, e: EventId) -> impl Iterator<Item = ResId> + 's {
    let ev = &st.instance().events[e as usize];
    ev.resources.iter().copied().chain(ev.sole_rooms())
}

/// Whether event `e` may start at `s` with every resource it holds free, and a free
/// room for each required room need that has a choice (two freed sessions may still
/// want the same one: the state's check after placing tells).
fn open_at(st: &State, nb: &Neighbourhood, e: EventId, s: Slot) -> bool {
    let (ev, occ) = (&st.instance().events[e as usize], st.occupancy());
    let (weeks, d) = (st.weeks(e), nb.durations[e as usize]);
    held(st, e).all(|r| occ.is_free(r, weeks, s, d))
        && (ev.pinned_rooms.is_some()
            || ev.room_needs.iter().enumerate().all(|(k, rooms)| {
                rooms.len() < 2
                    || ev.room_optional(k)
                    || rooms.iter().any(|&r| occ.is_free(r, weeks, s, d))
            }))
}

/// A column of a [`Model`]: a variable from 0 to `upper`.
struct Column {
    upper: f64,
    integer: bool,
    /// Its coefficient in the objective.
    cost: f64,
}

/// A row of a [`Model`]: `low <= sum of coefficient * column <= high`.
struct Row {
    /// (column, coefficient).
    terms: Vec<(usize, f64)>,
    low: f64,
    high: f64,
}

impl Row {
    fn new(terms: Vec<(usize, f64)>, low: f64, high: f64) -> Row {
        Row { terms, low, high }
    }
}

/// The model of one re-placement, kept as plain rows so that cuts can be added and it
/// can be solved again.
struct Model {
    /// Per freed block, its candidate starts; column of candidate `k` of block `i` is
    /// `first[i] + k`.
    starts: Vec<Vec<Slot>>,
    first: Vec<usize>,
    columns: Vec<Column>,
    rows: Vec<Row>,
    /// Hard units the objective holds exactly.
    modelled: Vec<u32>,
    /// Hard units reading a reached resource that the model leaves out.
    unmodelled_resource_units: Vec<u32>,
}

impl Model {
    /// Builds the model of re-placing `blocks`, already taken off `st`.
    fn build(st: &mut State, nb: &Neighbourhood, blocks: &[usize]) -> Result<Model, Refusal> {
        let inst = st.instance();
        let sc = st.scoring();
        let g = &inst.grid;
        let mut model = Model {
            starts: Vec::new(),
            first: Vec::new(),
            columns: Vec::new(),
            rows: Vec::new(),
            modelled: Vec::new(),
            unmodelled_resource_units: Vec::new(),
        };
        // Candidate starts, one binary column each, one start per block.
        for &b in blocks {
            let starts: Vec<Slot> = nb.block_starts[b]
                .iter()
                .copied()
                .filter(|&s| inst.blocks[b].iter().all(|&e| open_at(st, nb, e, s)))
                .collect();
            if starts.is_empty() {
                return Err(Refusal::NoStart);
            }
            model.first.push(model.columns.len());
            let row = (model.columns.len()..model.columns.len() + starts.len())
                .map(|c| (c, 1.0))
                .collect();
            model.rows.push(Row::new(row, 1.0, 1.0));
            model.columns.extend(starts.iter().map(|_| Column {
                upper: 1.0,
                integer: true,
                cost: 0.0,
            }));
            model.starts.push(starts);
        }
        // The columns covering each (resource, slot).
        let mut cover: BTreeMap<(ResId, Slot), Vec<usize>> = BTreeMap::new();
        for (i, &b) in blocks.iter().enumerate() {
            for (k, &s) in model.starts[i].iter().enumerate() {
                for &e in &inst.blocks[b] {
                    for r in held(st, e) {
                        for t in s..s + nb.durations[e as usize] as Slot {
                            cover.entry((r, t)).or_default().push(model.first[i] + k);
                        }
                    }
                }
            }
        }
        let mut reached: BTreeMap<ResId, Vec<u64>> = BTreeMap::new();
        for &(r, t) in cover.keys() {
            reached.entry(r).or_insert_with(|| vec![0; g.day_count()])[g.day(t)] |=
                1 << g.period(t);
        }
        for (&r, open) in &reached {
            let day_units: Vec<u32> = sc
                .hard_units_of_resource(r)
                .filter(|&u| {
                    let (c, local) = sc.unit_parts(u);
                    sc.families[c].by_day(local) != ByDay::No
                })
                .collect();
            model.unmodelled_resource_units.extend(
                sc.hard_units_of_resource(r)
                    .filter(|u| !day_units.contains(u)),
            );
            if day_units.is_empty() {
                // No clash: at most one freed session per slot.
                for d in 0..g.day_count() {
                    for p in bits(open[d]) {
                        let cols = &cover[&(r, g.slot(d, p))];
                        if cols.len() > 1 {
                            model.rows.push(Row::new(
                                cols.iter().map(|&c| (c, 1.0)).collect(),
                                0.0,
                                1.0,
                            ));
                        }
                    }
                }
                continue;
            }
            model.add_days(st, r, open, &cover, &day_units)?;
            model.modelled.extend(day_units);
        }
        model.add_event_units(st, blocks);
        Ok(model)
    }

    /// Adds a column and returns it.
    fn column(&mut self, upper: f64, integer: bool, cost: f64) -> usize {
        self.columns.push(Column {
            upper,
            integer,
            cost,
        });
        self.columns.len() - 1
    }

    /// For resource `r`, whose days the freed blocks reach at periods `open`, one
    /// busy-mask choice per reached day, tied to the columns covering it, and the cost
    /// of its day-computed hard units `units`.
    fn add_days(
        &mut self,
        st: &State,
        r: ResId,
        open: &[u64],
        cover: &BTreeMap<(ResId, Slot), Vec<usize>>,
        units: &[u32],
    ) -> Result<(), Refusal> {
        let (inst, sc) = (st.instance(), st.scoring());
        let g = &inst.grid;
        // Per reached day: its masks and their columns.
        let mut choices: Vec<(usize, Vec<(u64, usize)>)> = Vec::new();
        for (d, &open) in open.iter().enumerate() {
            if open == 0 {
                continue;
            }
            if open.count_ones() > MAX_OPEN_PERIODS {
                return Err(Refusal::TooOpen);
            }
            let fixed = st.occupancy().day_mask(r, 0, d);
            let mut masks = Vec::new();
            let mut sub = 0u64;
            loop {
                masks.push((fixed | sub, self.column(1.0, true, 0.0)));
                sub = sub.wrapping_sub(open) & open;
                if sub == 0 {
                    break;
                }
            }
            self.rows.push(Row::new(
                masks.iter().map(|&(_, c)| (c, 1.0)).collect(),
                1.0,
                1.0,
            ));
            for p in bits(open) {
                let mut row: Vec<(usize, f64)> = masks
                    .iter()
                    .filter(|&&(m, _)| m & 1 << p != 0)
                    .map(|&(_, c)| (c, 1.0))
                    .collect();
                row.extend(cover[&(r, g.slot(d, p))].iter().map(|&c| (c, -1.0)));
                self.rows.push(Row::new(row, 0.0, 0.0));
            }
            choices.push((d, masks));
        }
        for &u in units {
            let (c, local) = sc.unit_parts(u);
            let (family, pen) = (&sc.families[c], sc.penalty[c]);
            let value = |d: usize, m: u64| family.day_value(local, d, m, g, pen);
            if family.by_day(local) == ByDay::Sum {
                for (d, masks) in &choices {
                    for &(m, col) in masks {
                        self.columns[col].cost += value(*d, m) as f64;
                    }
                }
                continue;
            }
            // Weekly: the week total, from the fixed days and the chosen masks.
            let mut fixed_total = 0;
            let (mut low, mut high) = (0, 0);
            for d in 0..g.day_count() {
                match choices.iter().find(|(cd, _)| *cd == d) {
                    Some((_, masks)) => {
                        let values = masks.iter().map(|&(m, _)| value(d, m));
                        low += values.clone().min().unwrap_or(0);
                        high += values.max().unwrap_or(0);
                    }
                    None => fixed_total += value(d, st.occupancy().day_mask(r, 0, d)),
                }
            }
            if high - low >= MAX_WEEK_TOTALS {
                return Err(Refusal::TooOpen);
            }
            // One column per total: their choice matches the masks'.
            let mut row: Vec<(usize, f64)> = Vec::new();
            let mut one = Vec::new();
            for total in low..=high {
                let cost = family.week_cost(local, fixed_total + total, pen) as f64;
                let col = self.column(1.0, true, cost);
                row.push((col, total as f64));
                one.push((col, 1.0));
            }
            for (d, masks) in &choices {
                row.extend(masks.iter().map(|&(m, col)| (col, -value(*d, m) as f64)));
            }
            self.rows.push(Row::new(row, 0.0, 0.0));
            self.rows.push(Row::new(one, 1.0, 1.0));
        }
        Ok(())
    }

    /// Adds the hard units reading freed events that the model holds: those on one
    /// freed block's start, evaluated at each start, and those summed over pairs of
    /// sessions ([`Family::pairwise`]) with a linear penalty.
    fn add_event_units(&mut self, st: &mut State, blocks: &[usize]) {
        let (inst, sc) = (st.instance(), st.scoring());
        let index: HashMap<usize, usize> =
            blocks.iter().enumerate().map(|(i, &b)| (b, i)).collect();
        let freed_block = |e: EventId| index.get(&(inst.block_of[e as usize] as usize)).copied();
        let mut units: Vec<u32> = blocks
            .iter()
            .flat_map(|&b| inst.blocks[b].iter())
            .flat_map(|&e| sc.units_of_event(e).iter().copied())
            .filter(|&u| sc.is_hard_unit(u))
            .collect();
        units.sort_unstable();
        units.dedup();
        // Per freed block, its units on its start alone.
        let mut unary: Vec<Vec<u32>> = vec![Vec::new(); blocks.len()];
        for u in units {
            let (c, local) = sc.unit_parts(u);
            let (family, pen) = (&sc.families[c], sc.penalty[c]);
            let watch = family.watch(local);
            let mut freed: Vec<usize> = watch
                .events
                .iter()
                .filter_map(|&e| freed_block(e))
                .collect();
            freed.sort_unstable();
            freed.dedup();
            if family.pairwise(local) && !pen.quadratic {
                let events = watch.events;
                for (j, &a) in events.iter().enumerate() {
                    for &b in &events[j + 1..] {
                        self.add_pair(
                            st,
                            family.as_ref(),
                            local,
                            pen.weight as f64,
                            [a, b],
                            &freed_block,
                        );
                    }
                }
                self.modelled.push(u);
            } else if watch.resources.is_empty() && freed.len() == 1 {
                unary[freed[0]].push(u);
                self.modelled.push(u);
            }
        }
        for (i, units) in unary.iter().enumerate().filter(|(_, u)| !u.is_empty()) {
            let block = &inst.blocks[blocks[i]];
            for k in 0..self.starts[i].len() {
                let before = st.savepoint();
                move_block(st, block, self.starts[i][k], None, 0);
                let cost: i64 = units.iter().map(|&u| unit_cost(st, u)).sum();
                st.rollback_to(before);
                self.columns[self.first[i] + k].cost += cost as f64;
            }
        }
    }

    /// Adds `weight` times the pair deviation of sessions `pair` of unit `local` of
    /// `family`, when one of them is freed (`freed_block` gives its block's index).
    fn add_pair(
        &mut self,
        st: &State,
        family: &dyn Family,
        local: usize,
        weight: f64,
        pair: [EventId; 2],
        freed_block: &impl Fn(EventId) -> Option<usize>,
    ) {
        let inst = st.instance();
        let session = |e: EventId, s: Slot| Session::new(e, s, st.weeks(e));
        let deviation =
            |a: Session, b: Session| family.pair_deviation(local, inst, a, b) as f64 * weight;
        let [a, b] = pair;
        match (freed_block(a), freed_block(b)) {
            (None, None) => {}
            (Some(i), Some(j)) if i != j => {
                // w >= deviation(a at k, b where it is) whenever a is at k.
                let mut w = None;
                for k in 0..self.starts[i].len() {
                    let sa = self.starts[i][k];
                    let mut row = Vec::new();
                    let mut most: f64 = 0.0;
                    for (l, &sb) in self.starts[j].iter().enumerate() {
                        let d = deviation(session(a, sa), session(b, sb));
                        if d > 0.0 {
                            row.push((self.first[j] + l, -d));
                            most = most.max(d);
                        }
                    }
                    if most > 0.0 {
                        let w = *w.get_or_insert_with(|| self.column(f64::INFINITY, false, 1.0));
                        row.extend([(w, 1.0), (self.first[i] + k, -most)]);
                        self.rows.push(Row::new(row, -most, f64::INFINITY));
                    }
                }
            }
            (Some(i), other) => {
                // The other session is fixed or starts with a's block.
                let fixed = st.view().start(b);
                for (k, &sa) in self.starts[i].iter().enumerate() {
                    let Some(sb) = (if other.is_some() { Some(sa) } else { fixed }) else {
                        continue;
                    };
                    self.columns[self.first[i] + k].cost +=
                        deviation(session(a, sa), session(b, sb));
                }
            }
            (None, Some(_)) => self.add_pair(st, family, local, weight, [b, a], freed_block),
        }
    }

    /// Solves the model with `cuts` (each: not all of these (block, candidate) at
    /// once): the chosen candidate of each block, or `None` without a solution.
    fn solve(&self, cuts: &[Vec<(usize, usize)>], time_limit: Duration) -> Option<Vec<usize>> {
        let mut vars = ProblemVariables::new();
        let columns: Vec<Variable> = self
            .columns
            .iter()
            .map(|c| {
                let v = variable().min(0.0).max(c.upper);
                vars.add(if c.integer { v.integer() } else { v })
            })
            .collect();
        let objective: Expression = self
            .columns
            .iter()
            .zip(&columns)
            .filter(|(c, _)| c.cost != 0.0)
            .map(|(c, &v)| c.cost * v)
            .sum();
        let mut problem = vars
            .minimise(objective)
            .using(highs)
            .set_time_limit(time_limit.as_secs_f64())
            .set_threads(1);
        let expr = |terms: &[(usize, f64)]| -> Expression {
            terms.iter().map(|&(c, a)| a * columns[c]).sum()
        };
        for row in &self.rows {
            let e = expr(&row.terms);
            if row.low == row.high {
                problem.add_constraint(constraint!(e == row.low));
            } else {
                if row.high < f64::INFINITY {
                    problem.add_constraint(constraint!(e.clone() <= row.high));
                }
                if row.low > f64::NEG_INFINITY {
                    problem.add_constraint(constraint!(e >= row.low));
                }
            }
        }
        for cut in cuts {
            let e: Expression = cut.iter().map(|&(i, k)| columns[self.first[i] + k]).sum();
            problem.add_constraint(constraint!(e <= (cut.len() - 1) as f64));
        }
        let solution = problem.solve().ok()?;
        Some(
            self.starts
                .iter()
                .enumerate()
                .map(|(i, starts)| {
                    (0..starts.len())
                        .max_by(|&a, &b| {
                            let v = |k: usize| solution.value(columns[self.first[i] + k]);
                            v(a).total_cmp(&v(b))
                        })
                        .unwrap_or(0)
                })
                .collect(),
        )
    }
}

/// The set bits of `mask`, lowest first.
fn bits(mask: u64) -> impl Iterator<Item = usize> {
    (0..64).filter(move |&p| mask & 1 << p != 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::{evaluate, Scoring};
    use crate::model::{Instance, Problem, Timetable, UNPLACED};

    /// Three days of four periods; two classes, three teachers; every kind of rule the
    /// model holds: day-summed (gaps, hours a day, unavailable times), weekly (working
    /// days), pairwise (`min_days_between` and the four pairwise relations) and on one
    /// block's start (preferred times), all hard.
    fn school() -> Instance {
        let json = r#"{"name":"t","time":{"days":["D0","D1","D2"],
            "periods":[{"name":"P0"},{"name":"P1"},{"name":"P2"},{"name":"P3"}]},
          "teachers":[{"name":"A"},{"name":"B"},{"name":"X"}],
          "classes":[{"name":"C"},{"name":"D"}],
          "lessons":[
            {"id":"LA","teachers":["A"],"students":["C"],"sessions":[1,1]},
            {"id":"LB","teachers":["B"],"students":["C"],"sessions":[2]},
            {"id":"LX","teachers":["X"],"students":["C"]},
            {"id":"LD","teachers":["A"],"students":["D"],"sessions":[1,1]},
            {"id":"LE","teachers":["X"],"students":["D"],"sessions":[1,1]},
            {"id":"LF","teachers":["B"],"students":["D"]}],
          "constraints":[
            {"type":"min_days_between","lessons":["LA"],"days":1},
            {"type":"consecutive_if_same_day","lessons":["LE"]},
            {"type":"not_overlapping","lessons":["LA","LE"]},
            {"type":"min_gap","lessons":["LD","LF"],"periods":1},
            {"type":"max_days_between","lessons":["LB","LE"],"days":1},
            {"type":"max_gaps_per_day","teachers":["A","B","X"],"max":0},
            {"type":"max_days","teachers":["A"],"max":2},
            {"type":"min_per_day","teachers":["B"],"min":2},
            {"type":"unavailable","teachers":["X"],"times":[{"day":"D2","periods":["P0"]}]},
            {"type":"preferred_times","lessons":["LF"],"times":[{"day":"D0"},{"day":"D1"}]}]}"#;
        serde_json::from_str::<Problem>(json)
            .unwrap()
            .compile()
            .unwrap()
    }

    /// Every event at a random start of its block's domain.
    fn random_timetable(inst: &Instance, nb: &Neighbourhood, rng: &mut fastrand::Rng) -> Timetable {
        let mut tt = Timetable::empty(inst);
        for (b, block) in inst.blocks.iter().enumerate() {
            let s = nb.block_starts[b][rng.usize(..nb.block_starts[b].len())];
            for &e in block {
                tt.starts[e as usize] = s;
            }
        }
        tt
    }

    /// The least hard cost of placing `blocks` again, by trying every combination of
    /// starts where no freed session clashes; `None` when there is none.
    fn least_hard_cost(st: &mut State, nb: &Neighbourhood, blocks: &[usize]) -> Option<i64> {
        let inst = st.instance();
        let start_hard = st.cost().hard;
        for &b in blocks {
            for &e in &inst.blocks[b] {
                st.unplace(e);
            }
        }
        let clashes = st.occupancy().clashes();
        let mut best = None;
        try_all(st, nb, blocks, clashes, start_hard, &mut best);
        st.rollback();
        best
    }

    fn try_all(
        st: &mut State,
        nb: &Neighbourhood,
        blocks: &[usize],
        clashes: i64,
        start_hard: i64,
        best: &mut Option<i64>,
    ) {
        let Some((&b, rest)) = blocks.split_first() else {
            let hard = start_hard + st.hard_delta().hard;
            *best = Some(best.map_or(hard, |h: i64| h.min(hard)));
            return;
        };
        for &s in &nb.block_starts[b] {
            let before = st.savepoint();
            move_block(st, &st.instance().blocks[b], s, None, 0);
            if st.occupancy().clashes() == clashes {
                try_all(st, nb, rest, clashes, start_hard, best);
            }
            st.rollback_to(before);
        }
    }

    #[test]
    fn the_model_finds_the_least_hard_cost_of_every_combination_of_starts() {
        let inst = school();
        let (scoring, nb) = (Scoring::new(&inst), Neighbourhood::new(&inst));
        let block_of_lesson = |lesson: u32| -> Vec<usize> {
            (0..inst.blocks.len())
                .filter(|&b| inst.events[inst.blocks[b][0] as usize].lesson == lesson)
                .collect()
        };
        // The class C, the teacher A, lessons of both classes.
        let neighbourhoods: Vec<Vec<usize>> = vec![
            [0, 1, 2].iter().flat_map(|&l| block_of_lesson(l)).collect(),
            [0, 3].iter().flat_map(|&l| block_of_lesson(l)).collect(),
            [1, 4, 5].iter().flat_map(|&l| block_of_lesson(l)).collect(),
        ];
        let (mut improved, mut refused) = (0, 0);
        let mut rng = fastrand::Rng::with_seed(7);
        for _ in 0..20 {
            let mut st = State::new(&inst, &scoring, random_timetable(&inst, &nb, &mut rng));
            // Twice over: the second time, each neighbourhood is placed at its best.
            for blocks in neighbourhoods.iter().chain(&neighbourhoods) {
                let (before, tt) = (st.cost().hard, st.timetable().clone());
                let least = least_hard_cost(&mut st, &nb, blocks);
                assert_eq!(st.timetable(), &tt, "the brute force leaves the state");
                match replace(&mut st, &nb, blocks, Duration::from_secs(10)) {
                    Ok(change) => {
                        improved += 1;
                        assert!(change < 0);
                        assert_eq!(Some(st.cost().hard), least, "the optimum");
                        assert_eq!(st.cost().hard, before + change);
                    }
                    Err(refusal) => {
                        refused += 1;
                        assert!(least.is_none_or(|h| h >= before), "{refusal:?} {least:?}");
                        assert_eq!(st.timetable(), &tt, "a refused move leaves the state");
                    }
                }
                assert_eq!(evaluate(&inst, st.timetable()).cost, st.cost());
                assert!(st.timetable().starts.iter().all(|&s| s != UNPLACED));
            }
        }
        assert!(improved > 10 && refused > 10, "{improved} {refused}");
    }

    #[test]
    fn a_timetable_of_several_weeks_is_refused() {
        let json = r#"{"name":"t","time":{"days":["D0"],"periods":[{"name":"P0"}],
            "weeks":["A","B"]},"teachers":[{"name":"T"}],
            "lessons":[{"id":"L","teachers":["T"]}]}"#;
        let inst = serde_json::from_str::<Problem>(json)
            .unwrap()
            .compile()
            .unwrap();
        let (scoring, nb) = (Scoring::new(&inst), Neighbourhood::new(&inst));
        let mut tt = Timetable::empty(&inst);
        tt.starts[0] = 0;
        let mut st = State::new(&inst, &scoring, tt);
        assert_eq!(
            replace(&mut st, &nb, &[0], Duration::from_secs(1)),
            Err(Refusal::Weeks)
        );
    }
}
