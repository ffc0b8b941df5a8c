//! Yes or no.

use leptos::prelude::*;
use tongxing_core::form::{AnswerValue, Field};

use super::dom_id;
use crate::context::use_lang;

/// Two large buttons, 是 and 否 (`choice-<id>-yes`, `choice-<id>-no`). Unanswered is
/// neither: nothing is pressed until the worker taps one. Tapping the pressed one again
/// clears an optional field.
#[component]
pub fn YesNoField(
    /// The field.
    field: Field,
    /// Its current answer.
    value: Signal<Option<AnswerValue>>,
    /// Called with every change.
    on_answer: Callback<AnswerValue>,
) -> impl IntoView {
    let lang = use_lang();
    let required = field.required;
    let answer = Memo::new(move |_| value.with(|v| v.as_ref().and_then(AnswerValue::as_bool)));
    let id = field.id.clone();
    let button = move |yes: bool| {
        let pressed = move || answer.get() == Some(yes);
        let testid = format!("choice-{}-{}", id, if yes { "yes" } else { "no" });
        view! {
            <button
                type="button"
                role="radio"
                class="choice yes-no"
                class:chosen=pressed
                aria-checked=move || pressed().to_string()
                data-testid=testid
                on:click=move |_| {
                    let next = if pressed() && !required { AnswerValue::Text(String::new()) } else { AnswerValue::Bool(yes) };
                    on_answer.run(next);
                }
            >
                {move || if yes { lang.get().pick("是", "Yes") } else { lang.get().pick("否", "No") }}
            </button>
        }
    };
    view! {
        <div class="choices yes-no-choices" role="radiogroup" id=dom_id(&field.id) data-testid=dom_id(&field.id)>
            {button(true)}
            {button(false)}
        </div>
    }
}
