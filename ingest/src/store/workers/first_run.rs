//! The first run: while no county administrator has joined, the server makes, at each
//! start, one invite for the county's first one and prints its link (as Jupyter prints its
//! token URL). Codes are kept only hashed, so a link printed before cannot be printed
//! again: an earlier first-run invite nobody used is revoked and a fresh one made, so that
//! one link works at a time.

use chrono::{DateTime, TimeDelta, Utc};
use sqlx::AnyPool;
use tongxing_core::worker::{Place, Role};

use super::invites::{self, MadeInvite, MakeInviteError, NewInvite};
use crate::store::audit::{self, Reader};
use crate::store::db::{self, Flag, StorageError};

/// Who the audit log says made (or revoked) a first-run invite.
pub const FIRST_RUN: &str = "first run";
/// The inviter's name a phone shows before joining with the first-run link.
pub const FIRST_RUN_INVITER: &str = "童行服务器";
/// How long the first-run link works: the next start makes another anyway.
pub const FIRST_RUN_VALID_FOR: TimeDelta = TimeDelta::days(7);

/// What the start found.
#[derive(Debug)]
pub enum FirstRun {
    /// A county administrator has joined (and is not revoked): nothing to print.
    CountyJoined,
    /// A new invite for the first county administrator; `replaced` unused first-run
    /// invites made at earlier starts were revoked.
    Invite { invite: MadeInvite, replaced: u64 },
}

/// Makes the first-run invite when no county administrator has joined, revoking any
/// earlier one nobody used, in one write transaction with their audit rows.
pub async fn prepare(pool: &AnyPool, now: DateTime<Utc>) -> Result<FirstRun, MakeInviteError> {
    let mut tx = db::begin_write(pool).await.map_err(StorageError::from)?;
    let Flag(joined): Flag =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM devices WHERE role = $1 AND revoked_at IS NULL)")
            .bind(Role::County.code())
            .fetch_one(&mut *tx)
            .await
            .map_err(StorageError::from)?;
    if joined {
        return Ok(FirstRun::CountyJoined);
    }
    let reader = Reader { device: None, name: FIRST_RUN };
    let replaced =
        sqlx::query("UPDATE invites SET revoked_at = $1 WHERE first_run = 1 AND revoked_at IS NULL AND uses = 0")
            .bind(db::timestamp(now))
            .execute(&mut *tx)
            .await
            .map_err(StorageError::from)?
            .rows_affected();
    if replaced > 0 {
        let subject = format!("{replaced} unused first-run invite(s), replaced at start");
        audit::record_in(&mut tx, &reader, audit::REVOKE_INVITE, &subject, None, now).await?;
    }
    let invite = NewInvite {
        role: Role::County,
        place: Place { township: String::new(), village: String::new() },
        invited_by: FIRST_RUN_INVITER.to_owned(),
        made_by: None,
        valid_for: FIRST_RUN_VALID_FOR,
        max_uses: 1,
    };
    invite.validate().map_err(MakeInviteError::Invalid)?;
    let made = invites::make_in(&mut tx, &invite, &reader, now, true).await?;
    tx.commit().await.map_err(StorageError::from)?;
    Ok(FirstRun::Invite { invite: made, replaced })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::workers::invites::InviteError;

    #[tokio::test]
    async fn one_first_run_invite_works_at_a_time_until_the_county_joins() {
        let dir = tempfile::tempdir().unwrap();
        let pool = db::open_for_test(dir.path()).await.unwrap();
        let now = Utc::now();
        let FirstRun::Invite { invite: first, replaced: 0 } = prepare(&pool, now).await.unwrap() else {
            panic!("an empty database gets a first-run invite");
        };
        let info = invites::look_up(&pool, &first.code, now).await.unwrap();
        assert_eq!((info.role, info.place.township.as_str()), (Role::County, ""));
        let FirstRun::Invite { invite: second, replaced: 1 } = prepare(&pool, now).await.unwrap() else {
            panic!("a second start replaces the unused invite");
        };
        assert!(matches!(invites::look_up(&pool, &first.code, now).await, Err(InviteError::Revoked)));
        assert!(invites::look_up(&pool, &second.code, now).await.is_ok());
        let request = tongxing_core::wire::EnrollRequest {
            code: second.code.clone(),
            name: "赵主任".into(),
            phone: "13800000000".into(),
        };
        let joined = crate::store::workers::enroll(&pool, &request, now).await.unwrap();
        assert_eq!((joined.worker.role, joined.worker.place.township.as_str()), (Role::County, ""));
        assert!(matches!(prepare(&pool, now).await.unwrap(), FirstRun::CountyJoined));
    }
}
