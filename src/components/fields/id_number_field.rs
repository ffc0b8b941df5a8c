//! A Chinese resident identity number (居民身份证号码).

use leptos::prelude::*;
use tongxing_core::form::{AnswerValue, Field};

use super::{answer_text, control_testid, dom_id, error_dom_id};

/// An ID number box: 18 characters, digits and a final X, which is kept upper-case. The
/// checksum is the validator's to check.
#[component]
pub fn IdNumberField(
    /// The field.
    field: Field,
    /// Its current answer.
    value: Signal<Option<AnswerValue>>,
    /// Called with every change.
    on_answer: Callback<AnswerValue>,
    /// The control's test id, where a screen keeps its own (else [`dom_id`]).
    #[prop(optional)]
    testid: Option<&'static str>,
) -> impl IntoView {
    view! {
        <input
            type="text"
            class="text-input id-number-input"
            id=dom_id(&field.id)
            data-testid=control_testid(&field, testid)
            aria-describedby=error_dom_id(&field.id)
            autocomplete="off"
            autocapitalize="characters"
            spellcheck="false"
            maxlength="18"
            prop:value=answer_text(value)
            on:input=move |ev| on_answer.run(AnswerValue::Text(event_target_value(&ev).to_uppercase()))
        />
    }
}
