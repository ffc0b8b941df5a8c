//! The generic form renderer in a real browser (headless Chromium): the standard home-visit
//! form mounted from its definition, driven by real DOM events.

use std::sync::Arc;

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone};
use leptos::prelude::*;
use leptos::task::tick;
use tongxing::components::{FormRenderer, MandatoryReportPrompt};
use tongxing::context::UiLang;
use tongxing_core::form::{AnswerValue, Choice, Field, FieldKind, FormCatalog, FormDefinition, Section, Text};
use tongxing_core::photo::{PhotoHash, PhotoNote};
use tongxing_core::schedule::Cadence;
use tongxing_core::{FieldError, FieldErrors, Lang, VisitDraft};
use uuid::Uuid;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

fn now() -> DateTime<FixedOffset> {
    FixedOffset::east_opt(8 * 3600).and_then(|tz| tz.with_ymd_and_hms(2026, 11, 23, 9, 30, 0).single()).expect("a time")
}

fn today() -> NaiveDate {
    now().date_naive()
}

fn standard() -> &'static FormDefinition {
    FormCatalog::builtin().home_visit().expect("the built-in home-visit form")
}

/// A mounted form and the signals that drive it.
struct Mounted {
    root: Element,
    draft: RwSignal<VisitDraft>,
    lang: RwSignal<Lang>,
    errors: RwSignal<FieldErrors>,
    report_open: RwSignal<bool>,
    acknowledged: RwSignal<u32>,
}

impl Mounted {
    /// Mounts `form` over a new draft, with the mandatory-report prompt wired as the visit
    /// page wires it, into a fresh element of its own.
    fn new(form: &FormDefinition) -> Mounted {
        let document = web_sys::window().and_then(|w| w.document()).expect("a document");
        let root = document.create_element("div").expect("a div");
        document.body().expect("a body").append_child(&root).expect("appended");

        let draft = RwSignal::new(VisitDraft::new(Uuid::from_u128(1), None, form, today(), now()));
        let lang = RwSignal::new(Lang::ZhCn);
        let errors = RwSignal::new(FieldErrors::new());
        let report_open = RwSignal::new(false);
        let acknowledged = RwSignal::new(0_u32);
        let form = Arc::new(form.clone());
        let handle = leptos::mount::mount_to(root.clone().unchecked_into(), move || {
            provide_context(UiLang(lang));
            let on_answer = Callback::new(move |(field, value): (String, AnswerValue)| {
                draft.update(|d| d.answer(&field, value, &Cadence::standard(), now()));
            });
            let answers = Memo::new(move |_| draft.with(|d| d.answers.clone()));
            let needed = Signal::derive(move || draft.with(VisitDraft::needs_mandatory_report));
            view! {
                <FormRenderer form answers on_answer errors />
                <MandatoryReportPrompt needed open=report_open on_ack=Callback::new(move |()| acknowledged.update(|n| *n += 1)) />
            }
        });
        handle.forget();
        Mounted { root, draft, lang, errors, report_open, acknowledged }
    }

    fn find(&self, testid: &str) -> Option<Element> {
        self.root.query_selector(&format!("[data-testid=\"{testid}\"]")).ok().flatten()
    }

    fn get(&self, testid: &str) -> Element {
        self.find(testid).unwrap_or_else(|| panic!("{testid} is on the page"))
    }

    fn has(&self, testid: &str) -> bool {
        self.find(testid).is_some()
    }

    fn text(&self, testid: &str) -> String {
        self.get(testid).text_content().unwrap_or_default()
    }

    async fn click(&self, testid: &str) {
        self.get(testid).unchecked_into::<HtmlElement>().click();
        tick().await;
    }

    async fn type_into(&self, testid: &str, text: &str) {
        let input = self.get(testid).unchecked_into::<HtmlInputElement>();
        input.set_value(text);
        let event = web_sys::Event::new("input").expect("an input event");
        input.dispatch_event(&event).expect("dispatched");
        tick().await;
    }

    fn answer(&self, field: &str) -> Option<AnswerValue> {
        self.draft.with_untracked(|d| d.answers.get(field).cloned())
    }

    fn remove(self) {
        self.root.remove();
    }
}

