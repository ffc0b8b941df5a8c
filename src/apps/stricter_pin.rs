//! A county that asks for a passphrase where this phone's PIN is weaker (core's
//! [`PinRule::asks_more_than`]): at each start, once the county's policy is known (asked
//! from the server once a day), the app stops until she sets one; the data key is wrapped
//! anew under it (nothing else changes), and its durable copy kept.

use leptos::prelude::*;
use tongxing_core::vault::{Pin, PinRule};

use super::vault_gate::{pin_field, pin_submit, taken};
use crate::context::{use_lang, Db};
use crate::storage::{enrolment, Database};
use crate::vault;

/// The county's rule, when this phone's PIN must change for it.
fn rule_asked() -> Option<PinRule> {
    let asked = enrolment::load()?.county_policy()?.pin_rule;
    let set = vault::kept_vault()?.rule;
    asked.asks_more_than(set).then_some(asked)
}

/// Nothing, or the form that sets the stronger PIN in front of the app.
#[component]
pub fn StricterPin() -> impl IntoView {
    let lang = use_lang();
    let asked = RwSignal::new(rule_asked());
    // The policy may be new to this phone: ask it (once a day), then look again.
    leptos::task::spawn_local(async move {
        crate::sync::fetch_county_if_due(lang.get_untracked()).await;
        asked.set(rule_asked());
    });
    let keeps_copy = use_context::<Db>().is_some();
    let (pin, again) = (NodeRef::new(), NodeRef::new());
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(rule) = asked.get_untracked() else { return };
        if busy.get_untracked() {
            return;
        }
        let lang = lang.get_untracked();
        let chosen = match Pin::choose(&taken(pin), &taken(again), rule) {
            Ok(chosen) => chosen,
            Err(refused) => return problem.set(Some(refused.message(lang))),
        };
        busy.set(true);
        problem.set(None);
        leptos::task::spawn_local(async move {
            let outcome = async {
                let kept = vault::rewrap(&chosen, rule).await.map_err(|error| error.message(lang))?;
                if keeps_copy {
                    let first = Database::open().await.map_err(|error| error.message(lang))?;
                    first.keep_vault(vault::space(), &kept).await.map_err(|error| error.message(lang))?;
                }
                Ok::<(), String>(())
            }
            .await;
            busy.set(false);
            match outcome {
                Ok(()) => asked.set(None),
                Err(sentence) => problem.set(Some(sentence)),
            }
        });
    };
    move || {
        asked.get().map(|rule| {
            let lang = lang.get_untracked();
            view! {
                <section class="stricter-pin blocking" role="dialog" aria-modal="true" data-testid="stricter-pin">
                    <h1>{lang.pick("请设置新密码", "Set a new passphrase")}</h1>
                    <p>{lang.pick(
                        "县里要求这部手机使用更长的密码。请设置新密码：以后打开童行时都用它。手机上的记录都还在。",
                        "Your county asks for a longer passphrase on this phone. Set a new one: you will use it each time you open Tongxing. Everything on the phone stays.",
                    )}</p>
                    <form on:submit=submit>
                        {pin_field("pin", rule.ask(lang), pin, rule)}
                        {pin_field("pin-again", lang.pick("再输入一次", "Type it again").to_owned(), again, rule)}
                        {pin_submit(problem, busy, lang.pick("设置", "Set"), lang)}
                    </form>
                </section>
            }
        })
    }
}
