//! How long a sent visit's details stay on the phone: once the server has held its newest
//! revision for as long as the county says (`wire::CountyPolicy`, 30 days by default), and nothing on the phone still needs them (no
//! entry waits to send it, no draft edits it, and it is not its child's latest visit), the
//! answers leave the phone. Its summary stays (the due list, the child's history and the
//! next visit's date need no more), and the visit opened again reads its answers from the
//! server, as a visit recorded on another phone does.

use chrono::{DateTime, Duration, Utc};

use super::{EntryState, OutboxEntry};

/// What the phone knows of one saved visit, to decide whether its details may leave.
#[derive(Debug, Clone, Copy)]
pub struct SavedVisit<'a> {
    /// The revision saved on the phone.
    pub revision: u32,
    /// Its entry among those the server confirmed, if any.
    pub delivered: Option<&'a OutboxEntry>,
    /// An entry of it still waits to be sent (or to be looked at).
    pub waiting: bool,
    /// A draft edits it.
    pub drafted: bool,
    /// It is its child's latest visit.
    pub latest: bool,
}

impl SavedVisit<'_> {
    /// Whether its details may leave the phone at `now`, kept `keep` after the server
    /// confirmed it.
    pub fn details_may_leave(&self, now: DateTime<Utc>, keep: Duration) -> bool {
        let confirmed_long_ago = self.delivered.is_some_and(|entry| {
            entry.state == EntryState::Sent
                && entry.revision == self.revision
                && entry.sent_at.is_some_and(|at| now - at >= keep)
        });
        confirmed_long_ago && !self.waiting && !self.drafted && !self.latest
    }
}

#[cfg(test)]
mod tests {
    use uuid::Uuid;

    use super::*;
    use crate::outbox::RecordRef;

    fn at(days: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_790_000_000, 0).unwrap() + Duration::days(days)
    }

    fn sent(revision: u32, on: i64) -> OutboxEntry {
        let mut entry = OutboxEntry::new(RecordRef::visit(Uuid::nil()), revision, at(on));
        entry.state = EntryState::Sent;
        entry.sent_at = Some(at(on));
        entry
    }

    fn saved(delivered: Option<&OutboxEntry>) -> SavedVisit<'_> {
        SavedVisit { revision: 2, delivered, waiting: false, drafted: false, latest: false }
    }

    const THIRTY_DAYS: Duration = Duration::days(30);

    #[test]
    fn a_visit_the_server_held_for_as_long_as_the_county_says_leaves() {
        let entry = sent(2, 0);
        assert!(!saved(Some(&entry)).details_may_leave(at(29), THIRTY_DAYS), "kept for 30 days");
        assert!(saved(Some(&entry)).details_may_leave(at(30), THIRTY_DAYS));
        assert!(saved(Some(&entry)).details_may_leave(at(7), Duration::days(7)), "a county that keeps a week");
        assert!(!saved(Some(&entry)).details_may_leave(at(89), Duration::days(90)));
    }

    #[test]
    fn a_visit_anything_still_needs_stays() {
        let entry = sent(2, 0);
        let later = at(100);
        assert!(!saved(None).details_may_leave(later, THIRTY_DAYS), "never confirmed");
        let older = sent(1, 0);
        assert!(!saved(Some(&older)).details_may_leave(later, THIRTY_DAYS), "its newest revision not confirmed");
        assert!(!SavedVisit { waiting: true, ..saved(Some(&entry)) }.details_may_leave(later, THIRTY_DAYS));
        assert!(!SavedVisit { drafted: true, ..saved(Some(&entry)) }.details_may_leave(later, THIRTY_DAYS));
        assert!(
            !SavedVisit { latest: true, ..saved(Some(&entry)) }.details_may_leave(later, THIRTY_DAYS),
            "the child's latest"
        );
        let mut parked = sent(2, 0);
        parked.state = EntryState::NeedsAttention;
        assert!(!saved(Some(&parked)).details_may_leave(later, THIRTY_DAYS));
    }
}
