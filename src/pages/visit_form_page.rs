//! Recording a visit: every change is kept on the phone at once; "Save" checks the form,
//! stores the visit and queues it for sending.

use chrono::Utc;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use tongxing_core::{FieldErrors, RiskColour, VisitDraft, VisitType};
use uuid::Uuid;

use crate::app::{use_lang, Db};
use crate::components::{ChoiceButtons, FormField};
use crate::storage::{Database, StorageError};
use crate::sync::{BrowserClock, SyncDriver};

/// The visit screen at `/visits/:id`.
#[component]
pub fn VisitFormPage() -> impl IntoView {
    let lang = use_lang();
    let db = expect_context::<Db>();
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|text| Uuid::parse_str(&text).ok());
    let draft = LocalResource::new(move || {
        let (id, db) = (id(), db.get());
        async move {
            match id {
                Some(id) => open_draft(&db, id).await.map(Some),
                None => Ok(None),
            }
        }
    });

    view! {
        <Suspense fallback=move || view! { <p class="loading">{move || lang.get().pick("正在读取…", "Loading…")}</p> }>
            {move || {
                draft
                    .get()
                    .map(|loaded| match loaded {
                        Ok(Some(draft)) => view! { <VisitForm draft /> }.into_any(),
                        Ok(None) => view! { <crate::pages::NotFoundPage /> }.into_any(),
                        Err(error) => view! { <p class="error" role="alert">{move || error.message(lang.get())}</p> }.into_any(),
                    })
            }}
        </Suspense>
    }
}

/// The open draft of a visit, else a draft of its saved revision, else a new draft.
async fn open_draft(db: &Database, id: Uuid) -> Result<VisitDraft, StorageError> {
    if let Some(draft) = db.draft(id).await? {
        return Ok(draft);
    }
    if let Some(visit) = db.visit(id).await? {
        return Ok(VisitDraft::from_visit(&visit));
    }
    let now = BrowserClock::local_now();
    Ok(VisitDraft::new(id, now.date_naive(), now))
}

