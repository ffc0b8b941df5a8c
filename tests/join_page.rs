//! Joining a phone from an invite link, in a real browser (headless Chromium): the join
//! screen mounted with `window.fetch` replaced by a script of the server's answers, so each
//! answer (an invite, a refusal, no network, field errors) is seen as the worker sees it.
//! And the transport sends the device token once the phone has joined.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::tick;
use serde_json::{json, Value};
use tongxing::context::{Enrolled, UiLang};
use tongxing::pages::JoinScreen;
use tongxing::storage::enrolment;
use tongxing::sync::HttpTransport;
use tongxing_core::enrolment::{DeviceEnrolment, InviteLink, JoinProblem, ServerOrigin};
use tongxing_core::wire::EnrollReply;
use tongxing_core::worker::{Place, Role};
use tongxing_core::{Lang, Worker};
use uuid::Uuid;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement};

mod common;

wasm_bindgen_test_configure!(run_in_browser);

/// A server on this machine, which the test page (itself served from this machine) trusts.
const SERVER: &str = "http://localhost:9";

fn invite_body() -> String {
    json!({"role": "love_mother", "township": "石门镇", "village": "桃源村", "invited_by": "王督导", "expires_at": "2099-12-01T00:00:00Z"})
        .to_string()
}

fn enrolled_body() -> String {
    json!({"token": "t0k-secret", "worker": {"id": "0b7d2f3c-4e5a-4a57-9a51-6f1c2b1e8d3a", "name": "李芳", "role": "love_mother", "township": "石门镇", "village": "桃源村"}})
        .to_string()
}

fn error_body(code: &str) -> String {
    json!({"error": code, "message": "m"}).to_string()
}

/// Replaces `window.fetch`: each call takes the next `[status, body]` of `replies` (status 0:
/// the network fails) and is recorded in `window.__calls` with its method, URL, body and
/// `Authorization` header.
fn script_fetch(replies: Vec<(u16, String)>) {
    let install = js_sys::Function::new_with_args(
        "replies",
        r#"
        window.__calls = [];
        window.__replies = replies;
        window.fetch = async (request) => {
            const body = request.method === "POST" ? await request.text() : null;
            window.__calls.push({ method: request.method, url: request.url, body, auth: request.headers.get("authorization") });
            const next = window.__replies.shift();
            if (!next || next[0] === 0) throw new TypeError("Failed to fetch");
            return new Response(next[1], { status: next[0], headers: { "content-type": "application/json" } });
        };
        "#,
    );
    let replies = js_sys::JSON::parse(&serde_json::to_string(&replies).expect("replies as JSON")).expect("parsed");
    install.call1(&wasm_bindgen::JsValue::NULL, &replies).expect("fetch replaced");
}

/// The requests made since [`script_fetch`].
fn calls() -> Vec<Value> {
    let window = web_sys::window().expect("a window");
    let calls = js_sys::Reflect::get(&window, &"__calls".into()).expect("__calls");
    let text = js_sys::JSON::stringify(&calls).ok().and_then(|s| s.as_string()).unwrap_or_default();
    serde_json::from_str(&text).unwrap_or_default()
}

fn worker() -> Worker {
    Worker {
        id: Uuid::from_u128(9),
        name: "李芳".into(),
        role: Role::Director,
        place: Place { township: "石门镇".into(), village: "石桥村".into() },
    }
}

/// A mounted join screen.
struct Mounted {
    root: Element,
    lang: RwSignal<Lang>,
    enrolled: RwSignal<Option<Worker>>,
    joined: RwSignal<u32>,
}

impl Mounted {
    async fn new(link: Option<Result<InviteLink, JoinProblem>>, already: Option<Worker>) -> Mounted {
        web_sys::window().and_then(|w| w.local_storage().ok().flatten()).map(|s| s.clear());
        common::unlocked().await;
        let document = web_sys::window().and_then(|w| w.document()).expect("a document");
        let root = document.create_element("div").expect("a div");
        document.body().expect("a body").append_child(&root).expect("appended");
        let lang = RwSignal::new(Lang::ZhCn);
        let enrolled = RwSignal::new(already);
        let joined = RwSignal::new(0_u32);
        let handle = leptos::mount::mount_to(root.clone().unchecked_into(), move || {
            provide_context(UiLang(lang));
            provide_context(Enrolled(enrolled));
            view! { <JoinScreen link on_joined=Callback::new(move |()| joined.update(|n| *n += 1)) /> }
        });
        handle.forget();
        Mounted { root, lang, enrolled, joined }
    }

