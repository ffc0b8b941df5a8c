//! The oversight app's entry point (township supervisors): panic messages to the console,
//! then start, with the app itself loaded while she types her PIN.

use tongxing::apps::OversightApp;

tongxing::app_piece!(OversightApp, tongxing::apps::seal_enrolment);

fn main() {
    console_error_panic_hook::set_once();
    tongxing::start_oversight(APP_PIECE);
}
