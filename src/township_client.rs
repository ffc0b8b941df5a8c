//! The supervisor's calls to the server, with the phone's device token, all through
//! [`HttpTransport`]: JSON reads, the invite, revoking, recovery codes, and downloads saved on the phone from
//! a `Blob` by an `<a download>`. What each answer means is decided in `tongxing_core::supervision`.

use serde::de::DeserializeOwned;
use tongxing_core::case_plan::CasePlan;
use tongxing_core::http_reply::TransportError;
use tongxing_core::pairing::Pairing;
use tongxing_core::phone_app::PhoneApp;
use tongxing_core::supervision::{read_done, read_reply, TownshipProblem, TownshipRequest};
use tongxing_core::training::Training;
use tongxing_core::wire::{
    DownloadLink, DownloadTarget, InviteReply, InviteRequest, MergeChildren, MergedChildren, Reconcile, RecoveryIssued,
};

use crate::js_error::describe;
use crate::storage::{enrolment, Settings};
use crate::sync::HttpTransport;
use crate::trusted_servers::trusted_servers;

/// Calls the server the app uses, as the phone's worker.
pub struct TownshipClient {
    /// `None`: the page has no origin of its own, and talks to no server.
    transport: Option<HttpTransport>,
}

impl TownshipClient {
    /// As the phone's enrolment, with the language set now; a phone that has not joined asks
    /// the app's own server as nobody, and is answered `401`.
    pub fn new() -> TownshipClient {
        let enrolled = enrolment::load();
        let server = enrolled
            .as_ref()
            .map(|e| e.server.clone())
            .or_else(|| trusted_servers().map(|trusted| trusted.own().clone()));
        TownshipClient {
            transport: server.map(|server| HttpTransport::new(server, enrolled.as_ref(), Settings::load().lang)),
        }
    }

    fn transport(&self) -> Result<&HttpTransport, TownshipProblem> {
        self.transport
            .as_ref()
            .ok_or_else(|| TownshipProblem::of_transport_error(&TransportError::Network("no server".into())))
    }

    /// Reads the JSON answer to `request` (a list or a child's file).
    pub async fn read<T: DeserializeOwned>(&self, request: &TownshipRequest) -> Result<T, TownshipProblem> {
        wiped_if_lost(read_reply(self.transport()?.get(&request.path()).await))
    }

    /// Makes an invite.
    pub async fn invite(&self, invite: &InviteRequest) -> Result<InviteReply, TownshipProblem> {
        let body = serde_json::to_string(invite).unwrap_or_default();
        wiped_if_lost(read_reply(self.transport()?.post_json(&TownshipRequest::Invite.path(), body).await))
    }

    /// Revokes an invite or a phone (`request` is a `Revoke…`).
    pub async fn revoke(&self, request: &TownshipRequest) -> Result<(), TownshipProblem> {
        wiped_if_lost(read_done(self.transport()?.delete(&request.path()).await))
    }

    /// Issues a recovery code for the phone `id`, whose worker forgot her PIN.
    pub async fn issue_recovery(&self, id: uuid::Uuid) -> Result<RecoveryIssued, TownshipProblem> {
        wiped_if_lost(read_reply(
            self.transport()?.post_json(&TownshipRequest::IssueRecovery(id).path(), "{}".to_owned()).await,
        ))
    }

    /// Sets or ends a pairing (结对) of a child of her township.
    pub async fn pair(&self, pairing: &Pairing) -> Result<(), TownshipProblem> {
        let body = serde_json::to_string(pairing).unwrap_or_default();
        wiped_if_lost(read_done(self.transport()?.put_json(&TownshipRequest::Pair(pairing.id).path(), body).await))
    }

    /// Sends a case plan of a child of her township, changed, approved or closed.
    pub async fn put_case_plan(&self, plan: &CasePlan) -> Result<(), TownshipProblem> {
        let body = serde_json::to_string(plan).unwrap_or_default();
        wiped_if_lost(read_done(self.transport()?.put_json(&TownshipRequest::CasePlan(plan.id).path(), body).await))
    }

    /// Records a worker's training and assessment (the county).
    pub async fn record_training(&self, device: uuid::Uuid, training: &Training) -> Result<(), TownshipProblem> {
        let body = serde_json::to_string(training).unwrap_or_default();
        let path = TownshipRequest::RecordTraining(device).path();
        wiped_if_lost(read_done(self.transport()?.post_json(&path, body).await))
    }

    /// Keeps one version of a child's file with an edit kept aside (`id`).
    pub async fn reconcile(&self, id: i64, pick: &Reconcile) -> Result<(), TownshipProblem> {
        let body = serde_json::to_string(pick).unwrap_or_default();
        wiped_if_lost(read_done(self.transport()?.post_json(&TownshipRequest::Reconcile(id).path(), body).await))
    }

    /// A one-time link to `target`, as its whole address, and until when it works.
    pub async fn download_link(&self, target: &DownloadTarget) -> Result<DownloadLink, TownshipProblem> {
        let transport = self.transport()?;
        let body = serde_json::to_string(target).unwrap_or_default();
        let link: DownloadLink =
            wiped_if_lost(read_reply(transport.post_json(&TownshipRequest::MakeDownloadLink.path(), body).await))?;
        Ok(DownloadLink { path: transport.url(&link.path), ..link })
    }

    /// Merges two files of one child into one.
    pub async fn merge(&self, pick: &MergeChildren) -> Result<MergedChildren, TownshipProblem> {
        let body = serde_json::to_string(pick).unwrap_or_default();
        wiped_if_lost(read_reply(self.transport()?.post_json(&TownshipRequest::MergeDuplicates.path(), body).await))
    }

    /// Downloads the file of `request` and hands it to the browser to save as `file_name`;
    /// returns its size in bytes.
    pub async fn download(&self, request: &TownshipRequest, file_name: &str) -> Result<u64, TownshipProblem> {
        let answer = self.transport()?.download(&request.path()).await;
        let blob = answer
            .map_err(|error| TownshipProblem::of_transport_error(&error))?
            .map_err(|reply| TownshipProblem::of_reply(&reply));
        let blob = wiped_if_lost(blob)?;
        let size = blob.size() as u64;
        crate::saved_file::save_blob(&blob, file_name).map_err(|e| TownshipProblem::Unreachable(describe(&e)))?;
        Ok(size)
    }
}

impl Default for TownshipClient {
    fn default() -> TownshipClient {
        TownshipClient::new()
    }
}

/// A phone revoked as lost or stolen learns it from any call: everything Tongxing keeps of
/// its worker here goes (as in the field app's sync), and the app starts again as on a new
/// phone (or at the lock of whoever else shares it).
fn wiped_if_lost<T>(result: Result<T, TownshipProblem>) -> Result<T, TownshipProblem> {
    if result.as_ref().is_err_and(|problem| *problem == TownshipProblem::Lost) {
        leptos::task::spawn_local(async {
            match crate::storage::leave_phone(None).await {
                Ok(()) => drop(leptos::prelude::window().location().replace(PhoneApp::Oversight.root())),
                Err(problem) => leptos::logging::warn!("wipe: {problem}"),
            }
        });
    }
    result
}
