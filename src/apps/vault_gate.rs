//! The lock in front of both apps: nothing of the phone's data is read until a worker's PIN
//! unlocks her space (core's [`WorkerSpace`]). A phone without a PIN sets one first (a new
//! phone on its invite link, or a phone updated from before PINs, whose values are then
//! sealed); a phone with one lists who has joined it (names only) and asks the chosen
//! worker's PIN; someone else sharing the phone sets her own and gets a space of her own.
//! Locking (the button, five minutes out of sight) reloads the page, so nothing unlocked
//! stays in memory.

use leptos::prelude::*;
use tongxing_core::outbox::Clock;
use tongxing_core::phone_app::PhoneApp;
use tongxing_core::vault::{AutoLock, KeptVault, Pin, PinRule, SpaceOnPhone, UnlockWait, WorkerSpace};
use tongxing_core::Lang;

use super::{open_own_app, AppScreen, LazyScreenView, PinRecovered};
use crate::storage::{Database, Settings, StorageError};
use crate::sync::BrowserClock;
use crate::vault::{self, VaultError};

/// What an app keeps: a durable copy of each space's vault, and what the space unlocked
/// keeps, opened (sealing what was kept before the PIN is the app's own piece's first step:
/// [`super::SealedFirst`]).
pub trait KeptBefore: Clone + Send + Sync + 'static {
    /// What the app is given once a space is unlocked.
    type Opened: Clone + Send + Sync + 'static;
    /// Keeps `space`'s vault durably: before anything is sealed under a new key, and after
    /// every unlock attempt (so that killing the browser does not forget a wrong PIN).
    fn keep_vault(
        &self,
        space: WorkerSpace,
        kept: &KeptVault,
    ) -> impl std::future::Future<Output = Result<(), StorageError>>;
    /// Opens what the unlocked `space` keeps.
    fn open(&self, space: WorkerSpace) -> impl std::future::Future<Output = Result<Self::Opened, StorageError>>;
}

/// The field app keeps the phone's first database (with every space's vault copy), and each
/// space's records in a database of its own.
impl KeptBefore for Database {
    type Opened = Database;

    async fn keep_vault(&self, space: WorkerSpace, kept: &KeptVault) -> Result<(), StorageError> {
        Database::keep_vault(self, space, kept).await
    }

    async fn open(&self, space: WorkerSpace) -> Result<Database, StorageError> {
        if space.is_first() {
            Ok(self.clone())
        } else {
            Database::open_named(&space.database()).await
        }
    }
}

/// The oversight app keeps nothing but the enrolment, and never opens the database (so its
/// bundle carries none of it); the field app seals the database on its next start.
#[derive(Clone, Copy, Debug)]
pub struct EnrolmentOnly;

impl KeptBefore for EnrolmentOnly {
    type Opened = EnrolmentOnly;

    /// Its vault guards an enrolment only, which joining again replaces.
    async fn keep_vault(&self, _: WorkerSpace, _: &KeptVault) -> Result<(), StorageError> {
        Ok(())
    }

    async fn open(&self, _: WorkerSpace) -> Result<EnrolmentOnly, StorageError> {
        Ok(EnrolmentOnly)
    }
}

