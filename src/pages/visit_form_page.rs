//! Recording a visit: which child, then the visit's form, rendered from its definition.
//! Every change is kept on the phone at once; "Save" checks the whole form, stores the visit
//! and queues it for sending.

use std::sync::Arc;

use chrono::Utc;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params, use_query};
use tongxing_core::child::Child;
use tongxing_core::form::{AnswerValue, FormCatalog, FormDefinition};
use tongxing_core::schedule::Cadence;
use tongxing_core::{FieldError, FieldErrors, Lang, VisitDraft};
use uuid::Uuid;

use crate::context::{use_lang, Db};
use crate::components::fields::dom_id;
use crate::components::{section_dom_id, ChildPicker, FormRenderer, Loading, MandatoryReportPrompt};
use crate::route_params::{RecordId, VisitChild};
use crate::storage::{Database, StorageError};
use crate::sync::{BrowserClock, SyncDriver};

/// The section of the home-visit form that records the mandatory report.
const MANDATORY_REPORT_SECTION: &str = "mandatory_report";
/// Where an error about the child (none chosen) takes the worker.
const CHILD_HEADER_ID: &str = "visit-child";
/// How many errors the summary lists by name; the rest are counted.
const SUMMARY_ITEMS: usize = 5;
/// Where an error that belongs to no field takes the worker.
const ERROR_SUMMARY_ID: &str = "form-errors";

/// The visit screen at `/visits/:id`; `?child=<uuid>` names the child of a new visit (the
/// add-child screen comes back with it).
#[component]
pub fn VisitFormPage() -> impl IntoView {
    let lang = use_lang();
    let db = expect_context::<Db>();
    let params = use_params::<RecordId>();
    let id = move || params.get().ok().and_then(|p| p.id);
    let loaded = LocalResource::new(move || {
        let (id, db) = (id(), db.get());
        async move {
            match id {
                Some(id) => open_draft(&db, id).await,
                None => Opened::NotFound,
            }
        }
    });

    view! {
        <Suspense fallback=move || view! { <Loading /> }>
            {move || {
                loaded
                    .get()
                    .map(|opened| match opened {
                        Opened::Draft(draft, form) => view! { <VisitForm draft form /> }.into_any(),
                        Opened::NotFound => view! { <crate::pages::NotFoundPage /> }.into_any(),
                        Opened::UnknownForm => {
                            view! {
                                <p class="error" role="alert" data-testid="unknown-form">
                                    {move || FieldError::UnknownForm.message(lang.get())}
                                </p>
                            }
                            .into_any()
                        }
                        Opened::Failed(error) => {
                            view! { <p class="error" role="alert">{move || error.message(lang.get())}</p> }.into_any()
                        }
                    })
            }}
        </Suspense>
    }
}

