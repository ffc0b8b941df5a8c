//! "结对 Paired with", on a child's page of the field app: the pairings the phone holds for
//! the child (offline too), as the page read them. On a director's phone, the controls
//! ([`PairingControls`]): the picker's list is read from the server (it needs a
//! connection), and a pairing set or ended is saved on the phone and sent by the outbox
//! like any record (the page reads it again when the outbox tells of the save). A love
//! mother's phone says only that the child is paired with her.

use leptos::prelude::*;
use tongxing_core::outbox::Clock;
use tongxing_core::pairing::{PairedWith, Pairing};
use tongxing_core::village_workers;
use tongxing_core::wire::VillageWorker;
use uuid::Uuid;

use super::pairing_controls::{PairingControls, Picker};
use crate::context::{use_enrolled, use_lang, Db};
use crate::storage::{enrolment, Settings};
use crate::sync::{BrowserClock, HttpTransport, SyncDriver};

/// The child's pairings (`rows`), and a director's controls.
#[component]
pub fn ChildPairings(child: Uuid, #[prop(into)] rows: Signal<Vec<PairedWith>>) -> impl IntoView {
    let lang = use_lang();
    let db = expect_context::<Db>();
    let sync = expect_context::<SyncDriver>();
    let me = use_enrolled();
    let picker = RwSignal::new(Picker::Closed);
    let problem = RwSignal::new(None::<String>);

    let save = Callback::new(move |(pairing, worker): (Pairing, Option<VillageWorker>)| {
        let db = db.get();
        leptos::task::spawn_local(async move {
            match db.save_pairing(&pairing, worker.as_ref(), BrowserClock.now()).await {
                Ok(_) => {
                    problem.set(None);
                    picker.set(Picker::Closed);
                    sync.saved();
                }
                Err(error) => problem.set(Some(error.message(lang.get_untracked()))),
            }
        });
    });
    let open = Callback::new(move |()| {
        picker.set(Picker::Loading);
        leptos::task::spawn_local(async move { picker.set(read_workers(lang.get_untracked()).await) });
    });

    move || {
        let worker = me.get()?;
        if worker.role.pairs_workers() {
            return Some(view! { <PairingControls child rows picker open save problem /> }.into_any());
        }
        let mine = rows.with(|rows| rows.iter().any(|row| row.pairing.worker_id == worker.id));
        mine.then(|| {
            view! { <p class="muted" data-testid="paired-with-me">{move || lang.get().pick("与你结对", "Paired with you")}</p> }
                .into_any()
        })
    }
}

/// The village's love mothers and volunteers, from the server the phone joined.
async fn read_workers(lang: tongxing_core::Lang) -> Picker {
    let outcome = match enrolment::load() {
        Some(enrolled) => {
            let transport = HttpTransport::new(enrolled.server.clone(), Some(&enrolled), Settings::load().lang);
            village_workers::read_workers(transport.get(&village_workers::path()).await)
        }
        None => Err(village_workers::WorkersReadProblem::MustRejoin),
    };
    match outcome {
        Ok(workers) => Picker::Ready(workers),
        Err(why) => Picker::Problem { code: why.code(), message: why.message(lang).to_owned() },
    }
}
