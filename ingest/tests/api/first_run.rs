//! The first run: `tongxing-ingest serve` on an empty database prints one one-time link for
//! the county's first administrator on standard output (never in the log); a second start
//! while it is unused revokes it and prints a fresh one, saying so; once a county
//! administrator has joined, a start prints nothing. The built binary, on a real port.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Stdio};

use reqwest::{Client, StatusCode};
use serde_json::json;

/// A server started from the binary, with what it printed before `listening on`.
struct Started {
    process: Child,
    base: String,
    printed: Vec<String>,
    /// Its log, read as it comes (a full pipe would stall the server).
    log: std::thread::JoinHandle<String>,
}

impl Started {
    /// Stops it and returns what it logged on standard error.
    fn stop(mut self) -> String {
        let _ = self.process.kill();
        let _ = self.process.wait();
        self.log.join().unwrap_or_default()
    }

    /// The first-run link printed, if any.
    fn link(&self) -> Option<String> {
        let lines: Vec<&String> = self.printed.iter().filter(|line| line.contains("/join?code=")).collect();
        assert!(lines.len() <= 1, "one link at most: {:?}", self.printed);
        lines.first().and_then(|line| line.split_whitespace().last()).map(str::to_owned)
    }
}

fn start(data_dir: &Path) -> Started {
    let mut process = crate::common::binary(data_dir)
        .args(["serve", "--addr", "127.0.0.1:0", "--data-dir"])
        .arg(data_dir)
        .env_remove("TONGXING_APP_URL")
        .env_remove("TONGXING_DATA_DIR")
        .env_remove("TONGXING_ADDR")
        .env("TONGXING_LOG", "debug")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let stdout = process.stdout.take().expect("its standard output");
    let mut stderr = process.stderr.take().expect("its standard error");
    let log = std::thread::spawn(move || {
        let mut log = String::new();
        let _ = stderr.read_to_string(&mut log);
        log
    });
    let mut printed = Vec::new();
    let mut base = None;
    for line in BufReader::new(stdout).lines() {
        let line = line.expect("a line");
        if let Some(addr) = line.strip_prefix("listening on ") {
            base = Some(addr.trim().to_owned());
            break;
        }
        printed.push(line);
    }
    Started { process, base: base.expect("the server said where it listens"), printed, log }
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
    assert!(link.starts_with(&format!("{}/join?code=", first.base)), "{link} from {}", first.base);
    assert_eq!(first.printed.len(), 1, "one line: {:?}", first.printed);
    let code = code_of(&link);
    let info = http.get(format!("{}/api/v1/invites/{code}", first.base)).send().await.expect("sent");
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
    assert!(second.printed.iter().any(|line| line.contains("no longer works")), "{:?}", second.printed);
    let old = http.get(format!("{}/api/v1/invites/{code}", second.base)).send().await.expect("sent");
    assert_eq!(old.status(), StatusCode::GONE);
    let enrolled = http
        .post(format!("{}/api/v1/enroll", second.base))
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
    assert!(third.printed.is_empty(), "{:?}", third.printed);
    third.stop();
}
