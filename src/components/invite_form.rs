//! The supervisor invites a director, love mother or volunteer of a village of her
//! township: role, village, how many days and how many phones; the county invites any role,
//! naming the township. The server makes the code, the app makes the link from its own
//! address, and she copies it into the village's (or the township's) group.

use chrono::Timelike;
use leptos::prelude::*;
use tongxing_core::enrolment::InviteLink;
use tongxing_core::phone_app::PhoneApp;
use tongxing_core::supervision::{InviteDraft, TownshipProblem};
use tongxing_core::wire::InviteReply;
use tongxing_core::worker::Role;
use tongxing_core::{FieldErrors, Lang};
use wasm_bindgen::JsCast;

use super::{CopyableLink, FormField, ProblemNotice};
use crate::context::use_lang;
use crate::storage::enrolment;
use crate::sync::BrowserClock;
use crate::township_client::TownshipClient;
use crate::trusted_servers::trusted_servers;

/// The form of `inviter` (a supervisor unless told), then the link made. Its fields are
/// read when it is sent.
#[component]
pub fn InviteForm(#[prop(default = Role::Supervisor)] inviter: Role) -> impl IntoView {
    let lang = use_lang();
    let usual = InviteDraft::by(inviter);
    let role = RwSignal::new(usual.role);
    let asks = move |field: fn(&InviteDraft) -> bool| {
        Signal::derive(move || field(&InviteDraft { role: role.get(), ..InviteDraft::by(inviter) }))
    };
    let asks_township = asks(InviteDraft::asks_township);
    let asks_village = asks(InviteDraft::asks_village);
    let errors = RwSignal::new(FieldErrors::new());
    let sending = RwSignal::new(false);
    let problem = RwSignal::new(None::<TownshipProblem>);
    let made = RwSignal::new(None::<(String, InviteReply)>);

    let submit = move || {
        problem.set(None);
        made.set(None);
        let draft = InviteDraft {
            inviter,
            role: role.get_untracked(),
            township: field_value("invite_township"),
            village: field_value("invite_village"),
            valid_days: field_value("invite_days"),
            uses: field_value("invite_uses"),
        };
        let request = match draft.request() {
            Ok(request) => request,
            Err(found) => {
                errors.set(found);
                return;
            }
        };
        errors.set(FieldErrors::new());
        sending.set(true);
        leptos::task::spawn_local(async move {
            match TownshipClient::new().invite(&request).await {
                Ok(reply) => {
                    made.try_set(Some((share_url(&reply), reply)));
                }
                Err(refused) => {
                    if let TownshipProblem::Invalid(fields) = &refused {
                        errors.try_set(fields.clone());
                    }
                    problem.try_set(Some(refused));
                }
            }
            sending.try_set(false);
        });
    };
    let error_of = move |field: &'static str| {
        Signal::derive(move || errors.with(|e| e.get(field).map(|error| error.message(lang.get()))))
    };
    let label = move |zh: &'static str, en: &'static str| Signal::derive(move || lang.get().pick(zh, en).to_owned());
    let hint = move || {
        if inviter.reads_county() {
            lang.get().pick("邀请乡镇儿童督导员、儿童主任或其他工作人员。把链接发给对方，对方用手机打开即可加入。", "Invite a township supervisor, a child director or another worker. Send them the link; they join by opening it on their phone.")
        } else {
            lang.get().pick("为本乡镇的村邀请儿童主任、爱心妈妈或志愿者。把链接发到村里的微信群，对方用手机打开即可加入。", "Invite a child director, love mother or volunteer for a village of your township. Share the link in the village's group; they join by opening it on their phone.")
        }
    };

    view! {
        <form class="invite-form" data-testid="invite-form" novalidate=true on:submit=move |ev| { ev.prevent_default(); submit(); }>
            <p class="hint">{hint}</p>
            <FormField id="invite_role" label=label("身份", "Role") error=error_of("role")>
                <select id="invite_role" data-testid="make-invite-role" on:change=move |_| role.set(field_value("invite_role").parse().unwrap_or(usual.role))>
                    {move || {
                        let lang = lang.get();
                        let chosen = role.get_untracked();
                        InviteDraft::by(inviter).roles().map(|option| view! { <option value=option.code() selected=option == chosen>{option.label(lang)}</option> }).collect_view()
                    }}
                </select>
            </FormField>
            <Show when=move || asks_township.get()>
                <FormField id="invite_township" label=label("乡镇/街道", "Township") error=error_of("township")>
                    <input id="invite_township" type="text" autocomplete="off" data-testid="make-invite-township" />
                </FormField>
            </Show>
            <Show when=move || asks_village.get()>
                <FormField id="invite_village" label=label("村/居委会", "Village") error=error_of("village")>
                    <input id="invite_village" type="text" autocomplete="off" data-testid="make-invite-village" />
                </FormField>
            </Show>
            <div class="invite-numbers">
                <FormField id="invite_days" label=label("有效天数", "Valid for (days)") error=error_of("valid_days")>
                    <input id="invite_days" type="number" inputmode="numeric" min="1" max="90" data-testid="make-invite-days" value=usual.valid_days.clone() />
                </FormField>
                <FormField id="invite_uses" label=label("可加入手机数", "Phones") error=error_of("uses")>
                    <input id="invite_uses" type="number" inputmode="numeric" min="1" max="500" data-testid="make-invite-uses" value=usual.uses.clone() />
                </FormField>
            </div>
            {move || problem.get().map(|problem| view! { <ProblemNotice problem /> })}
            <button type="submit" class="primary big" data-testid="make-invite-submit" disabled=move || sending.get()>
                {move || if sending.get() { lang.get().pick("正在生成…", "Making the link…") } else { lang.get().pick("生成邀请链接", "Make the invite link") }}
            </button>
        </form>
        {move || made.get().map(|(link, reply)| view! { <InviteMade link reply /> })}
    }
}