#[wasm_bindgen_test]
async fn every_visible_field_of_the_standard_form_renders_with_its_test_id() {
    let form = standard();
    let page = Mounted::new(form);
    tick().await;
    let answers = page.draft.with_untracked(|d| d.answers.clone());
    let mut shown = 0;
    for field in form.fields() {
        let testid = format!("field-{}", field.id);
        if form.is_visible(&field.id, &answers) {
            assert!(page.has(&testid), "{testid} is shown");
            for choice in field.kind.choices() {
                assert!(page.has(&format!("choice-{}-{}", field.id, choice.code)), "{} {}", field.id, choice.code);
            }
            if field.kind == FieldKind::YesNo {
                assert!(page.has(&format!("choice-{}-yes", field.id)) && page.has(&format!("choice-{}-no", field.id)));
            }
            shown += 1;
        } else {
            assert!(!page.has(&testid), "{testid} is not shown");
        }
    }
    assert!(shown > 30, "the standard form shows most of its questions at first ({shown})");
    assert!(page.get("section-mandatory_report").has_attribute("hidden"), "no report questions until harm is found");
    assert!(page.text("section-life").contains("生活"), "sections have their headings");
    let date = page.get("field-visit_date").unchecked_into::<HtmlInputElement>();
    assert_eq!((date.type_(), date.value()), ("date".to_owned(), today().to_string()), "a new visit is dated today");
    assert_eq!(page.get("choice-visit_type-home").get_attribute("aria-checked").as_deref(), Some("true"));
    page.remove();
}

#[wasm_bindgen_test]
async fn a_show_if_field_follows_its_condition_at_once() {
    let page = Mounted::new(standard());
    tick().await;
    assert!(page.has("field-main_carer"), "shown while the carer is not 'no one'");
    page.type_into("field-main_carer", "李秀英").await;
    assert_eq!(page.answer("main_carer"), Some(AnswerValue::Text("李秀英".into())));

    page.click("choice-carer_relation-none").await;
    assert_eq!(page.answer("carer_relation"), Some(AnswerValue::Text("none".into())));
    assert!(!page.has("field-main_carer"), "no carer: no carer's name");
    assert_eq!(page.answer("main_carer"), Some(AnswerValue::Text("李秀英".into())), "kept in the draft while hidden");
    assert!(!page.has("field-carer_capacity"));

    page.click("choice-carer_relation-grandparent").await;
    assert!(page.has("field-main_carer"), "back again");
    assert_eq!(page.answer("main_carer"), Some(AnswerValue::Text("李秀英".into())), "kept in the draft while hidden");
    tick().await; // A control created again gets its value on the reactive system's next turn.
    let name = page.get("field-main_carer").unchecked_into::<HtmlInputElement>();
    assert_eq!(name.value(), "李秀英", "the answer given before was kept in the draft");

    assert!(!page.has("field-school_name"));
    page.click("choice-in_school-yes").await;
    assert!(page.has("field-school_name") && page.has("field-dropout_risk"));
    page.click("choice-in_school-no").await;
    assert!(!page.has("field-school_name") && page.has("field-not_in_school_reason"));
    page.remove();
}

#[wasm_bindgen_test]
async fn a_colour_other_than_the_suggestion_asks_for_a_reason() {
    let page = Mounted::new(standard());
    tick().await;
    let suggestion = page.get("risk-suggestion");
    assert_eq!(suggestion.get_attribute("data-colour").as_deref(), Some("green"), "nothing found yet");
    assert!(!page.has("note-risk_colour_reason"));

    page.click("choice-risk_colour-red").await;
    assert!(page.has("note-risk_colour_reason"), "red is not the suggested green");
    assert!(page.text("note-risk_colour_reason").contains("须填写理由"));
    assert!(page.has("risk-differs"));
    assert_eq!(
        page.answer("next_visit_date"),
        Some(AnswerValue::Text("2026-11-30".into())),
        "the next visit follows the colour's cadence"
    );

    page.click("choice-housing_safety-dangerous").await;
    assert_eq!(page.get("risk-suggestion").get_attribute("data-colour").as_deref(), Some("yellow"), "live");
    assert!(page.text("risk-suggestion").contains("住房存在危险"), "with its reason");
    page.click("choice-harm_signs-yes").await;
    assert_eq!(page.get("risk-suggestion").get_attribute("data-colour").as_deref(), Some("red"));
    assert!(!page.has("note-risk_colour_reason"), "red is now what the rules suggest");

    page.click("choice-housing_safety-safe").await;
    page.click("choice-harm_signs-no").await;
    page.click("use-suggestion").await;
    assert_eq!(page.answer("risk_colour"), Some(AnswerValue::Text("green".into())), "the suggestion taken");
    assert!(!page.has("note-risk_colour_reason"));
    page.remove();
}

