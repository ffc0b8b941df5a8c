//! Pairings (结对) on the phone: those received from the server and those a director sets
//! or ends here, which one transaction saves and queues, as a child's file is saved. Which
//! hold, and whom a director may still pick, are core's ([`paired_with`], [`pickable`]).
//!
//! [`pickable`]: tongxing_core::pairing::pickable

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use indexed_db_futures::transaction::Transaction;
use tongxing_core::outbox::{OutboxEntry, RecordRef};
use tongxing_core::pairing::{paired_with, PairedWith, Pairing};
use tongxing_core::wire::VillageWorker;
use uuid::Uuid;

use super::database::{all_in, delete_in, get_in, put_in, Durability, DELIVERED, OUTBOX, PAIRED_WORKERS, PAIRINGS};
use super::outbox_store::queue_in;
use super::{Database, StorageError};

impl Database {
    /// Saves a pairing set or ended on this phone, with the worker it names, and queues it
    /// for sending, atomically and durably.
    pub async fn save_pairing(
        &self,
        pairing: &Pairing,
        worker: Option<&VillageWorker>,
        now: DateTime<Utc>,
    ) -> Result<OutboxEntry, StorageError> {
        let tx = self.write(&[PAIRINGS, PAIRED_WORKERS, OUTBOX, DELIVERED], Durability::Strict)?;
        put_in(&tx, PAIRINGS, &pairing.id.to_string(), pairing).await?;
        if let Some(worker) = worker {
            put_in(&tx, PAIRED_WORKERS, &worker.id.to_string(), worker).await?;
        }
        let entry = queue_in(&tx, RecordRef::pairing(pairing.id), pairing.revision, false, now).await?;
        tx.commit().await?;
        Ok(entry)
    }

    /// The pairings that hold for the child `child`, the oldest first, each with whom it
    /// names.
    pub async fn pairings_of(&self, child: Uuid) -> Result<Vec<PairedWith>, StorageError> {
        let tx = self.read(&[PAIRINGS, PAIRED_WORKERS])?;
        let pairings: Vec<Pairing> = all_in(&tx, PAIRINGS).await?;
        let workers: Vec<VillageWorker> = all_in(&tx, PAIRED_WORKERS).await?;
        Ok(paired_with(&pairings, &workers, child))
    }

    /// Every pairing the phone holds, by id.
    pub async fn pairings(&self) -> Result<HashMap<Uuid, Pairing>, StorageError> {
        let pairings: Vec<Pairing> = self.all(PAIRINGS).await?;
        Ok(pairings.into_iter().map(|pairing| (pairing.id, pairing)).collect())
    }
}

/// Keeps received pairings (unless the phone holds a newer revision of its own, not yet
/// sent) and whom they name, inside the page's transaction.
pub(super) async fn receive_pairings_in(
    tx: &Transaction<'_>,
    pairings: &[Pairing],
    workers: &[VillageWorker],
) -> Result<(), StorageError> {
    for pairing in pairings {
        let key = pairing.id.to_string();
        let held = get_in::<Pairing>(tx, PAIRINGS, &key).await?;
        if tongxing_core::pull::replaces(held.map(|held| held.revision), pairing.revision) {
            put_in(tx, PAIRINGS, &key, pairing).await?;
        }
    }
    for worker in workers {
        put_in(tx, PAIRED_WORKERS, &worker.id.to_string(), worker).await?;
    }
    Ok(())
}

/// Removes the pairings of a child leaving the phone, except one still waiting in the
/// outbox, inside the caller's transaction.
pub(super) async fn leave_pairings_in(tx: &Transaction<'_>, child: Uuid) -> Result<(), StorageError> {
    let pairings: Vec<Pairing> = all_in(tx, PAIRINGS).await?;
    for pairing in pairings.iter().filter(|pairing| pairing.child_id == child) {
        if get_in::<OutboxEntry>(tx, OUTBOX, &RecordRef::pairing(pairing.id).key()).await?.is_none() {
            delete_in(tx, PAIRINGS, &pairing.id.to_string()).await?;
        }
    }
    Ok(())
}