#[component]
fn VisitForm(draft: VisitDraft) -> impl IntoView {
    let lang = use_lang();
    let db = expect_context::<Db>();
    let sync = expect_context::<SyncDriver>();
    let navigate = use_navigate();
    let navigate_after_discard = navigate.clone();
    let is_revision = draft.saved_revision > 0;
    let draft = RwSignal::new(draft);
    let show_errors = RwSignal::new(false);
    let storage_problem = RwSignal::new(None::<StorageError>);
    let saving = RwSignal::new(false);
    let today = BrowserClock::local_now().date_naive();

    // Every change is written to the phone at once; transactions on one store apply in order.
    let edit = move |change: &dyn Fn(&mut VisitDraft)| {
        draft.update(|d| {
            change(d);
            d.edited_at = BrowserClock::local_now();
        });
        let (db, snapshot) = (db.get(), draft.get_untracked());
        leptos::task::spawn_local(async move {
            storage_problem.set(db.put_draft(&snapshot).await.err());
        });
    };
    let errors = Memo::new(move |_| {
        let now = BrowserClock::local_now();
        draft.with(|d| d.to_visit(now.date_naive(), now).err().unwrap_or_else(FieldErrors::new))
    });
    let error_of = move |field: &'static str| {
        Signal::derive(move || {
            if !show_errors.get() {
                return None;
            }
            errors.with(|e| e.get(field).map(|e| e.message(lang.get())))
        })
    };
    let label = move |zh: &'static str, en: &'static str| Signal::derive(move || lang.get().pick(zh, en).to_owned());

    let save = move |_| {
        let now = BrowserClock::local_now();
        let visit = match draft.get_untracked().to_visit(now.date_naive(), now) {
            Ok(visit) => visit,
            Err(_) => {
                show_errors.set(true);
                return;
            }
        };
        saving.set(true);
        let (db, navigate) = (db.get(), navigate.clone());
        leptos::task::spawn_local(async move {
            match db.save_visit(&visit, now.with_timezone(&Utc)).await {
                Ok(_) => {
                    sync.saved();
                    navigate("/", Default::default());
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
        let confirmed = window().confirm_with_message(question).unwrap_or(false);
        if !confirmed {
            return;
        }
        let (db, navigate, id) = (db.get(), navigate_after_discard.clone(), draft.with_untracked(|d| d.id));
        leptos::task::spawn_local(async move {
            match db.discard_draft(id).await {
                Ok(()) => {
                    sync.saved();
                    navigate("/", Default::default());
                }
                Err(problem) => storage_problem.set(Some(problem)),
            }
        });
    };

    let visit_types = Signal::derive(move || VisitType::ALL.iter().map(|t| (*t, t.label(lang.get()).to_owned())).collect());
    let colours = Signal::derive(move || {
        RiskColour::ALL.iter().map(|c| (*c, format!("{} · {}", c.label(lang.get()), c.meaning(lang.get())))).collect()
    });

    view! {
        <form class="page visit-form" data-testid="visit-form" on:submit=|ev| ev.prevent_default()>
            <h1>
                {move || if is_revision { lang.get().pick("修改走访记录", "Edit visit") } else { lang.get().pick("新建走访记录", "New visit") }}
            </h1>
            <FormField id="child_name" label=label("儿童姓名", "Child's name") error=error_of("child_name")>
                <input
                    id="child_name"
                    type="text"
                    autocomplete="off"
                    data-testid="child-name"
                    prop:value=move || draft.with(|d| d.child_name.clone())
                    on:input=move |ev| {
                        let text = event_target_value(&ev);
                        edit(&|d| d.child_name = text.clone());
                    }
                />
            </FormField>
            <FormField id="visit_date" label=label("走访日期", "Date of visit") error=error_of("visit_date")>
                <input
                    id="visit_date"
                    type="date"
                    data-testid="visit-date"
                    max=today.to_string()
                    prop:value=move || draft.with(|d| d.visit_date.clone())
                    on:input=move |ev| {
                        let text = event_target_value(&ev);
                        edit(&|d| d.visit_date = text.clone());
                    }
                />
            </FormField>
            <FormField id="visit_type" label=label("走访方式", "Kind of visit") error=error_of("visit_type")>
                <ChoiceButtons
                    name="visit_type"
                    options=visit_types
                    selected=Signal::derive(move || draft.with(|d| d.visit_type))
                    on_choose=Callback::new(move |t| edit(&|d| d.visit_type = Some(t)))
                />
            </FormField>
            <FormField id="risk_colour" label=label("风险等级", "Risk colour") error=error_of("risk_colour")>
                <ChoiceButtons
                    name="risk_colour"
                    options=colours
                    selected=Signal::derive(move || draft.with(|d| d.risk_colour))
                    on_choose=Callback::new(move |c| edit(&|d| d.risk_colour = Some(c)))
                    class_of=|c: &RiskColour| match c {
                        RiskColour::Red => "risk-red",
                        RiskColour::Yellow => "risk-yellow",
                        RiskColour::Blue => "risk-blue",
                        RiskColour::Green => "risk-green",
                    }
                />
            </FormField>
            <FormField id="notes" label=label("情况记录", "Notes") error=error_of("notes")>
                <textarea
                    id="notes"
                    rows="6"
                    data-testid="notes"
                    prop:value=move || draft.with(|d| d.notes.clone())
                    on:input=move |ev| {
                        let text = event_target_value(&ev);
                        edit(&|d| d.notes = text.clone());
                    }
                ></textarea>
            </FormField>
            {move || storage_problem.get().map(|p| view! { <p class="error" role="alert" data-testid="storage-problem">{p.message(lang.get())}</p> })}
            <p class="autosave-note">{move || lang.get().pick("填写内容会自动保存在手机上。", "What you type is kept on this phone as you go.")}</p>
            <button type="button" class="primary big" data-testid="save-visit" disabled=move || saving.get() on:click=save>
                {move || lang.get().pick("保存并上传", "Save and send")}
            </button>
            <button type="button" class="secondary" data-testid="discard-draft" on:click=discard>
                {move || if is_revision { lang.get().pick("放弃修改", "Discard changes") } else { lang.get().pick("放弃草稿", "Discard draft") }}
            </button>
        </form>
    }
}
