//! What a child's page shows: the file, every visit, the visits begun but not saved, the
//! child's pairings and her case plans.

use tongxing_core::case_plan::CasePlan;
use tongxing_core::pairing::PairedWith;
use tongxing_core::schedule::{Cadence, ChildStatus};
use tongxing_core::VisitDraft;
use uuid::Uuid;

use crate::components::ChildFacts;
use crate::storage::{ChildRow, Database, StorageError, VisitRow};

/// Everything the page shows.
#[derive(Debug, Clone)]
pub struct OpenedChild {
    pub facts: ChildFacts,
    pub visits: Vec<VisitRow>,
    pub drafts: Vec<VisitDraft>,
    /// The pairings (结对) that hold for the child, with whom they name.
    pub pairings: Vec<PairedWith>,
    /// Her case plans (帮扶计划), the newest first.
    pub plans: Vec<CasePlan>,
}

/// The child `id`'s file, visits and drafts; `None` when the phone holds no such file.
pub async fn open_child(db: &Database, id: Uuid) -> Result<Option<OpenedChild>, StorageError> {
    let Some(ChildRow { child, entry }) = db.child_row(id).await? else { return Ok(None) };
    let visits = db.visit_rows_of_child(id).await?;
    let drafts = db.drafts().await?.into_iter().filter(|d| d.child_id == Some(id)).collect();
    let status = ChildStatus::of(&child, visits.iter().map(|row| &row.summary));
    let due = status.due(&Cadence::standard());
    let pairings = db.pairings_of(id).await?;
    let plans = db.case_plans_of(id).await?;
    Ok(Some(OpenedChild { facts: ChildFacts { child, status, due, entry }, visits, drafts, pairings, plans }))
}
