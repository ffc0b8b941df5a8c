//! One photo of a visit in the form: its thumbnail, its caption (editable), when it was
//! taken, and a button to remove it.

use leptos::prelude::*;
use tongxing_core::photo::{PhotoNote, CAPTION_MAX_CHARS};
use web_sys::Url;

use crate::context::{use_lang, Db};
use crate::sync::BrowserClock;

/// A photo note as a row. The thumbnail is the stored photo itself, shown through an object
/// URL that is released when the row goes.
#[component]
pub fn PhotoNoteRow(
    /// The note.
    note: PhotoNote,
    /// Called with the new caption on every change.
    on_caption: Callback<String>,
    /// Called when the worker removes the photo.
    on_remove: Callback<()>,
) -> impl IntoView {
    let lang = use_lang();
    // `None` while read; `Some(None)`: the photo's bytes are not on the phone.
    let thumbnail = RwSignal::new(None::<Option<String>>);
    if let Some(db) = use_context::<Db>() {
        let (db, hash) = (db.get(), note.sha256.clone());
        leptos::task::spawn_local(async move {
            let url =
                db.photo(&hash).await.ok().flatten().and_then(|blob| Url::create_object_url_with_blob(&blob).ok());
            // The row may be gone already; then release the URL at once.
            if thumbnail.try_set(Some(url.clone())).is_some() {
                if let Some(url) = url {
                    let _ = Url::revoke_object_url(&url);
                }
            }
        });
    }
    on_cleanup(move || {
        if let Some(url) = thumbnail.try_get_untracked().flatten().flatten() {
            let _ = Url::revoke_object_url(&url);
        }
    });

    let taken = BrowserClock::to_local(note.taken_at).format("%Y-%m-%d %H:%M").to_string();
    let short = note.sha256.short().to_owned();
    view! {
        <li class="photo-note" data-testid="photo-note" data-sha256=note.sha256.to_string()>
            <div class="photo-thumb">
                {move || match thumbnail.get() {
                    Some(Some(src)) => view! { <img src=src alt=format!("photo {short}") /> }.into_any(),
                    // Sent, and no longer kept on the phone.
                    Some(None) => view! {
                        <span class="photo-on-server" data-testid="photo-on-server">
                            {lang.get().pick("已上传，手机上不再保存", "Sent; no longer kept on this phone")}
                        </span>
                    }
                    .into_any(),
                    None => ().into_any(),
                }}
            </div>
            <div class="photo-facts">
                <input
                    type="text"
                    class="photo-caption"
                    data-testid="photo-caption"
                    maxlength=CAPTION_MAX_CHARS.to_string()
                    prop:value=note.caption.clone()
                    placeholder=move || lang.get().pick("说明（如：厨房、户口本）", "Caption (e.g. kitchen, household register)")
                    on:input=move |ev| on_caption.run(event_target_value(&ev))
                />
                <span class="photo-taken">{move || lang.get().pick("拍摄于 ", "Taken ")}{taken.clone()}</span>
                <button type="button" class="secondary photo-remove" data-testid="photo-remove" on:click=move |_| on_remove.run(())>
                    {move || lang.get().pick("删除照片", "Remove photo")}
                </button>
            </div>
        </li>
    }
}