#[wasm_bindgen_test]
async fn errors_show_under_their_fields_in_chinese_then_english() {
    let page = Mounted::new(standard());
    tick().await;
    let mut errors = FieldErrors::new();
    errors.add("present", FieldError::Required);
    errors.add("next_visit_date", FieldError::TooLate);
    errors.add("school_name", FieldError::Required);
    page.errors.set(errors);
    tick().await;
    assert_eq!(page.text("error-present"), "此项必填");
    assert_eq!(page.text("error-next_visit_date"), "下次走访日期应在一年之内", "the constraint's own message");
    assert!(!page.has("error-school_name"), "a hidden field shows no error");

    page.lang.set(Lang::En);
    tick().await;
    assert_eq!(page.text("error-present"), "This is required");
    assert_eq!(page.text("error-next_visit_date"), "The next visit should be within a year");
    assert!(page.text("section-life").contains("Daily life"));
    assert!(page.text("section-life").contains("Enough food and clothing"));
    assert_eq!(page.text("choice-food_clothing_adequate-yes"), "Yes");
    assert_eq!(page.text("choice-carer_relation-grandparent"), "Grandparent");
    assert!(page.text("section-visit").contains("For a phone call, who was on the call"), "hints too");
    page.remove();
}

#[wasm_bindgen_test]
async fn signs_of_harm_raise_the_mandatory_report_prompt() {
    let page = Mounted::new(standard());
    tick().await;
    assert!(!page.has("mandatory-report-prompt"));
    page.click("choice-harm_signs-no").await;
    assert!(!page.has("mandatory-report-prompt"));

    page.click("choice-harm_signs-yes").await;
    let prompt = page.get("mandatory-report-prompt");
    assert_eq!(prompt.get_attribute("role").as_deref(), Some("alertdialog"));
    assert!(prompt.text_content().unwrap_or_default().contains("公安机关"));
    assert_eq!(page.get("call-110").get_attribute("href").as_deref(), Some("tel:110"));
    assert!(!page.get("section-mandatory_report").has_attribute("hidden"), "the report's questions are shown");
    assert!(page.has("field-mandatory_report_made"));

    page.click("mandatory-report-ack").await;
    assert!(!page.has("mandatory-report-prompt"), "acknowledged");
    assert_eq!(page.acknowledged.get_untracked(), 1);

    page.click("choice-serious_neglect-yes").await;
    assert!(!page.has("mandatory-report-prompt"), "still needed: not raised again by a second finding");
    page.report_open.set(true);
    tick().await;
    assert!(page.has("mandatory-report-prompt"), "the page can raise it again (on a save with the report missing)");
    page.click("mandatory-report-ack").await;

    page.click("choice-mandatory_report_made-yes").await;
    assert!(page.has("field-mandatory_report_date") && page.has("field-mandatory_report_to"));
    page.remove();
}

/// A form with one field of every kind, to check each component's control.
fn every_kind() -> FormDefinition {
    let f = |id: &str, kind| Field::new(id, Text::new(id, id), kind);
    FormDefinition {
        id: "every_kind".into(),
        version: 3,
        title: Text::new("测试", "Test"),
        sections: vec![Section::new(
            "all",
            "全部",
            "All",
            vec![
                f("text", FieldKind::Text { max_chars: 5 }).required(),
                f("long", FieldKind::LongText { max_chars: 10 }),
                f("count", FieldKind::Number { min: None, max: None, integer: false }),
                f("day", FieldKind::Date { not_in_future: false }),
                f(
                    "one",
                    FieldKind::SingleChoice {
                        choices: vec![Choice::new("a", "甲", "A"), Choice::new("b", "乙", "B")]
                    },
                ),
                f(
                    "many",
                    FieldKind::MultipleChoice {
                        choices: vec![
                            Choice::new("x", "X", "X"),
                            Choice::new("y", "Y", "Y"),
                            Choice::new("z", "Z", "Z"),
                        ],
                        min: None,
                        max: None,
                    },
                ),
                f("yn", FieldKind::YesNo),
                f("phone", FieldKind::Phone),
                f("idno", FieldKind::IdNumber),
                f("pics", FieldKind::PhotoSlot { max_photos: 3 }),
            ],
        )],
    }
}

