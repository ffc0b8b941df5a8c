//! Invites: a supervisor (or the county, from the command line) invites one role for one
//! place; the link carries a random code, which works until it expires or is used up.

use chrono::{DateTime, TimeDelta, Utc};
use sqlx::{AnyConnection, AnyPool};
use tongxing_core::wire::InviteInfo;
use tongxing_core::wire::{InviteListing, InviteState};
use tongxing_core::worker::{Place, Role};
use tongxing_core::FieldErrors;
use uuid::Uuid;

use super::revocation::{self, Revocation, Revoked};
use super::secret::{self, NoRandomness};
use crate::store::audit::{self, Reader};
use crate::store::db::{self, Flag, StorageError};

/// How long an invite works unless told otherwise.
pub const DEFAULT_VALID_FOR: TimeDelta = TimeDelta::days(7);
/// The longest an invite may work: a link forwarded around groups should not live for ever.
pub const LONGEST_VALID_FOR: TimeDelta = TimeDelta::days(90);
/// The most phones one invite may enrol.
pub const MOST_USES: u32 = 500;

/// An invite to make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewInvite {
    pub role: Role,
    pub place: Place,
    /// The inviter's name, as the phone shows it.
    pub invited_by: String,
    /// The supervisor's device that made it; `None` from the command line.
    pub made_by: Option<Uuid>,
    pub valid_for: TimeDelta,
    /// How many phones may enrol with it.
    pub max_uses: u32,
}

/// An invite made: the code is shown this once and kept only hashed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MadeInvite {
    /// The invite's id, to list and revoke it by.
    pub id: Uuid,
    pub code: String,
    pub expires_at: DateTime<Utc>,
}

