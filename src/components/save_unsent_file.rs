//! "Save unsent records to a file", in settings: the escape hatch for a phone that will
//! never be online again (broken, no signal, handed back). Every record of hers the server
//! has not confirmed, with its photos, goes into one file sealed to the county's key
//! (`storage::unsent_file`), saved to the phone's downloads; the county's server imports
//! it (`tongxing-ingest import`). Nothing on the phone is deleted.

use leptos::prelude::*;
use tongxing_core::Lang;

use super::{InAppHint, InAppHintKind};
use crate::context::{use_lang, Db};
use crate::saved_file::save_blob;
use crate::storage::{enrolment, UnsentFile, UnsentFileError};
use crate::sync::BrowserClock;

/// The section and its button; only in the field app, which keeps records.
#[component]
pub fn SaveUnsentFile() -> impl IntoView {
    let lang = use_lang();
    let db = use_context::<Db>().map(|db| db.0);
    let said = RwSignal::new(None::<Result<String, String>>);
    let busy = RwSignal::new(false);
    let save = move |_| {
        let Some(db) = db else { return };
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        said.set(None);
        leptos::task::spawn_local(async move {
            let lang = lang.get_untracked();
            let made = match enrolment::load() {
                Some(enrolled) => db.get_value().unsent_file(&enrolled, BrowserClock::local_now()).await,
                None => Err(UnsentFileError::NoCountyKey),
            };
            let outcome = made.and_then(|file| {
                save_blob(&file.blob, &file.name)
                    .map_err(|error| UnsentFileError::Browser(crate::js_error::describe(&error)))?;
                Ok(saved(&file, lang))
            });
            said.set(Some(outcome.map_err(|problem| problem.message(lang))));
            busy.set(false);
        });
    };
    db.map(|_| {
        view! {
            <section class="save-unsent-file" data-testid="save-unsent-file">
                <h2>{move || lang.get().pick("把未上传的记录存成文件", "Save unsent records to a file")}</h2>
                <p class="hint">
                    {move || lang.get().pick(
                        "这部手机如果再也不能联网（坏了、没有信号、要交回），可以把还没上传的记录和照片存成一个加密文件，拷到电脑或U盘上交给县里导入。只有县里的服务器能打开它。手机上的记录不会删除。",
                        "If this phone will never be online again (broken, no signal, handed back), save its unsent records and photos into one encrypted file and give it to the county to import, on a computer or a USB stick. Only the county's server can open it. Nothing on the phone is deleted.",
                    )}
                </p>
                {move || said.get().map(|said| match said {
                    Ok(sentence) => view! { <p class="saved" role="status" data-testid="unsent-file-saved">{sentence}</p> }.into_any(),
                    Err(sentence) => view! { <p class="error" role="alert" data-testid="unsent-file-problem">{sentence}</p> }.into_any(),
                })}
                <button type="button" class="secondary" data-testid="save-unsent-file-start" disabled=move || busy.get() on:click=save>
                    {move || lang.get().pick("存成文件", "Save to a file")}
                </button>
                <InAppHint kind=InAppHintKind::SaveFile />
            </section>
        }
    })
}

/// What was saved, and where it is.
fn saved(file: &UnsentFile, lang: Lang) -> String {
    let kb = file.blob.size() as u64 / 1024;
    match lang {
        Lang::ZhCn => format!(
            "已保存 {}（{} 条记录，{} 张照片，{} KB），在手机的“下载”里。请把它交给县里导入。",
            file.name, file.records, file.photos, kb
        ),
        Lang::En => format!(
            "Saved {} ({} records, {} photos, {} KB); it is in the phone's downloads. Give it to the county to import.",
            file.name, file.records, file.photos, kb
        ),
    }
}
