//! "结对 Paired with" on a child's file in the oversight app: the supervisor pairs a love
//! mother or a volunteer of the child's village, or ends a pairing, online (the app keeps no
//! records): the picker's list and each pairing go straight to the server, which keeps the
//! pairing as of the child's village, so the village's phones receive it.

use leptos::prelude::*;
use tongxing_core::pairing::{paired_with, Pairing};
use tongxing_core::supervision::{TownshipProblem, TownshipRequest};
use tongxing_core::wire::VillageWorker;
use uuid::Uuid;

use super::pairing_controls::{PairingControls, Picker};
use crate::context::use_lang;
use crate::township_client::TownshipClient;

/// The child's pairings as the server sent them with her file, kept up to date with what
/// the supervisor changes here.
#[component]
pub fn TownshipChildPairings(
    child: Uuid,
    village: String,
    pairings: Vec<Pairing>,
    workers: Vec<VillageWorker>,
) -> impl IntoView {
    let lang = use_lang();
    let held = RwSignal::new((pairings, workers));
    let rows = Signal::derive(move || held.with(|(pairings, workers)| paired_with(pairings, workers, child)));
    let picker = RwSignal::new(Picker::Closed);
    let problem = RwSignal::new(None::<String>);
    let said = move |why: TownshipProblem| (why.code(), why.message(lang.get_untracked()));

    let open = Callback::new(move |()| {
        picker.set(Picker::Loading);
        let request = TownshipRequest::VillageWorkers(village.clone());
        leptos::task::spawn_local(async move {
            picker.set(match TownshipClient::new().read::<Vec<VillageWorker>>(&request).await {
                Ok(workers) => Picker::Ready(workers),
                Err(why) => {
                    let (code, message) = said(why);
                    Picker::Problem { code, message }
                }
            });
        });
    });
    let save = Callback::new(move |(pairing, worker): (Pairing, Option<VillageWorker>)| {
        leptos::task::spawn_local(async move {
            match TownshipClient::new().pair(&pairing).await {
                Ok(()) => {
                    problem.set(None);
                    picker.set(Picker::Closed);
                    held.update(|(pairings, workers)| {
                        pairings.retain(|held| held.id != pairing.id);
                        pairings.push(pairing);
                        workers.extend(worker);
                    });
                }
                Err(why) => problem.set(Some(said(why).1)),
            }
        });
    });

    view! { <PairingControls child rows picker open save problem /> }
}
