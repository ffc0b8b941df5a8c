//! The recovery of a forgotten PIN, on the lock screen: what to ask her supervisor, the
//! recovery code she was told and a new PIN; the key comes back from the server
//! ([`crate::sync::recover_key`]) and the lock goes on as after the right PIN. It is drawn
//! from the app's own piece ([`super::AppScreen::PinRecovery`]), fetched while she types.

use leptos::prelude::*;
use tongxing_core::vault::{KeptVault, Pin, PinRule, RecoveryCode, RecoveryProblem};

use super::vault_gate::{pin_field, pin_submit, taken};
use crate::context::use_lang;
use crate::vault;

/// What the lock does once the key is back under her new PIN.
#[derive(Clone, Copy)]
pub struct PinRecovered(pub Callback<KeptVault>);

/// The form: the code, a new PIN typed twice, and 恢复.
#[component]
pub fn PinRecovery() -> impl IntoView {
    let lang = use_lang().get_untracked();
    let recovered = expect_context::<PinRecovered>().0;
    let rule = vault::kept_vault().map_or_else(PinRule::default, |kept| kept.rule);
    let (code, pin, again) = (NodeRef::new(), NodeRef::new(), NodeRef::new());
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let chosen = RecoveryCode::typed(&taken(code)).map_err(RecoveryProblem::from).and_then(|code| {
            Pin::choose(&taken(pin), &taken(again), rule).map(|pin| (code, pin)).map_err(RecoveryProblem::Pin)
        });
        let (code, pin) = match chosen {
            Ok(chosen) => chosen,
            Err(refused) => return problem.set(Some(refused.message(lang))),
        };
        busy.set(true);
        problem.set(None);
        leptos::task::spawn_local(async move {
            match crate::sync::recover_key(code, &pin, rule, lang).await {
                Ok(kept) => recovered.run(kept),
                Err(sentence) => problem.set(Some(sentence)),
            }
            busy.set(false);
        });
    };
    view! {
        <p>{lang.pick(
            "请打电话或当面请您的督导在童行督导页面的“手机”列表里，为这部手机发放恢复码（24 小时内有效，只能用一次）。输入恢复码并设置新密码后，这部手机上的记录都还在。需要联网。",
            "Call or see your supervisor and ask her to issue a recovery code for this phone, in the phones list of her Tongxing screen (valid 24 hours, once). Type it and set a new PIN: everything on this phone stays. This needs the network.",
        )}</p>
        <form on:submit=submit>
            <div class="field">
                <label for="recovery-code">{lang.pick("恢复码（8 位数字）", "Recovery code (8 digits)")}</label>
                <input id="recovery-code" node_ref=code inputmode="numeric" autocomplete="off" maxlength="9" data-testid="recovery-code" />
            </div>
            {pin_field("pin", lang.pick("新密码", "New PIN").to_owned(), pin, rule)}
            {pin_field("pin-again", lang.pick("再输入一次", "Type it again").to_owned(), again, rule)}
            {pin_submit(problem, busy, lang.pick("恢复", "Recover"), lang)}
        </form>
    }
}
