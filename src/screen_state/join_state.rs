//! What the join screen holds and does: the link, the invite it names, what the worker
//! typed, and joining (enrolment, then keeping the token with the server that issued it).
//! What each answer of the server means is decided in `tongxing_core::enrolment`.

use leptos::prelude::*;
use tongxing_core::enrolment::{read_reply, DeviceEnrolment, InviteLink, JoinProblem, ServerOrigin};
use tongxing_core::outbox::{Clock, EntryOwner};
use tongxing_core::wire::API_PREFIX;
use tongxing_core::wire::{EnrollReply, EnrollRequest, InviteInfo};
use tongxing_core::{FieldErrors, Worker};

use crate::context::Db;
use crate::storage::{enrolment, OutboxDb, Settings, StorageError};
use crate::sync::{BrowserClock, HttpTransport};
use crate::trusted_servers::trusted_servers;

/// Everything the join screen holds; `Copy`, so each drawing function takes it whole.
#[derive(Clone, Copy)]
pub struct JoinState {
    pub enrolled: RwSignal<Option<Worker>>,
    /// The link being used; `None`: none opened yet.
    pub link: RwSignal<Option<Result<InviteLink, JoinProblem>>>,
    /// `None` while the invite is read.
    pub invite: RwSignal<Option<Result<InviteInfo, JoinProblem>>>,
    pub name: RwSignal<String>,
    pub phone: RwSignal<String>,
    /// Field errors, from the phone's check or the server's `422`.
    pub errors: RwSignal<FieldErrors>,
    /// "Join" was tapped once: errors follow the typing from then on.
    pub checked: RwSignal<bool>,
    pub sending: RwSignal<bool>,
    /// Why the last "join" did not work.
    pub refused: RwSignal<Option<JoinProblem>>,
    pub storage_problem: RwSignal<Option<StorageError>>,
    pub pasted: RwSignal<String>,
    pub paste_problem: RwSignal<Option<JoinProblem>>,
    /// Records the worker joined until now has not sent yet, and whose they are.
    pub unsent: RwSignal<Option<(u32, EntryOwner)>>,
    /// "Join" was tapped once while records of another worker wait: the next tap joins.
    pub unsent_seen: RwSignal<bool>,
    /// The phone's database (none in tests of the screen alone).
    pub db: Option<Db>,
    pub on_joined: Callback<()>,
}

impl JoinState {
    /// The state of a screen opened from `link` (`None`: none yet), for a phone joined as
    /// `enrolled` until now.
    pub fn new(
        enrolled: RwSignal<Option<Worker>>,
        db: Option<Db>,
        link: Option<Result<InviteLink, JoinProblem>>,
        on_joined: Callback<()>,
    ) -> JoinState {
        JoinState {
            enrolled,
            // Checked before anything is asked of the server it names.
            link: RwSignal::new(link.map(|link| link.and_then(trusted_link))),
            invite: RwSignal::new(None),
            // Joining again: most likely the same person.
            name: RwSignal::new(enrolled.with_untracked(|w| w.as_ref().map(|w| w.name.clone()).unwrap_or_default())),
            phone: RwSignal::new(String::new()),
            errors: RwSignal::new(FieldErrors::new()),
            checked: RwSignal::new(false),
            sending: RwSignal::new(false),
            refused: RwSignal::new(None),
            storage_problem: RwSignal::new(None),
            pasted: RwSignal::new(String::new()),
            paste_problem: RwSignal::new(None),
            unsent: RwSignal::new(None),
            unsent_seen: RwSignal::new(false),
            db,
            on_joined,
        }
    }

    /// Reads the invite of the current link.
    pub fn load(self) {
        let Some(Ok(link)) = self.link.get_untracked() else { return };
        self.invite.set(None);
        let Some(transport) = transport_for(&link) else { return };
        leptos::task::spawn_local(async move {
            let outcome = transport.get(&link.info_path()).await;
            self.invite.try_set(Some(read_reply(outcome)));
        });
    }

    fn request(self, code: String) -> EnrollRequest {
        EnrollRequest {
            code,
            name: self.name.get_untracked().trim().to_owned(),
            phone: self.phone.get_untracked().trim().to_owned(),
        }
    }

    pub fn recheck(self) {
        if let (true, Some(Ok(link))) = (self.checked.get_untracked(), self.link.get_untracked()) {
            self.errors.set(self.request(link.code).validate().err().unwrap_or_default());
        }
    }

