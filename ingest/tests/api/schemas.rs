//! The two schemas kept in step (issue 19): SQLite's migrations (`ingest/migrations/`) and
//! PostgreSQL's (`ingest/migrations-postgres/`) leave the same tables, with the same columns
//! of the same kinds and nullness, and the same indexes. Needs a PostgreSQL server
//! (`TONGXING_TEST_DATABASE_URL`, which the test command's second pass sets); ignored
//! without one, run with `--include-ignored` there.

use std::collections::BTreeSet;

use tongxing_ingest::store::db;

/// One column as both engines can say it: its table, its name, its kind (text, integer or
/// bytes) and whether it may be null.
type Column = (String, String, &'static str, bool);

/// The columns only PostgreSQL has: SQLite's implicit `rowid`, which the supervisor's
/// reconciling names an edit by, is a column of its own there.
const POSTGRES_ONLY: [(&str, &str); 1] = [("child_conflicts", "rowid")];

fn kind_of(declared: &str) -> &'static str {
    match declared.to_ascii_lowercase().as_str() {
        "text" => "text",
        "integer" | "bigint" => "integer",
        "blob" | "bytea" => "bytes",
        other => panic!("a column of a kind neither schema should hold: {other}"),
    }
}

async fn sqlite_schema(dir: &std::path::Path) -> (BTreeSet<Column>, BTreeSet<String>) {
    let pool = db::open(dir).await.expect("SQLite");
    let columns: Vec<(String, String, String, i64, i64)> = sqlx::query_as(
        "SELECT m.name, c.name, c.type, c.\"notnull\", c.pk FROM sqlite_master AS m, pragma_table_info(m.name) AS c \
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '_sqlx_%'",
    )
    .fetch_all(&pool)
    .await
    .expect("SQLite's columns");
    let indexes: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_autoindex_%'",
    )
    .fetch_all(&pool)
    .await
    .expect("SQLite's indexes");
    pool.close().await;
    let columns = columns
        .into_iter()
        // A primary key is never null, as in PostgreSQL, whatever SQLite lets it say.
        .map(|(table, column, declared, not_null, key)| (table, column, kind_of(&declared), not_null == 0 && key == 0))
        .collect();
    (columns, indexes.into_iter().collect())
}

async fn postgres_schema(dir: &std::path::Path, server: &str) -> (BTreeSet<Column>, BTreeSet<String>) {
    let url = url::Url::parse(server).expect("a URL");
    let pool = db::open_at(dir, Some(&url)).await.expect("PostgreSQL");
    let columns: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text, data_type::text, is_nullable::text FROM information_schema.columns \
         WHERE table_schema = 'public' AND table_name NOT LIKE '\\_sqlx\\_%'",
    )
    .fetch_all(&pool)
    .await
    .expect("PostgreSQL's columns");
    // Indexes made by CREATE INDEX, not those behind a primary key or a UNIQUE constraint.
    let indexes: Vec<String> = sqlx::query_scalar(
        "SELECT i.indexname::text FROM pg_indexes AS i WHERE i.schemaname = 'public' AND NOT EXISTS \
         (SELECT 1 FROM pg_constraint AS c JOIN pg_class AS x ON x.oid = c.conindid WHERE x.relname = i.indexname)",
    )
    .fetch_all(&pool)
    .await
    .expect("PostgreSQL's indexes");
    pool.close().await;
    let columns = columns
        .into_iter()
        .filter(|(table, column, ..)| !POSTGRES_ONLY.contains(&(table.as_str(), column.as_str())))
        .map(|(table, column, declared, nullable)| (table, column, kind_of(&declared), nullable == "YES"))
        .collect();
    (columns, indexes.into_iter().collect())
}

#[tokio::test]
#[ignore = "needs a PostgreSQL server: TONGXING_TEST_DATABASE_URL (scripts/test.sh starts one)"]
async fn both_engines_migrate_to_the_same_tables_columns_and_indexes() {
    let server = std::env::var(db::TEST_DATABASE_URL).expect("TONGXING_TEST_DATABASE_URL: a PostgreSQL server");
    let sqlite = tempfile::tempdir().expect("temp dir");
    let postgres = tempfile::tempdir().expect("temp dir");
    let (sqlite_columns, sqlite_indexes) = sqlite_schema(sqlite.path()).await;
    let (postgres_columns, postgres_indexes) = postgres_schema(postgres.path(), &server).await;
    assert!(sqlite_columns.len() > 150, "SQLite's columns were read: {}", sqlite_columns.len());
    let only_sqlite: Vec<_> = sqlite_columns.difference(&postgres_columns).collect();
    let only_postgres: Vec<_> = postgres_columns.difference(&sqlite_columns).collect();
    assert!(
        only_sqlite.is_empty() && only_postgres.is_empty(),
        "SQLite alone: {only_sqlite:?}\nPostgreSQL alone: {only_postgres:?}"
    );
    assert_eq!(sqlite_indexes, postgres_indexes, "the indexes");
}
