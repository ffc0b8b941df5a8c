//! Sent visits' details leaving the phone (core's [`SavedVisit::details_may_leave`]): the
//! answers of a visit the server has held for a while go; its summary stays, so the due list
//! and the child's history are as they were, and the visit opened again is read from the
//! server ([`crate::screen_state::open_visit`] finds its summary only).

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use tongxing_core::outbox::{OutboxEntry, RecordRef, SavedVisit};
use tongxing_core::schedule::VisitSummary;
use tongxing_core::Visit;

use super::database::{all_in, delete_in, get_in, keys_in, Durability, DELIVERED, DRAFTS, LATEST, OUTBOX, VISITS};
use super::{Database, StorageError};

impl Database {
    /// Removes the details of every saved visit that may leave the phone at `now`, in one
    /// transaction. Returns how many went.
    pub async fn release_sent_visits(&self, now: DateTime<Utc>) -> Result<usize, StorageError> {
        let tx = self.write(&[VISITS, DELIVERED, OUTBOX, DRAFTS, LATEST], Durability::Strict)?;
        let waiting: BTreeSet<String> = keys_in(&tx, OUTBOX).await?.into_iter().collect();
        let drafted: BTreeSet<String> = keys_in(&tx, DRAFTS).await?.into_iter().collect();
        let latest: BTreeSet<_> =
            all_in::<VisitSummary>(&tx, LATEST).await?.into_iter().map(|summary| summary.visit_id).collect();
        let mut released = 0;
        for visit in all_in::<Visit>(&tx, VISITS).await? {
            let key = RecordRef::visit(visit.id).key();
            let delivered: Option<OutboxEntry> = get_in(&tx, DELIVERED, &key).await?;
            let saved = SavedVisit {
                revision: visit.revision,
                delivered: delivered.as_ref(),
                waiting: waiting.contains(&key),
                drafted: drafted.contains(&visit.id.to_string()),
                latest: latest.contains(&visit.id),
            };
            if saved.details_may_leave(now) {
                delete_in(&tx, VISITS, &visit.id.to_string()).await?;
                released += 1;
            }
        }
        tx.commit().await?;
        Ok(released)
    }
}
