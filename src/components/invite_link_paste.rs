//! Pasting an invite link that opened elsewhere.

use leptos::prelude::*;
use tongxing_core::Lang;

use super::labelled_field;
use crate::screen_state::JoinState;

/// For a link that opened elsewhere (another browser, a chat that cut it): paste it here.
pub fn invite_link_paste(state: JoinState, lang: Lang) -> impl IntoView {
    let input = view! {
        <input
            id="invite_link"
            type="text"
            inputmode="url"
            autocomplete="off"
            data-testid="join-link-input"
            prop:value=move || state.pasted.get()
            on:input=move |ev| {
                state.paste_problem.set(None);
                state.pasted.set(event_target_value(&ev));
            }
        />
    };
    view! {
        <p class="hint">
            {lang.pick(
                "请打开督导员发来的邀请链接。如果链接在别的浏览器里打开了，可以把整个链接复制到这里。",
                "Open the invite link your township supervisor sent you. If it opened in another browser, copy the whole link here.",
            )}
        </p>
        <form class="join-paste" on:submit=move |ev| { ev.prevent_default(); state.open_pasted(); }>
            {labelled_field(
                "invite_link",
                lang.pick("邀请链接或邀请码", "Invite link or code"),
                input,
                move || state.paste_problem.get().map(|p| p.message(lang)),
            )}
            <button type="submit" class="secondary" data-testid="join-link-open">{lang.pick("打开邀请", "Open the invite")}</button>
        </form>
    }
}
