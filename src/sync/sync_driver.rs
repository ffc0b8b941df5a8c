//! The sync driver: runs the outbox engine when there is reason to, and publishes what the
//! sync indicator shows. Whether a run may start is the [`SyncGate`]'s to decide; the driver
//! wires it to the browser's events, timers and storage.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use tongxing_core::enrolment::DeviceEnrolment;
use tongxing_core::outbox::{
    run_once, Admission, ByteProgress, Clock, RetryPolicy, RunMode, RunReport, RunStop, Summary, SyncGate,
};
use tongxing_core::pull::{pull, pull_due, PullStop};
use wasm_bindgen::prelude::*;
use web_sys::BroadcastChannel;

use super::shown_as_received::ShownAsReceived;
use super::{background_send, county, key_deposit, run_lock, token_rotation, BrowserClock, HttpTransport};
use crate::storage::enrolment;
use crate::storage::settings::{self, Settings};
use crate::storage::{Database, OutboxDb, ReceivedDb, StorageError};

/// The channel on which tabs tell each other the outbox changed.
const CHANNEL: &str = "tongxing-outbox";

/// What the sync indicator shows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SyncStatus {
    pub summary: Summary,
    /// Whether `summary` was counted from the outbox (not yet while the phone is locked).
    pub counted: bool,
    pub running: bool,
    pub online: bool,
    pub last_success: Option<DateTime<Utc>>,
    /// How the last run ended.
    pub last_stop: Option<RunStop>,
    /// The last storage failure, if the last run hit one.
    pub storage_problem: Option<StorageError>,
    /// While a run sends: the bytes the server has confirmed, of those it set out to send.
    pub bytes: Option<ByteProgress>,
}

struct Inner {
    db: Database,
    gate: RefCell<SyncGate>,
    /// When this tab last pulled from the server (ms since the epoch).
    last_pull_ms: std::cell::Cell<Option<i64>>,
    wake: RefCell<Option<gloo_timers::callback::Timeout>>,
    channel: Option<BroadcastChannel>,
    /// What the file kept for the service worker holds (Background Sync).
    background: background_send::KeptForBackground,
}

/// A handle to the sync driver; `Copy`, kept in context.
#[derive(Clone, Copy)]
pub struct SyncDriver {
    inner: StoredValue<Rc<Inner>, LocalStorage>,
    /// What the indicator shows.
    pub status: RwSignal<SyncStatus>,
    /// Bumped whenever the outbox changed (here or in another tab): lists refetch on it.
    pub changes: RwSignal<u64>,
}

