//! The supervisor's phones and invites (手机与邀请): the phones enrolled in her township and
//! the invites made for it (the county's: of every township), read from the server when shown; a phone or an invite is revoked
//! with two taps (撤销, then 确认撤销). Her own phone is marked, not revocable here. For a
//! worker who forgot her PIN, 发放恢复码 shows a code once, which she tells the worker.

use leptos::prelude::*;
use tongxing_core::outbox::Clock;
use tongxing_core::supervision::{TownshipProblem, TownshipRequest};
use tongxing_core::training::Training;
use tongxing_core::wire::{InviteListing, InviteState, PhoneListing, RecoveryIssued, RevokedAs};
use tongxing_core::Lang;
use uuid::Uuid;

use super::{Loading, ProblemNotice};
use crate::context::{use_enrolled, use_lang};
use crate::sync::BrowserClock;
use crate::township_client::TownshipClient;

/// What the tab holds; `Copy`, so each drawing function takes it whole.
#[derive(Clone, Copy)]
struct PhonesState {
    phones: RwSignal<Option<Vec<PhoneListing>>>,
    invites: RwSignal<Option<Vec<InviteListing>>>,
    problem: RwSignal<Option<TownshipProblem>>,
    /// The phone or invite whose 撤销 was tapped once.
    confirming: RwSignal<Option<Uuid>>,
    /// This phone's own id.
    me: Option<Uuid>,
    /// The recovery code issued last, for which phone.
    issued: RwSignal<Option<(Uuid, RecoveryIssued)>>,
    /// Whether the county reads them (every township's; recoveries are the supervisors').
    county: bool,
}

impl PhonesState {
    /// Reads both lists again.
    fn load(self) {
        self.problem.set(None);
        leptos::task::spawn_local(async move {
            let client = TownshipClient::new();
            match client.read::<Vec<PhoneListing>>(&TownshipRequest::Phones).await {
                Ok(phones) => drop(self.phones.try_set(Some(phones))),
                Err(problem) => drop(self.problem.try_set(Some(problem))),
            }
            match client.read::<Vec<InviteListing>>(&TownshipRequest::Invites).await {
                Ok(invites) => drop(self.invites.try_set(Some(invites))),
                Err(problem) => drop(self.problem.try_set(Some(problem))),
            }
        });
    }

    /// Issues a recovery code for the phone `id`, shown in its row.
    fn issue_recovery(self, id: Uuid) {
        self.problem.set(None);
        leptos::task::spawn_local(async move {
            match TownshipClient::new().issue_recovery(id).await {
                Ok(issued) => drop(self.issued.try_set(Some((id, issued)))),
                Err(problem) => drop(self.problem.try_set(Some(problem))),
            }
        });
    }

    /// The first tap asks; the second revokes, then the lists are read again.
    fn revoke(self, id: Uuid, request: TownshipRequest) {
        if self.confirming.get_untracked() != Some(id) {
            self.confirming.set(Some(id));
            return;
        }
        self.confirming.set(None);
        leptos::task::spawn_local(async move {
            match TownshipClient::new().revoke(&request).await {
                // Gone already (revoked from another phone): the lists say so once read.
                Ok(()) | Err(TownshipProblem::NotFound) => self.load(),
                Err(problem) => {
                    self.problem.try_set(Some(problem));
                }
            }
        });
    }
}

