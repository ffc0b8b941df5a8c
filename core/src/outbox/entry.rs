//! One outbox entry and the transitions of its state machine:
//! queued → sending → sent | queued (retry) | needs-attention (parked).

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{Disposition, EntryOwner, RetryPolicy};
use crate::record_kind::RecordKind;

/// Which record an entry delivers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct RecordRef {
    pub kind: RecordKind,
    pub id: Uuid,
}

impl RecordRef {
    /// A visit's reference.
    pub fn visit(id: Uuid) -> RecordRef {
        RecordRef { kind: RecordKind::Visit, id }
    }

    /// A child's file's reference.
    pub fn child(id: Uuid) -> RecordRef {
        RecordRef { kind: RecordKind::Child, id }
    }

    /// A pairing's reference.
    pub fn pairing(id: Uuid) -> RecordRef {
        RecordRef { kind: RecordKind::Pairing, id }
    }

    /// A case plan's reference.
    pub fn case_plan(id: Uuid) -> RecordRef {
        RecordRef { kind: RecordKind::CasePlan, id }
    }

    /// The storage key of the entry: `visit:<uuid>`, `child:<uuid>`, `pairing:<uuid>` or
    /// `case_plan:<uuid>`.
    pub fn key(&self) -> String {
        format!("{}:{}", self.kind.code(), self.id)
    }
}

/// Where an entry is in its delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryState {
    /// Waiting for its next attempt.
    Queued,
    /// A send is under way (or was, when the app was killed mid-send).
    Sending,
    /// The server confirmed it durably holds this revision.
    Sent,
    /// The server refused it for good; the worker must look at it.
    NeedsAttention,
}

/// One record to deliver, with its delivery history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxEntry {
    pub record: RecordRef,
    /// The revision to deliver.
    pub revision: u32,
    pub state: EntryState,
    /// Attempts made for this revision.
    pub attempts: u32,
    /// When it was first queued; older entries go first.
    pub queued_at: DateTime<Utc>,
    /// A visit that found harm (强制报告): it goes before every other entry.
    #[serde(default)]
    pub urgent: bool,
    /// Not to be tried before this time (manual syncs ignore it).
    pub next_attempt_at: DateTime<Utc>,
    /// Why the last attempt failed, in the server's or the network's words.
    pub last_error: Option<String>,
    /// With `NeedsAttention`: what the worker must fix.
    pub park_reason: Option<super::ParkReason>,
    /// When the server confirmed it.
    pub sent_at: Option<DateTime<Utc>>,
    /// The server holds it, kept aside: another phone sent other content under the same
    /// revision (see [`Disposition::DeliveredInConflict`]).
    #[serde(default)]
    pub conflict: bool,
    /// The worker who saved it; `None`: saved before the phone joined, or before entries
    /// had owners, and sent by whoever the phone is joined as.
    #[serde(default)]
    pub owner: Option<EntryOwner>,
}

impl OutboxEntry {
    /// A new entry for the first saved revision of a record.
    pub fn new(record: RecordRef, revision: u32, now: DateTime<Utc>) -> OutboxEntry {
        OutboxEntry {
            record,
            revision,
            state: EntryState::Queued,
            attempts: 0,
            queued_at: now,
            urgent: false,
            next_attempt_at: now,
            last_error: None,
            park_reason: None,
            sent_at: None,
            conflict: false,
            owner: None,
        }
    }

    /// Whether a run of `owner`'s enrolment sends it.
    pub fn belongs_to(&self, owner: &EntryOwner) -> bool {
        self.owner.as_ref().is_none_or(|mine| mine == owner)
    }

    /// The entry is saved by `owner` (called before [`OutboxEntry::requeue`]): it becomes
    /// hers unless it holds another worker's revision not yet delivered (which must not go
    /// out under her place).
    pub fn claim(&mut self, owner: Option<&EntryOwner>) {
        let unsent_of_another = self.state != EntryState::Sent && self.owner.is_some() && self.owner.as_ref() != owner;
        if !unsent_of_another {
            self.owner = owner.cloned();
        }
    }

    /// The worker saved a newer revision: deliver that one, at once. A send of the older
    /// revision that is still under way settles into this new state (see [`OutboxEntry::settle`]).
    pub fn requeue(&mut self, revision: u32, now: DateTime<Utc>) {
        if revision <= self.revision && self.state != EntryState::NeedsAttention {
            return;
        }
        self.revision = self.revision.max(revision);
        self.state = EntryState::Queued;
        self.attempts = 0;
        self.next_attempt_at = now;
        self.last_error = None;
        self.park_reason = None;
        self.sent_at = None;
        self.conflict = false;
    }

    /// Marks the entry to go first (or not, when a later revision no longer finds harm).
    pub fn set_urgent(&mut self, urgent: bool) {
        self.urgent = urgent;
    }

