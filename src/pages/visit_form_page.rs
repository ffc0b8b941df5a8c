//! Recording a visit: which child, then the visit's form, rendered from its definition.
//! Every change is kept on the phone at once; "Save" checks the whole form, stores the visit
//! and queues it for sending.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params, use_query};
use tongxing_core::form::{AnswerValue, FormCatalog, FormDefinition};
use tongxing_core::schedule::{Cadence, VisitSummary};
use tongxing_core::visit::Visit;
use tongxing_core::{FieldError, FieldErrors, VisitDraft};
use uuid::Uuid;

use crate::components::{
    colour_badge, first_error_target, report_incomplete, scroll_to_later, section_dom_id, DiscardDraftButton,
    ErrorSummary, FormRenderer, Loading, MandatoryReportPrompt, VisitChildChoice, MANDATORY_REPORT_SECTION,
};
use crate::context::{use_lang, Db};
use crate::route_params::AddressIds;
use crate::screen_state::{open_visit, read_from_server, OpenedVisit};
use crate::storage::StorageError;
use crate::sync::{BrowserClock, SyncDriver};

/// The visit screen at `/visits/:id`; `?child=<uuid>` names the child of a new visit (the
/// add-child screen comes back with it).
#[component]
pub fn VisitFormPage() -> impl IntoView {
    let lang = use_lang();
    let db = expect_context::<Db>();
    let params = use_params::<AddressIds>();
    let id = move || params.get().ok().and_then(|p| p.id);
    let loaded = LocalResource::new(move || {
        let (id, db) = (id(), db.get());
        async move {
            match id {
                Some(id) => open_visit(&db, id).await,
                None => OpenedVisit::NotFound,
            }
        }
    });

    view! {
        <Suspense fallback=move || view! { <Loading /> }>
            {move || {
                loaded
                    .get()
                    .map(|opened| match opened {
                        OpenedVisit::Draft(draft, form) => view! { <VisitForm draft form /> }.into_any(),
                        OpenedVisit::OnServer(summary) => view! { <VisitOnServer summary /> }.into_any(),
                        OpenedVisit::NotFound => view! { <crate::pages::NotFoundPage home="/" /> }.into_any(),
                        OpenedVisit::UnknownForm => {
                            view! {
                                <p class="error" role="alert" data-testid="unknown-form">
                                    {move || FieldError::UnknownForm.message(lang.get())}
                                </p>
                            }
                            .into_any()
                        }
                        OpenedVisit::Failed(error) => {
                            view! { <p class="error" role="alert">{move || error.message(lang.get())}</p> }.into_any()
                        }
                    })
            }}
        </Suspense>
    }
}

/// A visit recorded on another phone: its answers read from the server, then the form;
/// until then (offline, or the server could not give it) its date and colour, why, and
/// "try again".
#[component]
fn VisitOnServer(summary: VisitSummary) -> impl IntoView {
    let lang = use_lang();
    let attempt = RwSignal::new(0u32);
    let id = summary.visit_id;
    let read = LocalResource::new(move || {
        attempt.track();
        read_from_server(id)
    });
    let facts = move || {
        let date = summary.visit_date.map(|d| d.to_string()).unwrap_or_default();
        view! {
            <p class="visit-on-server" data-testid="visit-on-server">
                {date}
                " "
                {colour_badge(summary.risk_colour, lang.get())}
            </p>
        }
    };
    view! {
        <Suspense fallback=move || view! { <Loading /> }>
            {move || {
                read.get()
                    .map(|opened| match opened {
                        Ok(OpenedVisit::Draft(draft, form)) => view! { <VisitForm draft form /> }.into_any(),
                        Ok(_) => view! {
                            <p class="error" role="alert" data-testid="unknown-form">{move || FieldError::UnknownForm.message(lang.get())}</p>
                        }.into_any(),
                        Err(problem) => view! {
                            <section class="page">
                                {facts()}
                                <p class="error" role="alert" data-testid="visit-read-problem" data-problem=problem.code()>
                                    {move || problem.message(lang.get())}
                                </p>
                                <button type="button" class="secondary" data-testid="visit-read-again" on:click=move |_| attempt.update(|n| *n += 1)>
                                    {move || lang.get().pick("再试一次", "Try again")}
                                </button>
                            </section>
                        }.into_any(),
                    })
            }}
        </Suspense>
    }
}

