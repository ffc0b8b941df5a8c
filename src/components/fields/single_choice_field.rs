//! Exactly one of a list of choices.

use leptos::prelude::*;
use tongxing_core::form::{AnswerValue, Field};

use super::{choice_testid, dom_id};
use crate::context::use_lang;

/// The choices as a group of large buttons, one of which is pressed. Tapping the pressed
/// one again clears an optional field (a required one stays answered).
#[component]
pub fn SingleChoiceField(
    /// The field.
    field: Field,
    /// Its current answer.
    value: Signal<Option<AnswerValue>>,
    /// Called with every change.
    on_answer: Callback<AnswerValue>,
    /// What the choices' test ids begin with, where a screen keeps its own (`child-sex`:
    /// `child-sex-<code>`; else `choice-<field id>-<code>`).
    #[prop(optional)]
    testid: Option<&'static str>,
    /// Gives each choice the class `risk-<code>` (the risk colour's swatches).
    #[prop(optional)]
    swatches: bool,
) -> impl IntoView {
    let lang = use_lang();
    let required = field.required;
    let chosen = Memo::new(move |_| value.with(|v| v.as_ref().and_then(AnswerValue::as_text).map(str::to_owned)));
    let buttons = field
        .kind
        .choices()
        .iter()
        .map(|choice| {
            let code = choice.code.clone();
            let label = choice.label.clone();
            let testid = choice_testid(&field, testid, &code);
            let class = if swatches { format!("choice risk-{code}") } else { "choice".to_owned() };
            let pressed = {
                let code = code.clone();
                move || chosen.with(|c| c.as_deref() == Some(code.as_str()))
            };
            let tap = {
                let pressed = pressed.clone();
                move |_| {
                    let next = if pressed() && !required { String::new() } else { code.clone() };
                    on_answer.run(AnswerValue::Text(next));
                }
            };
            view! {
                <button
                    type="button"
                    role="radio"
                    class=class
                    class:chosen=pressed.clone()
                    aria-checked=move || pressed().to_string()
                    data-testid=testid
                    on:click=tap
                >
                    {move || label.get(lang.get()).to_owned()}
                </button>
            }
        })
        .collect_view();
    view! {
        <div class="choices" role="radiogroup" id=dom_id(&field.id) data-testid=dom_id(&field.id)>
            {buttons}
        </div>
    }
}