    /// The order a run tries entries in: urgent first, then oldest first.
    pub fn send_order(&self) -> (bool, DateTime<Utc>, RecordRef) {
        (!self.urgent, self.queued_at, self.record)
    }

    /// Whether a run in `mode` at `now` should try this entry. An entry left `Sending` by a
    /// run that never finished (the tab was killed) is always due.
    pub fn is_due(&self, now: DateTime<Utc>, mode: super::RunMode) -> bool {
        match self.state {
            EntryState::Sending => true,
            EntryState::Queued => mode == super::RunMode::Manual || self.next_attempt_at <= now,
            EntryState::Sent | EntryState::NeedsAttention => false,
        }
    }

    /// Whether it still has to reach the server.
    pub fn is_pending(&self) -> bool {
        matches!(self.state, EntryState::Queued | EntryState::Sending)
    }

    /// Marks the start of a send. Stored before the request leaves the phone.
    pub fn begin_send(&mut self) {
        self.state = EntryState::Sending;
    }

    /// Records what came of sending `sent_revision`. If the worker saved a newer revision
    /// meanwhile, the entry stays queued for that one whatever the outcome.
    pub fn settle(
        &mut self,
        sent_revision: u32,
        disposition: &Disposition,
        now: DateTime<Utc>,
        policy: &RetryPolicy,
        jitter: f64,
    ) {
        if self.revision > sent_revision {
            self.state = EntryState::Queued;
            self.next_attempt_at = now;
            return;
        }
        match disposition {
            Disposition::Delivered | Disposition::DeliveredInConflict => {
                self.attempts += 1;
                self.state = EntryState::Sent;
                self.sent_at = Some(now);
                self.last_error = None;
                self.park_reason = None;
                self.conflict = *disposition == Disposition::DeliveredInConflict;
            }
            Disposition::Retry { after, problem } => {
                self.attempts += 1;
                let backoff = policy.delay(self.attempts, jitter);
                let wait = match after {
                    Some(server_wait) => backoff.max(*server_wait).min(policy.max_server_wait),
                    None => backoff,
                };
                self.state = EntryState::Queued;
                self.next_attempt_at = now + wait;
                self.last_error = Some(problem.clone());
            }
            Disposition::Park { reason, problem } => {
                self.attempts += 1;
                self.state = EntryState::NeedsAttention;
                self.park_reason = Some(*reason);
                self.last_error = Some(problem.clone());
            }
            Disposition::Pause { problem, .. } => {
                // Not the record's fault: try again as soon as the device is allowed again.
                self.state = EntryState::Queued;
                self.next_attempt_at = now;
                self.last_error = Some(problem.clone());
            }
        }
    }

