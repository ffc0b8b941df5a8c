use chrono::{DateTime, Duration, FixedOffset};
use uuid::Uuid;

use super::*;
use crate::schedule::VisitSummary;
use crate::RiskColour;

fn now() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-11-20T09:00:00+08:00").unwrap()
}

fn ids() -> impl FnMut() -> Uuid {
    let mut n = 100;
    move || {
        n += 1;
        Uuid::from_u128(n)
    }
}

fn action(n: u128, kind: &str, due: DateTime<FixedOffset>, status: ActionStatus) -> CaseAction {
    CaseAction {
        id: Uuid::from_u128(n),
        kind: kind.into(),
        note: String::new(),
        by_whom: "村儿童主任".into(),
        due,
        status,
    }
}

fn case_plan() -> CasePlan {
    CasePlan {
        needs: vec!["living".into(), "study".into()],
        actions: vec![action(1, "dibao", now() + Duration::days(10), ActionStatus::Planned)],
        review_date: Some(now().date_naive() + Duration::days(30)),
        ..CasePlan::new(Uuid::from_u128(7), Uuid::from_u128(8), now())
    }
}

#[test]
fn a_plan_reads_back_as_sent_and_checks() {
    let plan = case_plan();
    let json = serde_json::to_value(&plan).unwrap();
    assert_eq!(json["actions"][0]["status"], "planned");
    assert_eq!(serde_json::from_value::<CasePlan>(json).unwrap(), plan);
    assert_eq!(plan.validate_for(plan.id), Ok(()));
    assert_eq!(plan.state(), PlanState::Waiting);
}

#[test]
fn a_plan_names_its_needs_and_known_actions_and_other_says_what() {
    let mut plan = case_plan();
    plan.needs.clear();
    let errors = plan.validate_for(Uuid::nil()).unwrap_err();
    assert_eq!(errors.get("needs"), Some(&FieldError::Required));
    assert_eq!(errors.get("id"), Some(&FieldError::Mismatch));

    let mut plan = case_plan();
    plan.needs.push("flying".into());
    plan.actions.push(action(2, "teleport", now(), ActionStatus::Planned));
    plan.actions.push(action(3, OTHER_ACTION, now(), ActionStatus::Planned));
    plan.actions.push(action(3, "police_receipt", now(), ActionStatus::Planned));
    let errors = plan.validate_for(plan.id).unwrap_err();
    assert_eq!(errors.get("needs"), Some(&FieldError::NotAChoice));
    assert_eq!(errors.get("actions.1.kind"), Some(&FieldError::NotAChoice));
    assert_eq!(errors.get("actions.2.note"), Some(&FieldError::Required));
    assert_eq!(errors.get("actions.3.kind"), Some(&FieldError::NotAChoice), "a report step outside a report");
    assert_eq!(errors.get("actions.3.id"), Some(&FieldError::Unexpected), "two actions, one id");

    let mut long = case_plan();
    long.actions[0].by_whom = "人".repeat(BY_WHOM_MAX + 1);
    assert_eq!(
        long.validate_for(long.id).unwrap_err().get("actions.0.by_whom"),
        Some(&FieldError::TooLong { max: BY_WHOM_MAX })
    );
}

#[test]
fn closing_needs_a_reason_and_a_report_closes_with_an_outcome() {
    let plan = case_plan();
    let closed = plan.closed("risk_resolved", "", now());
    assert_eq!((closed.state(), closed.revision), (PlanState::Closed, 2));
    assert_eq!(closed.validate_for(closed.id), Ok(()));
    let other = plan.closed(OTHER_REASON, "  ", now());
    assert_eq!(other.validate_for(other.id).unwrap_err().get("closed.note"), Some(&FieldError::Required));
    let unknown = plan.closed("police_case", "", now());
    assert_eq!(unknown.validate_for(unknown.id).unwrap_err().get("closed.reason"), Some(&FieldError::NotAChoice));

    let report = CasePlan::for_report(Uuid::from_u128(9), Uuid::from_u128(8), Uuid::from_u128(5), now(), ids());
    assert_eq!(report.validate_for(report.id), Ok(()), "a report's follow-up needs no needs");
    assert_eq!(report.closed("police_case", "", now()).validate_for(report.id), Ok(()));
    assert!(report.closed("risk_resolved", "", now()).validate_for(report.id).is_err());
}

#[test]
fn a_report_follow_up_starts_with_its_fixed_steps_due_in_hours_and_keeps_them() {
    let report = CasePlan::for_report(Uuid::from_u128(9), Uuid::from_u128(8), Uuid::from_u128(5), now(), ids());
    let steps: Vec<(&str, i64)> =
        report.actions.iter().map(|a| (a.kind.as_str(), (a.due - now()).num_hours())).collect();
    assert_eq!(steps, [("child_safe", 4), ("police_receipt", 24), ("guardian_contacted", 24), ("county_notified", 24)]);
    let mut dropped = report.clone();
    dropped.actions.remove(1);
    assert_eq!(dropped.validate_for(dropped.id).unwrap_err().get("actions"), Some(&FieldError::Required));
}

#[test]
fn a_change_of_substance_asks_the_supervisor_again_but_marking_progress_does_not() {
    let approved = case_plan().approved(case_plan(), now());
    assert_eq!((approved.state(), approved.revision), (PlanState::Approved, 2));
    let mut progress = approved.clone();
    progress.actions[0].status = ActionStatus::Applied;
    let saved = approved.saved_by_worker(progress, now());
    assert_eq!((saved.approved_at, saved.revision), (approved.approved_at, 3));
    let mut more = approved.clone();
    more.actions.push(action(2, "school_aid", now(), ActionStatus::Planned));
    assert_eq!(approved.saved_by_worker(more, now()).approved_at, None);
}

