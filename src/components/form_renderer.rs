//! The one renderer for every form definition: no screen writes a question of its own.

use std::collections::BTreeSet;
use std::sync::Arc;

use leptos::prelude::*;
use tongxing_core::form::field_ids::{RISK_COLOUR, RISK_COLOUR_REASON};
use tongxing_core::form::{AnswerValue, Answers, Field, FieldKind, FormDefinition};
use tongxing_core::risk_rules::{override_needs_reason, standard_rules, RiskSuggestion};
use tongxing_core::{FieldErrors, RiskColour};

use super::fields::{
    DateField, IdNumberField, LongTextField, MultipleChoiceField, NumberField, PhoneField, PhotoSlotField,
    SingleChoiceField, TextField, YesNoField,
};
use super::{FieldFrame, RiskSuggestionPanel};
use crate::context::use_lang;

/// The DOM id of a section, to scroll to.
pub fn section_dom_id(section_id: &str) -> String {
    format!("section-{section_id}")
}

/// Renders `form` over `answers`: each section with its heading, and in it only the fields
/// shown for the answers so far (show-if is re-read on every answer, so a field appears or
/// goes the moment its condition changes; a section with no field shown is left out).
/// Labels, hints and choices follow the interface language ([`use_lang`]).
///
/// Two fields are known by the ids core gives them, because core's validator treats them
/// specially too: beside the risk colour ([`RISK_COLOUR`]) the colour the standard rules
/// suggest is shown with its reasons, and the colour reason ([`RISK_COLOUR_REASON`]) becomes
/// required, with a note saying why, as soon as the chosen colour differs from the
/// suggestion. Photo slots render nothing until photo notes exist (see
/// [`PhotoSlotField`]).
#[component]
pub fn FormRenderer(
    /// The definition to render.
    form: Arc<FormDefinition>,
    /// Every answer given (hidden fields' included: they are not shown).
    #[prop(into)]
    answers: Signal<Answers>,
    /// Called with `(field id, value)` for every change; a blank value clears the answer.
    on_answer: Callback<(String, AnswerValue)>,
    /// The errors to show under their fields, by field id.
    #[prop(into)]
    errors: Signal<FieldErrors>,
) -> impl IntoView {
    let visible = {
        let form = form.clone();
        Memo::new(move |_| answers.with(|a| form.visible_fields(a).map(|f| f.id.clone()).collect::<BTreeSet<String>>()))
    };
    let suggestion = {
        let form = form.clone();
        Memo::new(move |_| answers.with(|a| standard_rules().suggest(&form.visible_answers(a))))
    };
    let reason_needed = Memo::new(move |_| {
        let chosen = answers.with(|a| a.text(RISK_COLOUR).and_then(RiskColour::from_code));
        chosen.is_some_and(|c| override_needs_reason(suggestion.with(|s| s.colour), c))
    });
    let ctx =
        Ctx { form: StoredValue::new(form.clone()), answers, on_answer, errors, visible, suggestion, reason_needed };

    let lang = use_lang();
    let sections = form
        .sections
        .iter()
        .map(|section| {
            let ids: Vec<String> = section.fields.iter().filter(|f| !is_photo_slot(f)).map(|f| f.id.clone()).collect();
            let shown = Memo::new(move |_| visible.with(|v| ids.iter().any(|id| v.contains(id))));
            let title = section.title.clone();
            let fields = section.fields.iter().map(|field| render_field(field.clone(), ctx)).collect_view();
            view! {
                <section
                    class="form-section"
                    id=section_dom_id(&section.id)
                    data-testid=section_dom_id(&section.id)
                    hidden=move || !shown.get()
                >
                    <h2 class="section-title">{move || title.get(lang.get()).to_owned()}</h2>
                    {fields}
                </section>
            }
        })
        .collect_view();
    view! { <div class="form-renderer" data-testid="form-renderer" data-form=form.id.clone()>{sections}</div> }
}

