//! Enrolled phones: a phone enrols with an invite code and gets a device token; every later
//! call carries the token, which names the worker, her role and her place, until it is
//! revoked.

use chrono::{DateTime, TimeDelta, Utc};
use sqlx::SqlitePool;
use tongxing_core::worker::{EnrollReply, EnrollRequest, Place, Role, UnknownRole, Worker};
use tongxing_core::FieldErrors;
use uuid::Uuid;

use super::invites::{self, InviteError};
use super::secret::{self, NoRandomness};
use crate::db::{self, StorageError};

/// How stale a device's "last seen" may get before a call writes it again: often enough to
/// tell a supervisor which phones are in use, rarely enough to cost no write per call.
const LAST_SEEN_EVERY: TimeDelta = TimeDelta::hours(1);

/// Why a phone could not enrol.
#[derive(Debug, thiserror::Error)]
pub enum EnrollError {
    #[error("the enrolment is not valid: {0}")]
    Invalid(FieldErrors),
    #[error(transparent)]
    Invite(#[from] InviteError),
    #[error(transparent)]
    NoRandomness(#[from] NoRandomness),
}

impl From<StorageError> for EnrollError {
    fn from(error: StorageError) -> EnrollError {
        EnrollError::Invite(InviteError::Storage(error))
    }
}

impl From<sqlx::Error> for EnrollError {
    fn from(error: sqlx::Error) -> EnrollError {
        StorageError::from(error).into()
    }
}

/// Why a call's token was not accepted.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("no device has this token")]
    Unknown,
    #[error("the device was revoked")]
    Revoked,
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// A phone as the `devices` command lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceListing {
    pub worker: Worker,
    pub phone: String,
    pub enrolled_at: String,
    pub last_seen_at: Option<String>,
    pub revoked_at: Option<String>,
}

/// What revoking did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Revoked {
    Now,
    Already,
    NoSuchDevice,
}

