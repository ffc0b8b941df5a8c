//! What the phone receives from its server (`GET /api/v1/changes`, core's [`pull`]):
//! children's files, visit summaries and pairings (with whom they name) of the records it
//! may see, written with the page's cursor in one transaction, so that a cut resumes after
//! the last page written. The rules of what replaces what are core's ([`replaces`],
//! [`children_leaving`]).
//!
//! [`pull`]: tongxing_core::pull::pull

use indexed_db_futures::transaction::Transaction;
use tongxing_core::child::Child;
use tongxing_core::outbox::{OutboxEntry, RecordRef};
use tongxing_core::pull::{children_leaving, replaces, ReceivedStore};
use tongxing_core::schedule::VisitSummary;
use tongxing_core::wire::ChangesPage;
use uuid::Uuid;

use super::case_plans::{leave_case_plans_in, receive_case_plans_in};
use super::database::{
    all_in, delete_in, get_in, put_in, with_prefix_in, Durability, CHILDREN, LATEST, OUTBOX, RECEIVED, REGISTRANTS,
    SUMMARIES, VISITS,
};
use super::database::{CASE_PLANS, PAIRED_WORKERS, PAIRINGS};
use super::pairings::{leave_pairings_in, receive_pairings_in};
use super::visits::{refresh_latest_in, summary_key};
use super::{Database, StorageError};

/// The phone's storage as the enrolment `me` receives into it; the cursor is hers, so a
/// phone joined again (a new enrolment) receives everything from the start.
pub struct ReceivedDb {
    pub db: Database,
    /// The enrolment's device id.
    pub me: Uuid,
}

impl ReceivedStore for ReceivedDb {
    type Error = StorageError;

    async fn cursor(&self) -> Result<u64, StorageError> {
        Ok(self.db.get::<u64>(RECEIVED, &self.me.to_string()).await?.unwrap_or(0))
    }

    async fn receive(&self, page: &ChangesPage) -> Result<(), StorageError> {
        // What the server holds can be fetched again, so a relaxed write is enough; the
        // cursor is in the same transaction, so it never runs ahead of what was written.
        let stores =
            [CHILDREN, VISITS, SUMMARIES, LATEST, OUTBOX, RECEIVED, REGISTRANTS, PAIRINGS, PAIRED_WORKERS, CASE_PLANS];
        let tx = self.db.write(&stores, Durability::Relaxed)?;
        let mut visited: Vec<Uuid> = Vec::new();
        for child in &page.children {
            let key = child.id.to_string();
            let held = get_in::<Child>(&tx, CHILDREN, &key).await?;
            if replaces(held.map(|held| held.revision), child.revision) {
                put_in(&tx, CHILDREN, &key, child).await?;
            }
        }
        for registrant in &page.registrants {
            put_in(&tx, REGISTRANTS, &registrant.child_id.to_string(), &registrant.name).await?;
        }
        for visit in &page.visits {
            let key = summary_key(visit.child_id, visit.visit_id);
            let held = get_in::<VisitSummary>(&tx, SUMMARIES, &key).await?;
            if replaces(held.map(|held| held.revision), visit.revision) {
                put_in(&tx, SUMMARIES, &key, visit).await?;
                if !visited.contains(&visit.child_id) {
                    visited.push(visit.child_id);
                }
            }
        }
        for child in visited {
            refresh_latest_in(&tx, child).await?;
        }
        receive_pairings_in(&tx, &page.pairings, &page.paired_workers).await?;
        receive_case_plans_in(&tx, &page.case_plans).await?;
        // Last: a pairing that ended, or a file merged into another, takes its child off,
        // whatever else the page brought.
        for child in children_leaving(page, self.me) {
            leave_in(&tx, child).await?;
        }
        put_in(&tx, RECEIVED, &self.me.to_string(), &page.next).await?;
        tx.commit().await?;
        Ok(())
    }
}

impl Database {
    /// The summary of a visit the phone holds no answers of (recorded on another phone and
    /// received), if it holds its summary. Looked for among every summary: only a visit not
    /// found saved or begun on the phone comes here.
    pub async fn received_summary(&self, visit_id: Uuid) -> Result<Option<VisitSummary>, StorageError> {
        let tx = self.read(&[VISITS, SUMMARIES])?;
        if get_in::<tongxing_core::Visit>(&tx, VISITS, &visit_id.to_string()).await?.is_some() {
            return Ok(None);
        }
        let summaries: Vec<VisitSummary> = all_in(&tx, SUMMARIES).await?;
        Ok(summaries.into_iter().find(|summary| summary.visit_id == visit_id))
    }
}

/// Removes a child's file and visits from the phone (her pairing with the child ended, or
/// the file was merged into another),
/// keeping whatever of them waits in the outbox: her work not yet sent is never lost.
async fn leave_in(tx: &Transaction<'_>, child: Uuid) -> Result<(), StorageError> {
    let unsent = |record: RecordRef| async move { get_in::<OutboxEntry>(tx, OUTBOX, &record.key()).await };
    if unsent(RecordRef::child(child)).await?.is_none() {
        delete_in(tx, CHILDREN, &child.to_string()).await?;
        delete_in(tx, REGISTRANTS, &child.to_string()).await?;
    }
    let summaries: Vec<VisitSummary> = with_prefix_in(tx, SUMMARIES, &format!("{child}/")).await?;
    for summary in summaries {
        if unsent(RecordRef::visit(summary.visit_id)).await?.is_none() {
            delete_in(tx, SUMMARIES, &summary_key(child, summary.visit_id)).await?;
            delete_in(tx, VISITS, &summary.visit_id.to_string()).await?;
        }
    }
    leave_pairings_in(tx, child).await?;
    leave_case_plans_in(tx, child).await?;
    refresh_latest_in(tx, child).await
}
