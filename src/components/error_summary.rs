//! How many answers of a visit still need attention, each a tap away from its field, and
//! where the first of them is.

use leptos::prelude::*;
use tongxing_core::form::FormDefinition;
use tongxing_core::{FieldErrors, Lang};

use super::fields::dom_id;
use crate::context::use_lang;

/// The section of the home-visit form that records the mandatory report.
pub const MANDATORY_REPORT_SECTION: &str = "mandatory_report";
/// Where an error about the child (none chosen) takes the worker.
pub const CHILD_HEADER_ID: &str = "visit-child";
/// How many errors the summary lists by name; the rest are counted.
const SUMMARY_ITEMS: usize = 5;
/// Where an error that belongs to no field takes the worker.
const ERROR_SUMMARY_ID: &str = "form-errors";

/// How many answers still need attention, each a tap away from its field.
#[component]
pub fn ErrorSummary(errors: Memo<FieldErrors>, form: &'static FormDefinition) -> impl IntoView {
    let lang = use_lang();
    move || {
        errors.with(|found| {
            if found.is_empty() {
                return None;
            }
            let lang = lang.get();
            let count = found.len();
            let heading = match lang {
                Lang::ZhCn => format!("还有 {count} 项需要填写或更正"),
                Lang::En if count == 1 => "1 answer needs attention".to_owned(),
                Lang::En => format!("{count} answers need attention"),
            };
            let separator = lang.pick("：", ": ");
            let items = ordered_errors(form, found, lang)
                .into_iter()
                .take(SUMMARY_ITEMS)
                .map(|(target, label, message)| {
                    view! {
                        <li>
                            <button type="button" class="error-link" on:click=move |_| scroll_to_later(target.clone())>
                                <strong>{label}</strong>
                                {separator}
                                {message}
                            </button>
                        </li>
                    }
                })
                .collect_view();
            let more = (count > SUMMARY_ITEMS).then(|| {
                let rest = count - SUMMARY_ITEMS;
                let text = match lang {
                    Lang::ZhCn => format!("……另有 {rest} 项，已在下方标出"),
                    Lang::En => format!("… and {rest} more, marked below"),
                };
                view! { <p class="form-errors-more">{text}</p> }
            });
            Some(view! {
                <div class="form-errors" id=ERROR_SUMMARY_ID role="alert" data-testid="form-errors" data-count=count.to_string()>
                    <p class="form-errors-heading">{heading}</p>
                    <ul>{items}</ul>
                    {more}
                </div>
            })
        })
    }
}

/// Every error as (where to scroll, what it is about, message): the child first, then the
/// fields in form order, then anything else.
fn ordered_errors(form: &FormDefinition, errors: &FieldErrors, lang: Lang) -> Vec<(String, String, String)> {
    let mut out = Vec::with_capacity(errors.len());
    if let Some(error) = errors.get("child_id") {
        out.push((CHILD_HEADER_ID.to_owned(), lang.pick("走访儿童", "Child").to_owned(), error.message(lang)));
    }
    for field in form.fields() {
        if let Some(error) = errors.get(&field.id) {
            out.push((dom_id(&field.id), field.label.get(lang).to_owned(), form.error_message(&field.id, error, lang)));
        }
    }
    for (id, error) in errors.iter() {
        if id != "child_id" && form.field(id).is_none() {
            out.push((ERROR_SUMMARY_ID.to_owned(), id.to_owned(), error.message(lang)));
        }
    }
    out
}

/// Where the first error is.
pub fn first_error_target(form: &FormDefinition, errors: &FieldErrors) -> String {
    if errors.get("child_id").is_some() {
        return CHILD_HEADER_ID.to_owned();
    }
    form.fields().find(|f| errors.get(&f.id).is_some()).map_or_else(|| ERROR_SUMMARY_ID.to_owned(), |f| dom_id(&f.id))
}

/// Whether any question of the mandatory-report section is still unanswered or wrong.
pub fn report_incomplete(form: &FormDefinition, errors: &FieldErrors) -> bool {
    form.sections
        .iter()
        .filter(|s| s.id == MANDATORY_REPORT_SECTION)
        .flat_map(|s| s.fields.iter())
        .any(|f| errors.get(&f.id).is_some())
}

/// Scrolls the element with DOM id `id` (a field's whole frame, label included, when it is
/// a field's control) into view once the page has drawn what just changed.
pub fn scroll_to_later(id: String) {
    request_animation_frame(move || {
        if let Some(el) = document().get_element_by_id(&id) {
            let frame = el.closest(".field").ok().flatten().unwrap_or(el);
            frame.scroll_into_view();
        }
    });
}
