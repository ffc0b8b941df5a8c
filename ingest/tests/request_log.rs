//! The request log names each request's route, never its address: after calls whose
//! addresses carry an invite code, a child's id, a query string and the app's
//! `/join?code=…`, and with a device token in their headers, the server's log (captured from
//! a real server on a real port) holds the route templates and none of those strings.

// A test binary of its own, the one beside `api/`: the capture below is tracing's
// thread-scoped dispatcher, and tracing keeps which callsites are wanted for the whole
// process; among the servers of the other tests, logging on other threads at the same time,
// it missed the request span (seen when this file was a module of `api`).
#[path = "api/common/mod.rs"]
mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use common::{child, client_with_token, enroll_over_http, invite, spawn_app};
use reqwest::{Client, StatusCode};
use tongxing_core::worker::{Place, Role};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::EnvFilter;

/// Log lines, written to memory.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("the log")).into_owned()
    }
}

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("the log").extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Captured {
        self.clone()
    }
}

// One thread: the server's tasks run on the test's thread, where the capture is the default.
#[tokio::test(flavor = "current_thread")]
async fn the_log_names_routes_and_never_codes_ids_tokens_or_queries() {
    let log = Captured::default();
    // Everything the server side logs, at every level; not the test's own HTTP client.
    let subscriber = tracing_subscriber::fmt()
        .with_writer(log.clone())
        .with_ansi(false)
        .with_env_filter(EnvFilter::new("trace,reqwest=off,hyper_util::client=off"))
        .finish();
    let _capture = tracing::subscriber::set_default(subscriber);

    let app = spawn_app().await;
    let township = app.director.place.township.clone();
    let supervisor_code = invite(app.data.path(), Role::Supervisor, &Place { township, village: String::new() }).await;
    let supervisor = enroll_over_http(&app.url, &supervisor_code, "王督导").await;
    let reader = client_with_token(&supervisor.token);

    let code = invite(app.data.path(), Role::Director, &app.director.place).await;
    let shown = Client::new().get(app.api(&format!("/invites/{code}"))).send().await.expect("sent");
    assert_eq!(shown.status(), StatusCode::OK);
    let unknown_code = "NoSuchCode-4f1e9a";
    let missing = Client::new().get(app.api(&format!("/invites/{unknown_code}"))).send().await.expect("sent");
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);

    let file = child();
    assert_eq!(app.put_child(&file).await.status(), StatusCode::CREATED);
    let query_word = "secretvillagequery";
    let read = reader.get(app.api(&format!("/children/{}?{query_word}=1", file.id))).send().await.expect("sent");
    assert_eq!(read.status(), StatusCode::OK);
    let listed = reader.get(app.api(&format!("/children?village={query_word}"))).send().await.expect("sent");
    assert_eq!(listed.status(), StatusCode::OK);
    let join_code = "JoinLinkCode-77ab";
    let page = Client::new().get(format!("{}/join?code={join_code}", app.url)).send().await.expect("sent");
    assert!(page.status().is_client_error(), "no app is served here: {}", page.status());

    let text = log.text();
    for route in ["/api/v1/invites/{code}", "/api/v1/children/{id}", "/api/v1/children", "(no route)"] {
        assert!(text.contains(&format!("route=\"{route}\"")), "the log names {route}:\n{text}");
    }
    let secrets = [
        code.as_str(),
        unknown_code,
        join_code,
        query_word,
        supervisor.token.as_str(),
        app.token.as_str(),
        &file.id.to_string(),
        &file.name,
        "王督导",
    ];
    for secret in secrets {
        assert!(!text.contains(secret), "the log holds {secret:?}:\n{text}");
    }
    app.stop().await;
}
