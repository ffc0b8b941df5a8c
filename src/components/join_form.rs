//! The worker's name and phone number, then "join".

use leptos::prelude::*;
use tongxing_core::outbox::EntryOwner;
use tongxing_core::Lang;

use super::{join_problem_line, labelled_field};
use crate::screen_state::JoinState;

/// The worker's name and phone number, then "join".
pub fn join_form(state: JoinState, lang: Lang) -> impl IntoView {
    let error = move |name: &'static str| move || state.errors.with(|e| e.get(name).map(|error| error.message(lang)));
    let name = view! {
        <input
            id="name"
            type="text"
            autocomplete="name"
            data-testid="join-name"
            prop:value=move || state.name.get()
            on:input=move |ev| {
                state.name.set(event_target_value(&ev));
                state.recheck();
            }
        />
    };
    let phone = view! {
        <input
            id="phone"
            type="tel"
            inputmode="tel"
            autocomplete="tel"
            data-testid="join-phone"
            prop:value=move || state.phone.get()
            on:input=move |ev| {
                state.phone.set(event_target_value(&ev));
                state.recheck();
            }
        />
    };
    view! {
        <form class="join-form" on:submit=move |ev| { ev.prevent_default(); state.submit(); }>
            {labelled_field("name", lang.pick("您的姓名", "Your name"), name, error("name"))}
            {labelled_field("phone", lang.pick("手机号码", "Phone number"), phone, error("phone"))}
            {move || state.refused.get().map(|problem| join_problem_line(&problem, lang))}
            {move || state.storage_problem.get().map(|p| view! { <p class="error" role="alert" data-testid="storage-problem">{p.message(lang)}</p> })}
            {move || state.unsent_seen.get().then(|| state.unsent.get()).flatten().map(|(count, owner)| view! {
                <p class="error" role="alert" data-testid="join-unsent-warning">{unsent_warning(count, &owner, lang)}</p>
            })}
            <button type="submit" class="primary big" data-testid="join-submit" disabled=move || state.sending.get()>
                {move || match (state.sending.get(), state.unsent_seen.get()) {
                    (true, _) => lang.pick("正在加入…", "Joining…"),
                    (false, true) => lang.pick("仍然加入", "Join anyway"),
                    (false, false) => lang.pick("加入", "Join"),
                }}
            </button>
        </form>
    }
}

/// What happens to the records another worker has not sent, asked before joining again.
fn unsent_warning(count: u32, owner: &EntryOwner, lang: Lang) -> String {
    let whose = owner.label(lang);
    match lang {
        Lang::ZhCn => format!(
            "本手机上还有 {whose} 的 {count} 条记录没有上传。以新身份加入后，这些记录不会以新身份上传，会留在本机，等 {whose} 再次加入本手机时再上传。确定要加入吗？"
        ),
        Lang::En => format!(
            "This phone holds {count} records of {whose} that have not been sent. After joining as someone else they will not be sent under the new name: they stay on this phone until {whose} joins it again. Join anyway?"
        ),
    }
}