    fn find(&self, testid: &str) -> Option<Element> {
        self.root.query_selector(&format!("[data-testid=\"{testid}\"]")).ok().flatten()
    }

    fn text(&self, testid: &str) -> String {
        self.find(testid).unwrap_or_else(|| panic!("{testid} is on the page")).text_content().unwrap_or_default()
    }

    /// Waits (up to 5 s) until `testid` is on the page.
    async fn wait_for(&self, testid: &str) {
        for _ in 0..250 {
            if self.find(testid).is_some() {
                return;
            }
            gloo_timers::future::sleep(Duration::from_millis(20)).await;
        }
        panic!("{testid} never appeared");
    }

    async fn wait_until(&self, what: &str, done: impl Fn() -> bool) {
        for _ in 0..250 {
            if done() {
                return;
            }
            gloo_timers::future::sleep(Duration::from_millis(20)).await;
        }
        panic!("{what} never happened");
    }

    async fn click(&self, testid: &str) {
        self.find(testid).unwrap_or_else(|| panic!("{testid} is on the page")).unchecked_into::<HtmlElement>().click();
        tick().await;
    }

    async fn type_into(&self, testid: &str, text: &str) {
        let input =
            self.find(testid).unwrap_or_else(|| panic!("{testid} is on the page")).unchecked_into::<HtmlInputElement>();
        input.set_value(text);
        input.dispatch_event(&web_sys::Event::new("input").expect("an input event")).expect("dispatched");
        tick().await;
    }

    fn remove(self) {
        self.root.remove();
        web_sys::window().and_then(|w| w.local_storage().ok().flatten()).map(|s| s.clear());
    }
}

fn link(code: &str) -> Option<Result<InviteLink, JoinProblem>> {
    Some(Ok(InviteLink { code: code.into(), server: ServerOrigin::parse(SERVER).ok() }))
}

#[wasm_bindgen_test]
async fn an_invite_is_shown_then_joining_keeps_the_token_the_worker_and_the_server() {
    script_fetch(vec![(200, invite_body()), (201, enrolled_body())]);
    let page = Mounted::new(link("k3x9"), None).await;
    page.wait_for("invite-info").await;
    assert_eq!(calls()[0]["url"], format!("{SERVER}/api/v1/invites/k3x9"));
    assert_eq!(calls()[0]["auth"], Value::Null);
    assert_eq!(page.text("invite-by"), "王督导 邀请您加入");
    assert_eq!(page.text("invite-place"), "石门镇 桃源村");
    assert_eq!(page.text("invite-role"), "身份：爱心妈妈");
    assert_eq!(page.text("invite-server"), "记录将上传到：localhost:9");
    assert!(page.find("join-replaces").is_none(), "a phone that never joined replaces nobody");
    page.lang.set(Lang::En);
    tick().await;
    assert_eq!(page.text("invite-role"), "Role: love mother");
    assert_eq!(page.text("invite-by"), "王督导 invites you to join");
    page.lang.set(Lang::ZhCn);
    tick().await;

    // Nothing typed: each field says so, and nothing is sent.
    page.click("join-submit").await;
    assert_eq!(page.text("error-name"), "此项必填");
    assert_eq!(page.text("error-phone"), "此项必填");
    assert_eq!(calls().len(), 1);
    page.type_into("join-name", "李芳").await;
    page.type_into("join-phone", "12345").await;
    assert!(page.find("error-name").is_none(), "errors follow the typing");
    assert_eq!(page.text("error-phone"), "电话号码不正确");
    page.lang.set(Lang::En);
    tick().await;
    assert_eq!(page.text("error-phone"), "This phone number is not valid");
    page.lang.set(Lang::ZhCn);

    page.type_into("join-phone", "138 0013 8000").await;
    page.click("join-submit").await;
    page.wait_until("joined", || page.joined.get_untracked() == 1).await;
    let sent = &calls()[1];
    assert_eq!(
        (sent["method"].as_str(), sent["url"].as_str()),
        (Some("POST"), Some("http://localhost:9/api/v1/enroll"))
    );
    let body: Value = serde_json::from_str(sent["body"].as_str().unwrap_or_default()).unwrap_or_default();
    assert_eq!(body, json!({"code": "k3x9", "name": "李芳", "phone": "138 0013 8000"}));

    let kept = enrolment::load().expect("the enrolment is kept");
    assert_eq!(kept.token, "t0k-secret");
    assert_eq!((kept.worker.role, kept.worker.place.village.as_str()), (Role::LoveMother, "桃源村"));
    assert_eq!(page.enrolled.get_untracked().map(|w| w.name), Some("李芳".to_owned()));
    assert_eq!(kept.server.as_str(), SERVER, "the token is kept with the server that issued it");
    assert!(!page.root.text_content().unwrap_or_default().contains("t0k-secret"), "the token is never shown");
    page.remove();
}

