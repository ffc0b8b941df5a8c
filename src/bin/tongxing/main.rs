//! The field app's entry point (directors, love mothers, volunteers): panic messages to
//! the console, then start, with the screens that load when first opened.

mod screen_piece;

fn main() {
    console_error_panic_hook::set_once();
    tongxing::start_field(screen_piece::SCREEN_PIECE);
}
