//! `tongxing-ingest import`: a phone's unsent-records file (core's
//! [`tongxing_core::unsent_file`]), opened with the county's key and stored as if the phone
//! had sent each record: photos first, each checked as an upload is, then each record
//! checked and stored through the same writer as a `PUT`. A record the server holds already
//! is `unchanged`, so a file imported twice, or one whose records the phone delivered
//! after all, stores each once.

use std::io::Read;

use axum::body::Body;
use chrono::{DateTime, Utc};
use sqlx::AnyPool;
use tongxing_core::form::FormCatalog;
use tongxing_core::outbox::OutboundRecord;
use tongxing_core::unsent_file::{CountySecret, UnsentFileProblem, UnsentFileReader, UnsentItem};
use tongxing_core::wire::{PutStatus, RevokedAs};
use tongxing_core::Worker;
use uuid::Uuid;

use crate::http::api::{check_case_plan, check_pairing, latest_acceptable_date};
use crate::http::error::ApiError;
use crate::photos::{PhotoOutcome, PhotoStore};
use crate::store::audit::{self, Reader};
use crate::store::db::StorageError;
use crate::store::group_commit::GroupCommit;
use crate::store::workers::devices;

/// Why a file was not imported: nothing of it is stored.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    File(#[from] UnsentFileProblem),
    #[error("the file names device {0}, which this server never enrolled")]
    UnknownDevice(Uuid),
    #[error("the file names device {0}, but was not made with its token: it is not that phone's file")]
    NotThisDevice(Uuid),
    #[error(
        "device {0} was revoked as lost or stolen: a file made on it after that may be anyone's; \
         nothing was imported"
    )]
    Lost(Uuid),
    #[error("device {0} is a supervisor's, which sends no records")]
    NotASender(Uuid),
    /// A file sent over the network by a revoked device (the county's import takes one
    /// whose worker left; the network, with no person deciding, takes none).
    #[error("device {0} was revoked: its file is taken only by the county's import")]
    Revoked(Uuid),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// What came of an import.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub device: Uuid,
    pub worker_name: String,
    pub made_at: Option<DateTime<Utc>>,
    /// Whether the device had been revoked as its worker's who left (its file is taken).
    pub revoked_left: bool,
    pub photos_new: u32,
    pub photos_held: u32,
    /// Records by what storing them did.
    pub created: u32,
    pub updated: u32,
    pub unchanged: u32,
    pub conflicts: u32,
    /// What was refused, and why: the rest is stored all the same.
    pub refused: Vec<String>,
}

/// How a file came: by the county's command line, or over the network
/// (`POST /api/v1/unsent-files`, no person deciding).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileCame {
    ByTheCounty,
    OverTheNetwork,
}

/// Reads the file `input` with the county's `secret` and stores what it holds for its
/// device; `by` is who ran the import, for the audit log; `came` how the file came.
pub async fn import_unsent(
    pool: &AnyPool,
    writes: &GroupCommit,
    photos: &PhotoStore,
    secret: &CountySecret,
    input: impl Read,
    by: &Reader<'_>,
    came: FileCame,
) -> Result<ImportReport, ImportError> {
    let mut file = UnsentFileReader::open(secret, input)?;
    let manifest = file.manifest().clone();
    let device = manifest.device;
    let (listing, hashes) =
        devices::with_token_hashes(pool, device).await?.ok_or(ImportError::UnknownDevice(device))?;
    if !hashes.iter().any(|hash| manifest.proof.matches(hash, file.enc())) {
        return Err(ImportError::NotThisDevice(device));
    }
    match listing.revoked_as {
        Some(RevokedAs::Lost) => return Err(ImportError::Lost(device)),
        Some(_) if came == FileCame::OverTheNetwork => return Err(ImportError::Revoked(device)),
        _ if !listing.worker.role.sends_records() => return Err(ImportError::NotASender(device)),
        _ => {}
    }
    let worker = listing.worker;
    let subject = format!(
        "device {device}: a file made {} of {} records and {} photos",
        manifest.made_at.to_rfc3339(),
        manifest.records,
        manifest.photos
    );
    audit::record(pool, by, audit::IMPORT_UNSENT, &subject, None, Utc::now()).await?;
    let mut report = ImportReport {
        device,
        worker_name: worker.name.clone(),
        made_at: Some(manifest.made_at),
        revoked_left: listing.revoked_as == Some(RevokedAs::Left),
        ..ImportReport::default()
    };
    while let Some(item) = file.next_item()? {
        match item {
            UnsentItem::Photo { hash, bytes } => {
                match photos.receive(pool, &hash, &worker.place, Body::from(bytes)).await {
                    Ok(kept) if kept.outcome == PhotoOutcome::Created => report.photos_new += 1,
                    Ok(_) => report.photos_held += 1,
                    Err(error) => report.refused.push(format!("photo {}: {error}", hash.short())),
                }
            }
            UnsentItem::Record(record) => store_record(pool, writes, &worker, record, &mut report).await,
        }
    }
    tracing::info!(%device, created = report.created, updated = report.updated, unchanged = report.unchanged, refused = report.refused.len(), "unsent-records file imported");
    Ok(report)
}

/// Checks `record` as its `PUT` does and stores it, noting the outcome.
async fn store_record(
    pool: &AnyPool,
    writes: &GroupCommit,
    worker: &Worker,
    record: OutboundRecord,
    report: &mut ImportReport,
) {
    let what = format!("{} {}", record.record_ref().kind.code(), record.record_ref().id);
    let today = latest_acceptable_date();
    let stored = match record {
        OutboundRecord::Visit(visit) => match visit.validate_for(visit.id, FormCatalog::builtin(), today) {
            Ok(()) => writes.store(visit, worker.clone(), Utc::now()).await.map_err(|error| error.to_string()),
            Err(errors) => Err(format!("not valid: {errors}")),
        },
        OutboundRecord::Child(child) => match child.validate_for(child.id, today) {
            Ok(()) => writes.store(child, worker.clone(), Utc::now()).await.map_err(|error| error.to_string()),
            Err(errors) => Err(format!("not valid: {errors}")),
        },
        OutboundRecord::Pairing(pairing) => match check_pairing(pool, worker, pairing.id, &pairing).await {
            Ok(()) => writes.store(pairing, worker.clone(), Utc::now()).await.map_err(|error| error.to_string()),
            Err(ApiError::Invalid(errors)) => Err(format!("not valid: {errors}")),
            Err(refused) => Err(refused.to_string()),
        },
        OutboundRecord::CasePlan(plan) => match check_case_plan(pool, worker, plan.id, &plan).await {
            Ok(()) => writes.store(plan, worker.clone(), Utc::now()).await.map_err(|error| error.to_string()),
            Err(ApiError::Invalid(errors)) => Err(format!("not valid: {errors}")),
            Err(refused) => Err(refused.to_string()),
        },
    };
    match stored {
        Ok(arrival) => match arrival.status {
            PutStatus::Created => report.created += 1,
            PutStatus::Updated => report.updated += 1,
            PutStatus::Unchanged => report.unchanged += 1,
            PutStatus::Conflict => report.conflicts += 1,
        },
        Err(why) => report.refused.push(format!("{what}: {why}")),
    }
}
