//! What case plans ask of people: the actions due (on a worker's due list and, once past
//! due, on her supervisor's "today"), the children who need a plan, and where a mandatory
//! report's follow-up stands.

use chrono::{DateTime, Duration, FixedOffset};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{ActionGroup, CaseAction, CasePlan};
use crate::schedule::VisitSummary;
use crate::{RiskColour, Visit};

/// How many days ahead a worker's due list shows an action.
pub const DUE_SOON_DAYS: i64 = 7;

/// An action that waits, of an open plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueAction {
    pub plan_id: Uuid,
    pub child_id: Uuid,
    pub action: CaseAction,
    /// Whether its time has passed.
    pub overdue: bool,
}

/// The actions of open `plans` still planned or applied for and due by `now + within`, the
/// soonest first.
pub fn actions_due(plans: &[CasePlan], now: DateTime<FixedOffset>, within: Duration) -> Vec<DueAction> {
    let mut due: Vec<DueAction> = plans
        .iter()
        .filter(|plan| plan.is_open())
        .flat_map(|plan| {
            plan.actions.iter().filter(|action| action.status.is_pending() && action.due <= now + within).map(
                move |action| DueAction {
                    plan_id: plan.id,
                    child_id: plan.child_id,
                    action: action.clone(),
                    overdue: action.due < now,
                },
            )
        })
        .collect();
    due.sort_by_key(|due| (due.action.due, due.plan_id, due.action.id));
    due
}

/// A plan one child's file still lacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanNeeded {
    /// Her latest visit rated her red or yellow, and no case plan of hers is open.
    Case,
    /// The visit found harm that was reported, and has no follow-up yet.
    Report { visit_id: Uuid },
}

/// The plans one child lacks, from her `visits` and her `plans` (of her alone).
pub fn plans_needed(visits: &[VisitSummary], plans: &[CasePlan]) -> Vec<PlanNeeded> {
    let latest = visits.iter().max_by_key(|visit| visit.recency());
    let rated = latest.and_then(|visit| visit.risk_colour);
    let open_case = plans.iter().any(|plan| plan.is_open() && !plan.is_report_follow_up());
    let mut needed = Vec::new();
    if matches!(rated, Some(RiskColour::Red | RiskColour::Yellow)) && !open_case {
        needed.push(PlanNeeded::Case);
    }
    let mut reported: Vec<&VisitSummary> = visits.iter().filter(|visit| visit.mandatory_report).collect();
    reported.sort_by_key(|visit| visit.recency());
    for visit in reported {
        if !plans.iter().any(|plan| plan.report_visit_id == Some(visit.visit_id)) {
            needed.push(PlanNeeded::Report { visit_id: visit.visit_id });
        }
    }
    needed
}

/// The follow-up a saved `visit` starts (id `id`, its steps' ids from `action_ids`, due
/// from when the visit was saved): when it found harm the police must be told of and none
/// of `plans` follows it up yet.
pub fn follow_up_started_by(
    visit: &Visit,
    plans: &[CasePlan],
    id: Uuid,
    action_ids: impl FnMut() -> Uuid,
) -> Option<CasePlan> {
    let followed = plans.iter().any(|plan| plan.report_visit_id == Some(visit.id));
    (visit.needs_mandatory_report() && !followed)
        .then(|| CasePlan::for_report(id, visit.child_id, visit.id, visit.updated_at, action_ids))
}

/// Where a mandatory report's follow-up stands.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportFollowUp {
    /// The follow-up plan; none while nobody has started it.
    #[serde(default)]
    pub plan_id: Option<Uuid>,
    /// The fixed first steps done (or granted).
    pub steps_done: u32,
    /// The fixed first steps.
    pub steps: u32,
    /// The first steps not done whose hours have passed.
    pub steps_overdue: u32,
    /// The outcome it was closed with (a code of [`super::report_outcomes`]); none while open.
    #[serde(default)]
    pub outcome: Option<String>,
}

impl ReportFollowUp {
    /// Whether the report is still open: no follow-up, or one not closed.
    pub fn is_open(&self) -> bool {
        self.outcome.is_none()
    }
}

/// Where the report's follow-up `plan` stands at `now` (`None`: not started).
pub fn report_follow_up(plan: Option<&CasePlan>, now: DateTime<FixedOffset>) -> ReportFollowUp {
    let steps_total = super::kinds_in(ActionGroup::ReportStep).count() as u32;
    let Some(plan) = plan else {
        return ReportFollowUp { steps: steps_total, ..ReportFollowUp::default() };
    };
    let steps: Vec<&CaseAction> = plan
        .actions
        .iter()
        .filter(|action| super::action_kind(&action.kind).is_some_and(|kind| kind.group == ActionGroup::ReportStep))
        .collect();
    ReportFollowUp {
        plan_id: Some(plan.id),
        steps_done: steps.iter().filter(|step| !step.status.is_pending()).count() as u32,
        steps: steps.len() as u32,
        steps_overdue: steps.iter().filter(|step| step.status.is_pending() && step.due < now).count() as u32,
        outcome: plan.closed.as_ref().map(|closure| closure.reason.clone()),
    }
}
