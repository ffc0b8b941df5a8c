//! Case plans (帮扶计划) on the phone: those received from the server and those drafted or
//! changed here, which one transaction saves and queues, as a child's file is saved. What is
//! due and which plans a child lacks are core's ([`actions_due`], [`plans_needed`]).
//!
//! [`actions_due`]: tongxing_core::case_plan::actions_due
//! [`plans_needed`]: tongxing_core::case_plan::plans_needed

use chrono::{DateTime, Utc};
use indexed_db_futures::transaction::Transaction;
use tongxing_core::case_plan::CasePlan;
use tongxing_core::outbox::{OutboxEntry, RecordRef};
use uuid::Uuid;

use super::database::{all_in, delete_in, get_in, put_in, Durability, CASE_PLANS, DELIVERED, OUTBOX};
use super::outbox_store::queue_in;
use super::{Database, StorageError};

impl Database {
    /// Saves a plan drafted or changed on this phone and queues it for sending, atomically
    /// and durably; a report's follow-up goes before anything else.
    pub async fn save_case_plan(&self, plan: &CasePlan, now: DateTime<Utc>) -> Result<OutboxEntry, StorageError> {
        let tx = self.write(&[CASE_PLANS, OUTBOX, DELIVERED], Durability::Strict)?;
        put_in(&tx, CASE_PLANS, &plan.id.to_string(), plan).await?;
        let urgent = plan.is_report_follow_up() && plan.is_open();
        let entry = queue_in(&tx, RecordRef::case_plan(plan.id), plan.revision, urgent, now).await?;
        tx.commit().await?;
        Ok(entry)
    }

    /// The plan `id`, if the phone holds it.
    pub async fn case_plan(&self, id: Uuid) -> Result<Option<CasePlan>, StorageError> {
        self.get(CASE_PLANS, &id.to_string()).await
    }

    /// Every plan the phone holds, open and closed.
    pub async fn case_plans(&self) -> Result<Vec<CasePlan>, StorageError> {
        self.all(CASE_PLANS).await
    }

    /// The plans of the child `child`, the newest first.
    pub async fn case_plans_of(&self, child: Uuid) -> Result<Vec<CasePlan>, StorageError> {
        let mut plans: Vec<CasePlan> =
            self.case_plans().await?.into_iter().filter(|plan| plan.child_id == child).collect();
        plans.sort_by_key(|plan| std::cmp::Reverse((plan.updated_at, plan.id)));
        Ok(plans)
    }
}

/// Keeps received plans (unless the phone holds a newer revision of its own, not yet sent),
/// inside the page's transaction.
pub(super) async fn receive_case_plans_in(tx: &Transaction<'_>, plans: &[CasePlan]) -> Result<(), StorageError> {
    for plan in plans {
        let key = plan.id.to_string();
        let held = get_in::<CasePlan>(tx, CASE_PLANS, &key).await?;
        if tongxing_core::pull::replaces(held.map(|held| held.revision), plan.revision) {
            put_in(tx, CASE_PLANS, &key, plan).await?;
        }
    }
    Ok(())
}

/// Removes the plans of a child leaving the phone, except one still waiting in the outbox,
/// inside the caller's transaction.
pub(super) async fn leave_case_plans_in(tx: &Transaction<'_>, child: Uuid) -> Result<(), StorageError> {
    let plans: Vec<CasePlan> = all_in(tx, CASE_PLANS).await?;
    for plan in plans.iter().filter(|plan| plan.child_id == child) {
        if get_in::<OutboxEntry>(tx, OUTBOX, &RecordRef::case_plan(plan.id).key()).await?.is_none() {
            delete_in(tx, CASE_PLANS, &plan.id.to_string()).await?;
        }
    }
    Ok(())
}
