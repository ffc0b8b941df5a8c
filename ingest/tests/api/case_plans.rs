//! Case plans (`PUT /api/v1/case-plans/{id}`) on a real port: a director drafts a plan and a
//! report's follow-up; only the township's supervisor approves (a forged approval is
//! refused, another township's supervisor is out of scope); the village's phones receive
//! them; the supervisor's "today" shows the report's follow-up, the actions past due and the
//! plans waiting for her, from hand-built figures; the plans export as a sheet of their own;
//! closing needs a reason. Every stored revision is audited.

use crate::common;

use chrono::{DateTime, Duration, FixedOffset, Utc};
use common::{child, expect_error, spawn_app, visit};
use reqwest::{Client, StatusCode};
use tongxing_core::case_plan::{ActionStatus, CaseAction, CasePlan, PlanState};
use tongxing_core::form::AnswerValue;
use tongxing_core::wire::{ChangesPage, ChildFile, PutReply, PutStatus, TownshipToday};
use tongxing_core::worker::{Place, Role};
use tongxing_core::{FieldError, Visit};
use tongxing_ingest::store::audit;
use uuid::Uuid;

fn place(township: &str, village: &str) -> Place {
    Place { township: township.into(), village: village.into() }
}

fn now() -> DateTime<FixedOffset> {
    Utc::now().fixed_offset()
}

async fn put(app: &common::TestApp, client: &Client, plan: &CasePlan) -> reqwest::Response {
    client.put(app.api(&format!("/case-plans/{}", plan.id))).json(plan).send().await.expect("sent")
}

async fn stored(app: &common::TestApp, client: &Client, plan: &CasePlan) -> PutReply {
    let response = put(app, client, plan).await;
    assert!(response.status().is_success(), "{}", response.status());
    response.json().await.expect("a reply")
}

fn harm_visit(child: Uuid) -> Visit {
    let mut v = Visit { child_id: child, ..visit() };
    let text = |t: &str| AnswerValue::Text(t.to_owned());
    let date = v.visit_date().expect("a date").to_string();
    v.answers.set("risk_colour", text("red"));
    v.answers.set("risk_colour_reason", text("发现伤害"));
    v.answers.set("harm_signs", AnswerValue::Bool(true));
    v.answers.set("harm_details", text("手臂有多处淤青"));
    v.answers.set("mandatory_report_made", AnswerValue::Bool(true));
    v.answers.set("mandatory_report_date", text(&date));
    v.answers.set("mandatory_report_to", text("城关派出所"));
    v
}

fn action(kind: &str, due: DateTime<FixedOffset>) -> CaseAction {
    CaseAction {
        id: Uuid::new_v4(),
        kind: kind.into(),
        note: String::new(),
        by_whom: "村儿童主任".into(),
        due,
        status: ActionStatus::Planned,
    }
}

