//! Adding or editing a child's file (一童一档). "Save" checks every field at once with
//! `tongxing-core`, then stores the file and queues it for sending in one durable write, so a
//! tab killed after "saved" loses nothing. The questions are drawn with the same field
//! components as a visit's ([`ChildFileQuestion`]).
//!
//! Opened from the visit screen as `/children/new?visit=<visit id>`, it returns there with
//! the new child (`/visits/<visit id>?child=<child id>`).

use chrono::{DateTime, Utc};
use gloo_storage::{LocalStorage, Storage};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params, use_query};
use leptos_router::NavigateOptions;
use tongxing_core::child::{child_error_message, child_file_fields, Child, ChildDraft};
use tongxing_core::{FieldErrors, Lang};
use uuid::Uuid;

use crate::components::{ChildFileQuestion, GuardianRows, Loading};
use crate::context::{use_lang, Db};
use crate::ids::new_uuid;
use crate::route_params::AddressIds;
use crate::screen_state::{open_child_file, OpenedChildFile};
use crate::storage::{enrolment, StorageError};
use crate::sync::{BrowserClock, SyncDriver};

/// Where the village last entered is remembered (`tongxing.last_village[.<space id>]`, the
/// worker's own): most of a director's children live in one.
fn last_village_key() -> String {
    crate::vault::space().key(tongxing_core::vault::SpaceKey::LastVillage)
}

/// The child form at `/children/new` and `/children/:id/edit`.
#[component]
pub fn ChildFormPage() -> impl IntoView {
    let lang = use_lang();
    let db = expect_context::<Db>();
    let params = use_params::<AddressIds>();
    let query = use_query::<AddressIds>();
    // `None`: a new child; `Some(None)`: an address that names no valid id.
    let editing = move || params.get().map_or(Some(None), |p| p.id.map(Some));
    let then_visit = move || query.get().ok().and_then(|q| q.visit);
    let opened = LocalResource::new(move || {
        let (editing, db) = (editing(), db.get());
        async move { open_child_file(&db, editing).await }
    });

    view! {
        <Suspense fallback=move || view! { <Loading /> }>
            {move || {
                opened
                    .get()
                    .map(|loaded| match loaded {
                        Ok(Some(opened)) => view! { <ChildForm opened then_visit=then_visit() /> }.into_any(),
                        Ok(None) => view! { <crate::pages::NotFoundPage home="/" /> }.into_any(),
                        Err(error) => view! { <p class="error" role="alert">{move || error.message(lang.get())}</p> }.into_any(),
                    })
            }}
        </Suspense>
    }
}