#[wasm_bindgen_test]
async fn an_invite_that_is_gone_says_why_and_asks_for_a_new_link() {
    let cases = [
        (404, "invite_not_found", "not_found", "找不到这个邀请", "does not exist"),
        (410, "invite_expired", "expired", "这个邀请已过期", "has expired"),
        (410, "invite_used_up", "used_up", "这个邀请已被用完", "used as many times"),
    ];
    for (status, error, code, zh, en) in cases {
        script_fetch(vec![(status, error_body(error))]);
        let page = Mounted::new(link("gone"), None).await;
        page.wait_for("join-problem").await;
        let problem = page.find("join-problem").expect("the problem");
        assert_eq!(problem.get_attribute("data-problem").as_deref(), Some(code));
        assert!(
            page.text("join-problem").contains(zh) && page.text("join-problem").contains("请向督导员索取新的邀请链接"),
            "{}",
            page.text("join-problem")
        );
        page.lang.set(Lang::En);
        tick().await;
        assert!(page.text("join-problem").contains(en), "{}", page.text("join-problem"));
        assert!(page.find("join-submit").is_none(), "no form for a dead invite");
        assert!(page.find("join-retry").is_none(), "trying again cannot help");
        assert!(page.find("join-link-input").is_some(), "another link may be pasted");
        page.remove();
    }
}

#[wasm_bindgen_test]
async fn with_no_network_it_says_the_link_needs_it_once_and_tries_again() {
    script_fetch(vec![(0, String::new()), (200, invite_body())]);
    let page = Mounted::new(link("k3x9"), None).await;
    page.wait_for("join-problem").await;
    assert_eq!(page.find("join-problem").and_then(|p| p.get_attribute("data-problem")).as_deref(), Some("unreachable"));
    assert!(page.text("join-problem").contains("加入需要联网一次"));
    page.click("join-retry").await;
    page.wait_for("invite-info").await;
    assert_eq!(calls().len(), 2);
    page.remove();
}

#[wasm_bindgen_test]
async fn the_server_s_field_errors_show_under_their_fields_and_nothing_is_kept() {
    let refusal = json!({"error": "invalid", "message": "m", "fields": {"phone": {"code": "bad_phone"}, "name": {"code": "too_long", "max": 50}}});
    script_fetch(vec![(200, invite_body()), (422, refusal.to_string())]);
    let page = Mounted::new(link("k3x9"), None).await;
    page.wait_for("invite-info").await;
    page.type_into("join-name", "李芳").await;
    page.type_into("join-phone", "13800138000").await;
    page.click("join-submit").await;
    page.wait_for("join-problem").await;
    assert_eq!(page.find("join-problem").and_then(|p| p.get_attribute("data-problem")).as_deref(), Some("invalid"));
    assert_eq!(page.text("error-phone"), "电话号码不正确");
    assert_eq!(page.text("error-name"), "不能超过 50 个字");
    assert_eq!(page.joined.get_untracked(), 0);
    assert!(enrolment::load().is_none());
    page.remove();
}

