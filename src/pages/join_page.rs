//! Joining this phone from an invite link (`/join?code=…[&server=…]`): who invites, for
//! which village and role; the worker's name and phone number; then the device token is kept
//! and the outbox sends. The link needs the network once. What each answer of the server
//! means is decided in `tongxing_core::enrolment`.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use tongxing_core::enrolment::{read_reply, InviteLink, JoinProblem};
use tongxing_core::wire::API_PREFIX;
use tongxing_core::worker::{EnrollReply, EnrollRequest, InviteInfo};
use tongxing_core::{FieldErrors, Lang, Worker};

use crate::app::{use_enrolled, use_lang};
use crate::components::FormField;
use crate::storage::{enrolment, Settings, StorageError};
use crate::sync::{BrowserClock, HttpTransport, SyncDriver};

/// The screen at `/join`: reads the link's `code` and `server`, and once joined goes home
/// and sends what waits.
#[component]
pub fn JoinPage() -> impl IntoView {
    let query = use_query_map();
    let sync = expect_context::<SyncDriver>();
    let navigate = use_navigate();
    let on_joined = Callback::new(move |()| {
        sync.sync_now();
        navigate("/", NavigateOptions { replace: true, ..Default::default() });
    });
    move || {
        let link = query.with(|q| {
            let (code, server) = (q.get_str("code"), q.get_str("server"));
            (code.is_some() || server.is_some()).then(|| InviteLink::from_query(code, server))
        });
        view! { <JoinScreen link on_joined /> }
    }
}

/// Joining from `link` (`None`: no link was opened; the worker may paste one). Keeps the
/// enrolment (and the link's server as the server address), then calls `on_joined`.
#[component]
pub fn JoinScreen(link: Option<Result<InviteLink, JoinProblem>>, on_joined: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let enrolled = use_enrolled();
    let link = RwSignal::new(link);
    // `None` while the invite is read.
    let invite = RwSignal::new(None::<Result<InviteInfo, JoinProblem>>);
    let load = move || {
        let Some(Ok(current)) = link.get_untracked() else { return };
        invite.set(None);
        leptos::task::spawn_local(async move {
            let outcome = transport_for(&current).get(&current.info_path()).await;
            invite.try_set(Some(read_reply(outcome)));
        });
    };
    load();
    let open_pasted = Callback::new(move |pasted: InviteLink| {
        link.set(Some(Ok(pasted)));
        load();
    });

    let body = move || match link.get() {
        None => view! { <PastedLink on_link=open_pasted /> }.into_any(),
        Some(Err(problem)) => view! { <Problem problem /> <PastedLink on_link=open_pasted /> }.into_any(),
        Some(Ok(current)) => match invite.get() {
            None => view! { <p class="loading">{move || lang.get().pick("正在读取邀请…", "Reading the invite…")}</p> }.into_any(),
            Some(Err(problem)) if problem.may_retry() => view! {
                <Problem problem />
                <button class="primary" data-testid="join-retry" on:click=move |_| load()>
                    {move || lang.get().pick("重试", "Try again")}
                </button>
            }
            .into_any(),
            Some(Err(problem)) => view! { <Problem problem /> <PastedLink on_link=open_pasted /> }.into_any(),
            Some(Ok(info)) => view! { <InviteCard info /> <JoinForm link=current on_joined /> }.into_any(),
        },
    };

    view! {
        <section class="page join-page" data-testid="join-page">
            <h1>{move || lang.get().pick("加入童行", "Join Tongxing")}</h1>
            {move || {
                enrolled
                    .get()
                    .map(|worker| {
                        view! {
                            <p class="hint" data-testid="join-replaces">
                                {move || joined_as(&worker, lang.get())}
                            </p>
                        }
                    })
            }}
            {body}
        </section>
    }
}

/// The server the link names, or the one the app uses.
fn transport_for(link: &InviteLink) -> HttpTransport {
    let settings = Settings::load();
    HttpTransport { base_url: link.server.clone().unwrap_or(settings.api_base), lang: settings.lang, token: None }
}

/// "This phone has joined as …; joining again replaces that".
fn joined_as(worker: &Worker, lang: Lang) -> String {
    let (name, role) = (&worker.name, worker.role.label(lang));
    match lang {
        Lang::ZhCn => format!("本手机已作为 {name}（{role}）加入。再次加入将替换原来的身份，未上传的记录仍会上传。"),
        Lang::En => format!("This phone has joined as {name} ({role}). Joining again replaces that; records not yet sent will still be sent."),
    }
}

/// Why joining did not work, and what to do.
#[component]
fn Problem(problem: JoinProblem) -> impl IntoView {
    let lang = use_lang();
    let code = problem.code();
    view! { <p class="error" role="alert" data-testid="join-problem" data-problem=code>{move || problem.message(lang.get())}</p> }
}

/// Who invites, for which place and role, until when.
#[component]
fn InviteCard(info: InviteInfo) -> impl IntoView {
    let lang = use_lang();
    let place = format!("{} {}", info.place.township, info.place.village).trim().to_owned();
    let until = BrowserClock::to_local(info.expires_at).date_naive();
    let by = info.invited_by.clone();
    view! {
        <div class="invite-card" data-testid="invite-info">
            <p data-testid="invite-by">
                {move || match lang.get() {
                    Lang::ZhCn => format!("{by} 邀请您加入"),
                    Lang::En => format!("{by} invites you to join"),
                }}
            </p>
            <p class="invite-place" data-testid="invite-place">{place}</p>
            <p data-testid="invite-role">
                {move || format!("{}{}", lang.get().pick("身份：", "Role: "), info.role.label(lang.get()))}
            </p>
            <p class="hint">{move || format!("{}{until}", lang.get().pick("邀请有效期至 ", "Valid until "))}</p>
        </div>
    }
}

