//! The server's integration tests, in one test binary: each module was a test binary of its
//! own, and each of those linked the whole server, so `cargo test` linked it 21 times. Now it
//! links twice (`../request_log.rs` keeps a process of its own: it says why), and the harness
//! runs the tests of every module side by side.
//!
//! Run one module's tests by its name: `cargo test -p tongxing-ingest --test api hostile_clients`.
//! A new file of tests goes here as a module (see `tests_live_in_this_binary` below).

mod common;

mod case_plans;
mod changes_feed;
mod child_archive;
mod child_merge;
mod children_api;
mod county_console;
mod download_links;
mod enrolment_api;
mod export_cli;
mod export_readable;
mod first_run;
mod full_disk;
mod hostile_clients;
mod hostile_doors_s1;
mod hostile_doors_s2;
mod killed_instance;
mod list_and_export;
mod migrate_to;
mod openapi_routes;
mod operator_port;
mod photo_cleanup;
mod photo_export;
mod photo_pieces;
mod photos_api;
mod possible_duplicates;
mod postgres_tls;
mod reconcile;
mod recovery_api;
mod request_properties;
mod revoked_as;
mod schemas;
mod server;
mod township_reads;
mod township_today;
mod trainings;
mod two_servers;
mod unsent_import;
mod village_workers;
mod visit_errors;
mod visit_photos;
mod visits_api;

/// A file of tests added beside this folder (`ingest/tests/*.rs`) would be a test binary of
/// its own again, linking the whole server once more: every file of tests is a module here.
#[test]
fn tests_live_in_this_binary() {
    let tests = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let mut outside: Vec<String> = std::fs::read_dir(&tests)
        .expect("ingest/tests")
        .map(|entry| entry.expect("an entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name != "api" && name != "request_log.rs")
        .collect();
    outside.sort();
    assert!(outside.is_empty(), "move these into ingest/tests/api/ as modules of main.rs: {outside:?}");
    let here = tests.join("api");
    let mut unlisted: Vec<String> = std::fs::read_dir(&here)
        .expect("ingest/tests/api")
        .map(|entry| entry.expect("an entry").file_name().to_string_lossy().into_owned())
        .filter_map(|name| name.strip_suffix(".rs").map(str::to_owned))
        .filter(|name| name != "main")
        .filter(|name| !include_str!("main.rs").contains(&format!("\nmod {name};\n")))
        .collect();
    unlisted.sort();
    assert!(unlisted.is_empty(), "these files are no module of main.rs, so they never run: {unlisted:?}");
}
