//! Retention on a real database file, at a fixed `now`.

use chrono::NaiveDate;
use sqlx::{AnyPool, AssertSqlSafe};

use super::*;

/// 2026-12-01 at midnight UTC.
fn now() -> DateTime<Utc> {
    day(2026, 12, 1)
}

fn day(year: i32, month: u32, day: u32) -> DateTime<Utc> {
    NaiveDate::from_ymd_opt(year, month, day).unwrap().and_hms_opt(0, 0, 0).unwrap().and_utc()
}

fn at(year: i32, month: u32, d: u32) -> String {
    db::timestamp(day(year, month, d))
}

fn hash(n: u32) -> String {
    format!("{n:064x}")
}

async fn ids(pool: &AnyPool, sql: &'static str) -> Vec<String> {
    sqlx::query_scalar(sql).fetch_all(pool).await.unwrap()
}

async fn count(pool: &AnyPool, table: &str) -> i64 {
    sqlx::query_scalar(AssertSqlSafe(format!("SELECT count(*) FROM {table}"))).fetch_one(pool).await.unwrap()
}

async fn invite(pool: &AnyPool, id: &str, n: u32, expires_at: &str, revoked_at: Option<&str>) {
    sqlx::query(
        "INSERT INTO invites (id, code_hash, role, township, village, invited_by, created_at, expires_at, max_uses, uses, revoked_at) \
         VALUES ($1, $2, 'director', '石门镇', '桃源村', '王督导', $3, $4, 3, 0, $5)",
    )
    .bind(id)
    .bind(hash(n))
    .bind(at(2026, 1, 1))
    .bind(expires_at)
    .bind(revoked_at)
    .execute(pool)
    .await
    .unwrap();
}

async fn device(pool: &AnyPool, id: &str, n: u32, invite: u32) {
    sqlx::query(
        "INSERT INTO devices (id, token_hash, name, phone, role, township, village, invite, enrolled_at) \
         VALUES ($1, $2, '李爱心', '13800000000', 'director', '石门镇', '桃源村', $3, $4)",
    )
    .bind(id)
    .bind(hash(n))
    .bind(hash(invite))
    .bind(at(2026, 7, 1))
    .execute(pool)
    .await
    .unwrap();
}

async fn recovery(pool: &AnyPool, device: &str, expires_at: &str, used_at: Option<&str>) {
    sqlx::query(
        "INSERT INTO recoveries (device_id, code_hash, issued_by, issued_at, expires_at, tries_left, used_at) \
         VALUES ($1, $2, 'dev-1', $3, $4, 5, $5)",
    )
    .bind(device)
    .bind(hash(99))
    .bind(expires_at)
    .bind(expires_at)
    .bind(used_at)
    .execute(pool)
    .await
    .unwrap();
}

async fn conflict(pool: &AnyPool, body: &str, received_at: &str, reconciled_at: Option<&str>) {
    sqlx::query(
        "INSERT INTO child_conflicts (id, revision, body, received_at, sent_by, reconciled_at, reconciled_by, kept) \
         VALUES ('child-1', 2, $1, $2, 'dev-1', $3, $4, $5)",
    )
    .bind(body)
    .bind(received_at)
    .bind(reconciled_at)
    .bind(reconciled_at.map(|_| "王督导"))
    .bind(reconciled_at.map(|_| "held"))
    .execute(pool)
    .await
    .unwrap();
}

/// A database holding, of each kind, rows older and newer than the default cut-offs, and
/// records that are always kept.
async fn held() -> (tempfile::TempDir, AnyPool) {
    let dir = tempfile::tempdir().unwrap();
    let pool = db::open_for_test(dir.path()).await.unwrap();

    invite(&pool, "expired-long-ago", 1, &at(2026, 8, 1), None).await;
    invite(&pool, "revoked-long-ago", 2, &at(2026, 11, 30), Some(&at(2026, 8, 1))).await;
    invite(&pool, "expired-lately", 3, &at(2026, 11, 20), None).await;
    invite(&pool, "joined-with", 4, &at(2026, 8, 1), None).await;
    for (id, n) in [("dev-1", 11), ("dev-2", 12), ("dev-3", 13)] {
        device(&pool, id, n, 4).await;
    }

    recovery(&pool, "dev-1", &at(2026, 10, 2), Some(&at(2026, 10, 1))).await;
    recovery(&pool, "dev-2", &at(2026, 11, 26), None).await;
    recovery(&pool, "dev-3", &at(2026, 10, 10), None).await;

    sqlx::query(
        "INSERT INTO children (id, revision, name, village, birth_date, body, updated_at, received_at) \
         VALUES ('child-1', 1, '王小明', '桃源村', '2015-03-01', '{}', $1, $1)",
    )
    .bind(at(2024, 1, 1))
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query("INSERT INTO child_revisions (id, revision, body, received_at) VALUES ('child-1', 1, '{}', $1)")
        .bind(at(2024, 1, 1))
        .execute(&pool)
        .await
        .unwrap();
    conflict(&pool, "reconciled-long-ago", &at(2025, 5, 1), Some(&at(2025, 6, 1))).await;
    conflict(&pool, "reconciled-lately", &at(2026, 5, 1), Some(&at(2026, 6, 1))).await;
    conflict(&pool, "never-reconciled", &at(2024, 5, 1), None).await;

    sqlx::query(
        "INSERT INTO visits (id, revision, child_id, form_id, form_version, visit_date, mandatory_report, body, updated_at, received_at) \
         VALUES ('visit-1', 1, 'child-1', 'home_visit', 1, '2024-01-02', 0, '{}', $1, $1)",
    )
    .bind(at(2024, 1, 2))
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query("INSERT INTO visit_conflicts (id, revision, body, received_at) VALUES ('visit-1', 1, '{\"x\":1}', $1)")
        .bind(at(2024, 1, 3))
        .execute(&pool)
        .await
        .unwrap();

    for quota_day in ["2026-10-31", "2026-11-01"] {
        sqlx::query("INSERT INTO upload_quota (device_id, day, bytes) VALUES ('dev-1', $1, 100)")
            .bind(quota_day)
            .execute(&pool)
            .await
            .unwrap();
    }
    (dir, pool)
}

