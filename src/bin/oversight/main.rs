//! The oversight app's entry point (township supervisors): panic messages to the console,
//! then start, with the app itself loaded while she types her PIN.

mod app_piece;

fn main() {
    console_error_panic_hook::set_once();
    tongxing::start_oversight(app_piece::APP_PIECE);
}
