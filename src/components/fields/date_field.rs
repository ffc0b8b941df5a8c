//! A calendar date.

use leptos::prelude::*;
use tongxing_core::form::{AnswerValue, Field, FieldKind};

use super::{answer_text, control_testid, dom_id, error_dom_id};
use crate::sync::BrowserClock;

/// The phone's own date picker (`type="date"`, answers `YYYY-MM-DD`); a date that may not be
/// in the future cannot be picked after today.
#[component]
pub fn DateField(
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
    let max = matches!(field.kind, FieldKind::Date { not_in_future: true })
        .then(|| BrowserClock::local_now().date_naive().to_string());
    view! {
        <input
            type="date"
            class="date-input"
            id=dom_id(&field.id)
            data-testid=control_testid(&field, testid)
            aria-describedby=error_dom_id(&field.id)
            max=max
            prop:value=answer_text(value)
            on:input=move |ev| on_answer.run(AnswerValue::Text(event_target_value(&ev)))
        />
    }
}
