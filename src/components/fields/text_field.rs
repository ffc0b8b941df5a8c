//! One line of text.

use leptos::prelude::*;
use tongxing_core::form::{AnswerValue, Field};

use super::{answer_text, control_testid, dom_id, error_dom_id, on_composition_end, on_text_input};

/// A single-line text box. The length limit is the validator's to report, so pasted text is
/// never cut silently.
#[component]
pub fn TextField(
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
            class="text-input"
            id=dom_id(&field.id)
            data-testid=control_testid(&field, testid)
            aria-describedby=error_dom_id(&field.id)
            autocomplete="off"
            prop:value=answer_text(value)
            on:input=on_text_input(on_answer)
            on:compositionend=on_composition_end(on_answer)
        />
    }
}
