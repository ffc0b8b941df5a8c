//! The lock in front of both apps: nothing of the phone's data is read until the worker's
//! PIN unlocks it. A phone without a PIN sets one first (a new phone on its invite link, or
//! a phone updated from before PINs, whose values are then sealed); a phone with one asks
//! for it, by the name of the worker it is of. Locking (the button, five minutes out of
//! sight) reloads the page, so nothing unlocked stays in memory.

use leptos::prelude::*;
use tongxing_core::outbox::Clock;
use tongxing_core::vault::{AutoLock, KeptVault, Pin, PinRule, UnlockWait};
use tongxing_core::Lang;

use crate::storage::{enrolment, Database, Settings, StorageError};
use crate::sync::BrowserClock;
use crate::vault::{self, VaultError};

/// What an app keeps: a durable copy of the vault, and what it kept before the PIN, sealed
/// once the vault is made (and after an unlock until that is done).
pub trait KeptBefore: Clone + Send + Sync + 'static {
    /// Keeps the vault durably: before anything is sealed under a new key, and after every
    /// unlock attempt (so that killing the browser does not forget a wrong PIN).
    fn keep_vault(&self, kept: &KeptVault) -> impl std::future::Future<Output = Result<(), StorageError>>;
    /// Seals whatever is still in the clear.
    fn seal(&self) -> impl std::future::Future<Output = Result<(), StorageError>>;
}

/// The field app keeps its database (and the enrolment).
impl KeptBefore for Database {
    async fn keep_vault(&self, kept: &KeptVault) -> Result<(), StorageError> {
        Database::keep_vault(self, kept).await
    }

    async fn seal(&self) -> Result<(), StorageError> {
        self.seal_everything().await.map(|_| ())
    }
}

/// The oversight app keeps nothing but the enrolment, and never opens the database (so its
/// bundle carries none of it); the field app seals the database on its next start.
#[derive(Clone, Copy, Debug)]
pub struct EnrolmentOnly;

impl KeptBefore for EnrolmentOnly {
    /// Its vault guards an enrolment only, which joining again replaces.
    async fn keep_vault(&self, _: &KeptVault) -> Result<(), StorageError> {
        Ok(())
    }

    async fn seal(&self) -> Result<(), StorageError> {
        enrolment::seal_kept()
    }
}