/// What opening a visit found.
#[derive(Clone)]
enum Opened {
    /// The draft to edit and the form version it answers.
    Draft(VisitDraft, &'static FormDefinition),
    /// No visit id in the address.
    NotFound,
    /// The draft names a form version this build does not have.
    UnknownForm,
    /// Storage could not be read.
    Failed(StorageError),
}

/// The open draft of a visit, else a draft of its saved revision, else a new draft of the
/// newest home-visit form; with the form version it answers, looked up by id and version so
/// that a visit begun under an older version opens and saves under it.
async fn open_draft(db: &Database, id: Uuid) -> Opened {
    let catalog = FormCatalog::builtin();
    let draft = match db.draft(id).await {
        Ok(Some(draft)) => draft,
        Ok(None) => match db.visit(id).await {
            Ok(Some(visit)) => VisitDraft::from_visit(&visit, &Cadence::standard()),
            Ok(None) => {
                let Some(form) = catalog.home_visit() else { return Opened::UnknownForm };
                let now = BrowserClock::local_now();
                VisitDraft::new(id, None, form, now.date_naive(), now)
            }
            Err(error) => return Opened::Failed(error),
        },
        Err(error) => return Opened::Failed(error),
    };
    match catalog.get(&draft.form_id, draft.form_version) {
        Some(form) => Opened::Draft(draft, form),
        None => Opened::UnknownForm,
    }
}

#[component]
fn VisitForm(draft: VisitDraft, form: &'static FormDefinition) -> impl IntoView {
    let lang = use_lang();
    let db = expect_context::<Db>();
    let sync = expect_context::<SyncDriver>();
    let navigate = use_navigate();
    let navigate_after_discard = navigate.clone();
    let query = use_query::<VisitChild>();
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
    let saving = RwSignal::new(false);
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

    // Back from adding a child (`?child=<id>`): a visit without a child takes it, once the
    // phone is seen to hold that child's file.
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

    let save = move |_| {
        let now = BrowserClock::local_now();
        let visit = match draft.with_untracked(|d| d.to_visit(FormCatalog::builtin(), now.date_naive(), now)) {
            Ok(visit) => visit,
            Err(found) => {
                attempted.set(true);
                if needs_report.get_untracked() && report_incomplete(form, &found) {
                    report_open.set(true);
                } else {
                    scroll_to_later(first_error_target(form, &found));
                }
                return;
            }
        };
        saving.set(true);
        let (db, navigate) = (db.get(), navigate.clone());
        leptos::task::spawn_local(async move {
            match db.save_visit(&visit, now.with_timezone(&Utc)).await {
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
    };

    let discard = move |_| {
        let question = if is_revision {
            lang.get_untracked().pick("放弃这次的修改？已保存的记录不受影响。", "Discard these changes? The saved visit stays as it was.")
        } else {
            lang.get_untracked().pick("放弃这份草稿？填写的内容将被删除。", "Discard this draft? What you typed will be deleted.")
        };
        if !window().confirm_with_message(question).unwrap_or(false) {
            return;
        }
        let (db, navigate) = (db.get(), navigate_after_discard.clone());
        leptos::task::spawn_local(async move {
            match db.discard_draft(visit_id).await {
                Ok(()) => {
                    sync.saved();
                    navigate("/", Default::default());
                }
                Err(problem) => storage_problem.set(Some(problem)),
            }
        });
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
            <section class="visit-child" id=CHILD_HEADER_ID class:has-error=move || child_error.with(Option::is_some)>
                {move || match (child_id.get(), picking.get()) {
                    (Some(child), false) => view! { <ChildHeader child_id=child on_change=Callback::new(move |()| picking.set(true)) /> }.into_any(),
                    (current, _) => view! { <ChildChooser visit_id current on_choose=choose_child on_cancel=Callback::new(move |()| picking.set(false)) /> }.into_any(),
                }}
                {move || child_error.get().map(|text| view! { <p class="field-error" role="alert" data-testid="error-child_id">{text}</p> })}
            </section>
            <FormRenderer form=renderer_form answers=answers on_answer errors />
            {move || storage_problem.get().map(|p| view! { <p class="error" role="alert" data-testid="storage-problem">{p.message(lang.get())}</p> })}
            <p class="autosave-note">{move || lang.get().pick("填写内容会自动保存在手机上。", "What you type is kept on this phone as you go.")}</p>
            <button type="button" class="primary big" data-testid="save-visit" disabled=move || saving.get() on:click=save>
                {move || lang.get().pick("保存并上传", "Save and send")}
            </button>
            <button type="button" class="secondary" data-testid="discard-draft" on:click=discard>
                {move || if is_revision { lang.get().pick("放弃修改", "Discard changes") } else { lang.get().pick("放弃草稿", "Discard draft") }}
            </button>
            <MandatoryReportPrompt
                needed=needs_report
                open=report_open
                on_ack=Callback::new(move |()| scroll_to_later(section_dom_id(MANDATORY_REPORT_SECTION)))
            />
        </form>
    }
}

/// The child the visit is about: their name, and a way to choose another.
#[component]
fn ChildHeader(child_id: Uuid, on_change: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let db = expect_context::<Db>();
    let child = LocalResource::new(move || {
        let db = db.get();
        async move { db.child(child_id).await }
    });
    let name = move || {
        child.get().map(|found| match found {
            Ok(Some(child)) => child.name,
            Ok(None) => lang.get().pick("（本机没有这个儿童的档案）", "(this child's file is not on this phone)").to_owned(),
            Err(error) => error.message(lang.get()),
        })
    };
    view! {
        <p class="visit-child-line">
            <span class="visit-child-label">{move || lang.get().pick("走访儿童：", "Child: ")}</span>
            <A href=format!("/children/{child_id}") attr:class="visit-child-name" attr:data-testid="visit-child-name">
                <Suspense fallback=|| "…">{name}</Suspense>
            </A>
            <button type="button" class="change-child" data-testid="change-child" on:click=move |_| on_change.run(())>
                {move || lang.get().pick("更换", "Change")}
            </button>
        </p>
    }
}

/// The list of children to choose from, loaded when it is shown.
#[component]
fn ChildChooser(visit_id: Uuid, current: Option<Uuid>, on_choose: Callback<Uuid>, on_cancel: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let db = expect_context::<Db>();
    let children = LocalResource::new(move || {
        let db = db.get();
        async move { db.children().await }
    });
    view! {
        <Suspense fallback=move || view! { <Loading /> }>
            {move || {
                children
                    .get()
                    .map(|found: Result<Vec<Child>, StorageError>| match found {
                        Ok(children) => view! { <ChildPicker children visit_id on_choose /> }.into_any(),
                        Err(error) => view! { <p class="error" role="alert">{move || error.message(lang.get())}</p> }.into_any(),
                    })
            }}
        </Suspense>
        {current.map(|_| {
            view! {
                <button type="button" class="secondary" data-testid="keep-child" on:click=move |_| on_cancel.run(())>
                    {move || lang.get().pick("不更换", "Keep the child")}
                </button>
            }
        })}
    }
}

/// How many answers still need attention, each a tap away from its field.
#[component]
fn ErrorSummary(errors: Memo<FieldErrors>, form: &'static FormDefinition) -> impl IntoView {
    let lang = use_lang();
    move || {
        errors.with(|found| {
            if found.is_empty() {
                return None;
            }
            let lang = lang.get();
            let count = found.len();
            let heading = match lang {
                Lang::ZhCn => format!("还有 {count} 项需要填写或更正"),
                Lang::En if count == 1 => "1 answer needs attention".to_owned(),
                Lang::En => format!("{count} answers need attention"),
            };
            let separator = lang.pick("：", ": ");
            let items = ordered_errors(form, found, lang)
                .into_iter()
                .take(SUMMARY_ITEMS)
                .map(|(target, label, message)| {
                    view! {
                        <li>
                            <button type="button" class="error-link" on:click=move |_| scroll_to_later(target.clone())>
                                <strong>{label}</strong>
                                {separator}
                                {message}
                            </button>
                        </li>
                    }
                })
                .collect_view();
            let more = (count > SUMMARY_ITEMS).then(|| {
                let rest = count - SUMMARY_ITEMS;
                let text = match lang {
                    Lang::ZhCn => format!("……另有 {rest} 项，已在下方标出"),
                    Lang::En => format!("… and {rest} more, marked below"),
                };
                view! { <p class="form-errors-more">{text}</p> }
            });
            Some(view! {
                <div class="form-errors" id=ERROR_SUMMARY_ID role="alert" data-testid="form-errors" data-count=count.to_string()>
                    <p class="form-errors-heading">{heading}</p>
                    <ul>{items}</ul>
                    {more}
                </div>
            })
        })
    }
}

/// Every error as (where to scroll, what it is about, message): the child first, then the
/// fields in form order, then anything else.
fn ordered_errors(form: &FormDefinition, errors: &FieldErrors, lang: Lang) -> Vec<(String, String, String)> {
    let mut out = Vec::with_capacity(errors.len());
    if let Some(error) = errors.get("child_id") {
        out.push((CHILD_HEADER_ID.to_owned(), lang.pick("走访儿童", "Child").to_owned(), error.message(lang)));
    }
    for field in form.fields() {
        if let Some(error) = errors.get(&field.id) {
            out.push((dom_id(&field.id), field.label.get(lang).to_owned(), form.error_message(&field.id, error, lang)));
        }
    }
    for (id, error) in errors.iter() {
        if id != "child_id" && form.field(id).is_none() {
            out.push((ERROR_SUMMARY_ID.to_owned(), id.to_owned(), error.message(lang)));
        }
    }
    out
}

/// Where the first error is.
fn first_error_target(form: &FormDefinition, errors: &FieldErrors) -> String {
    if errors.get("child_id").is_some() {
        return CHILD_HEADER_ID.to_owned();
    }
    form.fields()
        .find(|f| errors.get(&f.id).is_some())
        .map_or_else(|| ERROR_SUMMARY_ID.to_owned(), |f| dom_id(&f.id))
}

/// Whether any question of the mandatory-report section is still unanswered or wrong.
fn report_incomplete(form: &FormDefinition, errors: &FieldErrors) -> bool {
    form.sections
        .iter()
        .filter(|s| s.id == MANDATORY_REPORT_SECTION)
        .flat_map(|s| s.fields.iter())
        .any(|f| errors.get(&f.id).is_some())
}

/// Scrolls the element with DOM id `id` (a field's whole frame, label included, when it is
/// a field's control) into view once the page has drawn what just changed.
fn scroll_to_later(id: String) {
    request_animation_frame(move || {
        if let Some(el) = document().get_element_by_id(&id) {
            let frame = el.closest(".field").ok().flatten().unwrap_or(el);
            frame.scroll_into_view();
        }
    });
}
