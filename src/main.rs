//! The field app's entry point (directors, love mothers, volunteers): panic messages to
//! the console, then start.

fn main() {
    console_error_panic_hook::set_once();
    tongxing::start_field();
}
