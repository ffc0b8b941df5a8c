//! What surrounds every field's control: its label, required marker, hint, and error.

use leptos::prelude::*;

use super::fields::{dom_id, error_dom_id};
use crate::context::use_lang;

/// One field's frame. Inputs get a `<label for>`; choice groups a `<fieldset>` and
/// `<legend>`, as screen readers expect. The error (`data-testid="error-<field id>"`) sits
/// under the control.
#[component]
pub fn FieldFrame(
    /// The field's id.
    field_id: String,
    /// Whether the control is a group of buttons rather than one input.
    group: bool,
    /// The question, in the interface language.
    label: Signal<String>,
    /// A line of help, in the interface language.
    hint: Signal<Option<String>>,
    /// Whether it must be answered now.
    required: Signal<bool>,
    /// A note that applies now (why it became required), shown above the control.
    note: Signal<Option<String>>,
    /// The error to show, in the interface language.
    error: Signal<Option<String>>,
    children: Children,
) -> impl IntoView {
    let lang = use_lang();
    let marker = move || {
        required.get().then(|| {
            view! {
                <span class="required-marker" title=move || lang.get().pick("必填", "Required")>
                    " *"
                    <span class="visually-hidden">{move || lang.get().pick("（必填）", " (required)")}</span>
                </span>
            }
        })
    };
    let caption = move || view! { {label} {marker} };
    let hint_line = move || hint.get().map(|text| view! { <p class="field-hint">{text}</p> });
    let note_line = {
        let testid = format!("note-{field_id}");
        move || {
            note.get().map(|text| view! { <p class="field-note" role="status" data-testid=testid.clone()>{text}</p> })
        }
    };
    let error_line = {
        let (id, testid) = (error_dom_id(&field_id), format!("error-{field_id}"));
        move || {
            error.get().map(|text| {
                view! { <p class="field-error" role="alert" id=id.clone() data-testid=testid.clone()>{text}</p> }
            })
        }
    };
    let body = if group {
        view! {
            <fieldset class="field-group">
                <legend class="field-label">{caption}</legend>
                {hint_line}
                {note_line}
                {children()}
            </fieldset>
        }
        .into_any()
    } else {
        view! {
            <label class="field-label" for=dom_id(&field_id)>{caption}</label>
            {hint_line}
            {note_line}
            {children()}
        }
        .into_any()
    };
    view! {
        <div class="field" class:has-error=move || error.with(Option::is_some) data-field=field_id.clone()>
            {body}
            {error_line}
        </div>
    }
}