    /// Checks the form, enrols, keeps the token, then calls `on_joined`.
    pub fn submit(self) {
        let Some(Ok(link)) = self.link.get_untracked() else { return };
        let Ok(server) = checked_server(&link) else { return };
        let request = self.request(link.code.clone());
        self.checked.set(true);
        self.refused.set(None);
        if let Err(found) = request.validate() {
            self.errors.set(found);
            return;
        }
        self.errors.set(FieldErrors::new());
        if self.leaves_records_behind(&server, &request.name) && !self.unsent_seen.get_untracked() {
            // Ask first: the records of the worker joined until now will wait for her.
            self.unsent_seen.set(true);
            return;
        }
        self.sending.set(true);
        leptos::task::spawn_local(async move {
            let body = serde_json::to_string(&request).unwrap_or_default();
            let outcome = HttpTransport::new(server.clone(), None, Settings::load().lang)
                .post_json(&format!("{API_PREFIX}/enroll"), body)
                .await;
            match read_reply::<EnrollReply>(outcome) {
                Ok(joined) => match keep(self.db, server, joined.clone()).await {
                    Ok(()) => {
                        self.enrolled.set(Some(joined.worker));
                        self.on_joined.run(());
                    }
                    Err(failed) => {
                        self.storage_problem.try_set(Some(failed));
                    }
                },
                Err(refused) => {
                    if let JoinProblem::Invalid(fields) = &refused {
                        self.errors.try_set(fields.clone());
                    }
                    self.refused.try_set(Some(refused));
                }
            }
            self.sending.try_set(false);
        });
    }

    /// Opens a pasted link or code.
    pub fn open_pasted(self) {
        match InviteLink::parse(&self.pasted.get_untracked()).and_then(trusted_link) {
            Ok(link) => {
                self.link.set(Some(Ok(link)));
                self.load();
            }
            Err(refused) => self.paste_problem.set(Some(refused)),
        }
    }

    /// Whether joining as `name` at the invite's place on `server` leaves unsent records of
    /// another worker behind (the same worker joining again takes hers along).
    fn leaves_records_behind(self, server: &ServerOrigin, name: &str) -> bool {
        let Some((_, owner)) = self.unsent.get_untracked() else { return false };
        let Some(Ok(invite)) = self.invite.get_untracked() else { return true };
        EntryOwner::new(server.clone(), &invite.place, name) != owner
    }

    /// Counts what the worker joined until now has not sent (shown before joining again).
    pub fn count_unsent(self) {
        let (Some(db), Some(owner)) = (self.db, enrolment::owner()) else { return };
        leptos::task::spawn_local(async move {
            if let Ok(count @ 1..) = OutboxDb(db.get()).unsent_of(&owner).await {
                self.unsent.try_set(Some((count, owner)));
            }
        });
    }
}

/// The link, if the server it names is one this app talks to.
fn trusted_link(link: InviteLink) -> Result<InviteLink, JoinProblem> {
    checked_server(&link).map(|_| link)
}

/// The server `link` joins, if the app trusts it.
pub fn checked_server(link: &InviteLink) -> Result<ServerOrigin, JoinProblem> {
    let trusted = trusted_servers().ok_or(JoinProblem::BadServer)?;
    link.server_in(&trusted)
}

/// To the server the link names (the app's own if none), which the app trusts; a link
/// naming another is refused before it gets here.
fn transport_for(link: &InviteLink) -> Option<HttpTransport> {
    checked_server(link).ok().map(|server| HttpTransport::new(server, None, Settings::load().lang))
}

/// The host of the server the link joins, shown on the invite.
pub fn link_host(link: &Option<Result<InviteLink, JoinProblem>>) -> String {
    match link {
        Some(Ok(link)) => checked_server(link).map(|server| server.host().to_owned()).unwrap_or_default(),
        _ => String::new(),
    }
}

/// Keeps the token and the worker with the server that issued the token. What the worker
/// joined until now left unsent, without an owner, stays hers.
async fn keep(db: Option<Db>, server: ServerOrigin, joined: EnrollReply) -> Result<(), StorageError> {
    let enrolled = DeviceEnrolment::joined(joined, server, BrowserClock.now());
    if let (Some(earlier), Some(db)) = (enrolment::owner(), db) {
        if earlier != enrolled.owner() {
            OutboxDb(db.get()).hand_unowned_to(&earlier).await?;
        }
    }
    enrolment::store(&enrolled)
}