/// What every field needs from the renderer; all `Copy`.
#[derive(Clone, Copy)]
struct Ctx {
    form: StoredValue<Arc<FormDefinition>>,
    answers: Signal<Answers>,
    on_answer: Callback<(String, AnswerValue)>,
    errors: Signal<FieldErrors>,
    visible: Memo<BTreeSet<String>>,
    suggestion: Memo<RiskSuggestion>,
    reason_needed: Memo<bool>,
}

/// One field, present in the page only while it is shown.
fn render_field(field: Field, ctx: Ctx) -> impl IntoView {
    let id = field.id.clone();
    let shown = Memo::new(move |_| ctx.visible.with(|v| v.contains(&id)));
    move || shown.get().then(|| shown_field(field.clone(), ctx))
}

fn shown_field(field: Field, ctx: Ctx) -> AnyView {
    let lang = use_lang();
    let id = field.id.clone();
    let value = {
        let id = id.clone();
        Signal::from(Memo::new(move |_| ctx.answers.with(|a| a.get(&id).cloned())))
    };
    let on_answer = {
        let id = id.clone();
        Callback::new(move |v: AnswerValue| ctx.on_answer.run((id.clone(), v)))
    };
    if is_photo_slot(&field) {
        return view! { <PhotoSlotField field value on_answer /> }.into_any();
    }

    let is_reason = id == RISK_COLOUR_REASON;
    let always_required = field.required;
    let required = Signal::derive(move || always_required || (is_reason && ctx.reason_needed.get()));
    let note = Signal::derive(move || {
        (is_reason && ctx.reason_needed.get()).then(|| {
            lang.get()
                .pick("所选等级与系统建议不同，须填写理由", "The colour differs from the suggestion, so give a reason")
                .to_owned()
        })
    });
    let error = {
        let id = id.clone();
        Signal::derive(move || {
            ctx.errors.with(|e| e.get(&id).map(|err| ctx.form.with_value(|f| f.error_message(&id, err, lang.get()))))
        })
    };
    let label = {
        let text = field.label.clone();
        Signal::derive(move || text.get(lang.get()).to_owned())
    };
    let hint = {
        let text = field.hint.clone();
        Signal::derive(move || text.as_ref().map(|t| t.get(lang.get()).to_owned()))
    };
    let group =
        matches!(field.kind, FieldKind::SingleChoice { .. } | FieldKind::MultipleChoice { .. } | FieldKind::YesNo);
    let is_colour = id == RISK_COLOUR;

    let control = match field.kind {
        FieldKind::Text { .. } => view! { <TextField field value on_answer /> }.into_any(),
        FieldKind::LongText { .. } => view! { <LongTextField field value on_answer /> }.into_any(),
        FieldKind::Number { .. } => view! { <NumberField field value on_answer /> }.into_any(),
        FieldKind::Date { .. } => view! { <DateField field value on_answer /> }.into_any(),
        FieldKind::SingleChoice { .. } => {
            view! { <SingleChoiceField field value on_answer swatches=is_colour /> }.into_any()
        }
        FieldKind::MultipleChoice { .. } => view! { <MultipleChoiceField field value on_answer /> }.into_any(),
        FieldKind::YesNo => view! { <YesNoField field value on_answer /> }.into_any(),
        FieldKind::Phone => view! { <PhoneField field value on_answer /> }.into_any(),
        FieldKind::IdNumber => view! { <IdNumberField field value on_answer /> }.into_any(),
        FieldKind::PhotoSlot { .. } => ().into_any(),
    };
    let beside = is_colour.then(|| {
        let chosen = Signal::derive(move || ctx.answers.with(|a| a.text(RISK_COLOUR).and_then(RiskColour::from_code)));
        let use_suggestion = Callback::new(move |c: RiskColour| {
            ctx.on_answer.run((RISK_COLOUR.to_owned(), AnswerValue::Text(c.code().to_owned())))
        });
        view! { <RiskSuggestionPanel suggestion=ctx.suggestion.into() chosen use_suggestion /> }
    });
    view! {
        <FieldFrame field_id=id group label hint required note error>
            {control}
        </FieldFrame>
        {beside}
    }
    .into_any()
}

fn is_photo_slot(field: &Field) -> bool {
    matches!(field.kind, FieldKind::PhotoSlot { .. })
}
