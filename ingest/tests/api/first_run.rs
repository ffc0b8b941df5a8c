//! The first run: `tongxing-ingest serve` on an empty database prints one one-time link for
//! the county's first administrator on standard output (never in the log); a second start
//! while it is unused revokes it and prints a fresh one, saying so; once a county
//! administrator has joined, a start prints nothing. The built binary, on a real port.

use std::path::Path;

use reqwest::{Client, StatusCode};
use serde_json::json;

use crate::common::server_process::ServerProcess;

/// A server started from the binary.
struct Started(ServerProcess);

impl Started {
    /// Stops it and returns what it logged on standard error.
    fn stop(self) -> String {
        self.0.kill()
    }

    /// The first-run link printed, if any.
    fn link(&self) -> Option<String> {
        let lines: Vec<&String> = self.0.printed.iter().filter(|line| line.contains("/join?code=")).collect();
        assert!(lines.len() <= 1, "one link at most: {:?}", self.0.printed);
        lines.first().and_then(|line| line.split_whitespace().last()).map(str::to_owned)
    }
}

fn start(data_dir: &Path) -> Started {
    Started(ServerProcess::start(data_dir, &[]))
}

fn code_of(link: &str) -> String {
    let url = url::Url::parse(link).expect("a link");
    url.query_pairs().find(|(key, _)| key == "code").map(|(_, code)| code.into_owned()).expect("a code")
}

#[tokio::test]
async fn an_empty_database_prints_one_link_for_the_county_until_it_joins() {
    let data = tempfile::tempdir().expect("a data dir");
    let http = Client::new();

    let first = start(data.path());
    let link = first.link().expect("a first-run link on an empty database");
    assert!(link.starts_with(&format!("{}/join?code=", first.0.base)), "{link} from {}", first.0.base);
    assert_eq!(first.0.printed.len(), 1, "one line: {:?}", first.0.printed);
    let code = code_of(&link);
    let info = http.get(format!("{}/api/v1/invites/{code}", first.0.base)).send().await.expect("sent");
    assert_eq!(info.status(), StatusCode::OK);
    let info: serde_json::Value = info.json().await.expect("JSON");
    assert_eq!((info["role"].as_str(), info["township"].as_str()), (Some("county"), Some("")), "{info}");
    let log = first.stop();
    assert!(!log.contains(&code), "the log never names the code");
    assert!(log.contains("first-run invite made"), "the log says an invite was made");

    // A second start while it is unused: the old link is revoked, a fresh one printed.
    let second = start(data.path());
    let fresh = second.link().expect("a fresh link");
    assert_ne!(code_of(&fresh), code);
    assert!(second.0.printed.iter().any(|line| line.contains("no longer works")), "{:?}", second.0.printed);
    let old = http.get(format!("{}/api/v1/invites/{code}", second.0.base)).send().await.expect("sent");
    assert_eq!(old.status(), StatusCode::GONE);
    let enrolled = http
        .post(format!("{}/api/v1/enroll", second.0.base))
        .json(&json!({"code": code_of(&fresh), "name": "赵主任", "phone": "13800000001"}))
        .send()
        .await
        .expect("sent");
    assert_eq!(enrolled.status(), StatusCode::CREATED);
    let enrolled: serde_json::Value = enrolled.json().await.expect("JSON");
    assert_eq!(enrolled["worker"]["role"], "county");
    let log = second.stop();
    assert!(!log.contains(&code_of(&fresh)), "the log never names the code");

    // The county has joined: nothing more is printed.
    let third = start(data.path());
    assert!(third.0.printed.is_empty(), "{:?}", third.0.printed);
    third.stop();
}
