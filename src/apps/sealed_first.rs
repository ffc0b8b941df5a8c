//! The first step of each app's own piece, once unlocked: on a phone updated from before
//! PINs, what it kept in the clear is sealed before anything reads it, with a loading line
//! while it works. Kept out of the lock's first piece: it runs once per phone. Each app says
//! what it seals ([`seal_database`], [`seal_enrolment`]) in its `app_piece!`.

use std::future::Future;
use std::pin::Pin;

use leptos::prelude::*;

use crate::components::Loading;
use crate::context::{use_lang, Db};
use crate::storage::{enrolment, StorageError};
use crate::vault;

/// Sealing what an app kept in the clear.
pub type Sealing = Pin<Box<dyn Future<Output = Result<(), StorageError>>>>;

/// The field app's: every value of the open space's database, and the enrolment.
pub fn seal_database() -> Sealing {
    let db = use_context::<Db>().map(|db| db.0.get_value());
    Box::pin(async move {
        match db {
            Some(db) => db.seal_everything().await.map(|_| ()),
            None => Err(StorageError::Locked),
        }
    })
}

/// The oversight app's: the enrolment, all it keeps.
pub fn seal_enrolment() -> Sealing {
    Box::pin(async { enrolment::seal_kept() })
}

/// `app`, drawn once `seal` has sealed everything the open space keeps.
#[component]
pub fn SealedFirst(app: fn() -> AnyView, seal: fn() -> Sealing) -> impl IntoView {
    let lang = use_lang();
    let sealed = RwSignal::new(vault::kept_vault().is_some_and(|kept| kept.sealed_all).then_some(Ok(())));
    if sealed.get_untracked().is_none() {
        let sealing = seal();
        leptos::task::spawn_local(async move {
            let outcome = sealing.await;
            sealed.set(Some(outcome.map_err(|error| error.message(lang.get_untracked()))));
        });
    }
    move || match sealed.get() {
        Some(Ok(())) => app(),
        Some(Err(sentence)) => {
            view! { <p class="error" role="alert" data-testid="seal-problem">{sentence}</p> }.into_any()
        }
        None => view! { <Loading /> }.into_any(),
    }
}
