//! One component per [`FieldKind`](tongxing_core::form::FieldKind). Each shows only the
//! control: the label, hint, required marker and error around it are
//! [`FieldFrame`](super::FieldFrame)'s, and which component a field gets is
//! [`FormRenderer`](super::FormRenderer)'s choice.
//!
//! Every control carries `data-testid="field-<field id>"` and the DOM id [`dom_id`], which
//! the frame's label points at and the page scrolls to. Every component takes the same
//! three props: the field's definition, its current answer and a callback for a new one (a
//! blank value clears the answer). The child's file draws its questions with them too, and
//! keeps its own test ids (`testid`).

mod date_field;
mod id_number_field;
mod long_text_field;
mod multiple_choice_field;
mod number_field;
mod phone_field;
mod photo_slot_field;
mod single_choice_field;
mod text_field;
mod yes_no_field;

pub use date_field::DateField;
pub use id_number_field::IdNumberField;
pub use long_text_field::LongTextField;
pub use multiple_choice_field::MultipleChoiceField;
pub use number_field::NumberField;
pub use phone_field::PhoneField;
pub use photo_slot_field::PhotoSlotField;
pub use single_choice_field::SingleChoiceField;
pub use text_field::TextField;
pub use yes_no_field::YesNoField;

use leptos::prelude::*;
use tongxing_core::form::{AnswerValue, Field};
use wasm_bindgen::JsCast;

/// The DOM id of a field's control (or, for a choice group, of its fieldset).
pub fn dom_id(field_id: &str) -> String {
    format!("field-{field_id}")
}

/// The DOM id of a field's error message, for `aria-describedby`.
pub fn error_dom_id(field_id: &str) -> String {
    format!("error-{field_id}")
}

/// The test id of a field's control: `testid` where the screen keeps its own, else the
/// control's DOM id.
pub(crate) fn control_testid(field: &Field, testid: Option<&'static str>) -> String {
    testid.map_or_else(|| dom_id(&field.id), str::to_owned)
}

/// The test id of one choice of a field: `<testid>-<code>` where the screen keeps its own,
/// else `choice-<field id>-<code>`.
pub(crate) fn choice_testid(field: &Field, testid: Option<&'static str>, code: &str) -> String {
    match testid {
        Some(testid) => format!("{testid}-{code}"),
        None => format!("choice-{}-{code}", field.id),
    }
}

/// The text of a text-like answer, or nothing.
pub(crate) fn answer_text(value: Signal<Option<AnswerValue>>) -> impl Fn() -> String + Copy {
    move || value.with(|v| v.as_ref().and_then(AnswerValue::as_text).unwrap_or_default().to_owned())
}

/// The handler for `input` events of a text control: hands the text on, except while an
/// input method (pinyin) is still composing it. Pair it with [`on_composition_end`].
pub(crate) fn on_text_input(on_answer: Callback<AnswerValue>) -> impl Fn(web_sys::Event) + Copy {
    move |ev: web_sys::Event| {
        let composing = ev.dyn_ref::<web_sys::InputEvent>().is_some_and(web_sys::InputEvent::is_composing);
        if !composing {
            on_answer.run(AnswerValue::Text(event_target_value(&ev)));
        }
    }
}

/// The handler for `compositionend`: the composed text is final, hand it on.
pub(crate) fn on_composition_end(on_answer: Callback<AnswerValue>) -> impl Fn(web_sys::CompositionEvent) + Copy {
    move |ev: web_sys::CompositionEvent| on_answer.run(AnswerValue::Text(event_target_value(&ev)))
}