/// The township's phones and invites.
#[component]
pub fn TownshipPhones() -> impl IntoView {
    let lang = use_lang();
    let state = PhonesState {
        phones: RwSignal::new(None),
        invites: RwSignal::new(None),
        problem: RwSignal::new(None),
        confirming: RwSignal::new(None),
        me: use_enrolled().with_untracked(|w| w.as_ref().map(|w| w.id)),
        issued: RwSignal::new(None),
        county: use_enrolled().with_untracked(|w| w.as_ref().is_some_and(|w| w.role.reads_county())),
    };
    state.load();
    view! {
        <div class="township-phones" data-testid="township-phones">
            {move || state.problem.get().map(|problem| view! { <ProblemNotice problem /> })}
            <h2>{move || if state.county { lang.get().pick("全县的手机", "Phones of the county") } else { lang.get().pick("本镇的手机", "Phones of the township") }}</h2>
            {move || {
                let lang = lang.get();
                state.phones.with(|phones| match phones {
                    None => view! { <Loading /> }.into_any(),
                    Some(phones) => view! {
                        <ul class="records" data-testid="township-phone-list">
                            {phones.iter().map(|phone| phone_row(state, phone, lang)).collect_view()}
                        </ul>
                    }
                    .into_any(),
                })
            }}
            <h2>{move || lang.get().pick("邀请", "Invites")}</h2>
            {move || {
                let lang = lang.get();
                state.invites.with(|invites| match invites {
                    None => view! { <Loading /> }.into_any(),
                    Some(invites) => view! {
                        <ul class="records" data-testid="township-invite-list">
                            {invites.iter().map(|invite| invite_row(state, invite, lang)).collect_view()}
                        </ul>
                    }
                    .into_any(),
                })
            }}
        </div>
    }
}

/// One phone: who, role, village, when last seen or revoked; 撤销 unless revoked or her own.
fn phone_row(state: PhonesState, phone: &PhoneListing, lang: Lang) -> impl IntoView {
    let status = match (phone.revoked_at, phone.last_seen_at) {
        (Some(at), _) => {
            let why = match phone.revoked_as {
                Some(RevokedAs::Lost) => lang.pick("（丢失或被盗）", " (lost or stolen)"),
                _ => "",
            };
            format!("{}{}{why}", lang.pick("已撤销 ", "Revoked "), day(at))
        }
        (None, Some(at)) => format!("{}{}", lang.pick("最近联网 ", "Last seen "), day(at)),
        (None, None) => lang.pick("尚未联网", "Not seen yet").to_owned(),
    };
    let mine = state.me == Some(phone.id);
    let action = if mine {
        Some(view! { <span class="meta">{lang.pick("本机", "This phone")}</span> }.into_any())
    } else if phone.revoked {
        None
    } else {
        Some(revoke_phone_buttons(state, phone.id, lang).into_any())
    };
    let (id, name) = (phone.id, phone.name.clone());
    // Only a supervisor of the phone's township issues a recovery code.
    let recovery = (phone.recoverable && !mine && !state.county).then(|| {
        view! {
            <button type="button" class="secondary" data-testid="issue-recovery" on:click=move |_| state.issue_recovery(id)>
                {lang.pick("发放恢复码（忘记密码）", "Recovery code (forgotten PIN)")}
            </button>
            {move || state.issued.get().filter(|(issued_for, _)| *issued_for == id).map(|(_, issued)| {
                view! { <p class="recovery-issued" role="status" data-testid="recovery-issued">{issued_text(&issued, &name, lang)}</p> }
            })}
        }
    });
    let silent = phone.silent_since(BrowserClock.now()).map(|since| {
        let days = (BrowserClock.now() - since).num_days();
        let text = match lang {
            Lang::ZhCn => format!("已 {days} 天未联网：请联系她，手机上可能有未上传的记录。"),
            Lang::En => format!("Not seen for {days} days: call her; her phone may hold records not yet sent."),
        };
        view! { <span class="warning" data-testid="phone-silent">{text}</span> }
    });
    // Those who visit are trained and assessed (培训考核); the county records it here.
    let certification = phone.role.sends_records().then(|| {
        let certified = phone.certification.is_certified();
        let text = phone.certification.with_day(lang);
        view! {
            <span class=if certified { "meta" } else { "warning" } data-testid="phone-certification" data-certified=certified.to_string()>
                {text}
            </span>
            {(state.county && !phone.revoked).then(|| view! { <TrainingForm state device=id /> })}
        }
    });
    let place = place(state, &phone.township, &phone.village);
    let meta =
        [phone.role.label(lang), &place, &status].into_iter().filter(|part| !part.is_empty()).collect::<Vec<_>>();
    let meta = meta.join(" · ");
    view! {
        <li class="record" data-testid="township-phone" data-device-id=phone.id.to_string() data-revoked=phone.revoked.to_string()>
            <span class="name">{phone.name.clone()}</span>
            <span class="meta">{meta}</span>
            {certification}
            {silent}
            {action}
            {recovery}
        </li>
    }
}

