//! The interface language.

use leptos::prelude::*;
use tongxing_core::Lang;

/// The interface language, in context.
#[derive(Clone, Copy)]
pub struct UiLang(pub RwSignal<Lang>);

/// The interface language from context.
pub fn use_lang() -> RwSignal<Lang> {
    expect_context::<UiLang>().0
}
