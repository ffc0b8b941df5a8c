//! The field app's entry point (directors, love mothers, volunteers): panic messages to
//! the console, then start, with the app loaded while she types her PIN and its other
//! screens after it.

mod screen_piece;

use tongxing::apps::FieldApp;

tongxing::app_piece!(FieldApp, tongxing::apps::seal_database);

fn main() {
    console_error_panic_hook::set_once();
    tongxing::start_field(APP_PIECE, screen_piece::SCREEN_PIECE);
}
