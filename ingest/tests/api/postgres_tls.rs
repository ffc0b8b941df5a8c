//! The connection to PostgreSQL is encrypted and its certificate checked, as a province's
//! database on another machine needs: the suite's cluster takes TLS connections only, with
//! a certificate of a CA made for the run, and the suite's URL says `sslmode=verify-full`
//! and names that CA. Needs that server (the test command's second pass); ignored without.

use tongxing_ingest::store::db;

#[tokio::test]
#[ignore = "needs PostgreSQL: the test command's second pass"]
async fn the_database_is_reached_over_tls_with_its_certificate_checked() {
    let url = crate::common::test_database_url().expect("TONGXING_TEST_DATABASE_URL is set");
    assert!(url.query().is_some_and(|query| query.contains("sslmode=verify-full")), "{url}");
    let data = tempfile::tempdir().expect("temp dir");

    let pool = db::open_at(data.path(), Some(&url)).await.expect("over TLS, the certificate checked against its CA");
    let encrypted: bool = sqlx::query_scalar::<_, i64>(
        "SELECT CASE WHEN ssl THEN 1 ELSE 0 END FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
    )
    .fetch_one(&pool)
    .await
    .map(|ssl| ssl == 1)
    .expect("read");
    assert!(encrypted, "this connection is encrypted");
    pool.close().await;

    let mut plain = url.clone();
    plain.set_query(Some("sslmode=disable"));
    let refused = db::open_at(data.path(), Some(&plain)).await.map(|_| ()).unwrap_err();
    assert!(refused.to_string().contains("127.0.0.1"), "the host, and nothing more: {refused}");

    let mut unchecked_ca = url.clone();
    unchecked_ca.set_query(Some("sslmode=verify-full"));
    assert!(db::open_at(data.path(), Some(&unchecked_ca)).await.is_err(), "a certificate of a CA not named is refused");
}