/// The value of the input or select with `id` (empty when there is none).
fn field_value(id: &str) -> String {
    let Some(element) = document().get_element_by_id(id) else { return String::new() };
    match element.dyn_into::<web_sys::HtmlInputElement>() {
        Ok(input) => input.value(),
        Err(element) => {
            element.dyn_into::<web_sys::HtmlSelectElement>().map(|select| select.value()).unwrap_or_default()
        }
    }
}

/// The link to share, built from where this app is served; with the server's address when
/// the phone joined a server other than the app's own.
fn share_url(reply: &InviteReply) -> String {
    let server = match (enrolment::load(), trusted_servers()) {
        (Some(enrolled), Some(trusted)) => trusted.link_server(&enrolled.server),
        _ => None,
    };
    InviteLink::of_code(&reply.code, server).share_url(&app_root())
}

/// Where the field app, which joins phones, is served: its origin and base path (from
/// this app's `<base href>`).
fn app_root() -> String {
    let base = document().base_uri().ok().flatten().unwrap_or_default();
    match web_sys::Url::new(&base) {
        Ok(url) => format!("{}{}", url.origin(), PhoneApp::field_base(&url.pathname())),
        Err(_) => window().location().origin().unwrap_or_default(),
    }
}

/// The link made, "copy", and until when it works.
#[component]
fn InviteMade(link: String, reply: InviteReply) -> impl IntoView {
    let lang = use_lang();
    let until = BrowserClock::to_local(reply.expires_at);
    let until = format!("{} {:02}:{:02}", until.date_naive(), until.hour(), until.minute());
    view! {
        <div class="invite-made" data-testid="invite-made">
            <h2>{move || lang.get().pick("邀请链接", "Invite link")}</h2>
            <CopyableLink name="invite" link copied=("已复制，可以粘贴到微信群。", "Copied: paste it in the group.") />
            <p class="hint" data-testid="invite-expires">{move || expiry_text(&until, lang.get())}</p>
        </div>
    }
}

fn expiry_text(until: &str, lang: Lang) -> String {
    match lang {
        Lang::ZhCn => format!("有效期至 {until}，过期或用完后请重新生成。"),
        Lang::En => format!("Valid until {until}; make a new one once it has expired or been used up."),
    }
}