    /// How long until it is due, for scheduling the next run (zero when due now).
    pub fn wait(&self, now: DateTime<Utc>) -> Option<Duration> {
        match self.state {
            EntryState::Queued => Some((self.next_attempt_at - now).max(Duration::zero())),
            EntryState::Sending => Some(Duration::zero()),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outbox::{ParkReason, RunMode};

    fn t(secs: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_790_000_000 + secs, 0).unwrap()
    }

    fn entry() -> OutboxEntry {
        OutboxEntry::new(RecordRef::visit(Uuid::from_u128(7)), 1, t(0))
    }

    fn retry() -> Disposition {
        Disposition::Retry { after: None, problem: "HTTP 503".into() }
    }

    #[test]
    fn a_conflict_marks_the_sent_entry_until_a_new_revision_is_queued() {
        let mut e = entry();
        e.begin_send();
        e.settle(1, &Disposition::DeliveredInConflict, t(1), &RetryPolicy::default(), 0.5);
        assert_eq!((e.state, e.conflict), (EntryState::Sent, true));
        e.requeue(2, t(2));
        assert!(!e.conflict);
        e.settle(2, &Disposition::Delivered, t(3), &RetryPolicy::default(), 0.5);
        assert_eq!((e.state, e.conflict), (EntryState::Sent, false));
    }

    #[test]
    fn delivered_marks_sent() {
        let mut e = entry();
        e.begin_send();
        assert_eq!(e.state, EntryState::Sending);
        e.settle(1, &Disposition::Delivered, t(5), &RetryPolicy::default(), 0.5);
        assert_eq!(e.state, EntryState::Sent);
        assert_eq!(e.sent_at, Some(t(5)));
        assert_eq!(e.attempts, 1);
        assert!(!e.is_pending());
    }

    #[test]
    fn retry_backs_off_and_keeps_the_reason() {
        let mut e = entry();
        e.begin_send();
        e.settle(1, &retry(), t(0), &RetryPolicy::default(), 0.0);
        assert_eq!(e.state, EntryState::Queued);
        assert!(e.next_attempt_at > t(0));
        assert_eq!(e.last_error.as_deref(), Some("HTTP 503"));
        assert!(!e.is_due(t(0), RunMode::Scheduled));
        assert!(e.is_due(t(0), RunMode::Manual), "sync now ignores the backoff");
        assert!(e.is_due(e.next_attempt_at, RunMode::Scheduled));
    }

    #[test]
    fn the_server_s_retry_after_is_honoured_but_bounded() {
        let policy = RetryPolicy::default();
        let mut e = entry();
        let d = Disposition::Retry { after: Some(Duration::seconds(120)), problem: "HTTP 429".into() };
        e.settle(1, &d, t(0), &policy, 0.0);
        assert_eq!(e.next_attempt_at, t(120));
        let d = Disposition::Retry { after: Some(Duration::days(30)), problem: "HTTP 503".into() };
        e.settle(1, &d, t(0), &policy, 0.0);
        assert_eq!(e.next_attempt_at, t(0) + policy.max_server_wait);
    }

    #[test]
    fn park_needs_attention_and_is_not_retried() {
        let mut e = entry();
        let d = Disposition::Park { reason: ParkReason::Invalid, problem: "child_name: required".into() };
        e.settle(1, &d, t(0), &RetryPolicy::default(), 0.5);
        assert_eq!(e.state, EntryState::NeedsAttention);
        assert_eq!(e.park_reason, Some(ParkReason::Invalid));
        assert!(!e.is_due(t(1_000_000), RunMode::Manual));
        // The worker fixes the record and saves it again: it is queued at once.
        e.requeue(2, t(10));
        assert_eq!(e.state, EntryState::Queued);
        assert_eq!(e.revision, 2);
        assert_eq!(e.park_reason, None);
        assert!(e.is_due(t(10), RunMode::Scheduled));
    }

    #[test]
    fn a_newer_revision_saved_mid_send_is_not_marked_sent() {
        let mut e = entry();
        e.begin_send();
        // While revision 1 is on the wire, the worker saves revision 2.
        e.requeue(2, t(1));
        e.settle(1, &Disposition::Delivered, t(2), &RetryPolicy::default(), 0.5);
        assert_eq!(e.state, EntryState::Queued);
        assert_eq!(e.revision, 2);
        assert!(e.is_due(t(2), RunMode::Scheduled));
    }

    #[test]
    fn an_interrupted_send_is_due_again() {
        let mut e = entry();
        e.next_attempt_at = t(1000);
        e.begin_send();
        assert!(e.is_due(t(0), RunMode::Scheduled));
        assert_eq!(e.wait(t(0)), Some(Duration::zero()));
    }

    #[test]
    fn pause_leaves_the_entry_queued_without_counting_an_attempt() {
        let mut e = entry();
        e.begin_send();
        e.settle(
            1,
            &Disposition::Pause { problem: "HTTP 401".into(), lost: false },
            t(3),
            &RetryPolicy::default(),
            0.5,
        );
        assert_eq!(e.state, EntryState::Queued);
        assert_eq!(e.attempts, 0);
        assert_eq!(e.next_attempt_at, t(3));
    }

    #[test]
    fn requeue_of_an_older_or_same_revision_changes_nothing() {
        let mut e = entry();
        e.settle(1, &Disposition::Delivered, t(1), &RetryPolicy::default(), 0.5);
        let before = e.clone();
        e.requeue(1, t(2));
        assert_eq!(e, before);
    }

    fn owner(name: &str, village: &str) -> EntryOwner {
        let server = crate::enrolment::ServerOrigin::parse("https://tx.example.cn").unwrap();
        EntryOwner { server, township: "石门镇".into(), village: village.into(), name: name.into() }
    }

    #[test]
    fn an_entry_goes_out_only_with_its_own_workers_enrolment() {
        let (li, wang) = (owner("李芳", "桃源村"), owner("王兰", "石桥村"));
        let mut e = entry();
        assert!(e.belongs_to(&li) && e.belongs_to(&wang), "saved before joining: whoever joins sends it");
        e.claim(Some(&li));
        assert!(e.belongs_to(&li));
        assert!(!e.belongs_to(&wang));
        assert!(!e.belongs_to(&owner("李芳", "石桥村")), "the same name at another place is another worker");
    }

    #[test]
    fn another_worker_saving_an_unsent_entry_does_not_take_it() {
        let (li, wang) = (owner("李芳", "桃源村"), owner("王兰", "石桥村"));
        let mut e = entry();
        e.claim(Some(&li));
        e.requeue(2, t(1));
        e.claim(Some(&wang));
        assert_eq!(e.owner.as_ref(), Some(&li), "李芳's unsent revision must not go out under 王兰's place");
        e.claim(None);
        assert_eq!(e.owner.as_ref(), Some(&li));
        e.settle(2, &Disposition::Delivered, t(2), &RetryPolicy::default(), 0.5);
        e.claim(Some(&wang));
        e.requeue(3, t(3));
        assert_eq!(
            e.owner.as_ref(),
            Some(&wang),
            "once delivered, a newer revision is the saver's (the server checks her place)"
        );
    }
}
