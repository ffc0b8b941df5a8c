//! A visit begun but not saved yet (a draft on this phone), in a list; tapping continues it.

use leptos::prelude::*;
use tongxing_core::form::field_ids::VISIT_DATE;
use tongxing_core::{Lang, VisitDraft};

/// A draft's line; `child_name` is `None` when no child is chosen yet (or the file is gone).
pub fn draft_row(draft: &VisitDraft, child_name: Option<String>, lang: Lang) -> impl IntoView {
    let name = child_name.unwrap_or_else(|| lang.pick("（未选儿童）", "(no child chosen)").to_owned());
    let date = draft.answers.text(VISIT_DATE).unwrap_or_default().to_owned();
    let state = if draft.saved_revision > 0 {
        lang.pick("修改未保存", "Changes not saved")
    } else {
        lang.pick("草稿，未保存", "Draft, not saved")
    };
    view! {
        <li class="record draft" data-testid="draft-item" data-id=draft.id.to_string()>
            <a href=format!("/visits/{}", draft.id)>
                <span class="name">{name}</span>
                <span class="meta">{date}</span>
                <span class="sync-state sync-draft">{state}</span>
            </a>
        </li>
    }
}
