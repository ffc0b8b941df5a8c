//! Prints the sample visit and child's file of `tongxing_core::fixtures` as the phone sends
//! them, for the load benchmark (`scripts/bench-load.sh`): `sample_records visit` or
//! `sample_records child`, one JSON line, and `sample_records village` the child's village.

use std::process::ExitCode;

use tongxing_core::fixtures::{sample_child, sample_visit};

fn main() -> ExitCode {
    let what = std::env::args().nth(1).unwrap_or_default();
    let printed = match what.as_str() {
        "visit" => serde_json::to_string(&sample_visit()),
        "child" => serde_json::to_string(&sample_child()),
        "village" => Ok(sample_child().village),
        _ => {
            eprintln!("usage: sample_records visit|child|village");
            return ExitCode::from(2);
        }
    };
    match printed {
        Ok(text) => {
            println!("{text}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("cannot write the sample {what}: {error}");
            ExitCode::FAILURE
        }
    }
}
