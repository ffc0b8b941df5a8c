//! Adding or editing a child's file (一童一档). "Save" checks every field at once with
//! `tongxing-core`, then stores the file and queues it for sending in one durable write, so a
//! tab killed after "saved" loses nothing.
//!
//! Opened from the visit screen as `/children/new?visit=<visit id>`, it returns there with
//! the new child (`/visits/<visit id>?child=<child id>`).

use chrono::Utc;
use gloo_storage::{LocalStorage, Storage};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params, use_query};
use leptos_router::NavigateOptions;
use tongxing_core::child::{Child, ChildCategory, Sex};
use tongxing_core::{FieldError, FieldErrors, Lang};
use uuid::Uuid;

use crate::context::{use_lang, Db};
use tongxing_core::child::ChildDraft;
use crate::components::{FormField, GuardianRows, Loading};
use crate::ids::new_uuid;
use crate::route_params::{RecordId, ThenVisit};
use crate::storage::{enrolment, Database, StorageError};
use crate::sync::{BrowserClock, SyncDriver};

/// Where the village last entered is remembered: most of a director's children live in one.
const LAST_VILLAGE_KEY: &str = "tongxing.last_village";

/// What the form opens with.
#[derive(Debug, Clone)]
struct Opened {
    /// The saved file being edited; `None` for a new child.
    existing: Option<Child>,
    /// Villages already in the files, for suggestions.
    villages: Vec<String>,
}

/// The child form at `/children/new` and `/children/:id/edit`.
#[component]
pub fn ChildFormPage() -> impl IntoView {
    let lang = use_lang();
    let db = expect_context::<Db>();
    let params = use_params::<RecordId>();
    let query = use_query::<ThenVisit>();
    // `None`: a new child; `Some(None)`: an address that names no valid id.
    let editing = move || params.get().map_or(Some(None), |p| p.id.map(Some));
    let then_visit = move || query.get().ok().and_then(|q| q.visit);
    let opened = LocalResource::new(move || {
        let (editing, db) = (editing(), db.get());
        async move { open(&db, editing).await }
    });

    view! {
        <Suspense fallback=move || view! { <Loading /> }>
            {move || {
                opened
                    .get()
                    .map(|loaded| match loaded {
                        Ok(Some(opened)) => view! { <ChildForm opened then_visit=then_visit() /> }.into_any(),
                        Ok(None) => view! { <crate::pages::NotFoundPage /> }.into_any(),
                        Err(error) => view! { <p class="error" role="alert">{move || error.message(lang.get())}</p> }.into_any(),
                    })
            }}
        </Suspense>
    }
}

/// The file to edit (or none for a new child) and the known villages; `None` when the file
/// to edit does not exist.
async fn open(db: &Database, editing: Option<Option<Uuid>>) -> Result<Option<Opened>, StorageError> {
    let existing = match editing {
        None => None,
        Some(None) => return Ok(None),
        Some(Some(id)) => match db.child(id).await? {
            Some(child) => Some(child),
            None => return Ok(None),
        },
    };
    let mut villages: Vec<String> = db.children().await?.into_iter().map(|c| c.village).collect();
    villages.sort();
    villages.dedup();
    Ok(Some(Opened { existing, villages }))
}

