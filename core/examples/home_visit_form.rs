//! Prints the standard home-visit form (core's `standard_home_visit`) as JSON, as a county's
//! form would be served: what the benchmark's peer (Enketo, `tests/bench/enketo/`) turns into
//! an XForm of the same questions.
//!
//! `cargo run -q -p tongxing-core --example home_visit_form`

use std::io::Write;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let form = tongxing_core::form::standard_home_visit();
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, &form)?;
    writeln!(out)?;
    Ok(())
}