#[test]
fn only_a_supervisor_sets_an_approval() {
    let draft = case_plan();
    let approved = draft.approved(draft.clone(), now());
    assert!(approved.approval_allowed(Some(&draft), Role::Supervisor));
    assert!(!approved.approval_allowed(Some(&draft), Role::Director), "a director cannot approve");
    assert!(!approved.approval_allowed(None, Role::Director));
    let kept = approved.saved_by_worker(approved.clone(), now());
    assert!(kept.approval_allowed(Some(&approved), Role::Director), "she keeps the approval held");
    assert!(draft.approval_allowed(Some(&approved), Role::Director), "or drops it");
}

#[test]
fn the_due_list_shows_pending_actions_of_open_plans_soonest_first() {
    let mut plan = case_plan();
    plan.actions = vec![
        action(1, "dibao", now() + Duration::days(10), ActionStatus::Planned),
        action(2, "school_aid", now() + Duration::days(3), ActionStatus::Applied),
        action(3, "medical_aid", now() - Duration::days(1), ActionStatus::Planned),
        action(4, "hukou", now() - Duration::days(2), ActionStatus::Done),
        action(5, "home_teaching", now() - Duration::days(2), ActionStatus::Refused),
    ];
    let due = actions_due(std::slice::from_ref(&plan), now(), Duration::days(DUE_SOON_DAYS));
    let lines: Vec<(u128, bool)> = due.iter().map(|d| (d.action.id.as_u128(), d.overdue)).collect();
    assert_eq!(lines, [(3, true), (2, false)]);
    assert_eq!(actions_due(&[plan.closed("placed", "", now())], now(), Duration::days(7)), []);
    let past_due = actions_due(&[plan], now(), Duration::zero());
    assert_eq!(past_due.iter().map(|d| d.action.id.as_u128()).collect::<Vec<_>>(), [3]);
}

fn visit(n: u128, day: u32, colour: Option<RiskColour>, reported: bool) -> VisitSummary {
    VisitSummary {
        visit_id: Uuid::from_u128(n),
        child_id: Uuid::from_u128(8),
        visit_date: chrono::NaiveDate::from_ymd_opt(2026, 11, day),
        risk_colour: colour,
        next_visit: None,
        mandatory_report: reported,
        revision: 1,
        updated_at: now(),
        visitor: None,
    }
}

#[test]
fn a_red_or_yellow_child_and_each_report_need_a_plan_until_one_is_made() {
    let visits = [visit(1, 2, Some(RiskColour::Green), false), visit(2, 10, Some(RiskColour::Red), true)];
    assert_eq!(plans_needed(&visits, &[]), [PlanNeeded::Case, PlanNeeded::Report { visit_id: Uuid::from_u128(2) }]);
    let report = CasePlan::for_report(Uuid::from_u128(9), Uuid::from_u128(8), Uuid::from_u128(2), now(), ids());
    assert_eq!(
        plans_needed(&visits, std::slice::from_ref(&report)),
        [PlanNeeded::Case],
        "a follow-up is not a case plan"
    );
    assert_eq!(plans_needed(&visits, &[report.clone(), case_plan()]), []);
    let closed = case_plan().closed("risk_resolved", "", now());
    assert_eq!(
        plans_needed(&visits, &[report, closed]),
        [PlanNeeded::Case],
        "a closed case does not cover a new rating"
    );
    let now_green = [visit(2, 10, Some(RiskColour::Red), false), visit(3, 15, Some(RiskColour::Green), false)];
    assert_eq!(plans_needed(&now_green, &[]), []);
}

#[test]
fn a_reports_follow_up_counts_its_steps_done_and_past_their_hours() {
    assert_eq!(report_follow_up(None, now()), ReportFollowUp { steps: 4, ..ReportFollowUp::default() });
    let mut report = CasePlan::for_report(Uuid::from_u128(9), Uuid::from_u128(8), Uuid::from_u128(2), now(), ids());
    report.actions[0].status = ActionStatus::Done;
    let later = now() + Duration::hours(6);
    let state = report_follow_up(Some(&report), later);
    assert_eq!((state.plan_id, state.steps_done, state.steps, state.steps_overdue), (Some(report.id), 1, 4, 0));
    assert!(state.is_open());
    assert_eq!(report_follow_up(Some(&report), now() + Duration::hours(25)).steps_overdue, 3);
    let closed = report.closed("no_case", "", later);
    assert_eq!(report_follow_up(Some(&closed), later).outcome.as_deref(), Some("no_case"));
}

#[test]
fn a_visit_that_found_harm_starts_its_follow_up_once() {
    let mut visit = crate::fixtures::sample_visit();
    assert_eq!(follow_up_started_by(&visit, &[], Uuid::from_u128(1), ids()), None, "no harm found");
    visit.answers.set("harm_signs", crate::form::AnswerValue::Bool(true));
    let started = follow_up_started_by(&visit, &[], Uuid::from_u128(1), ids()).expect("a follow-up");
    assert_eq!(
        (started.report_visit_id, started.child_id, started.updated_at),
        (Some(visit.id), visit.child_id, visit.updated_at)
    );
    assert_eq!(follow_up_started_by(&visit, &[started], Uuid::from_u128(2), ids()), None, "once");
}
