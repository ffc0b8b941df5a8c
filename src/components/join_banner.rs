//! The notice on the home and settings screens while this phone has not joined: records
//! are kept, but cannot be sent until it has.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::context::{use_enrolled, use_lang};

/// Shown only while the phone has not joined.
#[component]
pub fn JoinBanner() -> impl IntoView {
    let lang = use_lang();
    let enrolled = use_enrolled();
    view! {
        <Show when=move || enrolled.with(Option::is_none)>
            <div class="join-banner" role="status" data-testid="join-banner">
                <p>
                    {move || lang.get().pick(
                        "本设备尚未加入，记录只保存在手机上，还不能上传。请打开督导员发来的邀请链接。",
                        "This phone has not joined yet: records stay on the phone and cannot be sent. Open the invite link your township supervisor sent you.",
                    )}
                </p>
                <A href="/join" attr:data-testid="join-link">{move || lang.get().pick("粘贴邀请链接", "Paste an invite link")}</A>
            </div>
        </Show>
    }
}
