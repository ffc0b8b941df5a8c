//! Enrolled phones: a phone enrols with an invite code and gets a device token; every later
//! call carries the token, which names the worker, her role and her place, until it is
//! revoked.

use chrono::{DateTime, TimeDelta, Utc};
use sqlx::{AnyConnection, AnyPool};
use tongxing_core::wire::{EnrollReply, EnrollRequest};
use tongxing_core::wire::{PhoneListing, RevokedAs};
use tongxing_core::worker::{Place, Role, UnknownRole, Worker};
use tongxing_core::FieldErrors;
use uuid::Uuid;

use super::invites::{self, InviteError};
use super::known_tokens;
use super::revocation::{self, Revocable, Revocation};
pub use super::revocation::{Revoked, Standing};
use super::secret::{self, NoRandomness};
use crate::store::audit::{self, Reader};
use crate::store::db::{self, Flag, StorageError};

/// How stale a device's "last seen" may get before a call writes it again: often enough to
/// tell a supervisor which phones are in use, rarely enough to cost no write per call.
const LAST_SEEN_EVERY: TimeDelta = TimeDelta::hours(1);

/// Why a phone could not enrol.
#[derive(Debug, thiserror::Error)]
pub enum EnrollError {
    #[error("the enrolment is not valid: {0}")]
    Invalid(FieldErrors),
    /// A supervisor joining as a worker with an invite her own phone made.
    #[error("the invite's maker cannot join with it")]
    OwnInvite,
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
    /// Revoked, as her worker's who left or as lost or stolen.
    #[error("the device was revoked as {}", .0.code())]
    Revoked(RevokedAs),
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
    /// How it was revoked, when it was: `left` for one revoked before the reason was kept.
    pub revoked_as: Option<RevokedAs>,
}

