//! One question of a child's file, drawn as a visit's questions are: the field's frame
//! around the field component of its kind.

use chrono::NaiveDate;
use leptos::prelude::*;
use tongxing_core::child::ChildDraft;
use tongxing_core::form::{AnswerValue, Field, FieldKind};

use super::fields::{DateField, IdNumberField, LongTextField, MultipleChoiceField, SingleChoiceField, TextField};
use super::FieldFrame;
use crate::context::use_lang;

/// The question `field` (one of [`child_file_fields`](tongxing_core::child::child_file_fields))
/// over `draft`, with `error` under it and `children` under the control.
#[component]
pub fn ChildFileQuestion(
    field: Field,
    draft: RwSignal<ChildDraft>,
    /// The day a valid ID number is checked as of.
    today: NaiveDate,
    error: Signal<Option<String>>,
    /// The control's test id (a choice's: what its test ids begin with).
    testid: &'static str,
    /// The id of a `<datalist>` a text box suggests from.
    #[prop(optional)]
    list: Option<&'static str>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let lang = use_lang();
    let id = field.id.clone();
    let value = {
        let id = id.clone();
        Signal::derive(move || draft.with(|d| d.answer(&id)))
    };
    let on_answer = {
        let id = id.clone();
        Callback::new(move |value: AnswerValue| draft.update(|d| d.set_answer(&id, value, today)))
    };
    let (label, hint) = (field.label.clone(), field.hint.clone());
    let label = Signal::derive(move || label.get(lang.get()).to_owned());
    let hint = Signal::derive(move || hint.as_ref().map(|t| t.get(lang.get()).to_owned()));
    let required = Signal::stored(field.required);
    let group = matches!(field.kind, FieldKind::SingleChoice { .. } | FieldKind::MultipleChoice { .. });
    let control = match field.kind {
        FieldKind::IdNumber => view! { <IdNumberField field value on_answer testid /> }.into_any(),
        FieldKind::SingleChoice { .. } => view! { <SingleChoiceField field value on_answer testid /> }.into_any(),
        FieldKind::MultipleChoice { .. } => view! { <MultipleChoiceField field value on_answer testid /> }.into_any(),
        FieldKind::Date { .. } => view! { <DateField field value on_answer testid /> }.into_any(),
        FieldKind::LongText { .. } => view! { <LongTextField field value on_answer testid /> }.into_any(),
        _ => view! { <TextField field value on_answer testid attr:list=list /> }.into_any(),
    };
    view! {
        <FieldFrame field_id=id group label hint required note=Signal::stored(None) error>
            {control}
            {children.map(|children| children())}
        </FieldFrame>
    }
}