#[component]
fn ChildForm(opened: Opened, then_visit: Option<Uuid>) -> impl IntoView {
    let lang = use_lang();
    let db = expect_context::<Db>();
    let sync = expect_context::<SyncDriver>();
    let navigate = use_navigate();
    let today = BrowserClock::local_now().date_naive();
    let Opened { existing, villages } = opened;
    let is_new = existing.is_none();
    let (id, revision) = match &existing {
        Some(child) => (child.id, child.revision.saturating_add(1)),
        None => (new_uuid(), 1),
    };
    let draft = RwSignal::new(match &existing {
        Some(child) => ChildDraft::from_child(child),
        None => ChildDraft::for_worker(enrolment::worker().as_ref(), LocalStorage::get(LAST_VILLAGE_KEY).unwrap_or_default()),
    });
    let show_errors = RwSignal::new(false);
    let id_number_touched = RwSignal::new(false);
    let saving = RwSignal::new(false);
    let storage_problem = RwSignal::new(None::<StorageError>);
    let errors = Memo::new(move |_| draft.with(|d| d.errors(today)));

    let message_of = move |field: &str| -> Option<String> {
        let lang = lang.get();
        if field == "id_number" {
            // Checked as it is typed, once it is long enough to judge or the worker left it.
            let checked = draft.with(|d| d.id_number_checked(today));
            let typed = draft.with(|d| d.id_number.trim().chars().count());
            return match checked {
                Some(Err(problem)) if show_errors.get() || id_number_touched.get() || typed >= 18 => {
                    Some(problem.message(lang).to_owned())
                }
                _ => None,
            };
        }
        if !show_errors.get() {
            return None;
        }
        errors.with(|e| e.get(field).map(|error| field_message(field, error, lang)))
    };
    let error_of = move |field: &'static str| Signal::derive(move || message_of(field));
    let guardian_error = Callback::new(move |field: String| message_of(&field));
    let label = move |zh: &'static str, en: &'static str| Signal::derive(move || lang.get().pick(zh, en).to_owned());
    let edit = move |change: &dyn Fn(&mut ChildDraft)| draft.update(|d| change(d));

    let save = move |_| {
        let now = BrowserClock::local_now();
        let child = match draft.with_untracked(|d| d.to_child(id, revision, now.date_naive(), now)) {
            Ok(child) => child,
            Err(_) => {
                show_errors.set(true);
                scroll_to_first_error();
                return;
            }
        };
        saving.set(true);
        let (db, navigate) = (db.get(), navigate.clone());
        leptos::task::spawn_local(async move {
            match db.save_child(&child, now.with_timezone(&Utc)).await {
                Ok(_) => {
                    let _ = LocalStorage::set(LAST_VILLAGE_KEY, &child.village);
                    sync.saved();
                    let next = match then_visit {
                        Some(visit) => format!("/visits/{visit}?child={}", child.id),
                        None => format!("/children/{}", child.id),
                    };
                    navigate(&next, NavigateOptions { replace: true, ..Default::default() });
                }
                Err(problem) => {
                    storage_problem.set(Some(problem));
                    saving.set(false);
                }
            }
        });
    };

    let text_input = move |id: &'static str, testid: &'static str, pick: fn(&ChildDraft) -> &String, put: fn(&mut ChildDraft, String)| {
        view! {
            <input
                id=id
                type="text"
                autocomplete="off"
                data-testid=testid
                prop:value=move || draft.with(|d| pick(d).clone())
                on:input=move |ev| {
                    let text = event_target_value(&ev);
                    draft.update(|d| put(d, text));
                }
            />
        }
    };

    view! {
        <form class="page child-form" data-testid="child-form" on:submit=|ev| ev.prevent_default()>
            <h1>{move || if is_new { lang.get().pick("新增儿童档案", "New child") } else { lang.get().pick("编辑儿童档案", "Edit child's file") }}</h1>
            <FormField id="name" label=label("姓名", "Name") error=error_of("name")>
                {text_input("name", "child-name", |d| &d.name, |d, t| d.name = t)}
            </FormField>
            <FormField id="id_number" label=label("身份证号（选填）", "ID number (optional)") error=error_of("id_number")>
                <input
                    id="id_number"
                    type="text"
                    autocomplete="off"
                    autocapitalize="characters"
                    spellcheck="false"
                    maxlength="18"
                    data-testid="child-id-number"
                    prop:value=move || draft.with(|d| d.id_number.clone())
                    on:input=move |ev| {
                        let text = event_target_value(&ev);
                        draft.update(|d| {
                            d.id_number = text;
                            d.fill_from_id_number(today);
                        });
                    }
                    on:blur=move |_| id_number_touched.set(true)
                />
                <p class="hint">{move || lang.get().pick("填写后自动带出出生日期和性别", "Fills in the date of birth and sex")}</p>
                <Show when=move || draft.with(|d| d.disagrees_with_id_number(today))>
                    <p class="warning" role="status" data-testid="id-mismatch">
                        {move || lang.get().pick("出生日期或性别与身份证号不一致，请核对", "The date of birth or sex differs from the ID number: please check")}
                    </p>
                </Show>
            </FormField>
            <FormField id="sex" label=label("性别", "Sex") error=error_of("sex")>
                <div class="choices two" role="radiogroup">
                    {Sex::ALL
                        .into_iter()
                        .map(|sex| {
                            let chosen = move || draft.with(|d| d.sex == Some(sex));
                            view! {
                                <button
                                    type="button"
                                    role="radio"
                                    class="choice"
                                    class:chosen=chosen
                                    aria-checked=move || chosen().to_string()
                                    data-testid=format!("child-sex-{}", sex.code())
                                    on:click=move |_| edit(&|d| d.sex = Some(sex))
                                >
                                    {move || sex.label(lang.get())}
                                </button>
                            }
                        })
                        .collect_view()}
                </div>
            </FormField>
            <FormField id="birth_date" label=label("出生日期", "Date of birth") error=error_of("birth_date")>
                <input
                    id="birth_date"
                    type="date"
                    data-testid="child-birth-date"
                    max=today.to_string()
                    prop:value=move || draft.with(|d| d.birth_date.clone())
                    on:input=move |ev| {
                        let text = event_target_value(&ev);
                        draft.update(|d| d.birth_date = text);
                    }
                />
            </FormField>
            <FormField id="village" label=label("村/居委会", "Village or residents' committee") error=error_of("village")>
                <input
                    id="village"
                    type="text"
                    autocomplete="off"
                    list="known-villages"
                    data-testid="child-village"
                    prop:value=move || draft.with(|d| d.village.clone())
                    on:input=move |ev| {
                        let text = event_target_value(&ev);
                        draft.update(|d| d.village = text);
                    }
                />
                <datalist id="known-villages">
                    {villages.into_iter().map(|v| view! { <option value=v></option> }).collect_view()}
                </datalist>
            </FormField>
            <FormField id="categories" label=label("儿童类别（可多选）", "Categories (any that apply)") error=error_of("categories")>
                <div class="choices categories-picker" role="group">
                    {ChildCategory::ALL
                        .into_iter()
                        .map(|category| {
                            let ticked = move || draft.with(|d| d.categories.contains(&category));
                            view! {
                                <button
                                    type="button"
                                    class="choice"
                                    class:chosen=ticked
                                    aria-pressed=move || ticked().to_string()
                                    data-testid=format!("child-category-{}", category.code())
                                    on:click=move |_| edit(&|d| d.toggle_category(category))
                                >
                                    {move || category.label(lang.get())}
                                </button>
                            }
                        })
                        .collect_view()}
                </div>
            </FormField>
            <GuardianRows draft error_of=guardian_error />
            <FormField id="school" label=label("学校（选填）", "School (optional)") error=error_of("school")>
                {text_input("school", "child-school", |d| &d.school, |d, t| d.school = t)}
            </FormField>
            <FormField id="notes" label=label("备注（选填）", "Notes (optional)") error=error_of("notes")>
                <textarea
                    id="notes"
                    rows="4"
                    data-testid="child-notes"
                    prop:value=move || draft.with(|d| d.notes.clone())
                    on:input=move |ev| {
                        let text = event_target_value(&ev);
                        draft.update(|d| d.notes = text);
                    }
                ></textarea>
            </FormField>
            <Show when=move || show_errors.get() && errors.with(|e| !e.is_empty())>
                <p class="error" role="alert" data-testid="child-form-errors">
                    {move || error_count(&errors.get(), lang.get())}
                </p>
            </Show>
            {move || storage_problem.get().map(|p| view! { <p class="error" role="alert" data-testid="storage-problem">{p.message(lang.get())}</p> })}
            <button type="button" class="primary big" data-testid="save-child" disabled=move || saving.get() on:click=save>
                {move || if then_visit.is_some() { lang.get().pick("保存并继续走访", "Save and go on with the visit") } else { lang.get().pick("保存档案", "Save the file") }}
            </button>
            <button type="button" class="secondary" data-testid="cancel-child" on:click=move |_| { let _ = window().history().and_then(|h| h.back()); }>
                {move || lang.get().pick("取消", "Cancel")}
            </button>
        </form>
    }
}

