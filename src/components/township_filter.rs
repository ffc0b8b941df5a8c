//! The supervisor's filter: a village, one of the four colours (tapped again to show every
//! colour), and a month or a range of dates. Each change is applied at once; what cannot be
//! read is said under its field and leaves the lists as they were.

use leptos::prelude::*;
use tongxing_core::supervision::TownshipQuery;
use tongxing_core::RiskColour;
use wasm_bindgen::JsCast;

use super::{FormField, RiskBadge};
use crate::context::use_lang;

/// The filter over `query`; `on_change` runs after each change that reads.
#[component]
pub fn TownshipFilter(query: RwSignal<TownshipQuery>, on_change: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let errors = Memo::new(move |_| query.with(|q| q.filter().err().unwrap_or_default()));
    // Every change of the filter, in one place: a field's change (by its id), or a colour
    // tapped.
    let change = move |field: &str, value: String| {
        query.update(|q| match field {
            "filter_village" => q.village = value,
            "filter_month" => q.set_month(&value),
            "filter_from" => q.set_day(false, &value),
            "filter_to" => q.set_day(true, &value),
            colour => {
                if let Some(colour) = RiskColour::from_code(colour) {
                    q.toggle_colour(colour);
                }
            }
        });
        if errors.with_untracked(|e| e.is_empty()) {
            on_change.run(());
        }
    };
    let on_field = move |ev: leptos::ev::Event| {
        if let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
            change(&input.id(), input.value());
        }
    };
    let error_of = move |field: &'static str| {
        Signal::derive(move || errors.with(|e| e.get(field).map(|error| error.message(lang.get()))))
    };
    let label = move |zh: &'static str, en: &'static str| Signal::derive(move || lang.get().pick(zh, en).to_owned());
    // "Month or dates: 2026-11", or every date.
    let period = move || {
        let lang = lang.get();
        let chosen = query.with(|q| match (q.month.as_str(), q.from.as_str(), q.to.as_str()) {
            ("", "", "") => lang.pick("全部", "all").to_owned(),
            ("", from, to) => format!("{from} – {to}"),
            (month, _, _) => month.to_owned(),
        });
        format!("{}{chosen}", lang.pick("月份或日期：", "Month or dates: "))
    };
    let colours = RiskColour::ALL.map(|colour| {
        let on = move || query.with(|q| q.colour == Some(colour));
        view! {
            <button
                type="button"
                class="colour-toggle"
                class:chosen=on
                aria-pressed=move || if on() { "true" } else { "false" }
                data-testid=format!("filter-colour-{}", colour.code())
                on:click=move |_| change(colour.code(), String::new())
            >
                <RiskBadge colour />
            </button>
        }
    });

    view! {
        <div class="township-filter" data-testid="township-filter" on:change=on_field>
            <FormField id="filter_village" label=label("村/居委会（留空为全乡镇）", "Village (empty: the whole township)") error=error_of("village")>
                <input
                    id="filter_village"
                    type="search"
                    autocomplete="off"
                    data-testid="filter-village"
                    prop:value=move || query.with(|q| q.village.clone())
                />
            </FormField>
            <div class="colour-toggles" role="group" aria-label=move || lang.get().pick("风险等级", "Risk colour")>{colours}</div>
            // Folded away unless a month or dates are set: the lists come first on a phone.
            <details class="filter-period" open=query.with_untracked(|q| !(q.month.is_empty() && q.from.is_empty() && q.to.is_empty()))>
                <summary data-testid="filter-period">{period}</summary>
                <div class="filter-dates">
                    <FormField id="filter_month" label=label("月份", "Month") error=error_of("month")>
                        <input
                            id="filter_month"
                            type="month"
                            data-testid="filter-month"
                            prop:value=move || query.with(|q| q.month.clone())
                        />
                    </FormField>
                    <FormField id="filter_from" label=label("从", "From") error=error_of("from")>
                        <input
                            id="filter_from"
                            type="date"
                            data-testid="filter-from"
                            prop:value=move || query.with(|q| q.from.clone())
                        />
                    </FormField>
                    <FormField id="filter_to" label=label("到", "To") error=error_of("to")>
                        <input
                            id="filter_to"
                            type="date"
                            data-testid="filter-to"
                            prop:value=move || query.with(|q| q.to.clone())
                        />
                    </FormField>
                </div>
            </details>
        </div>
    }
}
