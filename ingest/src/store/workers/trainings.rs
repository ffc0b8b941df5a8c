//! Training and certification (培训考核) as the server keeps it: each course a worker took,
//! recorded by the county with whether she passed, and what that makes her (core's
//! [`Certification`]).

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::AnyPool;
use tongxing_core::training::{Certification, Training, TrainingRecord};
use tongxing_core::Worker;
use uuid::Uuid;

use crate::store::audit::{self, Reader};
use crate::store::db::{timestamp, StorageError};

/// Keeps `training` for the device `device`, recorded by `by` at `now`, with its audit row,
/// in one transaction.
pub async fn record(
    pool: &AnyPool,
    device: Uuid,
    training: &Training,
    by: &Worker,
    now: DateTime<Utc>,
) -> Result<TrainingRecord, StorageError> {
    let kept = TrainingRecord {
        id: Uuid::new_v4(),
        worker_id: device,
        training: training.clone(),
        recorded_by: by.name.clone(),
    };
    let mut tx = pool.begin().await?;
    sqlx::query(
        "INSERT INTO trainings (id, device_id, course, date, passed, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(kept.id.to_string())
    .bind(device.to_string())
    .bind(training.course.trim())
    .bind(training.date.to_string())
    .bind(i64::from(training.passed))
    .bind(&by.name)
    .bind(timestamp(now))
    .execute(&mut *tx)
    .await?;
    let reader = Reader { device: Some(by.id), name: &by.name };
    let subject = format!(
        "device {device}: a training on {}, {}",
        training.date,
        if training.passed { "passed" } else { "not passed" }
    );
    audit::record_in(&mut tx, &reader, audit::RECORD_TRAINING, &subject, None, now).await?;
    tx.commit().await?;
    Ok(TrainingRecord { training: Training { course: training.course.trim().to_owned(), ..training.clone() }, ..kept })
}

/// The trainings of the device `device`, the latest first.
pub async fn of_device(pool: &AnyPool, device: Uuid) -> Result<Vec<TrainingRecord>, StorageError> {
    let rows: Vec<(String, String, String, i64, String)> = sqlx::query_as(
        "SELECT id, course, date, passed, recorded_by FROM trainings WHERE device_id = $1 ORDER BY date DESC, recorded_at DESC",
    )
    .bind(device.to_string())
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|(id, course, date, passed, recorded_by)| {
            let corrupt =
                |what: &str, detail: String| StorageError::Corrupt { what: format!("training {id} {what}"), detail };
            Ok(TrainingRecord {
                id: Uuid::parse_str(&id).map_err(|e| corrupt("id", e.to_string()))?,
                worker_id: device,
                training: Training {
                    course,
                    date: date.parse::<NaiveDate>().map_err(|e| corrupt("date", e.to_string()))?,
                    passed: passed == 1,
                },
                recorded_by,
            })
        })
        .collect()
}

/// What each device's trainings make her (core's [`Certification::of`]); a device with none
/// is not listed (not certified).
pub async fn certifications(pool: &AnyPool) -> Result<HashMap<Uuid, Certification>, StorageError> {
    let rows: Vec<(String, String, String, i64)> =
        sqlx::query_as("SELECT device_id, course, date, passed FROM trainings").fetch_all(pool).await?;
    let mut by_device: HashMap<Uuid, Vec<Training>> = HashMap::new();
    for (device, course, date, passed) in rows {
        let corrupt = |detail: String| StorageError::Corrupt { what: format!("training of device {device}"), detail };
        let id = Uuid::parse_str(&device).map_err(|e| corrupt(e.to_string()))?;
        let date = date.parse::<NaiveDate>().map_err(|e| corrupt(e.to_string()))?;
        by_device.entry(id).or_default().push(Training { course, date, passed: passed == 1 });
    }
    Ok(by_device.into_iter().map(|(device, trainings)| (device, Certification::of(&trainings))).collect())
}
