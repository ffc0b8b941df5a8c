//! A case plan (一人一策一案): for a child rated red or yellow, or after a mandatory report,
//! the needs found, the actions taken (each with who does it, by when, and where it
//! stands), a review date, the supervisor's approval, and, at the end, why the case was
//! closed. A plan travels like any record: an id made on the phone, a revision one more
//! with each change, through the outbox; the server keeps every revision.
//!
//! A report's follow-up is a plan that names the visit that found the harm
//! ([`CasePlan::report_visit_id`]) and starts with the fixed first steps, each due within
//! its hours ([`CasePlan::for_report`]); it is closed with an outcome.

mod due;
mod editing;
mod vocabulary;

pub use due::{
    actions_due, follow_up_started_by, plans_needed, report_follow_up, DueAction, PlanNeeded, ReportFollowUp,
    DUE_SOON_DAYS,
};
pub use editing::{end_of_day, saved, PlanSave, NEW_ACTION_DAYS};
pub use vocabulary::{
    action_kind, action_kinds, closing_reasons, kinds_in, label_of, needs, report_outcomes, ActionGroup, ActionKind,
    OTHER_ACTION, OTHER_REASON,
};

use chrono::{DateTime, Duration, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{FieldError, FieldErrors, Lang, Role};

/// The longest note of a plan's needs or of its closing, in characters.
pub const PLAN_NOTE_MAX: usize = 500;
/// The longest note of an action, in characters.
pub const ACTION_NOTE_MAX: usize = 200;
/// The longest "who does it", in characters.
pub const BY_WHOM_MAX: usize = 50;
/// The most actions one plan holds.
pub const ACTIONS_MAX: usize = 50;

/// One child's plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CasePlan {
    /// Made on the phone (UUID v4).
    pub id: Uuid,
    /// The child's file.
    pub child_id: Uuid,
    /// For a report's follow-up: the visit that found the harm.
    #[serde(default)]
    pub report_visit_id: Option<Uuid>,
    /// The needs found, by code ([`needs`]).
    #[serde(default)]
    pub needs: Vec<String>,
    /// What the needs are, in the worker's words.
    #[serde(default)]
    pub needs_note: String,
    #[serde(default)]
    pub actions: Vec<CaseAction>,
    /// When the plan is looked at again.
    #[serde(default)]
    pub review_date: Option<NaiveDate>,
    /// When the township's supervisor approved the plan as it stands; `None` while it waits
    /// for her (a change of its needs or actions asks her again).
    #[serde(default)]
    pub approved_at: Option<DateTime<FixedOffset>>,
    /// Set once the case is closed.
    #[serde(default)]
    pub closed: Option<Closure>,
    /// 1 for the first save, one more for each later save.
    pub revision: u32,
    /// When this revision was saved, with the phone's UTC offset.
    pub updated_at: DateTime<FixedOffset>,
}

/// One action of a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CaseAction {
    /// Made on the phone when the action is added.
    pub id: Uuid,
    /// What it is, by code ([`action_kinds`]).
    pub kind: String,
    /// What exactly (needed for `other`).
    #[serde(default)]
    pub note: String,
    /// Who does it.
    #[serde(default)]
    pub by_whom: String,
    /// By when.
    pub due: DateTime<FixedOffset>,
    pub status: ActionStatus,
}

/// Where an action stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ActionStatus {
    Planned,
    Applied,
    Granted,
    Refused,
    Done,
}

impl ActionStatus {
    pub const ALL: [ActionStatus; 5] = [
        ActionStatus::Planned,
        ActionStatus::Applied,
        ActionStatus::Granted,
        ActionStatus::Refused,
        ActionStatus::Done,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ActionStatus::Planned => "planned",
            ActionStatus::Applied => "applied",
            ActionStatus::Granted => "granted",
            ActionStatus::Refused => "refused",
            ActionStatus::Done => "done",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            ActionStatus::Planned => lang.pick("计划中", "planned"),
            ActionStatus::Applied => lang.pick("已申请", "applied"),
            ActionStatus::Granted => lang.pick("已获批", "granted"),
            ActionStatus::Refused => lang.pick("未获批", "refused"),
            ActionStatus::Done => lang.pick("已完成", "done"),
        }
    }

    /// Whether the action still waits for someone (planned or applied).
    pub fn is_pending(self) -> bool {
        matches!(self, ActionStatus::Planned | ActionStatus::Applied)
    }
}

