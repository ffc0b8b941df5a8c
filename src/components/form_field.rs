//! A labelled form field with its error message beneath.

use leptos::prelude::*;

/// Wraps one input with its label and, when there is one, its error.
#[component]
pub fn FormField(
    /// The field id (`child_name`): the input's id and the error's test id.
    id: &'static str,
    /// The label, in the interface language.
    label: Signal<String>,
    /// The error to show, if any.
    error: Signal<Option<String>>,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="field" class:has-error=move || error.get().is_some()>
            <label for=id>{label}</label>
            {children()}
            <Show when=move || error.get().is_some()>
                <p class="field-error" role="alert" data-testid=format!("error-{id}")>
                    {move || error.get().unwrap_or_default()}
                </p>
            </Show>
        </div>
    }
}

/// The same, drawn once with fixed words (for screens redrawn whole on a language switch).
pub fn labelled_field(
    id: &'static str,
    label: &'static str,
    input: impl IntoView,
    error: impl Fn() -> Option<String> + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{label}</label>
            {input}
            {move || error().map(|text| view! { <p class="field-error" role="alert" data-testid=format!("error-{id}")>{text}</p> })}
        </div>
    }
}