/// Shows `app` (the app `here`) over what the unlocked space keeps.
#[component]
pub fn VaultGate<K: KeptBefore>(kept: K, here: PhoneApp, app: fn(K::Opened) -> AnyView) -> impl IntoView {
    let lang = Settings::load().lang;
    let spaces = StoredValue::new(vault::on_phone());
    let opened = RwSignal::new(None::<K::Opened>);
    // A phone with nobody on it sets the first PIN; someone else may add her own.
    let adding = RwSignal::new(spaces.with_value(Vec::is_empty));
    let chosen = RwSignal::new(vault::space());
    // A forgotten PIN: a recovery code from her supervisor, and a new PIN.
    let recovering = RwSignal::new(false);
    let (pin, again) = (NodeRef::new(), NodeRef::new());
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    // The chosen space's vault, and any wait it is under.
    let show_wait = move || {
        let wait = vault::kept_vault().map(|kept| kept.wait_at(BrowserClock.now()));
        let waiting = matches!(wait, Some(UnlockWait::Wait(_) | UnlockWait::NeedsRecovery));
        problem.set(wait.filter(|_| waiting).map(|wait| wait.message(lang)));
    };
    show_wait();
    let choose = move |on: &SpaceOnPhone| {
        vault::choose(on.space);
        // A worker of the other app types her PIN there.
        if open_own_app(here, on.vault.holder.as_ref().map(|holder| holder.role)) {
            return;
        }
        chosen.set(on.space);
        adding.set(false);
        show_wait();
    };

    // Once a PIN (or a recovery) unlocked the chosen space: its vault kept durably (before
    // anything is sealed with a new key, or a wrong PIN is answered), then what it keeps
    // opened.
    let finish = move |unlocked: Result<KeptVault, String>| {
        let kept = kept.clone();
        async move {
            let space = vault::space();
            let durable = match vault::kept_vault() {
                Some(vault) => kept.keep_vault(space, &vault).await,
                None => Ok(()),
            };
            let outcome = match (unlocked, durable) {
                (Err(sentence), _) => Err(sentence),
                (Ok(_), Err(error)) => {
                    vault::lock();
                    Err(error.message(lang))
                }
                (Ok(_), Ok(())) => kept.open(space).await.map_err(|error| error.message(lang)),
            };
            busy.set(false);
            match outcome {
                Ok(kept) => {
                    watch_for_lock();
                    opened.set(Some(kept));
                }
                Err(sentence) => problem.set(Some(sentence)),
            }
        }
    };
    let after_recovery = finish.clone();
    provide_context(PinRecovered(Callback::new(move |recovered| {
        leptos::task::spawn_local(after_recovery(Ok(recovered)));
    })));

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let setting = adding.get_untracked();
        let rule =
            if setting { PinRule::default() } else { vault::kept_vault().map_or_else(PinRule::default, |v| v.rule) };
        let chosen_pin =
            if setting { Pin::choose(&taken(pin), &taken(again), rule) } else { Ok(Pin::typed(&taken(pin))) };
        let chosen_pin = match chosen_pin {
            Ok(chosen_pin) => chosen_pin,
            Err(refused) => return problem.set(Some(VaultError::Pin(refused).message(lang))),
        };
        busy.set(true);
        problem.set(None);
        let finish = finish.clone();
        leptos::task::spawn_local(async move {
            let unlocked =
                if setting { vault::create(&chosen_pin, rule).await } else { vault::unlock(&chosen_pin).await };
            finish(unlocked.map_err(|error| error.message(lang))).await;
        });
    };

    move || {
        if let Some(kept) = opened.get() {
            return app(kept);
        }
        let setting = adding.get();
        let kept_vault = vault::kept_vault();
        let rule =
            if setting { PinRule::default() } else { kept_vault.as_ref().map_or_else(PinRule::default, |v| v.rule) };
        let shared = spaces.with_value(|spaces| !spaces.is_empty());
        // Only a worker who joined can recover through her supervisor.
        let recoverable = !setting && kept_vault.and_then(|v| v.holder).is_some_and(|holder| holder.server.is_some());
        let recover = recoverable && recovering.get();
        let (title, button) = match (setting, recover) {
            (true, _) => (lang.pick("设置密码", "Set a PIN"), lang.pick("设置密码", "Set PIN")),
            (false, true) => (lang.pick("忘记密码", "Forgot PIN"), ""),
            (false, false) => (lang.pick("童行已锁定", "Tongxing is locked"), lang.pick("解锁", "Unlock")),
        };
        let open_space = chosen.get();
        let holders = (!setting).then(|| {
            spaces.with_value(|spaces| {
                spaces
                    .iter()
                    .map(|on| {
                        let pressed = on.space == open_space;
                        let name = holder_name(on, lang);
                        let on = on.clone();
                        view! {
                            <button type="button" class=if pressed { "choice chosen" } else { "choice" } aria-pressed=pressed.to_string()
                                data-testid="lock-holder" on:click=move |_| choose(&on)>{name}</button>
                        }
                    })
                    .collect_view()
            })
        });
        let form = match recover {
            true => view! {
                <LazyScreenView screen=AppScreen::PinRecovery />
                {move || problem.get().map(|text| view! { <p class="error" role="alert">{text}</p> })}
            }
            .into_any(),
            false => view! {
                <form on:submit=submit.clone()>
                    {pin_field("pin", rule.ask(lang), pin, rule)}
                    {setting.then(|| pin_field("pin-again", lang.pick("再输入一次", "Type it again").to_owned(), again, rule))}
                    {pin_submit(problem, busy, button, lang)}
                </form>
            }
            .into_any(),
        };
        view! {
            <section class="page lock" data-testid=if setting { "set-pin" } else { "unlock" }>
                <h1>{title}</h1>
                {holders.map(|holders| view! { <div class="choices" role="group">{holders}</div> })}
                {setting.then(|| view! { <p>{explain(lang)}</p> })}
                {(setting && shared).then(|| view! { <p>{lang.pick(SHARED.0, SHARED.1)}</p> })}
                {form}
                {recoverable.then(|| {
                    let (text, testid) = match recover {
                        true => (lang.pick("返回", "Back"), "recovery-back"),
                        false => (lang.pick("忘记密码？", "Forgot your PIN?"), "forgot-pin"),
                    };
                    view! {
                        <button type="button" class="secondary" data-testid=testid on:click=move |_| {
                            problem.set(None);
                            recovering.set(!recover);
                        }>{text}</button>
                    }
                })}
                {(shared && !recover).then(|| {
                    let (text, testid) = match setting {
                        true => (lang.pick("返回", "Back"), "set-pin-back"),
                        false => (lang.pick("另一位工作人员加入这部手机", "Someone else joins this phone"), "new-worker"),
                    };
                    view! {
                        <button type="button" class="secondary" data-testid=testid on:click=move |_| {
                            problem.set(None);
                            adding.set(!setting);
                        }>{text}</button>
                    }
                })}
            </section>
        }
        .into_any()
    }
}