/// Enrols a phone with an invite code: checks the request, counts one use of the invite
/// and stores the new device, in one transaction, and returns the token (kept only hashed).
pub async fn enroll(pool: &AnyPool, request: &EnrollRequest, now: DateTime<Utc>) -> Result<EnrollReply, EnrollError> {
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
    let mut tx = db::begin_write(pool).await?;
    let invite = invites::usable(&mut tx, &request.code, now).await?;
    if let Some((maker, maker_name, maker_role)) = &invite.maker {
        if maker_role.oversees() && same_name(maker_name, &request.name) {
            tracing::warn!(maker = %maker, "a supervisor tried to join with her own invite");
            return Err(EnrollError::OwnInvite);
        }
    }
    invites::use_once(&mut tx, &invite.code_hash).await?;
    let worker = Worker { id, name: request.name.trim().to_owned(), role: invite.info.role, place: invite.info.place };
    sqlx::query(
        "INSERT INTO devices (id, token_hash, name, phone, role, township, village, invite, enrolled_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
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
    let subject =
        format!("invite {}: {} of {} {}", invite.id, worker.role, worker.place.township, worker.place.village);
    let reader = Reader { device: Some(id), name: &worker.name };
    audit::record_in(&mut tx, &reader, audit::ENROLL, &subject, None, now).await?;
    tx.commit().await?;
    tracing::info!(device = %id, role = %worker.role, township = %worker.place.township, village = %worker.place.village, "device enrolled");
    Ok(EnrollReply { token, worker })
}

/// Whether two workers' names are the same person's as typed: blanks and letter case aside.
fn same_name(a: &str, b: &str) -> bool {
    let plain =
        |name: &str| name.chars().filter(|c| !c.is_whitespace()).flat_map(char::to_lowercase).collect::<String>();
    plain(a) == plain(b)
}

/// A device's row.
#[derive(sqlx::FromRow)]
struct DeviceRow {
    id: String,
    name: String,
    phone: String,
    role: String,
    township: String,
    village: String,
    enrolled_at: String,
    last_seen_at: Option<String>,
    revoked_at: Option<String>,
    revoked_as: Option<String>,
}

/// The columns of a [`DeviceRow`], for the queries that read one (a macro, so that each query
/// stays one fixed text).
macro_rules! device_columns {
    () => {
        "id, name, phone, role, township, village, enrolled_at, last_seen_at, revoked_at, revoked_as"
    };
}

/// A device's row as her supervisor's list reads it, and whether it may be recovered.
#[derive(sqlx::FromRow)]
struct TownshipRow {
    #[sqlx(flatten)]
    device: DeviceRow,
    recoverable: Flag,
}

/// A device's row as a token finds it, and whether the token is its new one after a renewal.
#[derive(sqlx::FromRow)]
struct TokenRow {
    #[sqlx(flatten)]
    device: DeviceRow,
    renewal_confirmed: Flag,
}

/// The worker whose phone holds `token`, if it is enrolled and not revoked. The token
/// before the last renewal is accepted too until the phone first uses the new one (see
/// [`rotate_token`]), which then ends it.
pub async fn authenticate(pool: &AnyPool, token: &str, now: DateTime<Utc>) -> Result<Worker, AuthError> {
    let hash = secret::hash(token);
    let row: Option<TokenRow> = sqlx::query_as(concat!(
        "SELECT ",
        device_columns!(),
        ", previous_token_hash IS NOT NULL AND token_hash = $1 AS renewal_confirmed \
         FROM devices WHERE token_hash = $1 OR previous_token_hash = $1"
    ))
    .bind(&hash)
    .fetch_optional(pool)
    .await
    .map_err(StorageError::from)?;
    let TokenRow { device, renewal_confirmed } = row.ok_or(AuthError::Unknown)?;
    if renewal_confirmed.0 {
        // The phone holds its new token: the one before it ends now.
        sqlx::query("UPDATE devices SET previous_token_hash = NULL WHERE token_hash = $1")
            .bind(&hash)
            .execute(pool)
            .await
            .map_err(StorageError::from)?;
        known_tokens::devices_changed(pool);
    }
    let listing = listing(device)?;
    if let Some(revoked_as) = listing.revoked_as {
        return Err(AuthError::Revoked(revoked_as));
    }
    let stale = listing.last_seen_at.as_deref().is_none_or(|seen| seen < db::timestamp(now - LAST_SEEN_EVERY).as_str());
    if stale {
        // Best effort: a busy database must not refuse the call over a "last seen" time.
        if let Err(error) = sqlx::query("UPDATE devices SET last_seen_at = $1 WHERE id = $2")
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

/// A device's row with what the database keeps of its tokens.
#[derive(sqlx::FromRow)]
struct HashesRow {
    #[sqlx(flatten)]
    device: DeviceRow,
    token_hash: String,
    previous_token_hash: Option<String>,
}

/// The device `id`, revoked or not, with the hashes of its token and of the one before it
/// (kept until the phone first uses its new one): what a proof made with the token the
/// phone holds is checked against.
pub async fn with_token_hashes(pool: &AnyPool, id: Uuid) -> Result<Option<(DeviceListing, Vec<String>)>, StorageError> {
    let row: Option<HashesRow> = sqlx::query_as(concat!(
        "SELECT ",
        device_columns!(),
        ", token_hash, previous_token_hash FROM devices WHERE id = $1"
    ))
    .bind(id.to_string())
    .fetch_optional(pool)
    .await?;
    row.map(|HashesRow { device, token_hash, previous_token_hash }| {
        Ok((listing(device)?, std::iter::once(token_hash).chain(previous_token_hash).collect()))
    })
    .transpose()
}

/// Every enrolled phone, revoked ones included, by place then name.
pub async fn list(pool: &AnyPool) -> Result<Vec<DeviceListing>, StorageError> {
    let rows: Vec<DeviceRow> = sqlx::query_as(concat!(
        "SELECT ",
        device_columns!(),
        " FROM devices ORDER BY township, village, name, enrolled_at"
    ))
    .fetch_all(pool)
    .await?;
    rows.into_iter().map(listing).collect()
}

/// The phones of `township` (of the whole county when `None`), revoked ones included, by
/// township, village then name, as her supervisor (or the county) sees them: no token, no
/// phone number; `recoverable` when the phone left its data key for a recovery and is not
/// revoked.
pub async fn list_in_township(pool: &AnyPool, township: Option<&str>) -> Result<Vec<PhoneListing>, StorageError> {
    let rows: Vec<TownshipRow> = sqlx::query_as(concat!(
        "SELECT ",
        device_columns!(),
        ", revoked_at IS NULL AND EXISTS (SELECT 1 FROM recovery_keys k WHERE k.device_id = devices.id) \
         AS recoverable FROM devices WHERE $1 IS NULL OR township = $1 ORDER BY township, village, name, enrolled_at"
    ))
    .bind(township)
    .fetch_all(pool)
    .await?;
    let certified = super::trainings::certifications(pool).await?;
    rows.into_iter()
        .map(|TownshipRow { device, recoverable }| {
            let device = listing(device)?;
            let time = |text: &str| {
                DateTime::parse_from_rfc3339(text).map(|t| t.with_timezone(&Utc)).map_err(|e| StorageError::Corrupt {
                    what: format!("device {}", device.worker.id),
                    detail: e.to_string(),
                })
            };
            Ok(PhoneListing {
                id: device.worker.id,
                name: device.worker.name.clone(),
                role: device.worker.role,
                township: device.worker.place.township.clone(),
                village: device.worker.place.village.clone(),
                enrolled_at: time(&device.enrolled_at)?,
                last_seen_at: device.last_seen_at.as_deref().map(time).transpose()?,
                revoked: device.revoked_at.is_some(),
                revoked_at: device.revoked_at.as_deref().map(time).transpose()?,
                revoked_as: device.revoked_as,
                recoverable: recoverable.0,
                certification: certified.get(&device.worker.id).copied().unwrap_or_default(),
            })
        })
        .collect()
}

/// Whether the device `id` is known (of `township` only, when given: another township's is
/// [`Standing::Unknown`], as for [`revoke`]), and whether it was revoked.
pub async fn standing(conn: &mut AnyConnection, id: Uuid, township: Option<&str>) -> Result<Standing, StorageError> {
    revocation::standing(conn, Revocable::Device, id, township).await
}

/// Revokes the device `id` (of `township` only, when given: another township's device is
/// [`Revoked::Unknown`], as an unknown one is) `as` left or lost, and writes `by`'s audit
/// row: its token gets `401 revoked` (left) or `401 revoked_lost` (lost) from now on, and
/// the invites it made stop working. A phone revoked already keeps how it was.
pub async fn revoke(
    pool: &AnyPool,
    id: Uuid,
    revoked_as: RevokedAs,
    township: Option<&str>,
    by: &Reader<'_>,
    now: DateTime<Utc>,
) -> Result<Revoked, StorageError> {
    let revoked = revocation::revoke(pool, Revocation::Device(revoked_as), id, township, by, now).await?;
    if revoked == Revoked::Now {
        known_tokens::devices_changed(pool);
        tracing::info!(device = %id, revoked_as = revoked_as.code(), "device revoked");
    }
    Ok(revoked)
}

/// Gives the device `worker` a new token (kept only hashed). The token it presented,
/// `presented`, stays accepted until the new one is first used: if the answer is lost on the
/// way, the phone goes on with the token it has and asks again; any other token the device
/// had is refused from now on. `None` when the device was revoked meanwhile.
pub async fn rotate_token(
    pool: &AnyPool,
    worker: &Worker,
    presented: &str,
    now: DateTime<Utc>,
) -> Result<Option<String>, RotateError> {
    let token = secret::new_token()?;
    let mut tx = db::begin_write(pool).await.map_err(StorageError::from)?;
    let changed = sqlx::query(
        "UPDATE devices SET previous_token_hash = $1, token_hash = $2 WHERE id = $3 AND revoked_at IS NULL",
    )
    .bind(secret::hash(presented))
    .bind(secret::hash(&token))
    .bind(worker.id.to_string())
    .execute(&mut *tx)
    .await
    .map_err(StorageError::from)?
    .rows_affected();
    if changed == 0 {
        return Ok(None);
    }
    let reader = Reader { device: Some(worker.id), name: &worker.name };
    audit::record_in(&mut tx, &reader, audit::ROTATE_TOKEN, &format!("device {}", worker.id), None, now).await?;
    tx.commit().await.map_err(StorageError::from)?;
    known_tokens::devices_changed(pool);
    tracing::info!(device = %worker.id, "device token renewed");
    Ok(Some(token))
}

/// Why a token could not be renewed.
#[derive(Debug, thiserror::Error)]
pub enum RotateError {
    #[error(transparent)]
    NoRandomness(#[from] NoRandomness),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

fn listing(row: DeviceRow) -> Result<DeviceListing, StorageError> {
    let DeviceRow { id, name, phone, role, township, village, enrolled_at, last_seen_at, revoked_at, revoked_as } = row;
    let corrupt = |detail: String| StorageError::Corrupt { what: format!("device {id}"), detail };
    let role: Role = role.parse().map_err(|e: UnknownRole| corrupt(e.to_string()))?;
    // A phone revoked before the reason was kept reads as left.
    let revoked_as = match (&revoked_at, revoked_as.as_deref()) {
        (None, _) => None,
        (Some(_), None) => Some(RevokedAs::Left),
        (Some(_), Some(code)) => {
            Some(RevokedAs::parse(code).ok_or_else(|| corrupt(format!("revoked as {code:?}, neither left nor lost")))?)
        }
    };
    let id_parsed = Uuid::parse_str(&id).map_err(|e| corrupt(e.to_string()))?;
    Ok(DeviceListing {
        worker: Worker { id: id_parsed, name, role, place: Place { township, village } },
        phone,
        enrolled_at,
        last_seen_at,
        revoked_at,
        revoked_as,
    })
}

/// Enrols `worker`'s phone straight in the database (an invite and a device, token
/// `test-token`), for unit tests that store records as that worker: the audit log names
/// the device that sent each revision, and only an enrolled one.
#[cfg(test)]
pub(crate) async fn enrol_for_test(pool: &AnyPool, worker: &Worker) {
    let code_hash = secret::hash(&format!("test-invite-{}", worker.id));
    sqlx::query(
        "INSERT INTO invites (id, code_hash, role, township, village, invited_by, created_at, expires_at, max_uses, uses) \
         VALUES ($1, $2, $3, $4, $5, 'test', '2026-01-01T00:00:00.000Z', '2099-01-01T00:00:00.000Z', 1, 1)",
    )
    .bind(Uuid::new_v4().to_string())
    .bind(&code_hash)
    .bind(worker.role.code())
    .bind(&worker.place.township)
    .bind(&worker.place.village)
    .execute(pool)
    .await
    .expect("a test invite");
    sqlx::query(
        "INSERT INTO devices (id, token_hash, name, phone, role, township, village, invite, enrolled_at) \
         VALUES ($1, $2, $3, '13800138000', $4, $5, $6, $7, '2026-01-01T00:00:00.000Z')",
    )
    .bind(worker.id.to_string())
    .bind(secret::hash(&format!("test-token-{}", worker.id)))
    .bind(&worker.name)
    .bind(worker.role.code())
    .bind(&worker.place.township)
    .bind(&worker.place.village)
    .bind(&code_hash)
    .execute(pool)
    .await
    .expect("a test device");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::workers::invites::{make, NewInvite, DEFAULT_VALID_FOR};

    async fn invite(pool: &AnyPool, uses: u32) -> String {
        let invite = NewInvite {
            role: Role::LoveMother,
            place: Place { township: "石门镇".into(), village: "桃源村".into() },
            invited_by: "王督导".into(),
            made_by: None,
            valid_for: DEFAULT_VALID_FOR,
            max_uses: uses,
        };
        let county = Reader { device: None, name: "county" };
        make(pool, &invite, &county, Utc::now()).await.unwrap().code
    }

    fn request(code: &str) -> EnrollRequest {
        EnrollRequest { code: code.into(), name: " 李芳 ".into(), phone: "13800138000".into() }
    }

    #[tokio::test]
    async fn an_enrolled_token_names_its_worker_until_revoked() {
        let dir = tempfile::tempdir().unwrap();
        let pool = db::open_for_test(dir.path()).await.unwrap();
        let code = invite(&pool, 2).await;
        let now = Utc::now();
        let reply = enroll(&pool, &request(&code), now).await.unwrap();
        assert_eq!(reply.worker.name, "李芳");
        assert_eq!(reply.worker.role, Role::LoveMother);
        assert_eq!(reply.worker.place.village, "桃源村");
        let worker = authenticate(&pool, &reply.token, now).await.unwrap();
        assert_eq!(worker, reply.worker);
        assert!(matches!(authenticate(&pool, "a-guess", now).await, Err(AuthError::Unknown)));

        let stored: (String, Option<String>) =
            sqlx::query_as("SELECT token_hash, last_seen_at FROM devices").fetch_one(&pool).await.unwrap();
        assert_eq!(stored.0, secret::hash(&reply.token), "only the hash is kept");
        assert!(stored.1.is_some(), "the call noted when the device was seen");

        let county = Reader { device: None, name: "county" };
        let left = RevokedAs::Left;
        assert_eq!(
            revoke(&pool, worker.id, left, Some("白沙镇"), &county, now).await.unwrap(),
            Revoked::Unknown,
            "another township's phone is as unknown"
        );
        assert_eq!(revoke(&pool, worker.id, left, None, &county, now).await.unwrap(), Revoked::Now);
        assert_eq!(
            revoke(&pool, worker.id, RevokedAs::Lost, Some("石门镇"), &county, now).await.unwrap(),
            Revoked::Already,
            "revoked once: it stays revoked as it was"
        );
        assert_eq!(revoke(&pool, Uuid::new_v4(), left, None, &county, now).await.unwrap(), Revoked::Unknown);
        assert!(matches!(authenticate(&pool, &reply.token, now).await, Err(AuthError::Revoked(RevokedAs::Left))));
        let listed = list(&pool).await.unwrap();
        assert_eq!(listed.len(), 1);
        assert!(listed[0].revoked_at.is_some());
        assert_eq!(listed[0].revoked_as, Some(RevokedAs::Left));
    }

    #[tokio::test]
    async fn a_phone_revoked_as_lost_says_so_and_one_revoked_before_reads_as_left() {
        let dir = tempfile::tempdir().unwrap();
        let pool = db::open_for_test(dir.path()).await.unwrap();
        let code = invite(&pool, 2).await;
        let now = Utc::now();
        let lost = enroll(&pool, &request(&code), now).await.unwrap();
        let earlier = enroll(&pool, &EnrollRequest { name: "王梅".into(), ..request(&code) }, now).await.unwrap();
        let county = Reader { device: None, name: "county" };
        assert_eq!(revoke(&pool, lost.worker.id, RevokedAs::Lost, None, &county, now).await.unwrap(), Revoked::Now);
        assert!(matches!(authenticate(&pool, &lost.token, now).await, Err(AuthError::Revoked(RevokedAs::Lost))));
        let subject: String = sqlx::query_scalar("SELECT subject FROM audit_log WHERE action = $1")
            .bind(audit::REVOKE_DEVICE)
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(subject, format!("device {} as lost", lost.worker.id));

        // Revoked before the reason was kept: no `revoked_as`.
        sqlx::query("UPDATE devices SET revoked_at = $1 WHERE id = $2")
            .bind(db::timestamp(now))
            .bind(earlier.worker.id.to_string())
            .execute(&pool)
            .await
            .unwrap();
        assert!(matches!(authenticate(&pool, &earlier.token, now).await, Err(AuthError::Revoked(RevokedAs::Left))));
        let listed = list_in_township(&pool, Some(&lost.worker.place.township)).await.unwrap();
        let revoked_as = |id: Uuid| listed.iter().find(|phone| phone.id == id).and_then(|phone| phone.revoked_as);
        assert_eq!(revoked_as(lost.worker.id), Some(RevokedAs::Lost));
        assert_eq!(revoked_as(earlier.worker.id), Some(RevokedAs::Left));
    }

    #[tokio::test]
    async fn an_invite_enrols_as_many_phones_as_it_allows() {
        let dir = tempfile::tempdir().unwrap();
        let pool = db::open_for_test(dir.path()).await.unwrap();
        let code = invite(&pool, 2).await;
        let first = enroll(&pool, &request(&code), Utc::now()).await.unwrap();
        let second = enroll(&pool, &request(&code), Utc::now()).await.unwrap();
        assert_ne!(first.token, second.token);
        assert_ne!(first.worker.id, second.worker.id);
        assert!(matches!(
            enroll(&pool, &request(&code), Utc::now()).await,
            Err(EnrollError::Invite(InviteError::UsedUp))
        ));
        let bad = EnrollRequest { phone: "12".into(), ..request(&code) };
        assert!(matches!(enroll(&pool, &bad, Utc::now()).await, Err(EnrollError::Invalid(_))));
        assert_eq!(list(&pool).await.unwrap().len(), 2);
    }
}