/// The county records a course the worker took and whether she passed, then the list is
/// read again.
#[component]
fn TrainingForm(state: PhonesState, device: Uuid) -> impl IntoView {
    let lang = use_lang();
    let open = RwSignal::new(false);
    let course = RwSignal::new(String::new());
    let date = RwSignal::new(String::new());
    let passed = RwSignal::new(true);
    let errors = RwSignal::new(tongxing_core::FieldErrors::new());
    let send = move |_| {
        let today = BrowserClock::local_now().date_naive();
        let day = tongxing_core::form::parse_date(&date.get_untracked());
        let training =
            Training { course: course.get_untracked(), date: day.unwrap_or(today), passed: passed.get_untracked() };
        let mut found = training.validate(today).err().unwrap_or_default();
        if day.is_none() {
            found.add("date", tongxing_core::FieldError::NotADate);
        }
        if !found.is_empty() {
            return errors.set(found);
        }
        errors.set(tongxing_core::FieldErrors::new());
        leptos::task::spawn_local(async move {
            match TownshipClient::new().record_training(device, &training).await {
                Ok(()) => {
                    open.set(false);
                    state.load();
                }
                Err(problem) => drop(state.problem.try_set(Some(problem))),
            }
        });
    };
    move || {
        let lang = lang.get();
        if !open.get() {
            return view! {
                <button type="button" class="link-button" data-testid="record-training" on:click=move |_| open.set(true)>
                    {lang.pick("记录培训考核", "Record a training")}
                </button>
            }
            .into_any();
        }
        let error = move |field: &'static str| errors.with(|e| e.get(field).map(|error| error.message(lang)));
        view! {
            <div class="field training-form" data-testid="training-form">
                <input type="text" maxlength="100" data-testid="training-course" placeholder=lang.pick("培训课程", "Course")
                    on:input=move |ev| course.set(event_target_value(&ev)) />
                {move || error("course").map(|text| view! { <p class="error">{text}</p> })}
                <input type="date" class="date-input" data-testid="training-date" on:change=move |ev| date.set(event_target_value(&ev)) />
                {move || error("date").map(|text| view! { <p class="error">{text}</p> })}
                <label>
                    <input type="checkbox" data-testid="training-passed" prop:checked=passed on:change=move |ev| passed.set(event_target_checked(&ev)) />
                    {lang.pick(" 考核通过", " Passed the assessment")}
                </label>
                <button type="button" class="primary" data-testid="training-save" on:click=send>{lang.pick("保存", "Save")}</button>
            </div>
        }
        .into_any()
    }
}

/// The code issued, until when, and how to pass it on.
fn issued_text(issued: &RecoveryIssued, name: &str, lang: Lang) -> String {
    let (code, until) = (issued.code.grouped(), BrowserClock::to_local(issued.expires_at).format("%m-%d %H:%M"));
    match lang {
        Lang::ZhCn => format!("恢复码：{code}（{until} 前有效，只能用一次）。请确认是 {name} 本人后，当面或打电话告诉她，不要发在群里。"),
        Lang::En => format!(
            "Recovery code: {code} (valid until {until}, once). Make sure you are speaking with {name} herself, then tell her in person or by phone; never post it in a group."
        ),
    }
}