fn counts(found: &[KindCount]) -> Vec<(&'static str, u64)> {
    found.iter().map(|kind| (kind.kind.name(), kind.count)).collect()
}

const ALWAYS_KEPT_TABLES: [&str; 6] =
    ["children", "child_revisions", "visits", "visit_conflicts", "devices", "audit_log"];

async fn kept_counts(pool: &AnyPool) -> Vec<i64> {
    let mut found = Vec::new();
    for table in ALWAYS_KEPT_TABLES {
        found.push(count(pool, table).await);
    }
    found
}

#[tokio::test]
async fn a_dry_run_counts_what_would_go_and_removes_nothing() {
    let (_dir, pool) = held().await;
    let tables = ["invites", "recoveries", "child_conflicts", "upload_quota"];
    let mut before = Vec::new();
    for table in tables {
        before.push(count(&pool, table).await);
    }

    let found = plan(&pool, &RetentionPolicy::default(), now()).await.unwrap();

    assert_eq!(counts(&found), [("invites", 2), ("recoveries", 2), ("upload-quota", 1)]);
    assert_eq!(found[0].before, "2026-09-02T00:00:00.000Z");
    assert_eq!(found[2].before, "2026-11-01");
    let mut after = Vec::new();
    for table in tables {
        after.push(count(&pool, table).await);
    }
    assert_eq!(after, before, "nothing removed");
    assert_eq!(count(&pool, "audit_log").await, 0, "a dry run writes no audit row");
}

#[tokio::test]
async fn apply_removes_what_is_past_its_days_and_keeps_the_rest() {
    let (_dir, pool) = held().await;
    let kept_before = kept_counts(&pool).await;
    let county = Reader { device: None, name: "county" };

    let removed = apply(&pool, &RetentionPolicy::default(), &county, now()).await.unwrap();

    assert_eq!(counts(&removed), [("invites", 2), ("recoveries", 2), ("upload-quota", 1)]);
    assert_eq!(ids(&pool, "SELECT id FROM invites ORDER BY id").await, ["expired-lately", "joined-with"]);
    assert_eq!(ids(&pool, "SELECT device_id FROM recoveries").await, ["dev-2"]);
    assert_eq!(
        ids(&pool, "SELECT body FROM child_conflicts ORDER BY body").await,
        ["never-reconciled", "reconciled-lately", "reconciled-long-ago"],
        "what a phone sent is never deleted, reconciled or not"
    );
    assert_eq!(ids(&pool, "SELECT day FROM upload_quota").await, ["2026-11-01"]);

    let mut kept_after = kept_counts(&pool).await;
    assert_eq!(kept_after.pop(), Some(3), "one audit row per kind");
    assert_eq!(kept_after, kept_before[..ALWAYS_KEPT_TABLES.len() - 1], "records are kept");

    let entries = audit::entries(&pool).await.unwrap();
    let subjects: Vec<_> = entries.iter().map(|entry| entry.subject.as_str()).collect();
    assert_eq!(
        subjects,
        [
            "invites: 2 (kept 90 days, before 2026-09-02T00:00:00.000Z)",
            "recoveries: 2 (kept 30 days, before 2026-11-01T00:00:00.000Z)",
            "upload-quota: 1 (kept 30 days, before 2026-11-01)",
        ]
    );
    assert!(entries.iter().all(|entry| entry.action == audit::APPLY_RETENTION && entry.actor == "county"));

    let again = apply(&pool, &RetentionPolicy::default(), &county, now()).await.unwrap();
    assert!(again.iter().all(|kind| kind.count == 0), "{again:?}");
}

#[tokio::test]
async fn fewer_days_remove_more() {
    let (_dir, pool) = held().await;
    let days = |d| RetentionDays::new(d).unwrap();
    let policy = RetentionPolicy { invites: days(5), recoveries: days(1), ..RetentionPolicy::default() };

    let found = plan(&pool, &policy, now()).await.unwrap();

    assert_eq!(counts(&found), [("invites", 3), ("recoveries", 3), ("upload-quota", 1)]);
}

#[test]
fn days_are_a_whole_number_one_or_more() {
    assert_eq!(RetentionDays::parse("90").map(RetentionDays::days), Ok(90));
    for bad in ["0", "-5", "1.5", "ninety", ""] {
        let error = RetentionDays::parse(bad).unwrap_err();
        assert!(error.to_string().contains("1 or more"), "{bad}: {error}");
    }
    assert!(RetentionDays::new(0).is_err());
}