/// "3 items need attention".
fn error_count(errors: &FieldErrors, lang: Lang) -> String {
    let n = errors.len();
    match lang {
        Lang::ZhCn => format!("有 {n} 处需要修改，请看标红的地方"),
        Lang::En => format!("{n} fields need correcting: see the ones marked in red"),
    }
}

/// A field's error in the worker's words; a few read better said for a child's file.
fn field_message(field: &str, error: &FieldError, lang: Lang) -> String {
    match (field, error) {
        ("birth_date", FieldError::TooOld) => lang.pick("已满 18 周岁，不再属于儿童", "18 or older: no longer a child").to_owned(),
        ("birth_date", FieldError::InFuture) => lang.pick("出生日期不能晚于今天", "The date of birth cannot be after today").to_owned(),
        ("sex", FieldError::Required) => lang.pick("请选择性别", "Choose the sex").to_owned(),
        ("categories", FieldError::TooFew { .. }) => lang.pick("请至少选择一个类别", "Choose at least one category").to_owned(),
        _ => error.message(lang),
    }
}

/// Brings the first field marked in error into view once it is drawn.
fn scroll_to_first_error() {
    request_animation_frame(|| {
        if let Ok(Some(field)) = document().query_selector(".field.has-error, .guardian-row .field-error") {
            field.scroll_into_view();
        }
    });
}