/// A PIN's field: its label, and the input hidden as typed (a number pad for digits).
pub(super) fn pin_field(
    id: &'static str,
    label: String,
    node: NodeRef<leptos::html::Input>,
    rule: PinRule,
) -> impl IntoView {
    let numeric = rule.is_numeric();
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input
                id=id
                node_ref=node
                type="password"
                inputmode=if numeric { "numeric" } else { "text" }
                autocomplete="off"
                maxlength=if numeric { "6" } else { "64" }
                data-testid=id
            />
        </div>
    }
}

/// Why the last try did not work, and the button that tries (`text`; "one moment" while busy).
pub(super) fn pin_submit(
    problem: RwSignal<Option<String>>,
    busy: RwSignal<bool>,
    text: &'static str,
    lang: Lang,
) -> impl IntoView {
    view! {
        {move || problem.get().map(|text| view! { <p class="error" role="alert" data-testid="pin-problem">{text}</p> })}
        <button type="submit" class="primary big" data-testid="pin-submit" disabled=move || busy.get()>
            {move || if busy.get() { lang.pick("请稍候…", "One moment…") } else { text }}
        </button>
    }
}

/// What was typed in `input`, which is emptied (a PIN stays in the page no longer than needed).
pub(super) fn taken(input: NodeRef<leptos::html::Input>) -> String {
    input
        .get_untracked()
        .map(|input| {
            let typed = input.value();
            input.set_value("");
            typed
        })
        .unwrap_or_default()
}

/// Told to a worker setting her PIN on a phone others use already.
const SHARED: (&str, &str) = (
    "这部手机上已有其他工作人员。您的记录与她们的分开保存，只能用您自己的密码打开，并且只会用您自己的身份上传。",
    "Others already use this phone. Your records are kept apart from theirs, open only with your own PIN, and are sent only as you.",
);

/// The name a space is listed by: its holder's, or that she has not joined yet.
fn holder_name(on: &SpaceOnPhone, lang: Lang) -> String {
    on.vault
        .holder
        .as_ref()
        .map_or_else(|| lang.pick("（尚未加入）", "(not joined yet)").to_owned(), |holder| holder.name.clone())
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
