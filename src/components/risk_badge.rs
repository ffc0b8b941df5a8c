//! A risk colour as a coloured badge.

use leptos::prelude::*;
use tongxing_core::RiskColour;

use crate::context::use_lang;

/// The badge of one colour.
#[component]
pub fn RiskBadge(colour: RiskColour) -> impl IntoView {
    let lang = use_lang();
    view! {
        <span class=format!("risk-badge risk-{}", colour.code()) data-risk=colour.code()>
            {move || colour.label(lang.get())}
        </span>
    }
}
