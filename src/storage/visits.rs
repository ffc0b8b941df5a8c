//! Saved visits, and the save that queues them: one transaction writes the visit and its
//! summary, keeps the child's latest visit current, queues (or re-queues) its outbox entry,
//! starts a mandatory report's follow-up, and removes its draft.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use indexed_db_futures::transaction::Transaction;
use tongxing_core::case_plan::{follow_up_started_by, CasePlan};
use tongxing_core::child::Child;
use tongxing_core::outbox::{OutboxEntry, RecordRef};
use tongxing_core::schedule::{ChildStatus, VisitSummary};
use tongxing_core::Visit;
use uuid::Uuid;

use super::database::{
    all_in, delete_in, get_in, put_in, with_prefix_in, Durability, CASE_PLANS, CHILDREN, DELIVERED, DRAFTS, LATEST,
    OUTBOX, SUMMARIES, VISITS,
};
use super::outbox_store::{all_entries_in, entries_by_record, entry_in, queue_in};
use super::{Database, StorageError};
use crate::ids::new_uuid;

/// A saved visit, summarised, with its delivery state.
#[derive(Debug, Clone, PartialEq)]
pub struct VisitRow {
    pub summary: VisitSummary,
    pub entry: Option<OutboxEntry>,
}

/// The key of a visit's summary: one child's summaries are one key range.
pub(super) fn summary_key(child_id: Uuid, visit_id: Uuid) -> String {
    format!("{child_id}/{visit_id}")
}

impl Database {
    /// Saves a visit as final and queues it for sending, atomically and durably. A visit
    /// that found harm goes to the head of the outbox, with the follow-up of its report
    /// (core's [`follow_up_started_by`]), started in the same transaction.
    pub async fn save_visit(&self, visit: &Visit, now: DateTime<Utc>) -> Result<OutboxEntry, StorageError> {
        let tx = self.write(&[DRAFTS, VISITS, SUMMARIES, LATEST, OUTBOX, DELIVERED, CASE_PLANS], Durability::Strict)?;
        let id = visit.id.to_string();
        let earlier = get_in::<Visit>(&tx, VISITS, &id).await?;
        // Who made a visit received from the server stays its visitor when she edits it.
        let key = summary_key(visit.child_id, visit.id);
        let visitor = get_in::<VisitSummary>(&tx, SUMMARIES, &key).await?.and_then(|held| held.visitor);
        if let Some(earlier) = &earlier {
            // Moved to another child: its summary moves too.
            delete_in(&tx, SUMMARIES, &summary_key(earlier.child_id, earlier.id)).await?;
        }
        put_in(&tx, VISITS, &id, visit).await?;
        put_in(&tx, SUMMARIES, &key, &VisitSummary { visitor, ..VisitSummary::of(visit) }).await?;
        refresh_latest_in(&tx, visit.child_id).await?;
        if let Some(moved_from) = earlier.map(|e| e.child_id).filter(|c| *c != visit.child_id) {
            refresh_latest_in(&tx, moved_from).await?;
        }
        let record = RecordRef::visit(visit.id);
        let entry = queue_in(&tx, record, visit.revision, visit.needs_mandatory_report(), now).await?;
        delete_in(&tx, DRAFTS, &id).await?;
        if visit.needs_mandatory_report() {
            let plans: Vec<CasePlan> = all_in(&tx, CASE_PLANS).await?;
            if let Some(follow_up) = follow_up_started_by(visit, &plans, new_uuid(), new_uuid) {
                put_in(&tx, CASE_PLANS, &follow_up.id.to_string(), &follow_up).await?;
                queue_in(&tx, RecordRef::case_plan(follow_up.id), follow_up.revision, true, now).await?;
            }
        }
        tx.commit().await?;
        Ok(entry)
    }

    /// The newest saved revision of a visit.
    pub async fn visit(&self, id: Uuid) -> Result<Option<Visit>, StorageError> {
        self.get(VISITS, &id.to_string()).await
    }

    /// Every saved visit with its delivery state, newest first.
    pub async fn visit_rows(&self) -> Result<Vec<VisitRow>, StorageError> {
        let tx = self.read(&[SUMMARIES, OUTBOX, DELIVERED])?;
        let summaries = all_in(&tx, SUMMARIES).await?;
        let entries = all_entries_in(&tx).await?;
        Ok(rows(summaries, entries))
    }

    /// One child's visits with their delivery state, newest first.
    pub async fn visit_rows_of_child(&self, child_id: Uuid) -> Result<Vec<VisitRow>, StorageError> {
        let tx = self.read(&[SUMMARIES, OUTBOX, DELIVERED])?;
        let summaries: Vec<VisitSummary> = with_prefix_in(&tx, SUMMARIES, &format!("{child_id}/")).await?;
        // One child's entries by key, not the whole outbox.
        let mut entries = Vec::with_capacity(summaries.len());
        for summary in &summaries {
            entries.extend(entry_in(&tx, RecordRef::visit(summary.visit_id)).await?);
        }
        Ok(rows(summaries, entries))
    }

    /// Every child with the status their latest visit gives, for the due list; read in one
    /// transaction so that the two lists agree.
    pub async fn child_statuses(&self) -> Result<Vec<ChildStatus>, StorageError> {
        let tx = self.read(&[CHILDREN, LATEST])?;
        let children: Vec<Child> = all_in(&tx, CHILDREN).await?;
        let latest: HashMap<Uuid, VisitSummary> =
            all_in::<VisitSummary>(&tx, LATEST).await?.into_iter().map(|s| (s.child_id, s)).collect();
        Ok(children.iter().map(|child| ChildStatus::of(child, latest.get(&child.id))).collect())
    }
}

/// Keeps a child's entry in `LATEST` the latest of their visits' summaries (or none), inside
/// the save's transaction.
pub(super) async fn refresh_latest_in(tx: &Transaction<'_>, child_id: Uuid) -> Result<(), StorageError> {
    let summaries: Vec<VisitSummary> = with_prefix_in(tx, SUMMARIES, &format!("{child_id}/")).await?;
    match summaries.into_iter().max_by_key(VisitSummary::recency) {
        Some(latest) => put_in(tx, LATEST, &child_id.to_string(), &latest).await,
        None => delete_in(tx, LATEST, &child_id.to_string()).await,
    }
}

/// Summaries joined with their outbox entries, newest first.
fn rows(mut summaries: Vec<VisitSummary>, entries: Vec<OutboxEntry>) -> Vec<VisitRow> {
    VisitSummary::sort_newest_first(&mut summaries);
    let mut entries = entries_by_record(entries);
    summaries
        .into_iter()
        .map(|summary| {
            let entry = entries.remove(&RecordRef::visit(summary.visit_id));
            VisitRow { summary, entry }
        })
        .collect()
}
