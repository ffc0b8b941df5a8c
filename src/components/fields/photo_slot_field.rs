//! Photos (a photo slot): take one with the camera or pick several; each is shrunk on the
//! phone, stored, and named in the answer with its caption and the time it was taken.
//!
//! Files are handled one at a time, so that a phone never holds more than one decoded photo.
//! A photo that cannot be read, or for which the phone has no room, gets a sentence; the
//! visit and the photos already taken are untouched.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use tongxing_core::form::{AnswerValue, Field, FieldKind};
use tongxing_core::outbox::Clock;
use tongxing_core::photo::{PhotoNote, SpaceVerdict};
use tongxing_core::Lang;
use wasm_bindgen::JsCast;
use web_sys::{File, HtmlInputElement};

use super::dom_id;
use crate::components::PhotoNoteRow;
use crate::context::{use_lang, Db};
use crate::photo::shrink;
use crate::storage::space::{ask_to_persist, space_for_photo};
use crate::storage::Database;
use crate::sync::BrowserClock;

/// The photos taken so far, a camera button and a picker.
#[component]
pub fn PhotoSlotField(
    /// The field.
    field: Field,
    /// Its current answer: the photo notes.
    value: Signal<Option<AnswerValue>>,
    /// Called with every change.
    on_answer: Callback<AnswerValue>,
) -> impl IntoView {
    let lang = use_lang();
    let max = match field.kind {
        FieldKind::PhotoSlot { max_photos } => max_photos,
        _ => 0,
    };
    let notes = Memo::new(move |_| {
        value.with(|v| v.as_ref().and_then(AnswerValue::as_photos).map(<[PhotoNote]>::to_vec).unwrap_or_default())
    });
    let slot = PhotoSlotState {
        notes,
        on_answer,
        max,
        busy: RwSignal::new(None),
        problem: RwSignal::new(None),
        warning: RwSignal::new(None),
    };
    let PhotoSlotState { busy, problem, warning, .. } = slot;
    let db = use_context::<Db>();
    let change = move |update: &dyn Fn(&mut Vec<PhotoNote>)| slot.change(update);
    let on_files = move |ev: web_sys::Event| {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()) else { return };
        let files: Vec<File> =
            input.files().map(|list| (0..list.length()).filter_map(|i| list.get(i)).collect()).unwrap_or_default();
        // Cleared so that the same photo can be chosen again after removing it.
        input.set_value("");
        if files.is_empty() || busy.get_untracked().is_some() {
            return;
        }
        let Some(db) = db.map(|db| db.get()) else { return };
        problem.set(None);
        leptos::task::spawn_local(slot.add(files, db, lang));
    };

    // Keyed by photo: a new caption changes no row, so the box being typed in keeps its focus.
    let row = move |note: PhotoNote| {
        let hash = note.sha256.clone();
        let on_caption = {
            let hash = hash.clone();
            Callback::new(move |caption: String| {
                change(&|list| {
                    if let Some(n) = list.iter_mut().find(|n| n.sha256 == hash) {
                        n.caption = caption.clone();
                    }
                })
            })
        };
        let on_remove = Callback::new(move |()| change(&|list| list.retain(|n| n.sha256 != hash)));
        view! { <PhotoNoteRow note on_caption on_remove /> }
    };
    let room_left = move || notes.with(Vec::len) < max;
    let busy_text = move || {
        busy.get().map(|(i, n)| match lang.get() {
            Lang::ZhCn => format!("正在压缩照片 {i}/{n}…"),
            Lang::En => format!("Shrinking photo {i} of {n}…"),
        })
    };

    view! {
        <div class="photo-slot" id=dom_id(&field.id) data-testid=dom_id(&field.id)>
            <ul class="photo-notes">
                <For each=move || notes.get() key=|note| note.sha256.clone() children=row />
            </ul>
            <Show when=room_left>
                <div class="photo-buttons">
                    <label class="button photo-take">
                        {move || lang.get().pick("拍照", "Take a photo")}
                        <input type="file" accept="image/*" capture="environment" class="visually-hidden"
                            data-testid="photo-camera" disabled=move || busy.get().is_some() on:change=on_files />
                    </label>
                    <label class="button secondary photo-pick">
                        {move || lang.get().pick("从相册选择", "Choose from gallery")}
                        <input type="file" accept="image/*" multiple class="visually-hidden"
                            data-testid="photo-input" disabled=move || busy.get().is_some() on:change=on_files />
                    </label>
                </div>
            </Show>
            {move || busy_text().map(|text| view! { <p class="photo-busy" role="status" data-testid="photo-busy">{text}</p> })}
            {move || problem.get().map(|text| view! { <p class="field-error" role="alert" data-testid="photo-problem">{text}</p> })}
            {move || warning.get().map(|text| view! { <p class="photo-warning" role="status" data-testid="photo-warning">{text}</p> })}
            <p class="hint">
                {move || match lang.get() {
                    Lang::ZhCn => format!("最多 {max} 张。照片在手机上压缩到约 250 KB，不含位置信息，原图不会上传。"),
                    Lang::En => format!("At most {max}. Photos are shrunk on the phone to about 250 KB, without location; originals are never sent."),
                }}
            </p>
        </div>
    }
}