#[wasm_bindgen_test]
async fn a_phone_that_joined_before_can_paste_a_new_link_and_is_told_it_replaces_the_old() {
    script_fetch(vec![(200, invite_body())]);
    let page = Mounted::new(None, Some(worker())).await;
    assert!(page.text("join-replaces").contains("李芳（儿童主任）"));
    page.wait_for("join-link-input").await;
    page.type_into("join-link-input", "https://tx.example.cn/join").await;
    page.click("join-link-open").await;
    assert!(page.text("error-invite_link").contains("缺少邀请码"));
    assert!(calls().is_empty());

    page.type_into("join-link-input", " http://app.test/join?code=p4&server=http%3A%2F%2Flocalhost%3A9 ").await;
    page.click("join-link-open").await;
    page.wait_for("invite-info").await;
    assert_eq!(calls()[0]["url"], format!("{SERVER}/api/v1/invites/p4"));
    let name = page.find("join-name").expect("the name box").unchecked_into::<HtmlInputElement>();
    assert_eq!(name.value(), "李芳", "joining again, the name is filled in");
    page.remove();
}

#[wasm_bindgen_test]
async fn the_transport_sends_the_device_token_only_to_the_server_that_issued_it() {
    script_fetch(vec![(200, "{}".into()), (200, "{}".into())]);
    let server = ServerOrigin::parse(SERVER).expect("an origin");
    let enrolled = DeviceEnrolment::joined(
        EnrollReply { token: "t0k".into(), worker: worker() },
        server.clone(),
        chrono::DateTime::UNIX_EPOCH,
    );
    let joined = HttpTransport::new(server.clone(), Some(&enrolled), Lang::ZhCn);
    let reply = joined.get("/api/v1/health").await.expect("an answer");
    assert_eq!(reply.status, 200);
    let elsewhere =
        HttpTransport::new(ServerOrigin::parse("http://localhost:10").expect("an origin"), Some(&enrolled), Lang::ZhCn);
    elsewhere.get("/api/v1/health").await.expect("an answer");
    let calls = calls();
    assert_eq!(
        (calls[0]["url"].as_str(), calls[0]["auth"].as_str()),
        (Some("http://localhost:9/api/v1/health"), Some("Bearer t0k"))
    );
    assert_eq!(
        (calls[1]["url"].as_str(), &calls[1]["auth"]),
        (Some("http://localhost:10/api/v1/health"), &Value::Null)
    );
}

#[wasm_bindgen_test]
async fn a_link_naming_a_server_the_app_does_not_trust_is_refused_before_any_request() {
    script_fetch(vec![(200, invite_body()), (201, enrolled_body())]);
    let evil = InviteLink::parse("https://tx.example.cn/join?code=k3x9&server=https%3A%2F%2Fevil.example")
        .expect("a well-formed link");
    let page = Mounted::new(Some(Ok(evil)), Some(worker())).await;
    page.wait_for("join-problem").await;
    let problem = page.find("join-problem").expect("the problem");
    assert_eq!(problem.get_attribute("data-problem").as_deref(), Some("untrusted_server"));
    assert!(
        page.text("join-problem").contains("evil.example") && page.text("join-problem").contains("请不要加入"),
        "{}",
        page.text("join-problem")
    );
    assert!(page.find("join-submit").is_none(), "no form to join it");
    assert!(page.find("join-retry").is_none(), "trying again cannot help");

    // Pasted, the same: refused under the box, and nothing asked of that server.
    page.type_into("join-link-input", "https://tx.example.cn/join?code=k3x9&server=https://evil.example").await;
    page.click("join-link-open").await;
    assert!(page.text("error-invite_link").contains("evil.example"));
    gloo_timers::future::sleep(Duration::from_millis(200)).await;
    assert!(calls().is_empty(), "no request was made: {:?}", calls());
    assert!(enrolment::load().is_none());
    page.remove();
}