/// One invite: role, village, who made it, until when, uses left, its state; 撤销 while
/// it still enrols phones.
fn invite_row(state: PhonesState, invite: &InviteListing, lang: Lang) -> impl IntoView {
    let details = match lang {
        Lang::ZhCn => {
            format!("{} 邀请 · 有效期至 {} · 还可用 {} 次", invite.invited_by, day(invite.expires_at), invite.uses_left)
        }
        Lang::En => {
            format!("by {} · until {} · {} uses left", invite.invited_by, day(invite.expires_at), invite.uses_left)
        }
    };
    let active = invite.state == InviteState::Active;
    let place = place(state, &invite.township, &invite.village);
    let name = if place.is_empty() {
        invite.role.label(lang).to_owned()
    } else {
        format!("{} · {place}", invite.role.label(lang))
    };
    view! {
        <li class="record" data-testid="township-invite" data-invite-id=invite.id.to_string() data-state=invite.state.code()>
            <span class="name">{name}</span>
            <span class="meta">{format!("{details} · {}", invite_state_label(invite.state, lang))}</span>
            {active.then(|| revoke_button(state, invite.id, TownshipRequest::RevokeInvite(invite.id), "revoke-invite", lang))}
        </li>
    }
}

/// 撤销; after one tap, why: she left the job (the phone keeps her unsent work and asks to
/// join again), or the phone was lost or stolen (it wipes what it keeps when it learns).
fn revoke_phone_buttons(state: PhonesState, id: Uuid, lang: Lang) -> impl IntoView {
    let revoke_as = move |reason: RevokedAs| state.revoke(id, TownshipRequest::RevokePhone(id, reason));
    move || {
        match state.confirming.get() == Some(id) {
        true => view! {
            <button type="button" class="secondary revoke" data-testid="revoke-phone-left" on:click=move |_| revoke_as(RevokedAs::Left)>
                {lang.pick("确认撤销：已离职或交还手机", "Revoke: left the job or handed the phone on")}
            </button>
            <button type="button" class="secondary revoke" data-testid="revoke-phone-lost" on:click=move |_| revoke_as(RevokedAs::Lost)>
                {lang.pick("确认撤销：手机丢失或被盗（清除手机上的数据）", "Revoke: lost or stolen (wipes the phone's data)")}
            </button>
        }
        .into_any(),
        false => view! {
            <button type="button" class="secondary revoke" data-testid="revoke-phone" on:click=move |_| state.confirming.set(Some(id))>
                {lang.pick("撤销", "Revoke")}
            </button>
        }
        .into_any(),
    }
    }
}

/// 撤销, or 确认撤销 after one tap.
fn revoke_button(
    state: PhonesState,
    id: Uuid,
    request: TownshipRequest,
    testid: &'static str,
    lang: Lang,
) -> impl IntoView {
    view! {
        <button type="button" class="secondary revoke" data-testid=testid on:click=move |_| state.revoke(id, request.clone())>
            {move || if state.confirming.get() == Some(id) { lang.pick("确认撤销", "Confirm: revoke") } else { lang.pick("撤销", "Revoke") }}
        </button>
    }
}

fn invite_state_label(invite_state: InviteState, lang: Lang) -> &'static str {
    match invite_state {
        InviteState::Active => lang.pick("有效", "active"),
        InviteState::Expired => lang.pick("已过期", "expired"),
        InviteState::UsedUp => lang.pick("已用完", "used up"),
        InviteState::Revoked => lang.pick("已撤销", "revoked"),
    }
}

/// The local calendar day of a time.
fn day(at: chrono::DateTime<chrono::Utc>) -> chrono::NaiveDate {
    BrowserClock::to_local(at).date_naive()
}

/// Where a phone or an invite is: the village, and for the county the township before it.
fn place(state: PhonesState, township: &str, village: &str) -> String {
    if state.county {
        format!("{township} {village}").trim().to_owned()
    } else {
        village.to_owned()
    }
}