/// How a case ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Closure {
    /// Why, by code: [`closing_reasons`], or for a report's follow-up its outcome
    /// ([`report_outcomes`]).
    pub reason: String,
    /// In the worker's words (needed for `other`).
    #[serde(default)]
    pub note: String,
    pub at: DateTime<FixedOffset>,
}

/// Where a plan stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanState {
    /// Drafted, waiting for the supervisor.
    Waiting,
    Approved,
    Closed,
}

impl PlanState {
    /// Its code in the server's tables: `waiting`, `approved`, `closed`.
    pub fn code(self) -> &'static str {
        match self {
            PlanState::Waiting => "waiting",
            PlanState::Approved => "approved",
            PlanState::Closed => "closed",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            PlanState::Waiting => lang.pick("待督导员审核", "waiting for the supervisor"),
            PlanState::Approved => lang.pick("已审核", "approved"),
            PlanState::Closed => lang.pick("已结案", "closed"),
        }
    }
}

impl CasePlan {
    /// A new plan (revision 1) for the child `child_id`, with nothing in it yet.
    pub fn new(id: Uuid, child_id: Uuid, now: DateTime<FixedOffset>) -> CasePlan {
        CasePlan {
            id,
            child_id,
            report_visit_id: None,
            needs: Vec::new(),
            needs_note: String::new(),
            actions: Vec::new(),
            review_date: None,
            approved_at: None,
            closed: None,
            revision: 1,
            updated_at: now,
        }
    }

    /// The follow-up of the mandatory report made at the visit `visit_id`, recorded at
    /// `now`: the fixed first steps, each due within its hours, with ids from `action_ids`.
    pub fn for_report(
        id: Uuid,
        child_id: Uuid,
        visit_id: Uuid,
        now: DateTime<FixedOffset>,
        mut action_ids: impl FnMut() -> Uuid,
    ) -> CasePlan {
        let actions = kinds_in(ActionGroup::ReportStep)
            .map(|kind| CaseAction {
                id: action_ids(),
                kind: kind.code.to_owned(),
                note: String::new(),
                by_whom: String::new(),
                due: now + Duration::hours(i64::from(kind.within_hours.unwrap_or(24))),
                status: ActionStatus::Planned,
            })
            .collect();
        CasePlan { report_visit_id: Some(visit_id), actions, ..CasePlan::new(id, child_id, now) }
    }

    /// Whether this is a mandatory report's follow-up.
    pub fn is_report_follow_up(&self) -> bool {
        self.report_visit_id.is_some()
    }

    pub fn state(&self) -> PlanState {
        match (&self.closed, &self.approved_at) {
            (Some(_), _) => PlanState::Closed,
            (None, Some(_)) => PlanState::Approved,
            (None, None) => PlanState::Waiting,
        }
    }

    pub fn is_open(&self) -> bool {
        self.closed.is_none()
    }

    /// The plan as `edited`, saved at `now` by a worker who does not approve plans: its next
    /// revision, asking the supervisor again when the needs or the actions (other than
    /// where each stands) changed.
    pub fn saved_by_worker(&self, edited: CasePlan, now: DateTime<FixedOffset>) -> CasePlan {
        let approved_at = if self.same_substance(&edited) { self.approved_at } else { None };
        CasePlan { approved_at, revision: self.revision.saturating_add(1), updated_at: now, ..edited }
    }

    /// The plan as `edited` and approved by the supervisor at `now`: its next revision.
    pub fn approved(&self, edited: CasePlan, now: DateTime<FixedOffset>) -> CasePlan {
        CasePlan { approved_at: Some(now), revision: self.revision.saturating_add(1), updated_at: now, ..edited }
    }

    /// The plan closed at `now` for `reason` (a code) with `note`: its next revision.
    pub fn closed(&self, reason: &str, note: &str, now: DateTime<FixedOffset>) -> CasePlan {
        CasePlan {
            closed: Some(Closure { reason: reason.to_owned(), note: note.trim().to_owned(), at: now }),
            revision: self.revision.saturating_add(1),
            updated_at: now,
            ..self.clone()
        }
    }

