//! A phone number.

use leptos::prelude::*;
use tongxing_core::form::{AnswerValue, Field};

use super::{answer_text, dom_id, error_dom_id, on_text_input};

/// A phone number box that brings up the phone keypad.
#[component]
pub fn PhoneField(
    /// The field.
    field: Field,
    /// Its current answer.
    value: Signal<Option<AnswerValue>>,
    /// Called with every change.
    on_answer: Callback<AnswerValue>,
) -> impl IntoView {
    view! {
        <input
            type="tel"
            inputmode="tel"
            class="text-input"
            id=dom_id(&field.id)
            data-testid=dom_id(&field.id)
            aria-describedby=error_dom_id(&field.id)
            autocomplete="off"
            prop:value=answer_text(value)
            on:input=on_text_input(on_answer)
        />
    }
}
