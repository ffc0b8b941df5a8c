//! Any number of a list of choices.

use leptos::prelude::*;
use tongxing_core::form::{AnswerValue, Field};

use super::{choice_testid, dom_id};
use crate::context::use_lang;

/// The choices as large toggle buttons; the answer lists the pressed ones' codes in the
/// order the form gives them.
#[component]
pub fn MultipleChoiceField(
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
) -> impl IntoView {
    let lang = use_lang();
    let order: Vec<String> = field.kind.choices().iter().map(|c| c.code.clone()).collect();
    let chosen = Memo::new(move |_| {
        value.with(|v| v.as_ref().and_then(AnswerValue::as_list).map(<[String]>::to_vec).unwrap_or_default())
    });
    let buttons = field
        .kind
        .choices()
        .iter()
        .map(|choice| {
            let code = choice.code.clone();
            let label = choice.label.clone();
            let testid = choice_testid(&field, testid, &code);
            let pressed = {
                let code = code.clone();
                move || chosen.with(|c| c.contains(&code))
            };
            let order = order.clone();
            let tap = move |_| {
                let mut now = chosen.get_untracked();
                if now.contains(&code) {
                    now.retain(|c| c != &code);
                } else {
                    now.push(code.clone());
                }
                // Codes the form does not list (an answer from elsewhere) are kept, last.
                now.sort_by_key(|c| order.iter().position(|o| o == c).unwrap_or(usize::MAX));
                on_answer.run(AnswerValue::List(now));
            };
            view! {
                <button
                    type="button"
                    role="checkbox"
                    class="choice multi"
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
        <div class="choices" role="group" id=dom_id(&field.id) data-testid=dom_id(&field.id)>
            {buttons}
        </div>
    }
}