#[tokio::test]
async fn a_plan_is_drafted_approved_followed_and_closed_and_her_today_shows_what_waits() {
    let app = spawn_app().await;
    let here = app.director.place.clone();
    let (supervisor, _) = app.enroll_as(Role::Supervisor, place(&here.township, ""), "王督导").await;
    let (elsewhere, _) = app.enroll_as(Role::Supervisor, place("柳林镇", ""), "周督导").await;
    let (phone, _) = app.enroll_as(Role::Director, here.clone(), "李副主任").await;

    let girl = child();
    assert!(app.put_child(&girl).await.status().is_success());
    let reported = harm_visit(girl.id);
    assert!(app.put_visit(&reported).await.status().is_success());

    // The director drafts a plan with one action past due and one ahead, and starts the
    // report's follow-up 30 hours ago (its first step done, three past their hours).
    let mut plan = CasePlan::new(Uuid::new_v4(), girl.id, now());
    plan.needs = vec!["living".into(), "study".into()];
    plan.actions = vec![action("dibao", now() - Duration::days(2)), action("school_aid", now() + Duration::days(10))];
    let reply = stored(&app, &app.client, &plan).await;
    assert_eq!((reply.status, reply.revision), (PutStatus::Created, 1));
    let mut follow_up =
        CasePlan::for_report(Uuid::new_v4(), girl.id, reported.id, now() - Duration::hours(30), Uuid::new_v4);
    follow_up.actions[0].status = ActionStatus::Done;
    assert_eq!(stored(&app, &app.client, &follow_up).await.status, PutStatus::Created);

    // A director cannot approve; a plan without needs says so.
    let forged = CasePlan { approved_at: Some(now()), revision: 2, ..plan.clone() };
    let refused =
        expect_error(put(&app, &app.client, &forged).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid").await;
    assert_eq!(refused.fields.get("approved_at"), Some(&FieldError::Unexpected));
    let empty = CasePlan { needs: vec![], ..CasePlan::new(Uuid::new_v4(), girl.id, now()) };
    let refused = expect_error(put(&app, &app.client, &empty).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid").await;
    assert_eq!(refused.fields.get("needs"), Some(&FieldError::Required));

    // Her today: the report open with 1 of 4 steps done and 3 past; the plan's first action
    // and the report's three steps past due; both plans waiting for her.
    let today: TownshipToday =
        supervisor.get(app.api("/today")).send().await.expect("sent").json().await.expect("today");
    assert_eq!(today.reports.len(), 1);
    let report = &today.reports[0].follow_up;
    assert_eq!(
        (report.plan_id, report.steps_done, report.steps, report.steps_overdue, report.outcome.as_deref()),
        (Some(follow_up.id), 1, 4, 3, None)
    );
    let mut past_due: Vec<&str> = today.actions_past_due.iter().map(|a| a.kind.as_str()).collect();
    past_due.sort_unstable();
    assert_eq!(past_due, ["county_notified", "dibao", "guardian_contacted", "police_receipt"]);
    assert!(today.actions_past_due.iter().all(|a| a.name.as_deref() == Some(girl.name.as_str())));
    let waiting: Vec<Uuid> = today.plans_waiting.iter().map(|p| p.plan_id).collect();
    assert_eq!(waiting.len(), 2);
    assert!(waiting.contains(&plan.id) && waiting.contains(&follow_up.id));

    // Another township's supervisor may not touch it; hers approves it.
    let approved = plan.approved(plan.clone(), now());
    expect_error(put(&app, &elsewhere, &approved).await, StatusCode::FORBIDDEN, "out_of_scope").await;
    let reply = stored(&app, &supervisor, &approved).await;
    assert_eq!((reply.status, reply.revision), (PutStatus::Updated, 2));

    // The village's other phone receives both, the plan approved; the child's file has them.
    let page: ChangesPage =
        phone.get(app.api("/changes?after=0")).send().await.expect("sent").json().await.expect("page");
    let received: Vec<(Uuid, PlanState)> = page.case_plans.iter().map(|p| (p.id, p.state())).collect();
    assert_eq!(received.len(), 2);
    assert!(
        received.contains(&(plan.id, PlanState::Approved)) && received.contains(&(follow_up.id, PlanState::Waiting))
    );
    let file: ChildFile = supervisor
        .get(app.api(&format!("/children/{}", girl.id)))
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("file");
    assert_eq!(file.case_plans.len(), 2);

    // The director marks the action done, keeping the approval; then closes the case with a reason.
    let mut progress = approved.clone();
    progress.actions[0].status = ActionStatus::Done;
    let progress = approved.saved_by_worker(progress, now());
    assert_eq!(progress.approved_at, approved.approved_at);
    assert_eq!(stored(&app, &app.client, &progress).await.status, PutStatus::Updated);
    let closed = progress.closed("risk_resolved", "", now());
    assert_eq!(stored(&app, &app.client, &closed).await.revision, 4);
    let report_closed = follow_up.closed("police_case", "已立案", now());
    assert_eq!(stored(&app, &app.client, &report_closed).await.status, PutStatus::Updated);
    let today: TownshipToday =
        supervisor.get(app.api("/today")).send().await.expect("sent").json().await.expect("today");
    assert!(today.actions_past_due.is_empty(), "{:?}", today.actions_past_due);
    assert_eq!(today.reports[0].follow_up.outcome.as_deref(), Some("police_case"), "a recent report, closed");
    assert!(today.plans_waiting.is_empty());

    // The plans as a sheet of their own, and in codes; audited.
    let sheet = supervisor.get(app.api("/exports/case-plans?format=csv")).send().await.expect("sent");
    assert_eq!(sheet.status(), StatusCode::OK);
    let text = sheet.text().await.expect("csv");
    assert!(text.contains("计划编号") && text.contains("已结案") && text.contains("申请低保"), "{text}");
    assert_eq!(csv::Reader::from_reader(text.as_bytes()).records().count(), 2, "one row per plan: {text}");
    let json = supervisor.get(app.api("/exports/case-plans?format=json")).send().await.expect("sent");
    let plans: Vec<CasePlan> = json.json().await.expect("the plans as sent");
    assert_eq!(plans.len(), 2);
    assert!(plans.contains(&closed) && plans.contains(&report_closed));
    let theirs = elsewhere.get(app.api("/exports/case-plans?format=csv")).send().await.expect("sent");
    let theirs = theirs.text().await.expect("csv");
    assert_eq!(csv::Reader::from_reader(theirs.as_bytes()).records().count(), 0, "another township's: none");

    let entries = audit::entries(&app.pool().await).await.expect("audit");
    assert_eq!(entries.iter().filter(|e| e.action == audit::STORE_CASE_PLAN).count(), 6);
    assert!(entries.iter().any(|e| e.action == audit::EXPORT_CASE_PLANS));
}