/// The worker's name and phone number, then "join".
#[component]
fn JoinForm(link: InviteLink, on_joined: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let enrolled = use_enrolled();
    // Joining again: most likely the same person.
    let name = RwSignal::new(enrolled.with_untracked(|w| w.as_ref().map(|w| w.name.clone()).unwrap_or_default()));
    let phone = RwSignal::new(String::new());
    let errors = RwSignal::new(FieldErrors::new());
    let checked = RwSignal::new(false);
    let sending = RwSignal::new(false);
    let problem = RwSignal::new(None::<JoinProblem>);
    let storage_problem = RwSignal::new(None::<StorageError>);
    let code = StoredValue::new(link.code.clone());
    let request = move || EnrollRequest {
        code: code.get_value(),
        name: name.get_untracked().trim().to_owned(),
        phone: phone.get_untracked().trim().to_owned(),
    };
    // Once "join" was tapped, errors follow the typing.
    let recheck = move || {
        if checked.get_untracked() {
            errors.set(request().validate().err().unwrap_or_default());
        }
    };

    let submit = move || {
        let request = request();
        checked.set(true);
        problem.set(None);
        if let Err(found) = request.validate() {
            errors.set(found);
            return;
        }
        errors.set(FieldErrors::new());
        sending.set(true);
        let link = link.clone();
        leptos::task::spawn_local(async move {
            let body = serde_json::to_string(&request).unwrap_or_default();
            let outcome = transport_for(&link).post_json(&format!("{API_PREFIX}/enroll"), body).await;
            match read_reply::<EnrollReply>(outcome) {
                Ok(joined) => match keep(&link, &joined) {
                    Ok(()) => {
                        enrolled.set(Some(joined.worker));
                        on_joined.run(());
                    }
                    Err(failed) => {
                        storage_problem.try_set(Some(failed));
                    }
                },
                Err(refused) => {
                    if let JoinProblem::Invalid(fields) = &refused {
                        errors.try_set(fields.clone());
                    }
                    problem.try_set(Some(refused));
                }
            }
            sending.try_set(false);
        });
    };
    let error_of = move |field: &'static str| Signal::derive(move || errors.with(|e| e.get(field).map(|error| error.message(lang.get()))));

    view! {
        <form class="join-form" on:submit=move |ev| { ev.prevent_default(); submit(); }>
            <FormField id="name" label=Signal::derive(move || lang.get().pick("您的姓名", "Your name").to_owned()) error=error_of("name")>
                <input
                    id="name"
                    type="text"
                    autocomplete="name"
                    data-testid="join-name"
                    prop:value=move || name.get()
                    on:input=move |ev| {
                        name.set(event_target_value(&ev));
                        recheck();
                    }
                />
            </FormField>
            <FormField id="phone" label=Signal::derive(move || lang.get().pick("手机号码", "Phone number").to_owned()) error=error_of("phone")>
                <input
                    id="phone"
                    type="tel"
                    inputmode="tel"
                    autocomplete="tel"
                    data-testid="join-phone"
                    prop:value=move || phone.get()
                    on:input=move |ev| {
                        phone.set(event_target_value(&ev));
                        recheck();
                    }
                />
            </FormField>
            {move || problem.get().map(|problem| view! { <Problem problem /> })}
            {move || storage_problem.get().map(|p| view! { <p class="error" role="alert" data-testid="storage-problem">{p.message(lang.get())}</p> })}
            <button type="submit" class="primary big" data-testid="join-submit" disabled=move || sending.get()>
                {move || if sending.get() { lang.get().pick("正在加入…", "Joining…") } else { lang.get().pick("加入", "Join") }}
            </button>
        </form>
    }
}

/// Keeps the token and the worker, and the link's server as the server address.
fn keep(link: &InviteLink, joined: &EnrollReply) -> Result<(), StorageError> {
    enrolment::store(joined)?;
    if let Some(server) = &link.server {
        let mut settings = Settings::load();
        settings.api_base = server.clone();
        settings.store();
    }
    Ok(())
}

/// For a link that opened elsewhere (another browser, a chat that cut it): paste it here.
#[component]
fn PastedLink(on_link: Callback<InviteLink>) -> impl IntoView {
    let lang = use_lang();
    let text = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<JoinProblem>);
    let open = move || match InviteLink::parse(&text.get_untracked()) {
        Ok(link) => on_link.run(link),
        Err(refused) => problem.set(Some(refused)),
    };
    view! {
        <p class="hint">
            {move || lang.get().pick(
                "请打开督导员发来的邀请链接。如果链接在别的浏览器里打开了，可以把整个链接复制到这里。",
                "Open the invite link your township supervisor sent you. If it opened in another browser, copy the whole link here.",
            )}
        </p>
        <form class="join-paste" on:submit=move |ev| { ev.prevent_default(); open(); }>
            <FormField
                id="invite_link"
                label=Signal::derive(move || lang.get().pick("邀请链接或邀请码", "Invite link or code").to_owned())
                error=Signal::derive(move || problem.get().map(|p| p.message(lang.get())))
            >
                <input
                    id="invite_link"
                    type="text"
                    inputmode="url"
                    autocomplete="off"
                    data-testid="join-link-input"
                    prop:value=move || text.get()
                    on:input=move |ev| {
                        problem.set(None);
                        text.set(event_target_value(&ev));
                    }
                />
            </FormField>
            <button type="submit" class="secondary" data-testid="join-link-open">{move || lang.get().pick("打开邀请", "Open the invite")}</button>
        </form>
    }
}
