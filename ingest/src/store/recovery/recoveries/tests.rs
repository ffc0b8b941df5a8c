//! Recoveries at times of the test's choosing: issued, claimed once, lapsed, tried too
//! often, replaced, and none for a revoked phone or one of another township.

use chrono::TimeDelta;
use tongxing_core::fixtures::sample_director;
use tongxing_core::vault::{DataKey, KEY_BYTES};
use tongxing_core::wire::{RecoveryKeyDeposit, RevokedAs};
use tongxing_core::worker::{Place, Role};

use super::*;
use crate::store::recovery::deposits::{deposit, held_key, DepositError, Deposited};
use crate::store::workers::devices::{enrol_for_test, revoke};

/// A database with a director who left her key, and her township's supervisor.
struct Setting {
    _dir: tempfile::TempDir,
    pool: AnyPool,
    server_key: ServerKey,
    director: Worker,
    supervisor: Worker,
    vault: Uuid,
    key: HexKey,
    now: DateTime<Utc>,
}

async fn setting() -> Setting {
    let dir = tempfile::tempdir().unwrap();
    let pool = db::open_for_test(dir.path()).await.unwrap();
    let director = sample_director();
    let supervisor = Worker {
        id: Uuid::from_u128(0x5),
        name: "王督导".into(),
        role: Role::Supervisor,
        place: Place { township: director.place.township.clone(), village: String::new() },
    };
    enrol_for_test(&pool, &director).await;
    enrol_for_test(&pool, &supervisor).await;
    let server_key = ServerKey::from_bytes([9; KEY_BYTES]);
    let vault = Uuid::from_u128(0x7a);
    let key = HexKey::new(DataKey::from_bytes([0x42; KEY_BYTES]));
    let now = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
    let left = RecoveryKeyDeposit { vault_id: vault, key: key.clone() };
    assert_eq!(deposit(&pool, &server_key, &director, &left, now).await.unwrap(), Deposited::New);
    Setting { _dir: dir, pool, server_key, director, supervisor, vault, key, now }
}

impl Setting {
    async fn issue(&self, at: DateTime<Utc>) -> Result<RecoveryIssued, IssueError> {
        issue(&self.pool, &self.server_key, self.director.id, &self.supervisor, at).await
    }

    async fn claim(&self, code: &RecoveryCode, at: DateTime<Utc>) -> Result<HexKey, ClaimError> {
        claim(&self.pool, &self.server_key, &RecoveryClaim { vault_id: self.vault, code: code.clone() }, at).await
    }

    async fn audited(&self, action: &str) -> Vec<String> {
        let filter = audit::AuditFilter { action: Some(action.to_owned()), ..audit::AuditFilter::default() };
        audit::find(&self.pool, &filter).await.unwrap().into_iter().map(|entry| entry.subject).collect()
    }
}

/// A code other than `code`.
fn wrong(code: &RecoveryCode) -> RecoveryCode {
    let typed = String::from(code.clone());
    let number: u32 = typed.parse().unwrap();
    RecoveryCode::from_number(number + 1)
}

#[tokio::test]
async fn the_right_code_gives_the_key_back_once_and_the_database_keeps_only_its_hash() {
    let s = setting().await;
    let issued = s.issue(s.now).await.unwrap();
    assert_eq!(issued.expires_at, s.now + RECOVERY_VALID_FOR);
    let stored: (String, i64) =
        sqlx::query_as("SELECT code_hash, tries_left FROM recoveries").fetch_one(&s.pool).await.unwrap();
    assert_eq!(stored, (issued.code.hash_for(&s.director.id.to_string()), i64::from(RECOVERY_TRIES)));

    let key = s.claim(&issued.code, s.now + TimeDelta::hours(1)).await.unwrap();
    assert!(key == s.key, "the very key");
    assert!(matches!(s.claim(&issued.code, s.now + TimeDelta::hours(2)).await, Err(ClaimError::Refused)), "once");

    let issued_rows = s.audited(audit::ISSUE_RECOVERY).await;
    assert_eq!(issued_rows.len(), 1);
    assert!(!issued_rows[0].contains(&String::from(issued.code.clone())), "never the code: {issued_rows:?}");
    assert_eq!(s.audited(audit::RECOVER_KEY).await.len(), 1);
}

#[tokio::test]
async fn a_recovery_lapses_after_a_day() {
    let s = setting().await;
    let issued = s.issue(s.now).await.unwrap();
    let lapsed = s.now + RECOVERY_VALID_FOR;
    assert!(matches!(s.claim(&issued.code, lapsed).await, Err(ClaimError::Refused)), "expiry is exclusive");
    let just_before = lapsed - TimeDelta::seconds(1);
    assert!(s.claim(&issued.code, just_before).await.unwrap() == s.key);
}

#[tokio::test]
async fn wrong_codes_use_its_tries_and_the_last_one_voids_it() {
    let s = setting().await;
    let issued = s.issue(s.now).await.unwrap();
    for _ in 0..RECOVERY_TRIES - 1 {
        assert!(matches!(s.claim(&wrong(&issued.code), s.now).await, Err(ClaimError::Refused)));
    }
    let tries: i64 = sqlx::query_scalar("SELECT tries_left FROM recoveries").fetch_one(&s.pool).await.unwrap();
    assert_eq!(tries, 1);
    assert!(matches!(s.claim(&wrong(&issued.code), s.now).await, Err(ClaimError::Refused)));
    assert!(matches!(s.claim(&issued.code, s.now).await, Err(ClaimError::Refused)), "void after the fifth wrong code");
    let refused = s.audited(audit::RECOVERY_REFUSED).await;
    assert_eq!(refused.len(), RECOVERY_TRIES as usize, "each wrong code, not the claim of a void recovery");
    assert!(refused.last().unwrap().ends_with("the recovery is void"), "{refused:?}");

    let again = s.issue(s.now).await.unwrap();
    assert!(s.claim(&again.code, s.now).await.unwrap() == s.key, "a new recovery has its tries again");
}

