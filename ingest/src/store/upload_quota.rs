//! Each device's daily share of photo bytes (`--daily-upload-bytes`), so that one phone
//! cannot fill the disk. A photo or a piece is counted as declared before its bytes are
//! read (a refused or cut upload still counts: sending junk does not refill the share), in
//! the database, so that a restart does not give a fresh share. The day is UTC's; a device
//! over its share is told to come back when the next day starts.

use chrono::{DateTime, Days, Utc};
use sqlx::AnyPool;
use uuid::Uuid;

use crate::store::db::{self, StorageError};

/// Why bytes were not counted.
#[derive(Debug, thiserror::Error)]
pub enum QuotaError {
    /// Over the day's share; the next day starts in `retry_after_secs`.
    #[error("the day's share of photo bytes is used up")]
    Exceeded { retry_after_secs: u32 },
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// Counts `bytes` against `device`'s share of `daily_bytes` for the day of `now`, unless
/// that would pass the share: then nothing is counted.
pub async fn charge(
    pool: &AnyPool,
    device: Uuid,
    bytes: u64,
    daily_bytes: u64,
    now: DateTime<Utc>,
) -> Result<(), QuotaError> {
    let exceeded = || QuotaError::Exceeded { retry_after_secs: secs_to_next_day(now) };
    if bytes > daily_bytes {
        return Err(exceeded());
    }
    let bytes = db::column_count(bytes, || "a photo's size".to_owned())?;
    let daily = db::column_count(daily_bytes, || "the daily upload quota".to_owned())?;
    let counted = sqlx::query(
        "INSERT INTO upload_quota (device_id, day, bytes) VALUES ($1, $2, $3) \
         ON CONFLICT (device_id, day) DO UPDATE SET bytes = upload_quota.bytes + excluded.bytes \
         WHERE upload_quota.bytes + excluded.bytes <= $4",
    )
    .bind(device.to_string())
    .bind(now.date_naive().to_string())
    .bind(bytes)
    .bind(daily)
    .execute(pool)
    .await
    .map_err(StorageError::from)?;
    if counted.rows_affected() == 0 {
        return Err(exceeded());
    }
    Ok(())
}

/// Whole seconds from `now` to the start of the next UTC day, at least one.
pub fn secs_to_next_day(now: DateTime<Utc>) -> u32 {
    let next = now
        .date_naive()
        .checked_add_days(Days::new(1))
        .and_then(|day| day.and_hms_opt(0, 0, 0))
        .map(|midnight| midnight.and_utc());
    next.map_or(1, |next| u32::try_from((next - now).num_seconds()).unwrap_or(u32::MAX).max(1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_wait_runs_to_the_next_utc_day() {
        let evening = Utc.with_ymd_and_hms(2026, 11, 20, 23, 0, 0).unwrap();
        assert_eq!(secs_to_next_day(evening), 3600);
        let midnight = Utc.with_ymd_and_hms(2026, 11, 20, 0, 0, 0).unwrap();
        assert_eq!(secs_to_next_day(midnight), 86_400);
    }

    #[tokio::test]
    async fn a_day_s_share_is_counted_per_device_and_day() {
        let data = tempfile::tempdir().unwrap();
        let pool = db::open(data.path()).await.unwrap();
        let (phone, other) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let today = Utc.with_ymd_and_hms(2026, 11, 20, 10, 0, 0).unwrap();
        charge(&pool, phone, 600, 1000, today).await.unwrap();
        charge(&pool, phone, 400, 1000, today).await.unwrap();
        let over = charge(&pool, phone, 1, 1000, today).await.unwrap_err();
        assert!(matches!(over, QuotaError::Exceeded { retry_after_secs: 50_400 }), "{over:?}");
        charge(&pool, other, 1000, 1000, today).await.unwrap();
        let tomorrow = today + chrono::TimeDelta::days(1);
        charge(&pool, phone, 1000, 1000, tomorrow).await.unwrap();
        assert!(charge(&pool, phone, 2000, 1000, tomorrow + chrono::TimeDelta::days(1)).await.is_err());
        pool.close().await;
    }
}