    /// The reasons this plan may be closed for: a report's outcomes, or a case's reasons.
    pub fn closing_choices(&self) -> &'static [crate::form::Choice] {
        if self.is_report_follow_up() {
            report_outcomes()
        } else {
            closing_reasons()
        }
    }

    /// Whether `other` has the same needs and actions, where each stands aside.
    fn same_substance(&self, other: &CasePlan) -> bool {
        let substance = |plan: &CasePlan| {
            let actions: Vec<_> =
                plan.actions.iter().map(|a| (a.id, a.kind.clone(), a.note.clone(), a.by_whom.clone(), a.due)).collect();
            (plan.needs.clone(), plan.needs_note.clone(), actions, plan.review_date)
        };
        substance(self) == substance(other)
    }

    /// Whether a worker of `role` may send this revision over `held` (the server's current
    /// one): only a supervisor approves, so anyone else keeps the approval held or drops it.
    pub fn approval_allowed(&self, held: Option<&CasePlan>, role: Role) -> bool {
        role.approves_plans()
            || self.approved_at.is_none()
            || held.and_then(|held| held.approved_at) == self.approved_at
    }

    /// Checks the plan and that the id matches the one in the request's address; every
    /// problem at once, keyed by field (`actions.2.note` for the third action's).
    pub fn validate_for(&self, path_id: Uuid) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::new();
        errors.check_record(self.id, path_id, self.revision);
        if self.child_id.is_nil() {
            errors.add("child_id", FieldError::Required);
        }
        self.check_needs(&mut errors);
        self.check_actions(&mut errors);
        if let Some(closure) = &self.closed {
            if !self.closing_choices().iter().any(|choice| choice.code == closure.reason) {
                errors.add("closed.reason", FieldError::NotAChoice);
            }
            check_note(&mut errors, "closed.note", &closure.note, PLAN_NOTE_MAX, closure.reason == OTHER_REASON);
        }
        errors.into_result(())
    }

    fn check_needs(&self, errors: &mut FieldErrors) {
        if self.needs.iter().any(|code| !needs().iter().any(|need| &need.code == code)) {
            errors.add("needs", FieldError::NotAChoice);
        } else if (1..self.needs.len()).any(|i| self.needs[..i].contains(&self.needs[i])) {
            errors.add("needs", FieldError::Unexpected);
        } else if self.needs.is_empty() && !self.is_report_follow_up() {
            errors.add("needs", FieldError::Required);
        }
        check_note(errors, "needs_note", &self.needs_note, PLAN_NOTE_MAX, false);
    }

    fn check_actions(&self, errors: &mut FieldErrors) {
        if self.actions.len() > ACTIONS_MAX {
            errors.add("actions", FieldError::TooMany { max: ACTIONS_MAX });
        }
        for (i, action) in self.actions.iter().enumerate() {
            let field = |name: &str| format!("actions.{i}.{name}");
            match action_kind(&action.kind) {
                None => errors.add(&field("kind"), FieldError::NotAChoice),
                Some(kind) if kind.group == ActionGroup::ReportStep && !self.is_report_follow_up() => {
                    errors.add(&field("kind"), FieldError::NotAChoice)
                }
                Some(_) => {}
            }
            if self.actions[..i].iter().any(|earlier| earlier.id == action.id) {
                errors.add(&field("id"), FieldError::Unexpected);
            }
            check_note(errors, &field("note"), &action.note, ACTION_NOTE_MAX, action.kind == OTHER_ACTION);
            check_note(errors, &field("by_whom"), &action.by_whom, BY_WHOM_MAX, false);
        }
        if self.is_report_follow_up() {
            for step in kinds_in(ActionGroup::ReportStep) {
                if !self.actions.iter().any(|action| action.kind == step.code) {
                    errors.add("actions", FieldError::Required);
                }
            }
        }
    }
}

fn check_note(errors: &mut FieldErrors, field: &str, note: &str, max: usize, required: bool) {
    let note = note.trim();
    if required && note.is_empty() {
        errors.add(field, FieldError::Required);
    } else if note.chars().count() > max {
        errors.add(field, FieldError::TooLong { max });
    }
}

#[cfg(test)]
mod tests;
