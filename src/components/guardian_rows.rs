//! The guardians of a child's file as rows of the form: add, remove, and each one's name,
//! relation and phone.

use leptos::prelude::*;

use crate::context::use_lang;
use tongxing_core::child::{relation_choices, ChildDraft, GuardianDraft};

/// The rows. They are drawn again only when a row is added or removed; each input reads
/// and writes its own value, so typing never redraws the list.
#[component]
pub fn GuardianRows(
    /// The form.
    draft: RwSignal<ChildDraft>,
    /// The message to show under a field (`guardians[1].phone`), if any.
    error_of: Callback<String, Option<String>>,
) -> impl IntoView {
    let lang = use_lang();
    let count = Memo::new(move |_| draft.with(|d| d.guardians.len()));
    let add = move |_| draft.update(|d| d.guardians.push(GuardianDraft::default()));

    view! {
        <fieldset class="guardians" data-testid="guardians">
            <legend>{move || lang.get().pick("监护人 / 照料人", "Guardians and carers")}</legend>
            {move || (0..count.get()).map(|i| view! { <GuardianRow draft i error_of /> }).collect_view()}
            <button type="button" class="secondary add-guardian" data-testid="add-guardian" on:click=add>
                {move || lang.get().pick("＋ 添加监护人", "+ Add a guardian")}
            </button>
        </fieldset>
    }
}

#[component]
fn GuardianRow(draft: RwSignal<ChildDraft>, i: usize, error_of: Callback<String, Option<String>>) -> impl IntoView {
    let lang = use_lang();
    let value = move |pick: fn(&GuardianDraft) -> &String| {
        draft.with(|d| d.guardians.get(i).map(pick).cloned().unwrap_or_default())
    };
    let set = move |change: &dyn Fn(&mut GuardianDraft)| {
        draft.update(|d| {
            if let Some(g) = d.guardians.get_mut(i) {
                change(g);
            }
        })
    };
    let remove = move |_| {
        draft.update(|d| {
            if i < d.guardians.len() {
                d.guardians.remove(i);
            }
        })
    };
    let error = move |part: &'static str| {
        let key = format!("guardians[{i}].{part}");
        let testid = format!("error-{key}");
        move || {
            error_of
                .run(key.clone())
                .map(|text| view! { <p class="field-error" role="alert" data-testid=testid.clone()>{text}</p> })
        }
    };
    let has_error = move |part: &'static str| move || error_of.run(format!("guardians[{i}].{part}")).is_some();
    let current_relation = value(|g| &g.relation);
    // A code the form no longer offers (an older file) stays selectable, as itself.
    let unknown = (!current_relation.is_empty() && relation_choices().iter().all(|c| c.code != current_relation))
        .then_some(current_relation);

    view! {
        <div class="guardian-row" data-testid=format!("guardian-{i}")>
            <div class="field" class:has-error=has_error("name")>
                <label for=format!("guardian-name-{i}")>{move || lang.get().pick("姓名", "Name")}</label>
                <input
                    id=format!("guardian-name-{i}")
                    type="text"
                    autocomplete="off"
                    data-testid=format!("guardian-name-{i}")
                    prop:value=move || value(|g| &g.name)
                    on:input=move |ev| {
                        let text = event_target_value(&ev);
                        set(&|g| g.name = text.clone());
                    }
                />
                {error("name")}
            </div>
            <div class="field" class:has-error=has_error("relation")>
                <label for=format!("guardian-relation-{i}")>{move || lang.get().pick("与儿童关系", "Relation to the child")}</label>
                <select
                    id=format!("guardian-relation-{i}")
                    data-testid=format!("guardian-relation-{i}")
                    on:change=move |ev| {
                        let code = event_target_value(&ev);
                        set(&|g| g.relation = code.clone());
                    }
                >
                    <option value="" prop:selected=move || value(|g| &g.relation).is_empty()>
                        {move || lang.get().pick("请选择", "Choose")}
                    </option>
                    {relation_choices()
                        .into_iter()
                        .map(|choice| {
                            let code = choice.code.as_str();
                            view! {
                                <option value=code prop:selected=move || value(|g| &g.relation) == code>
                                    {move || choice.label.get(lang.get()).to_owned()}
                                </option>
                            }
                        })
                        .collect_view()}
                    {unknown.map(|code| view! { <option value=code.clone() selected>{code.clone()}</option> })}
                </select>
                {error("relation")}
            </div>
            <div class="field" class:has-error=has_error("phone")>
                <label for=format!("guardian-phone-{i}")>{move || lang.get().pick("电话", "Phone")}</label>
                <input
                    id=format!("guardian-phone-{i}")
                    type="tel"
                    inputmode="tel"
                    autocomplete="off"
                    data-testid=format!("guardian-phone-{i}")
                    prop:value=move || value(|g| &g.phone)
                    on:input=move |ev| {
                        let text = event_target_value(&ev);
                        set(&|g| g.phone = text.clone());
                    }
                />
                {error("phone")}
            </div>
            <button type="button" class="link-button remove-guardian" data-testid=format!("remove-guardian-{i}") on:click=remove>
                {move || lang.get().pick("删除此监护人", "Remove this guardian")}
            </button>
        </div>
    }
}
