//! "培训考核" in the field app's settings: whether the worker passed a training's assessment,
//! as the county recorded it, read from the server when the settings are opened (online; a
//! sentence says so offline).

use leptos::prelude::*;
use tongxing_core::supervision::read_reply;
use tongxing_core::training::{Certification, MY_CERTIFICATION_PATH};

use crate::context::use_lang;
use crate::storage::{enrolment, Settings};
use crate::sync::HttpTransport;

/// The line, once read.
#[component]
pub fn MyCertification() -> impl IntoView {
    let lang = use_lang();
    let read = RwSignal::new(None::<Option<Certification>>);
    if let Some(enrolled) = enrolment::load().filter(|enrolled| enrolled.worker.role.sends_records()) {
        leptos::task::spawn_local(async move {
            let transport = HttpTransport::new(enrolled.server.clone(), Some(&enrolled), Settings::load().lang);
            read.try_set(Some(read_reply::<Certification>(transport.get(MY_CERTIFICATION_PATH).await).ok()));
        });
    }
    move || {
        let lang = lang.get();
        read.get().map(|certification| {
            let text = match certification {
                Some(certified @ Certification::Certified { .. }) => certified.with_day(lang),
                Some(Certification::NotCertified) => lang
                    .pick(
                        "尚未通过培训考核：请向县民政部门了解培训安排。",
                        "Not certified yet: ask the county about its training.",
                    )
                    .to_owned(),
                None => {
                    lang.pick("培训考核情况需要联网查看。", "Whether you are certified shows when online.").to_owned()
                }
            };
            let certified = matches!(certification, Some(Certification::Certified { .. }));
            view! {
                <section class="my-certification" data-testid="my-certification" data-certified=certified.to_string()>
                    <h2>{lang.pick("培训考核", "Training")}</h2>
                    <p class=if certified { "hint" } else { "warning" }>{text}</p>
                </section>
            }
        })
    }
}