/// What a photo slot holds while photos are added: `Copy`, so the async work takes it whole.
#[derive(Clone, Copy)]
struct PhotoSlotState {
    notes: Memo<Vec<PhotoNote>>,
    on_answer: Callback<AnswerValue>,
    max: usize,
    /// Which file of how many is being shrunk, while one is.
    busy: RwSignal<Option<(usize, usize)>>,
    problem: RwSignal<Option<String>>,
    warning: RwSignal<Option<String>>,
}

impl PhotoSlotState {
    /// Changes the list of notes and hands it on as the answer.
    fn change(self, update: &dyn Fn(&mut Vec<PhotoNote>)) {
        let mut list = self.notes.get_untracked();
        update(&mut list);
        self.on_answer.run(AnswerValue::Photos(list));
    }

    /// Shrinks, stores and names `files`, one at a time.
    async fn add(self, files: Vec<File>, db: Database, lang: RwSignal<Lang>) {
        let count = files.len();
        for (i, file) in files.into_iter().enumerate() {
            let lang = lang.get_untracked();
            if self.notes.get_untracked().len() >= self.max {
                self.problem.set(Some(too_many(lang, self.max)));
                break;
            }
            self.busy.set(Some((i + 1, count)));
            let shrunk = match shrink(&file).await {
                Ok(shrunk) => shrunk,
                Err(error) => {
                    self.problem.set(Some(error.message(lang)));
                    continue;
                }
            };
            match space_for_photo(shrunk.bytes.len() as u64).await {
                SpaceVerdict::Full => {
                    self.problem.set(Some(no_room(lang)));
                    break;
                }
                verdict @ SpaceVerdict::Low { .. } => self.warning.set(verdict.warning(lang).map(str::to_owned)),
                SpaceVerdict::Enough => self.warning.set(None),
            }
            ask_to_persist().await;
            if let Err(error) = db.store_photo(&shrunk.hash, &shrunk.blob, BrowserClock.now()).await {
                self.problem.set(Some(error.message(lang)));
                break;
            }
            let taken_at = DateTime::<Utc>::from_timestamp_millis(file.last_modified() as i64)
                .unwrap_or_else(|| BrowserClock.now());
            let hash = shrunk.hash;
            self.change(&|list| {
                if !list.iter().any(|n| n.sha256 == hash) {
                    list.push(PhotoNote::new(hash.clone(), taken_at));
                }
            });
        }
        self.busy.set(None);
    }
}

fn too_many(lang: Lang, max: usize) -> String {
    match lang {
        Lang::ZhCn => format!("每次走访最多 {max} 张照片，其余的没有加入"),
        Lang::En => format!("At most {max} photos per visit; the others were not added"),
    }
}

fn no_room(lang: Lang) -> String {
    lang.pick(
        "手机存储空间不足，这张照片没有保存。走访记录不受影响；请清理手机空间后再拍。",
        "The phone is out of space, so this photo was not kept. The visit is safe; free some space, then take it again.",
    )
    .to_owned()
}