#[component]
fn VisitForm(draft: VisitDraft, form: &'static FormDefinition) -> impl IntoView {
    let lang = use_lang();
    let db = expect_context::<Db>();
    let is_revision = draft.saved_revision > 0;
    let visit_id = draft.id;
    let opened_at = BrowserClock::local_now();
    let initial_errors = draft.to_visit(FormCatalog::builtin(), opened_at.date_naive(), opened_at).err();
    let report_open = RwSignal::new(
        draft.needs_mandatory_report() && initial_errors.as_ref().is_some_and(|e| report_incomplete(form, e)),
    );
    let draft = RwSignal::new(draft);
    let attempted = RwSignal::new(false);
    let storage_problem = RwSignal::new(None::<StorageError>);
    let picking = RwSignal::new(false);
    let cadence = Cadence::standard();

    // Every change is written to the phone at once; transactions on one store apply in order.
    let autosave = move || {
        let (db, snapshot) = (db.get(), draft.get_untracked());
        leptos::task::spawn_local(async move {
            storage_problem.set(db.put_draft(&snapshot).await.err());
        });
    };
    let on_answer = Callback::new(move |(field, value): (String, AnswerValue)| {
        let now = BrowserClock::local_now();
        draft.update(|d| d.answer(&field, value, &cadence, now));
        autosave();
    });
    let choose_child = Callback::new(move |child: Uuid| {
        draft.update(|d| {
            d.child_id = Some(child);
            d.edited_at = BrowserClock::local_now();
        });
        picking.set(false);
        autosave();
    });
    take_child_from_address(draft, choose_child, storage_problem);

    // One copy per change, which every field's own memo then reads by reference.
    let answers = Memo::new(move |_| draft.with(|d| d.answers.clone()));
    let errors = Memo::new(move |_| {
        if !attempted.get() {
            return FieldErrors::new();
        }
        let now = BrowserClock::local_now();
        draft.with(|d| d.to_visit(FormCatalog::builtin(), now.date_naive(), now).err().unwrap_or_default())
    });
    let needs_report = Signal::derive(move || draft.with(VisitDraft::needs_mandatory_report));

    let saving = RwSignal::new(false);
    let store = store_visit(saving, storage_problem);
    let save = move |_| {
        let now = BrowserClock::local_now();
        match draft.with_untracked(|d| d.to_visit(FormCatalog::builtin(), now.date_naive(), now)) {
            Ok(visit) => {
                store(visit, now.with_timezone(&Utc));
            }
            Err(found) => {
                attempted.set(true);
                if needs_report.get_untracked() && report_incomplete(form, &found) {
                    report_open.set(true);
                } else {
                    scroll_to_later(first_error_target(form, &found));
                }
            }
        }
    };

    let child_id = Memo::new(move |_| draft.with(|d| d.child_id));
    let child_error = Signal::derive(move || errors.with(|e| e.get("child_id").map(|err| err.message(lang.get()))));
    let renderer_form = Arc::new(form.clone());

    view! {
        <form class="page visit-form" data-testid="visit-form" on:submit=|ev| ev.prevent_default()>
            <h1>
                {move || if is_revision { lang.get().pick("修改走访记录", "Edit visit") } else { lang.get().pick("新建走访记录", "New visit") }}
                <span class="form-title">{move || form.title.get(lang.get()).to_owned()}</span>
            </h1>
            <ErrorSummary errors form />
            <VisitChildChoice visit_id child_id picking on_choose=choose_child error=child_error />
            <FormRenderer form=renderer_form answers=answers on_answer errors />
            {move || storage_problem.get().map(|p| view! { <p class="error" role="alert" data-testid="storage-problem">{p.message(lang.get())}</p> })}
            <p class="autosave-note">{move || lang.get().pick("填写内容会自动保存在手机上。", "What you type is kept on this phone as you go.")}</p>
            <button type="button" class="primary big" data-testid="save-visit" disabled=move || saving.get() on:click=save>
                {move || lang.get().pick("保存并上传", "Save and send")}
            </button>
            <DiscardDraftButton visit_id is_revision storage_problem />
            <MandatoryReportPrompt
                needed=needs_report
                open=report_open
                on_ack=Callback::new(move |()| scroll_to_later(section_dom_id(MANDATORY_REPORT_SECTION)))
            />
        </form>
    }
}

/// Stores a visit and queues it (`saving` meanwhile), then goes to the child's page; a
/// storage failure goes to `storage_problem`. (A flag rather than an `Action`: one more
/// generic type costs the app's size more than it saves in reading.)
fn store_visit(
    saving: RwSignal<bool>,
    storage_problem: RwSignal<Option<StorageError>>,
) -> impl Fn(Visit, DateTime<Utc>) + Clone {
    let db = expect_context::<Db>();
    let sync = expect_context::<SyncDriver>();
    let navigate = use_navigate();
    move |visit: Visit, now: DateTime<Utc>| {
        saving.set(true);
        let (db, navigate) = (db.get(), navigate.clone());
        leptos::task::spawn_local(async move {
            match db.save_visit(&visit, now).await {
                Ok(_) => {
                    sync.saved();
                    navigate(&format!("/children/{}", visit.child_id), Default::default());
                }
                Err(problem) => {
                    storage_problem.set(Some(problem));
                    saving.set(false);
                }
            }
        });
    }
}

/// Back from adding a child (`?child=<id>`): a visit without a child takes it, once the
/// phone is seen to hold that child's file.
fn take_child_from_address(
    draft: RwSignal<VisitDraft>,
    choose_child: Callback<Uuid>,
    storage_problem: RwSignal<Option<StorageError>>,
) {
    let db = expect_context::<Db>();
    let query = use_query::<AddressIds>();
    Effect::new(move |_| {
        let Some(child) = query.get().ok().and_then(|q| q.child) else { return };
        if draft.with_untracked(|d| d.child_id.is_some()) {
            return;
        }
        let db = db.get();
        leptos::task::spawn_local(async move {
            match db.has_child(child).await {
                Ok(true) if draft.with_untracked(|d| d.child_id.is_none()) => choose_child.run(child),
                Ok(_) => {}
                Err(problem) => storage_problem.set(Some(problem)),
            }
        });
    });
}
