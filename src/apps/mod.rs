//! The two apps built from this crate (see `tongxing_core::phone_app`): each a binary of
//! its own, so a director's phone never downloads the supervisor's screens and hers never
//! the visit forms. What both share (the language, who the phone joined as, the top bar)
//! is in [`shell`].

mod field_app;
mod lazy_screens;
mod oversight_app;
mod pin_recovery;
mod sealed_first;
mod shell;
mod stricter_pin;
mod vault_gate;

pub use field_app::FieldApp;
pub use lazy_screens::{
    provide_piece, AppPiece, AppScreen, Fetching, LazyScreen, LazyScreenView, PieceNotFetched, ScreenPiece,
};
pub use oversight_app::OversightApp;
pub use pin_recovery::{PinRecovered, PinRecovery};
pub use sealed_first::{seal_database, seal_enrolment, SealedFirst, Sealing};
pub use shell::{open_own_app, provide_language, provide_shell, TopBar};
pub use stricter_pin::StricterPin;
pub use vault_gate::{lock_now, EnrolmentOnly, KeptBefore, VaultGate};