#[tokio::test]
async fn issuing_again_replaces_the_open_recovery() {
    let s = setting().await;
    let first = s.issue(s.now).await.unwrap();
    let second = s.issue(s.now).await.unwrap();
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM recoveries").fetch_one(&s.pool).await.unwrap();
    assert_eq!(count, 1);
    if first.code != second.code {
        assert!(matches!(s.claim(&first.code, s.now).await, Err(ClaimError::Refused)));
    }
    assert!(s.claim(&second.code, s.now).await.unwrap() == s.key);
}

#[tokio::test]
async fn a_revoked_phone_gets_no_recovery_and_its_key_is_forgotten() {
    let s = setting().await;
    let issued = s.issue(s.now).await.unwrap();
    let by = Reader { device: Some(s.supervisor.id), name: &s.supervisor.name };
    revoke(&s.pool, s.director.id, RevokedAs::Left, None, &by, s.now).await.unwrap();
    assert!(matches!(s.claim(&issued.code, s.now).await, Err(ClaimError::Refused)));
    assert!(matches!(s.issue(s.now).await, Err(IssueError::Revoked)));
    let left: i64 =
        sqlx::query_scalar("SELECT (SELECT COUNT(*) FROM recovery_keys) + (SELECT COUNT(*) FROM recoveries)")
            .fetch_one(&s.pool)
            .await
            .unwrap();
    assert_eq!(left, 0, "neither its key nor its recovery is kept");
    let left = RecoveryKeyDeposit { vault_id: s.vault, key: s.key.clone() };
    assert!(matches!(deposit(&s.pool, &s.server_key, &s.director, &left, s.now).await, Err(DepositError::Revoked)));
}

#[tokio::test]
async fn another_township_unknown_phones_and_phones_without_a_key_get_none() {
    let s = setting().await;
    let elsewhere = Worker {
        place: Place { township: "白沙镇".into(), village: String::new() },
        id: Uuid::from_u128(0x6),
        ..s.supervisor.clone()
    };
    enrol_for_test(&s.pool, &elsewhere).await;
    let theirs = issue(&s.pool, &s.server_key, s.director.id, &elsewhere, s.now).await;
    assert!(matches!(theirs, Err(IssueError::Unknown)));
    let unknown = issue(&s.pool, &s.server_key, Uuid::from_u128(0xdead), &s.supervisor, s.now).await;
    assert!(matches!(unknown, Err(IssueError::Unknown)));
    let keyless = issue(&s.pool, &s.server_key, s.supervisor.id, &s.supervisor, s.now).await;
    assert!(matches!(keyless, Err(IssueError::NoKey)), "the supervisor's own phone left none");
    let other_file = ServerKey::from_bytes([1; KEY_BYTES]);
    let unopened = issue(&s.pool, &other_file, s.director.id, &s.supervisor, s.now).await;
    assert!(matches!(unopened, Err(IssueError::NoKey)), "a key the server can no longer open is none");
}

#[tokio::test]
async fn a_vault_is_one_devices_and_the_same_key_again_changes_nothing() {
    let s = setting().await;
    let same = RecoveryKeyDeposit { vault_id: s.vault, key: s.key.clone() };
    assert_eq!(deposit(&s.pool, &s.server_key, &s.director, &same, s.now).await.unwrap(), Deposited::Unchanged);
    let new_key = RecoveryKeyDeposit { vault_id: s.vault, key: HexKey::new(DataKey::from_bytes([1; KEY_BYTES])) };
    assert_eq!(deposit(&s.pool, &s.server_key, &s.director, &new_key, s.now).await.unwrap(), Deposited::Replaced);
    assert_eq!(s.audited(audit::DEPOSIT_RECOVERY_KEY).await.len(), 2, "the first and the replacement");
    // The phone joined again from the same space (another device): the vault moves to it, and
    // the earlier device can no longer be recovered.
    assert_eq!(deposit(&s.pool, &s.server_key, &s.supervisor, &new_key, s.now).await.unwrap(), Deposited::Moved);
    let earlier = issue(&s.pool, &s.server_key, s.director.id, &s.supervisor, s.now).await;
    assert!(matches!(earlier, Err(IssueError::NoKey)), "{earlier:?}");
    assert!(held_key(&mut s.pool.acquire().await.unwrap(), s.supervisor.id).await.unwrap().is_some());
}

#[test]
fn codes_are_eight_digits_drawn_evenly() {
    assert_eq!(CODES, 100_000_000);
    assert_eq!(DRAWN_BELOW, 4_200_000_000);
    let codes: std::collections::BTreeSet<String> = (0..200).map(|_| String::from(new_code().unwrap())).collect();
    assert!(codes.len() > 190, "random codes");
    assert!(codes.iter().all(|code| code.len() == 8 && code.bytes().all(|b| b.is_ascii_digit())));
}