/// Why an invite could not be made.
#[derive(Debug, thiserror::Error)]
pub enum MakeInviteError {
    #[error("the invite is not valid: {0}")]
    Invalid(FieldErrors),
    #[error(transparent)]
    NoRandomness(#[from] NoRandomness),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// Why an invite code does not work.
#[derive(Debug, thiserror::Error)]
pub enum InviteError {
    #[error("no invite has this code")]
    NotFound,
    #[error("the invite has expired")]
    Expired,
    #[error("the invite has been used as often as it may be")]
    UsedUp,
    #[error("the invite was revoked, or the phone that made it was")]
    Revoked,
    #[error(transparent)]
    Storage(#[from] StorageError),
}

impl From<sqlx::Error> for InviteError {
    fn from(error: sqlx::Error) -> InviteError {
        InviteError::Storage(error.into())
    }
}

impl NewInvite {
    /// Checks the place for the role, the name, the time and the uses.
    pub fn validate(&self) -> Result<(), FieldErrors> {
        use tongxing_core::FieldError;
        let mut errors = match self.place.validate(self.role) {
            Ok(()) => FieldErrors::new(),
            Err(errors) => errors,
        };
        let name = self.invited_by.trim();
        if name.is_empty() {
            errors.add("invited_by", FieldError::Required);
        } else if name.chars().count() > tongxing_core::worker::WORKER_NAME_MAX {
            errors.add("invited_by", FieldError::TooLong { max: tongxing_core::worker::WORKER_NAME_MAX });
        }
        if self.valid_for <= TimeDelta::zero() || self.valid_for > LONGEST_VALID_FOR {
            errors.add("valid_days", FieldError::OutOfRange);
        }
        if self.max_uses == 0 || self.max_uses > MOST_USES {
            errors.add("uses", FieldError::OutOfRange);
        }
        errors.into_result(())
    }
}

/// Makes an invite, valid from `now`, and writes `maker`'s audit row with it.
pub async fn make(
    pool: &AnyPool,
    invite: &NewInvite,
    maker: &Reader<'_>,
    now: DateTime<Utc>,
) -> Result<MadeInvite, MakeInviteError> {
    invite.validate().map_err(MakeInviteError::Invalid)?;
    let mut tx = db::begin_write(pool).await.map_err(StorageError::from)?;
    let made = make_in(&mut tx, invite, maker, now, false).await?;
    tx.commit().await.map_err(StorageError::from)?;
    Ok(made)
}

/// Makes a checked invite inside the caller's write transaction (`first_run`: the one the
/// server makes at start for the county's first administrator), with `maker`'s audit row.
pub(super) async fn make_in(
    conn: &mut AnyConnection,
    invite: &NewInvite,
    maker: &Reader<'_>,
    now: DateTime<Utc>,
    first_run: bool,
) -> Result<MadeInvite, MakeInviteError> {
    let code = secret::new_code()?;
    let id = Uuid::new_v4();
    let expires_at = now + invite.valid_for;
    // A supervisor's invite for her township has no village, the county's no township.
    let place = invite.place.of_role(invite.role);
    sqlx::query(
        "INSERT INTO invites (id, code_hash, role, township, village, invited_by, made_by, created_at, expires_at, \
         max_uses, first_run) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(id.to_string())
    .bind(secret::hash(&code))
    .bind(invite.role.code())
    .bind(&place.township)
    .bind(&place.village)
    .bind(invite.invited_by.trim())
    .bind(invite.made_by.map(|id| id.to_string()))
    .bind(db::timestamp(now))
    .bind(db::timestamp(expires_at))
    .bind(i64::from(invite.max_uses))
    .bind(i64::from(first_run))
    .execute(&mut *conn)
    .await
    .map_err(StorageError::from)?;
    let subject = format!(
        "invite {id}: {} of {} {}, {} use(s), until {}",
        invite.role,
        place.township,
        place.village,
        invite.max_uses,
        db::timestamp(expires_at)
    );
    audit::record_in(conn, maker, audit::MAKE_INVITE, &subject, None, now).await?;
    Ok(MadeInvite { id, code, expires_at })
}

/// What a phone shows before joining with `code`.
pub async fn look_up(pool: &AnyPool, code: &str, now: DateTime<Utc>) -> Result<InviteInfo, InviteError> {
    let mut conn = pool.acquire().await.map_err(StorageError::from)?;
    Ok(usable(&mut conn, code, now).await?.info)
}

/// An invite that works now, read inside the caller's transaction.
#[derive(Debug, Clone)]
pub(super) struct UsableInvite {
    pub id: Uuid,
    pub code_hash: String,
    pub info: InviteInfo,
    /// The phone that made it, if a phone did: its id and its worker's name and role.
    pub maker: Option<(Uuid, String, Role)>,
}

type UsableRow =
    (String, String, String, String, String, String, i64, i64, Flag, Option<String>, Option<String>, Option<String>);

pub(super) async fn usable(
    conn: &mut AnyConnection,
    code: &str,
    now: DateTime<Utc>,
) -> Result<UsableInvite, InviteError> {
    let code_hash = secret::hash(code.trim());
    let row: Option<UsableRow> = sqlx::query_as(
        "SELECT i.id, i.role, i.township, i.village, i.invited_by, i.expires_at, i.max_uses, i.uses, \
         i.revoked_at IS NOT NULL OR d.revoked_at IS NOT NULL, d.id, d.name, d.role \
         FROM invites AS i LEFT JOIN devices AS d ON d.id = i.made_by WHERE i.code_hash = $1",
    )
    .bind(&code_hash)
    .fetch_optional(&mut *conn)
    .await?;
    let (
        id,
        role,
        township,
        village,
        invited_by,
        expires_at,
        max_uses,
        uses,
        revoked,
        maker_id,
        maker_name,
        maker_role,
    ) = row.ok_or(InviteError::NotFound)?;
    let corrupt = |detail: String| StorageError::Corrupt { what: "an invite".to_owned(), detail };
    let role: Role = role.parse().map_err(|e: tongxing_core::worker::UnknownRole| corrupt(e.to_string()))?;
    let expires_at = DateTime::parse_from_rfc3339(&expires_at).map_err(|e| corrupt(e.to_string()))?.with_timezone(&Utc);
    let id = Uuid::parse_str(&id).map_err(|e| corrupt(e.to_string()))?;
    let maker = match (maker_id, maker_name, maker_role) {
        (Some(maker_id), Some(name), Some(maker_role)) => Some((
            Uuid::parse_str(&maker_id).map_err(|e| corrupt(e.to_string()))?,
            name,
            maker_role.parse().map_err(|e: tongxing_core::worker::UnknownRole| corrupt(e.to_string()))?,
        )),
        _ => None,
    };
    if revoked.0 {
        return Err(InviteError::Revoked);
    }
    if expires_at <= now {
        return Err(InviteError::Expired);
    }
    if uses >= max_uses {
        return Err(InviteError::UsedUp);
    }
    Ok(UsableInvite {
        id,
        maker,
        code_hash,
        info: InviteInfo { role, place: Place { township, village }, invited_by, expires_at },
    })
}

/// Counts one use of an invite found [`usable`] in the same transaction.
pub(super) async fn use_once(conn: &mut AnyConnection, code_hash: &str) -> Result<(), InviteError> {
    sqlx::query("UPDATE invites SET uses = uses + 1 WHERE code_hash = $1").bind(code_hash).execute(&mut *conn).await?;
    Ok(())
}

type ListingRow = (String, String, String, String, String, Option<String>, String, String, i64, i64, Flag);

/// The invites of `township` (every invite when `None`), the newest first, without codes.
pub async fn list(
    pool: &AnyPool,
    township: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Vec<InviteListing>, StorageError> {
    let rows: Vec<ListingRow> = sqlx::query_as(
        "SELECT i.id, i.role, i.township, i.village, i.invited_by, i.made_by, i.created_at, i.expires_at, \
         i.max_uses, i.uses, i.revoked_at IS NOT NULL OR d.revoked_at IS NOT NULL \
         FROM invites AS i LEFT JOIN devices AS d ON d.id = i.made_by \
         WHERE $1 IS NULL OR i.township = $1 ORDER BY i.created_at DESC, i.id",
    )
    .bind(township)
    .fetch_all(pool)
    .await?;
    rows.into_iter().map(|row| listing(row, now)).collect()
}

fn listing(row: ListingRow, now: DateTime<Utc>) -> Result<InviteListing, StorageError> {
    let (id, role, township, village, invited_by, made_by, made_at, expires_at, max_uses, uses, revoked) = row;
    let corrupt = |detail: String| StorageError::Corrupt { what: format!("invite {id}"), detail };
    let time = |text: &str| {
        DateTime::parse_from_rfc3339(text).map(|t| t.with_timezone(&Utc)).map_err(|e| corrupt(e.to_string()))
    };
    let expires_at = time(&expires_at)?;
    let uses_left = u32::try_from(max_uses.saturating_sub(uses).max(0)).unwrap_or(u32::MAX);
    Ok(InviteListing {
        id: Uuid::parse_str(&id).map_err(|e| corrupt(e.to_string()))?,
        role: role.parse().map_err(|e: tongxing_core::worker::UnknownRole| corrupt(e.to_string()))?,
        township,
        village,
        invited_by,
        made_by: made_by.as_deref().map(Uuid::parse_str).transpose().map_err(|e| corrupt(e.to_string()))?,
        made_at: time(&made_at)?,
        expires_at,
        uses_left,
        state: InviteState::at(revoked.0, expires_at, uses_left, now),
    })
}

/// Revokes the invite `id` (of `township` only, when given: another township's invite is
/// [`Revoked::Unknown`] as an unknown one is), and writes `by`'s audit row.
pub async fn revoke(
    pool: &AnyPool,
    id: Uuid,
    township: Option<&str>,
    by: &Reader<'_>,
    now: DateTime<Utc>,
) -> Result<Revoked, StorageError> {
    revocation::revoke(pool, Revocation::Invite, id, township, by, now).await
}

/// The link to the app that carries `code`: `<app_url>/join?code=…`, with `&server=…` when
/// the API is at another address than the app.
pub fn link(app_url: &url::Url, code: &str, server_url: Option<&url::Url>) -> url::Url {
    let mut link = app_url.clone();
    let path = format!("{}/join", app_url.path().trim_end_matches('/'));
    link.set_path(&path);
    link.set_fragment(None);
    {
        let mut query = link.query_pairs_mut();
        query.clear().append_pair("code", code);
        if let Some(server) = server_url {
            query.append_pair("server", server.as_str().trim_end_matches('/'));
        }
    }
    link
}

#[cfg(test)]
mod tests {
    use super::*;

    fn director_invite() -> NewInvite {
        NewInvite {
            role: Role::Director,
            place: Place { township: "石门镇".into(), village: "桃源村".into() },
            invited_by: "王督导".into(),
            made_by: None,
            valid_for: DEFAULT_VALID_FOR,
            max_uses: 1,
        }
    }

    fn county() -> Reader<'static> {
        Reader { device: None, name: "县民政局" }
    }

    #[tokio::test]
    async fn a_revoked_invite_stops_working_and_is_listed_so_without_its_code() {
        let dir = tempfile::tempdir().unwrap();
        let pool = db::open_for_test(dir.path()).await.unwrap();
        let now = Utc::now();
        let made = make(&pool, &director_invite(), &county(), now).await.unwrap();
        let listed = list(&pool, Some("石门镇"), now).await.unwrap();
        assert_eq!((listed.len(), listed[0].id, listed[0].state), (1, made.id, InviteState::Active));
        assert!(list(&pool, Some("白沙镇"), now).await.unwrap().is_empty());
        assert_eq!(revoke(&pool, made.id, Some("白沙镇"), &county(), now).await.unwrap(), Revoked::Unknown);
        assert_eq!(revoke(&pool, made.id, None, &county(), now).await.unwrap(), Revoked::Now);
        assert_eq!(revoke(&pool, made.id, None, &county(), now).await.unwrap(), Revoked::Already);
        assert!(matches!(look_up(&pool, &made.code, now).await, Err(InviteError::Revoked)));
        assert_eq!(list(&pool, None, now).await.unwrap()[0].state, InviteState::Revoked);
        let actions: Vec<String> = audit::entries(&pool).await.unwrap().into_iter().map(|entry| entry.action).collect();
        assert_eq!(actions, [audit::MAKE_INVITE, audit::REVOKE_INVITE]);
    }

    #[tokio::test]
    async fn invites_made_before_ids_get_one_each() {
        use sqlx::sqlite::SqliteConnectOptions;
        let dir = tempfile::tempdir().unwrap();
        let old = sqlx::SqlitePool::connect_with(
            SqliteConnectOptions::new().filename(db::database_path(dir.path())).create_if_missing(true),
        )
        .await
        .unwrap();
        db::MIGRATOR.run_to(7, &old).await.unwrap();
        for code in ["one", "two"] {
            sqlx::query(
                "INSERT INTO invites (code_hash, role, township, village, invited_by, created_at, expires_at, max_uses) \
                 VALUES ($1, 'director', '石门镇', '桃源村', '王督导', '2026-11-01T00:00:00.000Z', '2099-01-01T00:00:00.000Z', 1)",
            )
            .bind(secret::hash(code))
            .execute(&old)
            .await
            .unwrap();
        }
        old.close().await;

        let pool = db::open(dir.path()).await.unwrap();
        let listed = list(&pool, None, Utc::now()).await.unwrap();
        assert_eq!(listed.len(), 2);
        assert_ne!(listed[0].id, listed[1].id);
        assert!(listed.iter().all(|i| i.id.get_version_num() == 4 && i.state == InviteState::Active), "{listed:?}");
        assert!(look_up(&pool, "one", Utc::now()).await.is_ok());
    }

    #[tokio::test]
    async fn an_invite_is_found_by_its_code_until_it_expires() {
        let dir = tempfile::tempdir().unwrap();
        let pool = db::open(dir.path()).await.unwrap();
        let now = Utc::now();
        let made = make(&pool, &director_invite(), &county(), now).await.unwrap();
        let info = look_up(&pool, &made.code, now).await.unwrap();
        assert_eq!(info.role, Role::Director);
        assert_eq!(info.place.village, "桃源村");
        assert_eq!(info.invited_by, "王督导");
        assert!(matches!(look_up(&pool, "not-a-code", now).await, Err(InviteError::NotFound)));
        let later = now + DEFAULT_VALID_FOR + TimeDelta::seconds(1);
        assert!(matches!(look_up(&pool, &made.code, later).await, Err(InviteError::Expired)));
        let stored: String = sqlx::query_scalar("SELECT code_hash FROM invites").fetch_one(&pool).await.unwrap();
        assert_eq!(stored, secret::hash(&made.code), "only the hash is kept");
    }

    #[tokio::test]
    async fn a_supervisor_invite_has_no_village_and_bad_invites_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let pool = db::open_for_test(dir.path()).await.unwrap();
        let supervisor = NewInvite { role: Role::Supervisor, ..director_invite() };
        let made = make(&pool, &supervisor, &county(), Utc::now()).await.unwrap();
        assert_eq!(look_up(&pool, &made.code, Utc::now()).await.unwrap().place.village, "");
        let never = NewInvite { max_uses: 0, valid_for: TimeDelta::days(400), ..director_invite() };
        let Err(MakeInviteError::Invalid(errors)) = make(&pool, &never, &county(), Utc::now()).await else {
            panic!("refused")
        };
        assert!(errors.get("uses").is_some() && errors.get("valid_days").is_some());
    }

    #[test]
    fn links_go_to_the_join_screen_of_the_app() {
        let app = url::Url::parse("https://app.example.org/tongxing/").unwrap();
        assert_eq!(link(&app, "abc-_1", None).as_str(), "https://app.example.org/tongxing/join?code=abc-_1");
        let server = url::Url::parse("https://api.example.org/").unwrap();
        assert_eq!(
            link(&url::Url::parse("http://127.0.0.1:8080").unwrap(), "c", Some(&server)).as_str(),
            "http://127.0.0.1:8080/join?code=c&server=https%3A%2F%2Fapi.example.org"
        );
    }
}
