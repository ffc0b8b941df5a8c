//! What the app's shell provides to every screen and widget, each a small `Copy` handle in
//! Leptos context, read through its `use_*` hook.

mod db;
mod enrolled;
mod ui_lang;

pub use db::Db;
pub use enrolled::{use_enrolled, Enrolled};
pub use ui_lang::{use_lang, UiLang};
