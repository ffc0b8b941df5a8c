//! A row of large buttons of which one may be chosen: thumb-sized radio buttons.

use leptos::prelude::*;

/// Shows `options` as buttons; the chosen one is pressed.
#[component]
pub fn ChoiceButtons<T>(
    /// The field's name, for tests and accessibility.
    name: &'static str,
    /// Each choice and its label.
    options: Signal<Vec<(T, String)>>,
    /// The current choice.
    selected: Signal<Option<T>>,
    /// Called with the tapped choice.
    on_choose: Callback<T>,
    /// An extra class per choice (colour swatches).
    #[prop(optional)]
    class_of: Option<fn(&T) -> &'static str>,
) -> impl IntoView
where
    T: Copy + PartialEq + Send + Sync + 'static,
{
    view! {
        <div class="choices" role="radiogroup" data-testid=format!("choices-{name}")>
            {move || {
                options
                    .get()
                    .into_iter()
                    .map(|(value, label)| {
                        let extra = class_of.map(|f| f(&value)).unwrap_or("");
                        let pressed = move || selected.get() == Some(value);
                        view! {
                            <button
                                type="button"
                                role="radio"
                                class=format!("choice {extra}")
                                class:chosen=pressed
                                aria-checked=move || pressed().to_string()
                                on:click=move |_| on_choose.run(value)
                            >
                                {label}
                            </button>
                        }
                    })
                    .collect_view()
            }}
        </div>
    }
}
