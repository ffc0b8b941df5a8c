//! Sent visits' details leaving the phone (core's [`SavedVisit::details_may_leave`]): the
//! answers of a visit the server has held for a while go; its summary stays, so the due list
//! and the child's history are as they were, and the visit opened again is read from the
//! server ([`crate::screen_state::open_visit`] finds its summary only).

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, Utc};
use tongxing_core::outbox::{OutboxEntry, SavedVisit};
use tongxing_core::schedule::VisitSummary;
use tongxing_core::{RecordKind, Visit};
use uuid::Uuid;

use super::database::{all_in, delete_in, get_in, keys_in, Durability, DELIVERED, DRAFTS, LATEST, OUTBOX, VISITS};
use super::{Database, StorageError};

impl Database {
    /// Removes the details of every saved visit that may leave the phone at `now`, kept
    /// `keep` after the server confirmed it (the county's days), in one transaction.
    /// Returns how many went.
    pub async fn release_sent_visits(&self, now: DateTime<Utc>, keep: Duration) -> Result<usize, StorageError> {
        let tx = self.write(&[VISITS, DELIVERED, OUTBOX, DRAFTS, LATEST], Durability::Strict)?;
        let waiting: BTreeSet<String> = keys_in(&tx, OUTBOX).await?.into_iter().collect();
        let drafted: BTreeSet<String> = keys_in(&tx, DRAFTS).await?.into_iter().collect();
        let saved: BTreeSet<String> = keys_in(&tx, VISITS).await?.into_iter().collect();
        let latest: BTreeSet<Uuid> =
            all_in::<VisitSummary>(&tx, LATEST).await?.into_iter().map(|summary| summary.visit_id).collect();
        // Each delivered visit still on the phone is judged by its entry first, and only one
        // that may leave is read whole (for the revision saved): at most starts, none.
        let mut released = 0;
        for entry in all_in::<OutboxEntry>(&tx, DELIVERED).await? {
            let id = entry.record.id.to_string();
            if entry.record.kind != RecordKind::Visit || !saved.contains(&id) {
                continue;
            }
            let judged = |revision| SavedVisit {
                revision,
                delivered: Some(&entry),
                waiting: waiting.contains(&entry.record.key()),
                drafted: drafted.contains(&id),
                latest: latest.contains(&entry.record.id),
            };
            if !judged(entry.revision).details_may_leave(now, keep) {
                continue;
            }
            let Some(visit) = get_in::<Visit>(&tx, VISITS, &id).await? else { continue };
            if judged(visit.revision).details_may_leave(now, keep) {
                delete_in(&tx, VISITS, &id).await?;
                released += 1;
            }
        }
        tx.commit().await?;
        Ok(released)
    }
}
