//! A case plan (帮扶计划) on the field app, at `/plans/:id`: the plan the phone holds, or a
//! new one for `?child=<id>` (with `&visit=<id>`, the follow-up of that visit's mandatory
//! report, with its fixed first steps due from now). Saving keeps it on the phone and queues
//! it, then goes back to the child's page.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params, use_query};
use tongxing_core::case_plan::CasePlan;
use tongxing_core::outbox::Clock;
use uuid::Uuid;

use crate::components::{CasePlanEditor, Loading};
use crate::context::{use_lang, Db};
use crate::ids::new_uuid;
use crate::route_params::AddressIds;
use crate::storage::StorageError;
use crate::sync::{BrowserClock, SyncDriver};

/// What the page opens.
#[derive(Debug, Clone)]
enum Opened {
    /// A plan and the revision held of it (`None`: new).
    Plan(Box<(CasePlan, Option<CasePlan>)>),
    NotFound,
    Failed(StorageError),
}

/// The screen at `/plans/:id`.
#[component]
pub fn CasePlanPage() -> impl IntoView {
    let lang = use_lang();
    let db = expect_context::<Db>();
    let params = use_params::<AddressIds>();
    let query = use_query::<AddressIds>();
    let loaded = LocalResource::new(move || {
        let db = db.get();
        let id = params.get().ok().and_then(|p| p.id);
        let (child, visit) = query.get().ok().map_or((None, None), |q| (q.child, q.visit));
        async move { open(&db, id, child, visit).await }
    });
    view! {
        <article class="page case-plan-page" data-testid="case-plan-page">
            {move || match loaded.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Opened::Plan(opened)) => {
                    let (plan, held) = *opened;
                    view! { <PlanScreen plan held /> }.into_any()
                }
                Some(Opened::NotFound) => view! { <crate::pages::NotFoundPage home="/" /> }.into_any(),
                Some(Opened::Failed(error)) => {
                    view! { <p class="error" role="alert">{move || error.message(lang.get())}</p> }.into_any()
                }
            }}
        </article>
    }
}

async fn open(db: &crate::storage::Database, id: Option<Uuid>, child: Option<Uuid>, visit: Option<Uuid>) -> Opened {
    let Some(id) = id else { return Opened::NotFound };
    match db.case_plan(id).await {
        Ok(Some(plan)) => Opened::Plan(Box::new((plan.clone(), Some(plan)))),
        Ok(None) => {
            let Some(child) = child else { return Opened::NotFound };
            let now = BrowserClock::local_now();
            let plan = match visit {
                Some(visit) => CasePlan::for_report(id, child, visit, now, new_uuid),
                None => CasePlan::new(id, child, now),
            };
            Opened::Plan(Box::new((plan, None)))
        }
        Err(error) => Opened::Failed(error),
    }
}

#[component]
fn PlanScreen(plan: CasePlan, held: Option<CasePlan>) -> impl IntoView {
    let lang = use_lang();
    let db = expect_context::<Db>();
    let sync = expect_context::<SyncDriver>();
    let navigate = use_navigate();
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let child = plan.child_id;
    let on_save = Callback::new(move |next: CasePlan| {
        let (db, navigate) = (db.get(), navigate.clone());
        busy.set(true);
        leptos::task::spawn_local(async move {
            match db.save_case_plan(&next, BrowserClock.now()).await {
                Ok(_) => {
                    sync.saved();
                    navigate(&format!("/children/{child}"), Default::default());
                }
                Err(error) => problem.set(Some(error.message(lang.get_untracked()))),
            }
            busy.try_set(false);
        });
    });
    view! {
        <a class="back-link" href=format!("/children/{child}") data-testid="plan-back">{move || lang.get().pick("← 返回儿童档案", "← Back to the child")}</a>
        <CasePlanEditor plan held approver=false on_save problem busy />
    }
}
