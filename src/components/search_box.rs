//! A search box bound to a query signal: the due list, the children's list and the visit
//! screen's child picker all search by name with it.

use leptos::prelude::*;

/// `<input type="search">` whose text is `query`; `on_change` runs after each change (e.g.
/// to reset how many lines a list shows).
#[component]
pub fn SearchBox(
    /// What is typed.
    query: RwSignal<String>,
    /// The placeholder and accessible name, zh-CN then English.
    prompt: (&'static str, &'static str),
    /// The `data-testid` and CSS class.
    testid: &'static str,
    #[prop(optional)] class: &'static str,
    #[prop(optional, into)] on_change: Option<Callback<()>>,
) -> impl IntoView {
    let lang = crate::context::use_lang();
    let text = move || lang.get().pick(prompt.0, prompt.1);
    view! {
        <input
            type="search"
            class=class
            data-testid=testid
            autocomplete="off"
            placeholder=text
            aria-label=text
            prop:value=move || query.get()
            on:input=move |ev| {
                query.set(event_target_value(&ev));
                if let Some(changed) = on_change {
                    changed.run(());
                }
            }
        />
    }
}
