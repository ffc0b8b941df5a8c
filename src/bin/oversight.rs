//! The oversight app's entry point (township supervisors): panic messages to the console,
//! then start.

fn main() {
    console_error_panic_hook::set_once();
    tongxing::start_oversight();
}
