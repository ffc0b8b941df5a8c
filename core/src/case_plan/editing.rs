//! What a plan's screen does with a plan: its next revision as a worker saves, approves or
//! closes it, a new action, a day turned into a deadline, and a problem's field named for
//! people.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveTime};
use uuid::Uuid;

use super::{action_kind, ActionStatus, CaseAction, CasePlan, Closure};
use crate::Lang;

/// How a plan is saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanSave {
    /// As edited (a change of needs or actions asks the supervisor again).
    Keep,
    /// As edited, and approved (a supervisor).
    Approve,
    /// As edited, and closed for `reason` (a code) with `note`.
    Close { reason: String, note: String },
}

/// Days from today a new action is due by, unless the plan's review comes sooner.
pub const NEW_ACTION_DAYS: u64 = 14;

/// The plan as `edited`, saved `how` at `now`: revision 1 when the server and the phone
/// hold none yet (`held` is `None`), else the held one's next.
pub fn saved(held: Option<&CasePlan>, edited: CasePlan, how: PlanSave, now: DateTime<FixedOffset>) -> CasePlan {
    let plan = match held {
        Some(held) => held.saved_by_worker(edited, now),
        None => CasePlan { revision: 1, updated_at: now, approved_at: None, ..edited },
    };
    match how {
        PlanSave::Keep => plan,
        PlanSave::Approve => CasePlan { approved_at: Some(now), ..plan },
        PlanSave::Close { reason, note } => {
            CasePlan { closed: Some(Closure { reason, note: note.trim().to_owned(), at: now }), ..plan }
        }
    }
}

/// The end of the day `date` where the phone is (`offset`): an action's deadline.
pub fn end_of_day(date: NaiveDate, offset: FixedOffset) -> DateTime<FixedOffset> {
    let end = date.and_time(NaiveTime::from_hms_opt(23, 59, 0).unwrap_or(NaiveTime::MIN));
    end.and_local_timezone(offset).single().unwrap_or_else(|| DateTime::from_naive_utc_and_offset(end, offset))
}

impl CasePlan {
    /// The plan with a new action of `kind` (id `id`), planned, due by its review date or in
    /// [`NEW_ACTION_DAYS`] days, whichever is sooner.
    pub fn with_action(&self, kind: &str, id: Uuid, now: DateTime<FixedOffset>) -> CasePlan {
        let in_days = now.date_naive() + Duration::days(NEW_ACTION_DAYS as i64);
        let day = self.review_date.filter(|review| *review >= now.date_naive()).map_or(in_days, |r| r.min(in_days));
        let action = CaseAction {
            id,
            kind: kind.to_owned(),
            note: String::new(),
            by_whom: String::new(),
            due: end_of_day(day, *now.offset()),
            status: ActionStatus::Planned,
        };
        let mut plan = self.clone();
        plan.actions.push(action);
        plan
    }

    /// What a problem's `field` (as [`CasePlan::validate_for`] keys it) is, for people:
    /// `第 2 项措施的说明`.
    pub fn field_label(&self, field: &str, lang: Lang) -> String {
        let mut parts = field.split('.');
        match (parts.next(), parts.next().and_then(|n| n.parse::<usize>().ok()), parts.next()) {
            (Some("actions"), Some(n), Some(part)) => {
                let what = self
                    .actions
                    .get(n)
                    .and_then(|action| action_kind(&action.kind))
                    .map_or_else(|| format!("{}", n + 1), |kind| kind.label.get(lang).to_owned());
                let part = match part {
                    "note" => lang.pick("说明", "note"),
                    "by_whom" => lang.pick("负责人", "who"),
                    _ => lang.pick("类型", "kind"),
                };
                match lang {
                    Lang::ZhCn => format!("措施“{what}”的{part}"),
                    Lang::En => format!("{part} of “{what}”"),
                }
            }
            (Some("needs"), ..) => lang.pick("发现的需求", "Needs found").to_owned(),
            (Some("needs_note"), ..) => lang.pick("需求说明", "About the needs").to_owned(),
            (Some("actions"), ..) => lang.pick("帮扶措施", "Actions").to_owned(),
            (Some("closed"), ..) => lang.pick("结案原因", "Why the case is closed").to_owned(),
            _ => field.to_owned(),
        }
    }
}

impl ActionStatus {
    /// The status whose [`code`](ActionStatus::code) is `code`.
    pub fn from_code(code: &str) -> Option<ActionStatus> {
        ActionStatus::ALL.into_iter().find(|status| status.code() == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339("2026-11-20T09:00:00+08:00").unwrap()
    }

    #[test]
    fn a_new_plan_saves_as_revision_one_and_a_held_one_as_its_next() {
        let mut draft = CasePlan::new(Uuid::from_u128(1), Uuid::from_u128(2), now() - Duration::hours(1));
        draft.needs.push("living".into());
        let first = saved(None, draft.clone(), PlanSave::Keep, now());
        assert_eq!((first.revision, first.updated_at, first.approved_at), (1, now(), None));
        let approved = saved(Some(&first), first.clone(), PlanSave::Approve, now());
        assert_eq!((approved.revision, approved.approved_at), (2, Some(now())));
        let close = PlanSave::Close { reason: "placed".into(), note: " 已由姑姑照料 ".into() };
        let closed = saved(Some(&approved), approved.clone(), close, now());
        assert_eq!(closed.revision, 3);
        assert_eq!(closed.approved_at, Some(now()), "closing as approved keeps the approval");
        assert_eq!(closed.closed.as_ref().map(|c| c.note.as_str()), Some("已由姑姑照料"));
    }

    #[test]
    fn a_new_action_is_due_by_the_review_or_in_two_weeks_at_the_day_s_end() {
        let plan = CasePlan::new(Uuid::from_u128(1), Uuid::from_u128(2), now());
        let added = plan.with_action("dibao", Uuid::from_u128(9), now());
        assert_eq!(added.actions[0].due.to_rfc3339(), "2026-12-04T23:59:00+08:00");
        assert_eq!(added.actions[0].status, ActionStatus::Planned);
        let soon = CasePlan { review_date: NaiveDate::from_ymd_opt(2026, 11, 25), ..plan };
        let due = soon.with_action("school_aid", Uuid::from_u128(9), now()).actions[0].due;
        assert_eq!(due.date_naive(), NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(), "the review comes sooner");
        assert_eq!(ActionStatus::from_code("granted"), Some(ActionStatus::Granted));
        assert_eq!(ActionStatus::from_code("maybe"), None);
    }

    #[test]
    fn a_problem_s_field_is_named_for_people() {
        let plan =
            CasePlan::new(Uuid::from_u128(1), Uuid::from_u128(2), now()).with_action("other", Uuid::nil(), now());
        assert_eq!(plan.field_label("actions.0.note", Lang::ZhCn), "措施“其他”的说明");
        assert_eq!(plan.field_label("actions.0.note", Lang::En), "note of “Other”");
        assert_eq!(plan.field_label("needs", Lang::ZhCn), "发现的需求");
        assert_eq!(plan.field_label("closed.note", Lang::ZhCn), "结案原因");
    }
}
