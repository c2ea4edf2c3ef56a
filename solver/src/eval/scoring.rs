//! The families of an instance's constraints, and which units watch what.

use crate::eval::families::{family_for, Family};
use crate::model::{Instance, Penalty, ResId};

/// The constraint families of an instance, with an index from resources and events to
/// the units that depend on them. Built once per instance, shared by all searches.
pub struct Scoring {
    pub(crate) families: Vec<Box<dyn Family>>,
    pub(crate) hard: Vec<bool>,
    pub(crate) penalty: Vec<Penalty>,
    /// First global unit of each constraint (length constraints + 1).
    pub(crate) unit_base: Vec<u32>,
    /// Constraint of each global unit.
    pub(crate) unit_constraint: Vec<u32>,
    /// For daily units (see [`Family::is_daily`]), the resource they read; `u32::MAX`
    /// for the others. Empty when a week cycle has more than 64 (week, day) pairs.
    pub(crate) daily_resource: Vec<ResId>,
    /// Number of (week, day) pairs: the size of a daily unit's cache.
    pub(crate) week_days: usize,
    res_ptr: Vec<u32>,
    res_units: Vec<u32>,
    ev_ptr: Vec<u32>,
    ev_units: Vec<u32>,
}

fn csr(n: usize, pairs: &mut [(u32, u32)]) -> (Vec<u32>, Vec<u32>) {
    pairs.sort_unstable();
    let mut ptr = vec![0u32; n + 1];
    for &(k, _) in pairs.iter() {
        ptr[k as usize + 1] += 1;
    }
    for i in 0..n {
        ptr[i + 1] += ptr[i];
    }
    (ptr, pairs.iter().map(|&(_, u)| u).collect())
}

impl Scoring {
    /// Builds the families of every constraint of `inst`.
    pub fn new(inst: &Instance) -> Scoring {
        let families: Vec<Box<dyn Family>> = inst
            .constraints
            .iter()
            .map(|c| family_for(inst, &c.rule))
            .collect();
        let mut unit_base = vec![0u32];
        let mut unit_constraint = Vec::new();
        let (mut by_res, mut by_ev) = (Vec::new(), Vec::new());
        let week_days = inst.grid.week_count() * inst.grid.day_count();
        let mut daily_resource = Vec::new();
        for (c, f) in families.iter().enumerate() {
            for u in 0..f.units() {
                let global = unit_constraint.len() as u32;
                unit_constraint.push(c as u32);
                let w = f.watch(u);
                daily_resource.push(if f.is_daily(u) && week_days <= 64 {
                    w.resources[0]
                } else {
                    u32::MAX
                });
                by_res.extend(w.resources.iter().map(|&r| (r, global)));
                by_ev.extend(w.events.iter().map(|&e| (e, global)));
            }
            unit_base.push(unit_constraint.len() as u32);
        }
        by_res.dedup();
        by_ev.dedup();
        let (res_ptr, res_units) = csr(inst.resource_count(), &mut by_res);
        let (ev_ptr, ev_units) = csr(inst.events.len(), &mut by_ev);
        Scoring {
            hard: inst.constraints.iter().map(|c| c.hard).collect(),
            penalty: inst.constraints.iter().map(|c| c.penalty).collect(),
            families,
            unit_base,
            unit_constraint,
            daily_resource,
            week_days,
            res_ptr,
            res_units,
            ev_ptr,
            ev_units,
        }
    }

    /// Total number of units over all constraints.
    pub fn unit_count(&self) -> usize {
        self.unit_constraint.len()
    }

    /// Units that read resource `r`.
    #[inline]
    pub(crate) fn units_of_resource(&self, r: u32) -> &[u32] {
        &self.res_units[self.res_ptr[r as usize] as usize..self.res_ptr[r as usize + 1] as usize]
    }

    /// Units that read event `e`.
    #[inline]
    pub(crate) fn units_of_event(&self, e: u32) -> &[u32] {
        &self.ev_units[self.ev_ptr[e as usize] as usize..self.ev_ptr[e as usize + 1] as usize]
    }

    /// Hard units that read resource `r`.
    pub fn hard_units_of_resource(&self, r: u32) -> impl Iterator<Item = u32> + '_ {
        self.units_of_resource(r)
            .iter()
            .copied()
            .filter(|&u| self.hard[self.unit_constraint[u as usize] as usize])
    }

    /// Hard units that read event `e`.
    pub fn hard_units_of_event(&self, e: u32) -> impl Iterator<Item = u32> + '_ {
        self.units_of_event(e)
            .iter()
            .copied()
            .filter(|&u| self.hard[self.unit_constraint[u as usize] as usize])
    }
}
