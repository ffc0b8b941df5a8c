//! The invite a link names, shown before joining.

use leptos::prelude::*;
use tongxing_core::wire::InviteInfo;
use tongxing_core::Lang;

use crate::sync::BrowserClock;

/// Who invites, for which place and role, on which server, until when.
pub fn invite_card(info: &InviteInfo, host: String, lang: Lang) -> impl IntoView {
    let by = match lang {
        Lang::ZhCn => format!("{} 邀请您加入", info.invited_by),
        Lang::En => format!("{} invites you to join", info.invited_by),
    };
    let place = if info.role.has_township() {
        format!("{} {}", info.place.township, info.place.village).trim().to_owned()
    } else {
        lang.pick("全县", "The whole county").to_owned()
    };
    let role = format!("{}{}", lang.pick("身份：", "Role: "), info.role.label(lang));
    let until = format!(
        "{}{}",
        lang.pick("邀请有效期至 ", "Valid until "),
        BrowserClock::to_local(info.expires_at).date_naive()
    );
    let server = format!("{}{host}", lang.pick("记录将上传到：", "Records will be sent to: "));
    view! {
        <div class="invite-card" data-testid="invite-info">
            <p data-testid="invite-by">{by}</p>
            <p class="invite-place" data-testid="invite-place">{place}</p>
            <p data-testid="invite-role">{role}</p>
            <p data-testid="invite-server">{server}</p>
            <p class="hint">{until}</p>
        </div>
    }
}
