//! The built server as a process of its own, on a real port: for what only a process can
//! show (what it prints before it listens, and a SIGKILL).

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Stdio};

/// A server started from the binary, with what it printed before `listening on`.
pub struct ServerProcess {
    pub process: Child,
    /// `http://127.0.0.1:<port>`
    pub base: String,
    /// The lines on standard output before `listening on`.
    pub printed: Vec<String>,
    /// Its log, read as it comes (a full pipe would stall the server).
    log: std::thread::JoinHandle<String>,
}

impl ServerProcess {
    /// `tongxing-ingest serve` on `data_dir` (its database and photos where the suite keeps
    /// them) and `127.0.0.1:0`, with `args` besides; returns once it listens.
    pub fn start(data_dir: &Path, args: &[&str]) -> ServerProcess {
        let mut process = super::binary(data_dir)
            .args(["serve", "--addr", "127.0.0.1:0", "--data-dir"])
            .arg(data_dir)
            .args(args)
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
        ServerProcess { process, base: base.expect("the server said where it listens"), printed, log }
    }

    /// Kills it (SIGKILL: no shutdown of any kind) and returns what it logged on standard
    /// error.
    pub fn kill(mut self) -> String {
        let _ = self.process.kill();
        let _ = self.process.wait();
        self.log.join().unwrap_or_default()
    }
}
