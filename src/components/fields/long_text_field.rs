//! Several lines of text.

use leptos::prelude::*;
use tongxing_core::form::{AnswerValue, Field, FieldKind};

use super::{answer_text, control_testid, dom_id, error_dom_id, on_composition_end, on_text_input};

/// A text area, with a character count once the text nears its limit.
#[component]
pub fn LongTextField(
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
    let max = match field.kind {
        FieldKind::LongText { max_chars } | FieldKind::Text { max_chars } => max_chars,
        _ => usize::MAX,
    };
    let text = answer_text(value);
    let count = move || {
        let used = value.with(|v| v.as_ref().and_then(AnswerValue::as_text).map_or(0, |t| t.trim().chars().count()));
        let over = used > max;
        (used * 10 >= max * 8).then(|| view! { <p class="char-count" class:over=over>{format!("{used} / {max}")}</p> })
    };
    view! {
        <textarea
            class="long-text-input"
            rows="4"
            id=dom_id(&field.id)
            data-testid=control_testid(&field, testid)
            aria-describedby=error_dom_id(&field.id)
            prop:value=text
            on:input=on_text_input(on_answer)
            on:compositionend=on_composition_end(on_answer)
        ></textarea>
        {count}
    }
}