/// Shows `app` over what it keeps once the phone's vault is unlocked and that is sealed.
#[component]
pub fn VaultGate<K: KeptBefore>(kept: K, app: fn(K) -> AnyView) -> impl IntoView {
    let db = kept;
    let lang = Settings::load().lang;
    let open = RwSignal::new(false);
    let kept = vault::kept_vault();
    let setting = kept.is_none();
    let rule = kept.as_ref().map_or(PinRule::default(), |kept| kept.rule);
    let holder = kept.and_then(|kept| kept.holder).map(|holder| holder.name);
    let pin: NodeRef<leptos::html::Input> = NodeRef::new();
    let again: NodeRef<leptos::html::Input> = NodeRef::new();
    // What was typed, and the inputs emptied (a PIN stays in the page no longer than needed).
    let take = move |input: NodeRef<leptos::html::Input>| {
        input.get_untracked().map(|input| {
            let typed = input.value();
            input.set_value("");
            typed
        })
    };
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let wait = vault::kept_vault().map(|kept| kept.wait_at(BrowserClock.now()));
    if let Some(wait @ (UnlockWait::Wait(_) | UnlockWait::NeedsRecovery)) = wait {
        problem.set(Some(wait.message(lang)));
    }

    let inside = db.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let (typed, typed_again) = (take(pin).unwrap_or_default(), take(again).unwrap_or_default());
        let chosen = if setting { Pin::choose(&typed, &typed_again, rule) } else { Ok(Pin::typed(&typed)) };
        let pin_chosen = match chosen {
            Ok(chosen) => chosen,
            Err(refused) => return problem.set(Some(VaultError::Pin(refused).message(lang))),
        };
        busy.set(true);
        problem.set(None);
        let db = inside.clone();
        leptos::task::spawn_local(async move {
            let unlocked =
                if setting { vault::create(&pin_chosen, rule).await } else { vault::unlock(&pin_chosen).await };
            // Durable before anything is sealed with a new key, or a wrong PIN is answered.
            let durable = match vault::kept_vault() {
                Some(kept) => db.keep_vault(&kept).await,
                None => Ok(()),
            };
            let outcome = match (unlocked, durable) {
                (Err(error), _) => Err(error.message(lang)),
                (Ok(_), Err(error)) => {
                    vault::lock();
                    Err(error.message(lang))
                }
                (Ok(kept), Ok(())) if kept.sealed_all => Ok(()),
                (Ok(_), Ok(())) => db.seal().await.map_err(|error| error.message(lang)),
            };
            busy.set(false);
            match outcome {
                Ok(()) => {
                    watch_for_lock();
                    open.set(true);
                }
                Err(sentence) => problem.set(Some(sentence)),
            }
        });
    };

    let numeric = rule.is_numeric();
    let pin_input = move |id: &'static str, node: NodeRef<leptos::html::Input>| {
        view! {
            <input
                id=id
                node_ref=node
                type="password"
                inputmode=if numeric { "numeric" } else { "text" }
                autocomplete="off"
                maxlength=if numeric { "6" } else { "64" }
                data-testid=id
            />
        }
    };
    let title = if setting {
        lang.pick("设置密码", "Set a PIN")
    } else {
        lang.pick("童行已锁定", "Tongxing is locked")
    };
    let ask = rule.ask(lang);
    let button = if setting { lang.pick("设置密码", "Set PIN") } else { lang.pick("解锁", "Unlock") };
    move || {
        if open.get() {
            return app(db.clone());
        }
        view! {
            <section class="page lock" data-testid=if setting { "set-pin" } else { "unlock" }>
                <h1>{title}</h1>
                {holder.clone().map(|name| view! { <p class="holder" data-testid="lock-holder">{name}</p> })}
                {setting.then(|| view! { <p>{explain(lang)}</p> })}
                <form on:submit=submit.clone()>
                    <div class="field">
                        <label for="pin">{ask.clone()}</label>
                        {pin_input("pin", pin)}
                    </div>
                    {setting.then(|| view! {
                        <div class="field">
                            <label for="pin-again">{lang.pick("再输入一次", "Type it again")}</label>
                            {pin_input("pin-again", again)}
                        </div>
                    })}
                    {move || problem.get().map(|text| view! { <p class="error" role="alert" data-testid="pin-problem">{text}</p> })}
                    <button type="submit" class="primary big" data-testid="pin-submit" disabled=move || busy.get()>
                        {move || if busy.get() { lang.pick("请稍候…", "One moment…") } else { button }}
                    </button>
                </form>
            </section>
        }
        .into_any()
    }
}

/// What a PIN protects and what forgetting it means, said plainly before it is set.
fn explain(lang: Lang) -> &'static str {
    lang.pick(
        "这部手机上的儿童信息、走访记录和照片都会用这个密码加密保存：手机丢了，别人也看不到。每次打开童行、离开超过 5 分钟后都要输入。请记住它：忘记密码时，本机尚未上传的记录将无法打开，已上传的记录保存在服务器上。",
        "Children's details, visits and photos on this phone are kept encrypted under this PIN: if the phone is lost, nobody else can read them. You enter it each time you open Tongxing and after 5 minutes away. Remember it: if it is forgotten, records not yet sent cannot be opened; records already sent are kept on the server.",
    )
}

/// Locks the app now: the key is dropped and the page reloads to the lock screen.
pub fn lock_now() {
    vault::lock();
    let _ = window().location().reload();
}

/// Locks the app after five minutes out of sight (core's [`AutoLock`]).
fn watch_for_lock() {
    let auto = StoredValue::new_local(AutoLock::default());
    let _ = window_event_listener_untyped("visibilitychange", move |_| {
        let now = BrowserClock.now();
        if document().hidden() {
            auto.update_value(|auto| auto.hidden(now));
        } else if auto.try_update_value(|auto| auto.shown(now)).unwrap_or(false) {
            lock_now();
        }
    });
}