impl SyncDriver {
    /// Starts the driver: a run now, and on `online`, on becoming visible, on a timer, and
    /// when another tab says the outbox changed.
    pub fn start(db: Database) -> SyncDriver {
        let channel = BroadcastChannel::new(CHANNEL).ok();
        let online = web_sys::window().map(|w| w.navigator().on_line()).unwrap_or(true);
        let driver = SyncDriver {
            inner: StoredValue::new_local(Rc::new(Inner {
                db,
                gate: RefCell::new(SyncGate::new()),
                last_pull_ms: std::cell::Cell::new(None),
                wake: RefCell::new(None),
                channel: channel.clone(),
                background: Default::default(),
            })),
            status: RwSignal::new(SyncStatus { online, last_success: settings::last_sync(), ..SyncStatus::default() }),
            changes: RwSignal::new(0),
        };

        let _ = window_event_listener_untyped("online", move |_| {
            driver.status.update(|s| s.online = true);
            // Connectivity is back: the waits that failed sends set while offline are moot,
            // so every queued entry is tried now, the urgent ones first.
            driver.request(RunMode::Manual);
        });
        let _ = window_event_listener_untyped("offline", move |_| driver.status.update(|s| s.online = false));
        let _ = window_event_listener_untyped("visibilitychange", move |_| {
            if document().visibility_state() == web_sys::VisibilityState::Visible {
                driver.request(RunMode::Scheduled);
            }
        });
        let _ = set_interval_with_handle(
            move || driver.request(RunMode::Scheduled),
            std::time::Duration::from_millis(SyncGate::TICK_MS.into()),
        );
        if let Some(channel) = channel {
            let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |_| driver.changed_elsewhere());
            channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
            on_message.forget();
        }
        driver.request(RunMode::Scheduled);
        driver
    }

    /// "Sync now": tries every waiting record at once, ignoring backoff.
    pub fn sync_now(&self) {
        self.request(RunMode::Manual);
    }

    /// Tells the driver (and other tabs) that a visit was saved, and sends it.
    pub fn saved(&self) {
        self.announce();
        self.request(RunMode::Scheduled);
    }

    fn request(&self, mode: RunMode) {
        let driver = *self;
        leptos::task::spawn_local(async move { driver.run(mode).await });
    }

    async fn run(self, mode: RunMode) {
        let Some(inner) = self.inner.try_get_value() else { return };
        let online = self.status.with_untracked(|s| s.online);
        let token = enrolment::load().map(|enrolled| enrolled.token);
        let admission = inner.gate.borrow_mut().admit(mode, online, token.as_deref());
        match admission {
            Admission::Start => {}
            Admission::Hold => {
                // Offline: what waits is kept for the service worker to send once it is back.
                background_send::after_run(&inner.db, &inner.background).await;
                return self.refresh();
            }
            Admission::NotJoined => {
                self.status.update(|s| s.last_stop = Some(RunStop::Paused));
                return self.refresh();
            }
            Admission::Merged => return,
        }
        self.status.update(|s| s.running = true);
        let mut mode = mode;
        loop {
            let db = inner.db.clone();
            // Read again each time round: the worker may have joined again meanwhile.
            let Some(enrolled) = enrolment::load() else {
                inner.gate.borrow_mut().end();
                break;
            };
            let lang = Settings::load().lang;
            let transport = HttpTransport::new(enrolled.server.clone(), Some(&enrolled), lang);
            let owner = enrolled.owner();
            let status = self.status;
            let progress = move |bytes: ByteProgress| status.update(|s| s.bytes = Some(bytes));
            let holder = enrolled.clone();
            let outcome = run_lock::with_outbox_lock(async move {
                let report = run_once(
                    &OutboxDb(db),
                    &transport,
                    &BrowserClock,
                    &BrowserClock,
                    &RetryPolicy::default(),
                    mode,
                    &owner,
                    &progress,
                )
                .await;
                if matches!(&report, Ok(report) if report.stop == RunStop::Finished) {
                    token_rotation::renew_if_due(&holder, lang).await;
                    // Neither waits for the other: one round trip instead of two on a
                    // new phone's first run.
                    futures::future::join(key_deposit::deposit_if_due(&holder, lang), county::fetch_if_due(lang)).await;
                }
                report
            })
            .await;
            match outcome {
                Some(Ok(report)) if report.stop == RunStop::Lost => return wipe(inner.db.clone()),
                Some(Ok(report)) => {
                    inner.gate.borrow_mut().ran(report.stop, &enrolled.token);
                    self.finished(&inner, &report);
                    background_send::after_run(&inner.db, &inner.background).await;
                    if report.stop == RunStop::Finished {
                        // As the phone holds it now: the token may have been renewed after
                        // the run, and the new one used (which ends the old one).
                        let current = enrolment::load().filter(|now| now.worker == enrolled.worker);
                        let current = current.unwrap_or_else(|| enrolled.clone());
                        self.pull_if_due(&inner, &current, mode == RunMode::Manual, report.delivered).await;
                    }
                }
                Some(Err(problem)) => self.status.update(|s| s.storage_problem = Some(problem)),
                None => self.wake_in(&inner, SyncGate::BUSY_RETRY_MS),
            }
            let next = inner.gate.borrow_mut().next_run();
            match next {
                Some(next) => mode = next,
                None => break,
            }
        }
        self.status.update(|s| {
            s.running = false;
            s.bytes = None;
        });
        self.announce();
    }

    fn finished(&self, inner: &Inner, report: &RunReport) {
        let now = BrowserClock.now();
        if report.delivered > 0 {
            settings::set_last_sync(now);
            // Photos the server now holds, and nothing waits to send, leave the phone.
            let db = inner.db.clone();
            leptos::task::spawn_local(async move {
                if let Err(problem) = db.release_photos_on_server().await {
                    leptos::logging::warn!("photo release: {problem}");
                }
            });
        }
        self.status.update(|s| {
            if report.delivered > 0 {
                s.last_success = Some(now);
            }
            s.last_stop = Some(report.stop);
            s.storage_problem = None;
        });
        if let Some(wait_ms) = SyncGate::wake_after(report.next_due, now) {
            self.wake_in(inner, wait_ms);
        }
    }

    /// After a run that sent everything: brings what the server holds for this phone
    /// (core's `pull`), when one is due, and has the lists read again if anything came.
    async fn pull_if_due(&self, inner: &Inner, enrolled: &DeviceEnrolment, asked: bool, delivered: u32) {
        let now_ms = BrowserClock.now().timestamp_millis();
        if !pull_due(asked, delivered, inner.last_pull_ms.get(), now_ms) {
            return;
        }
        let transport = HttpTransport::new(enrolled.server.clone(), Some(enrolled), Settings::load().lang);
        let store = ReceivedDb { db: inner.db.clone(), me: enrolled.worker.id };
        let report = pull(&transport, &ShownAsReceived { store, driver: *self, shown: Cell::new(false) }).await;
        if report.stop.counts_as_pulled() {
            inner.last_pull_ms.set(Some(now_ms));
        }
        match &report.stop {
            PullStop::Storage(problem) => {
                self.status.update(|s| s.storage_problem = Some(StorageError::Failed(problem.clone())))
            }
            PullStop::Lost => return wipe(inner.db.clone()),
            _ => {}
        }
        if report.received > 0 {
            self.announce();
        }
    }

    fn wake_in(&self, inner: &Inner, millis: u32) {
        let driver = *self;
        *inner.wake.borrow_mut() =
            Some(gloo_timers::callback::Timeout::new(millis, move || driver.request(RunMode::Scheduled)));
    }

    /// Recounts the outbox, bumps `changes`, and tells other tabs.
    /// Has this tab's lists read again, and tells the other tabs.
    pub(super) fn announce(&self) {
        self.refresh();
        if let Some(inner) = self.inner.try_get_value() {
            if let Some(channel) = &inner.channel {
                let _ = channel.post_message(&JsValue::from_str("changed"));
            }
        }
    }

    fn changed_elsewhere(&self) {
        self.status.update(|s| s.last_success = settings::last_sync());
        self.refresh();
    }

    fn refresh(&self) {
        let driver = *self;
        let Some(inner) = self.inner.try_get_value() else { return };
        leptos::task::spawn_local(async move {
            use tongxing_core::outbox::OutboxStore;
            match OutboxDb(inner.db.clone()).entries().await {
                Ok(entries) => {
                    // What waits for another worker of this phone is hers to see, not this one's.
                    let owner = enrolment::owner();
                    let mine = entries.iter().filter(|e| owner.as_ref().is_none_or(|owner| e.belongs_to(owner)));
                    driver.status.update(|s| {
                        s.summary = Summary::of(mine);
                        s.counted = true;
                    })
                }
                Err(problem) => driver.status.update(|s| s.storage_problem = Some(problem)),
            }
            driver.changes.update(|n| *n += 1);
        });
    }
}

/// The server revoked this phone as lost or stolen: everything of this worker on it goes,
/// as when she leaves the phone but without waiting for unsent work (which must not go out
/// from a lost phone), and the app starts again (at the lock of whoever else shares the
/// phone, or as on a new phone).
fn wipe(db: Database) {
    leptos::task::spawn_local(async move {
        match crate::storage::leave_phone(Some(&db)).await {
            Ok(()) => drop(window().location().replace(tongxing_core::phone_app::PhoneApp::Field.root())),
            Err(problem) => leptos::logging::warn!("wipe: {problem}"),
        }
    });
}