#[wasm_bindgen_test]
async fn each_kind_has_a_control_fit_for_a_phone() {
    let page = Mounted::new(&every_kind());
    tick().await;
    let input = |id: &str| page.get(&format!("field-{id}")).unchecked_into::<HtmlInputElement>();
    assert_eq!(input("count").get_attribute("inputmode").as_deref(), Some("decimal"));
    assert_eq!(input("phone").type_(), "tel");
    assert_eq!(input("day").type_(), "date");
    assert_eq!(page.get("field-long").tag_name(), "TEXTAREA");
    let camera =
        page.get("field-pics").query_selector("[data-testid=photo-camera]").ok().flatten().expect("a camera button");
    assert_eq!(
        (camera.get_attribute("accept").as_deref(), camera.get_attribute("capture").as_deref()),
        (Some("image/*"), Some("environment"))
    );
    let picker =
        page.get("field-pics").query_selector("[data-testid=photo-input]").ok().flatten().expect("a gallery picker");
    assert!(picker.has_attribute("multiple"));
    assert!(page.get("section-all").text_content().unwrap_or_default().contains('*'), "required marker");

    page.type_into("field-count", "1.").await;
    assert_eq!(page.answer("count"), Some(AnswerValue::Number(1.0)));
    assert_eq!(input("count").value(), "1.", "what is typed stays as typed");
    page.type_into("field-count", "１２．５").await;
    assert_eq!(page.answer("count"), Some(AnswerValue::Number(12.5)), "full-width digits read");
    page.type_into("field-count", "十二").await;
    assert_eq!(page.answer("count"), Some(AnswerValue::Text("十二".into())), "kept for the validator to report");
    page.type_into("field-count", "-3e2").await;
    assert_eq!(page.answer("count"), Some(AnswerValue::Number(-300.0)));
    for not_decimal in ["0x10", "Infinity", "1e999", "."] {
        page.type_into("field-count", not_decimal).await;
        assert_eq!(page.answer("count"), Some(AnswerValue::Text(not_decimal.into())), "{not_decimal} is not a number");
    }
    page.type_into("field-count", "").await;
    assert_eq!(page.answer("count"), None);

    page.click("choice-many-z").await;
    page.click("choice-many-x").await;
    assert_eq!(page.answer("many"), Some(AnswerValue::List(vec!["x".into(), "z".into()])), "in the form's order");
    page.click("choice-many-z").await;
    assert_eq!(page.answer("many"), Some(AnswerValue::List(vec!["x".into()])));

    page.click("choice-one-b").await;
    page.click("choice-one-b").await;
    assert_eq!(page.answer("one"), None, "tapping an optional choice again clears it");
    page.click("choice-yn-no").await;
    assert_eq!(page.answer("yn"), Some(AnswerValue::Bool(false)));

    page.type_into("field-idno", "11010519491231002x").await;
    assert_eq!(page.answer("idno"), Some(AnswerValue::Text("11010519491231002X".into())));
    page.type_into("field-day", "2026-11-20").await;
    assert_eq!(page.answer("day"), Some(AnswerValue::Text("2026-11-20".into())));
    page.type_into("field-long", "一二三四五六七八九").await;
    assert!(page.has("field-long"), "{}", page.root.inner_html());
    assert_eq!(
        page.root.query_selector(".char-count").ok().flatten().and_then(|e| e.text_content()).as_deref(),
        Some("9 / 10")
    );
    page.remove();
}

#[wasm_bindgen_test]
async fn photo_notes_show_with_their_captions_and_can_be_recaptioned_and_removed() {
    let page = Mounted::new(&every_kind());
    let taken = now().with_timezone(&chrono::Utc);
    let notes: Vec<PhotoNote> =
        [b"one".as_slice(), b"two"].iter().map(|b| PhotoNote::new(PhotoHash::of_bytes(b), taken)).collect();
    let (first, second) = (notes[0].sha256.clone(), notes[1].sha256.clone());
    page.draft.update(|d| d.answer("pics", AnswerValue::Photos(notes), &Cadence::standard(), now()));
    tick().await;
    let rows = page.root.query_selector_all("[data-testid=photo-note]").expect("rows");
    assert_eq!(rows.length(), 2);
    let local = tongxing::sync::BrowserClock::to_local(taken).format("%Y-%m-%d %H:%M").to_string();
    assert!(page.text("field-pics").contains(&format!("拍摄于 {local}")), "{}", page.text("field-pics"));

    let caption = page.root.query_selector("[data-testid=photo-caption]").ok().flatten().expect("a caption box");
    let caption = caption.unchecked_into::<HtmlInputElement>();
    caption.set_value("厨房");
    caption.dispatch_event(&web_sys::Event::new("input").expect("an input event")).expect("dispatched");
    tick().await;
    let captions = |page: &Mounted| match page.answer("pics") {
        Some(AnswerValue::Photos(notes)) => notes.into_iter().map(|n| (n.sha256, n.caption)).collect::<Vec<_>>(),
        other => panic!("photo notes, not {other:?}"),
    };
    assert_eq!(captions(&page), vec![(first.clone(), "厨房".to_owned()), (second.clone(), String::new())]);
    assert!(caption.is_connected(), "the box being typed in stays (and keeps its focus)");

    page.root
        .query_selector("[data-testid=photo-remove]")
        .ok()
        .flatten()
        .expect("a remove button")
        .unchecked_into::<HtmlElement>()
        .click();
    tick().await;
    assert_eq!(captions(&page), vec![(second, String::new())]);
    assert_eq!(page.root.query_selector_all("[data-testid=photo-note]").expect("rows").length(), 1);
    page.remove();
}