/// Enrols a phone with an invite code: checks the request, counts one use of the invite
/// and stores the new device, in one transaction, and returns the token (kept only hashed).
pub async fn enroll(
    pool: &SqlitePool,
    request: &EnrollRequest,
    now: DateTime<Utc>,
) -> Result<EnrollReply, EnrollError> {
    request.validate().map_err(EnrollError::Invalid)?;
    // A code that does not work is refused by a plain read: a flood of bogus codes never
    // takes the write lock that phones' visits wait for.
    {
        let mut conn = pool.acquire().await.map_err(StorageError::from)?;
        invites::usable(&mut conn, &request.code, now).await?;
    }
    let token = secret::new_token()?;
    let id = Uuid::new_v4();
    // Checked again under the write lock: another phone may have used the last place.
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let invite = invites::usable(&mut tx, &request.code, now).await?;
    invites::use_once(&mut tx, &invite.code_hash).await?;
    let worker = Worker {
        id,
        name: request.name.trim().to_owned(),
        role: invite.info.role,
        place: invite.info.place,
    };
    sqlx::query(
        "INSERT INTO devices (id, token_hash, name, phone, role, township, village, invite, enrolled_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(id.to_string())
    .bind(secret::hash(&token))
    .bind(&worker.name)
    .bind(request.phone.trim())
    .bind(worker.role.code())
    .bind(&worker.place.township)
    .bind(&worker.place.village)
    .bind(&invite.code_hash)
    .bind(db::timestamp(now))
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    tracing::info!(device = %id, role = %worker.role, township = %worker.place.township, village = %worker.place.village, "device enrolled");
    Ok(EnrollReply { token, worker })
}

type DeviceRow = (
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
);

/// The worker whose phone holds `token`, if it is enrolled and not revoked.
pub async fn authenticate(
    pool: &SqlitePool,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Worker, AuthError> {
    let row: Option<DeviceRow> = sqlx::query_as(
        "SELECT id, name, phone, role, township, village, enrolled_at, last_seen_at, revoked_at \
         FROM devices WHERE token_hash = ?",
    )
    .bind(secret::hash(token))
    .fetch_optional(pool)
    .await
    .map_err(StorageError::from)?;
    let listing = listing(row.ok_or(AuthError::Unknown)?)?;
    if listing.revoked_at.is_some() {
        return Err(AuthError::Revoked);
    }
    let stale = listing
        .last_seen_at
        .as_deref()
        .is_none_or(|seen| seen < db::timestamp(now - LAST_SEEN_EVERY).as_str());
    if stale {
        // Best effort: a busy database must not refuse the call over a "last seen" time.
        if let Err(error) = sqlx::query("UPDATE devices SET last_seen_at = ? WHERE id = ?")
            .bind(db::timestamp(now))
            .bind(listing.worker.id.to_string())
            .execute(pool)
            .await
        {
            tracing::warn!(%error, "cannot note when a device was last seen");
        }
    }
    Ok(listing.worker)
}

/// Every enrolled phone, revoked ones included, by place then name.
pub async fn list(pool: &SqlitePool) -> Result<Vec<DeviceListing>, StorageError> {
    let rows: Vec<DeviceRow> = sqlx::query_as(
        "SELECT id, name, phone, role, township, village, enrolled_at, last_seen_at, revoked_at \
         FROM devices ORDER BY township, village, name, enrolled_at",
    )
    .fetch_all(pool)
    .await?;
    rows.into_iter().map(listing).collect()
}

/// Revokes the device `id`: its token gets `401 revoked` from now on.
pub async fn revoke(
    pool: &SqlitePool,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<Revoked, StorageError> {
    let changed =
        sqlx::query("UPDATE devices SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")
            .bind(db::timestamp(now))
            .bind(id.to_string())
            .execute(pool)
            .await?
            .rows_affected();
    if changed > 0 {
        tracing::info!(device = %id, "device revoked");
        return Ok(Revoked::Now);
    }
    let exists: Option<i64> = sqlx::query_scalar("SELECT 1 FROM devices WHERE id = ?")
        .bind(id.to_string())
        .fetch_optional(pool)
        .await?;
    Ok(if exists.is_some() {
        Revoked::Already
    } else {
        Revoked::NoSuchDevice
    })
}

fn listing(row: DeviceRow) -> Result<DeviceListing, StorageError> {
    let (id, name, phone, role, township, village, enrolled_at, last_seen_at, revoked_at) = row;
    let corrupt = |detail: String| StorageError::Corrupt {
        what: format!("device {id}"),
        detail,
    };
    let role: Role = role
        .parse()
        .map_err(|e: UnknownRole| corrupt(e.to_string()))?;
    let id_parsed = Uuid::parse_str(&id).map_err(|e| corrupt(e.to_string()))?;
    Ok(DeviceListing {
        worker: Worker {
            id: id_parsed,
            name,
            role,
            place: Place { township, village },
        },
        phone,
        enrolled_at,
        last_seen_at,
        revoked_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workers::invites::{make, NewInvite, DEFAULT_VALID_FOR};

    async fn invite(pool: &SqlitePool, uses: u32) -> String {
        let invite = NewInvite {
            role: Role::LoveMother,
            place: Place {
                township: "石门镇".into(),
                village: "桃源村".into(),
            },
            invited_by: "王督导".into(),
            made_by: None,
            valid_for: DEFAULT_VALID_FOR,
            max_uses: uses,
        };
        make(pool, &invite, Utc::now()).await.unwrap().code
    }

    fn request(code: &str) -> EnrollRequest {
        EnrollRequest {
            code: code.into(),
            name: " 李芳 ".into(),
            phone: "13800138000".into(),
        }
    }

    #[tokio::test]
    async fn an_enrolled_token_names_its_worker_until_revoked() {
        let dir = tempfile::tempdir().unwrap();
        let pool = db::open(dir.path()).await.unwrap();
        let code = invite(&pool, 2).await;
        let now = Utc::now();
        let reply = enroll(&pool, &request(&code), now).await.unwrap();
        assert_eq!(reply.worker.name, "李芳");
        assert_eq!(reply.worker.role, Role::LoveMother);
        assert_eq!(reply.worker.place.village, "桃源村");
        let worker = authenticate(&pool, &reply.token, now).await.unwrap();
        assert_eq!(worker, reply.worker);
        assert!(matches!(
            authenticate(&pool, "a-guess", now).await,
            Err(AuthError::Unknown)
        ));

        let stored: (String, Option<String>) =
            sqlx::query_as("SELECT token_hash, last_seen_at FROM devices")
                .fetch_one(&pool)
                .await
                .unwrap();
        assert_eq!(
            stored.0,
            secret::hash(&reply.token),
            "only the hash is kept"
        );
        assert!(
            stored.1.is_some(),
            "the call noted when the device was seen"
        );

        assert_eq!(revoke(&pool, worker.id, now).await.unwrap(), Revoked::Now);
        assert_eq!(
            revoke(&pool, worker.id, now).await.unwrap(),
            Revoked::Already
        );
        assert_eq!(
            revoke(&pool, Uuid::new_v4(), now).await.unwrap(),
            Revoked::NoSuchDevice
        );
        assert!(matches!(
            authenticate(&pool, &reply.token, now).await,
            Err(AuthError::Revoked)
        ));
        let listed = list(&pool).await.unwrap();
        assert_eq!(listed.len(), 1);
        assert!(listed[0].revoked_at.is_some());
    }

    #[tokio::test]
    async fn an_invite_enrols_as_many_phones_as_it_allows() {
        let dir = tempfile::tempdir().unwrap();
        let pool = db::open(dir.path()).await.unwrap();
        let code = invite(&pool, 2).await;
        let first = enroll(&pool, &request(&code), Utc::now()).await.unwrap();
        let second = enroll(&pool, &request(&code), Utc::now()).await.unwrap();
        assert_ne!(first.token, second.token);
        assert_ne!(first.worker.id, second.worker.id);
        assert!(matches!(
            enroll(&pool, &request(&code), Utc::now()).await,
            Err(EnrollError::Invite(InviteError::UsedUp))
        ));
        let bad = EnrollRequest {
            phone: "12".into(),
            ..request(&code)
        };
        assert!(matches!(
            enroll(&pool, &bad, Utc::now()).await,
            Err(EnrollError::Invalid(_))
        ));
        assert_eq!(list(&pool).await.unwrap().len(), 2);
    }
}
