//! A number.

use leptos::prelude::*;
use tongxing_core::form::{AnswerValue, Field, FieldKind};

use super::{dom_id, error_dom_id};

/// A number box that brings up the number keypad. What is typed stays as typed (so "1." on
/// the way to "1.5" is not rewritten to "1"); a readable number is stored as a number, and
/// anything else as the text typed, which the validator then reports.
#[component]
pub fn NumberField(
    /// The field.
    field: Field,
    /// Its current answer.
    value: Signal<Option<AnswerValue>>,
    /// Called with every change.
    on_answer: Callback<AnswerValue>,
) -> impl IntoView {
    let whole = matches!(field.kind, FieldKind::Number { integer: true, .. });
    let typed = RwSignal::new(shown(value.get_untracked().as_ref()));
    // An answer changed elsewhere (another draft loaded) replaces what is in the box.
    Effect::new(move |_| {
        let answer = value.get();
        if typed.with_untracked(|t| read_number(t)) != answer {
            typed.set(shown(answer.as_ref()));
        }
    });
    view! {
        <input
            type="text"
            inputmode=if whole { "numeric" } else { "decimal" }
            class="number-input"
            id=dom_id(&field.id)
            data-testid=dom_id(&field.id)
            aria-describedby=error_dom_id(&field.id)
            autocomplete="off"
            prop:value=typed
            on:input=move |ev| {
                let text = event_target_value(&ev);
                let answer = read_number(&text).unwrap_or(AnswerValue::Text(String::new()));
                typed.set(text);
                on_answer.run(answer);
            }
        />
    }
}

/// The answer for typed text: a number when it reads as one (full-width digits allowed),
/// the text itself otherwise, nothing when blank.
fn read_number(text: &str) -> Option<AnswerValue> {
    let ascii: String = text
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '．' | '。' => '.',
            '－' => '-',
            c => c,
        })
        .collect();
    if ascii.is_empty() {
        return None;
    }
    match parse_number(&ascii) {
        Some(n) => Some(AnswerValue::Number(n)),
        None => Some(AnswerValue::Text(text.trim().to_owned())),
    }
}

/// A decimal number (`12`, `-3.5`, `.5`, `2e3`) read by the browser's `Number()`, so that
/// the app carries no float parsing of its own; anything else (letters, as in `0x10` or
/// `Infinity`, which `Number()` would also take) is not a number.
fn parse_number(ascii: &str) -> Option<f64> {
    let decimal = ascii.bytes().any(|b| b.is_ascii_digit())
        && ascii.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'));
    // `Number` parses (`FromStr` calls the browser's `Number(…)`).
    let n = decimal.then(|| ascii.parse::<js_sys::Number>().map(|n| n.value_of()).ok()).flatten()?;
    n.is_finite().then_some(n)
}

/// The text shown for an answer.
fn shown(answer: Option<&AnswerValue>) -> String {
    match answer {
        // The browser writes the number (as JavaScript does: 3, 2.5, 0.1), so the app carries
        // no float formatting of its own.
        Some(AnswerValue::Number(n)) => {
            js_sys::Number::from(*n).to_string_with_radix(10).map(String::from).unwrap_or_default()
        }
        Some(AnswerValue::Text(t)) => t.clone(),
        _ => String::new(),
    }
}