#[component]
fn ChildForm(opened: OpenedChildFile, then_visit: Option<Uuid>) -> impl IntoView {
    let lang = use_lang();
    let today = BrowserClock::local_now().date_naive();
    let OpenedChildFile { existing, villages, children, registrants } = opened;
    let is_new = existing.is_none();
    let (id, revision) =
        existing.as_ref().map_or((new_uuid(), 1), |child| (child.id, child.revision.saturating_add(1)));
    let draft = RwSignal::new(match &existing {
        Some(child) => ChildDraft::from_child(child),
        None => ChildDraft::for_worker(
            enrolment::worker().as_ref(),
            LocalStorage::get(last_village_key()).unwrap_or_default(),
        ),
    });
    let show_errors = RwSignal::new(false);
    let id_number_touched = RwSignal::new(false);
    let storage_problem = RwSignal::new(None::<StorageError>);
    let errors = Memo::new(move |_| draft.with(|d| d.errors(today)));
    // Another file on the phone this may be the child of (her own, or received).
    let twin = Memo::new(move |_| {
        draft.with(|d| {
            d.possible_duplicate(id, &children)
                .map(|(c, _)| (c.id, c.name.clone(), c.birth_date, c.village.clone(), registrants.get(&c.id).cloned()))
        })
    });

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
        errors.with(|e| e.get(field).map(|error| child_error_message(field, error, lang)))
    };
    let error_of = move |field: &'static str| Signal::derive(move || message_of(field));
    let guardian_error = Callback::new(move |field: String| message_of(&field));

    let saving = RwSignal::new(false);
    let store = store_child(then_visit, saving, storage_problem);
    let save = move |_| {
        let now = BrowserClock::local_now();
        match draft.with_untracked(|d| d.to_child(id, revision, now.date_naive(), now)) {
            Ok(child) => {
                store(child, now.with_timezone(&Utc));
            }
            Err(_) => {
                show_errors.set(true);
                scroll_to_first_error();
            }
        }
    };

    let [name, id_number, sex, birth_date, village, categories, school, notes] = child_file_fields();
    view! {
        <form class="page child-form" data-testid="child-form" on:submit=|ev| ev.prevent_default()>
            <h1>{move || if is_new { lang.get().pick("新增儿童档案", "New child") } else { lang.get().pick("编辑儿童档案", "Edit child's file") }}</h1>
            <ChildFileQuestion field=name draft today error=error_of("name") testid="child-name" />
            <ChildFileQuestion field=id_number draft today error=error_of("id_number") testid="child-id-number" on:focusout=move |_| id_number_touched.set(true)>
                <Show when=move || draft.with(|d| d.disagrees_with_id_number(today))>
                    <p class="warning" role="status" data-testid="id-mismatch">
                        {move || lang.get().pick("出生日期或性别与身份证号不一致，请核对", "The date of birth or sex differs from the ID number: please check")}
                    </p>
                </Show>
            </ChildFileQuestion>
            <ChildFileQuestion field=sex draft today error=error_of("sex") testid="child-sex" />
            <ChildFileQuestion field=birth_date draft today error=error_of("birth_date") testid="child-birth-date" />
            <ChildFileQuestion field=village draft today error=error_of("village") testid="child-village" list="known-villages">
                <datalist id="known-villages">{villages.into_iter().map(|v| view! { <option value=v></option> }).collect_view()}</datalist>
            </ChildFileQuestion>
            {move || twin.get().map(|(twin_id, name, born, village, by)| view! {
                <p class="warning" role="status" data-testid="possible-duplicate">
                    {match (lang.get(), by) {
                        (Lang::ZhCn, Some(by)) => format!("这名儿童可能已经由{by}登记过：{name}（{born}，{village}）。"),
                        (Lang::ZhCn, None) => format!("这名儿童可能已经登记过：{name}（{born}，{village}）。"),
                        (Lang::En, Some(by)) => format!("This child may already be registered by {by}: {name} ({born}, {village})."),
                        (Lang::En, None) => format!("This child may already be registered: {name} ({born}, {village})."),
                    }}
                    " "
                    <a href=format!("/children/{twin_id}") data-testid="possible-duplicate-open">{lang.get().pick("查看档案", "Open the file")}</a>
                </p>
            })}
            <ChildFileQuestion field=categories draft today error=error_of("categories") testid="child-category" />
            <GuardianRows draft error_of=guardian_error />
            <ChildFileQuestion field=school draft today error=error_of("school") testid="child-school" />
            <ChildFileQuestion field=notes draft today error=error_of("notes") testid="child-notes" />
            <Show when=move || show_errors.get() && errors.with(|e| !e.is_empty())>
                <p class="error" role="alert" data-testid="child-form-errors">{move || error_count(&errors.get(), lang.get())}</p>
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

/// Stores a file and queues it (`saving` meanwhile), remembers its village, then goes on
/// with the visit it was added for (`then_visit`) or to the child's page; a storage failure
/// goes to `storage_problem`. (A flag rather than an `Action`, as for a visit: smaller.)
fn store_child(
    then_visit: Option<Uuid>,
    saving: RwSignal<bool>,
    storage_problem: RwSignal<Option<StorageError>>,
) -> impl Fn(Child, DateTime<Utc>) + Clone {
    let db = expect_context::<Db>();
    let sync = expect_context::<SyncDriver>();
    let navigate = use_navigate();
    move |child: Child, now: DateTime<Utc>| {
        saving.set(true);
        let (db, navigate) = (db.get(), navigate.clone());
        leptos::task::spawn_local(async move {
            match db.save_child(&child, now).await {
                Ok(_) => {
                    let _ = LocalStorage::set(last_village_key(), &child.village);
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

/// Brings the first field marked in error into view once it is drawn.
fn scroll_to_first_error() {
    request_animation_frame(|| {
        if let Ok(Some(field)) = document().query_selector(".field.has-error, .guardian-row .field-error") {
            field.scroll_into_view();
        }
    });
}
