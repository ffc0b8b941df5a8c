//! A child's file at a glance: who the child is, their current colour and when the next visit
//! is due, why they are looked after, who cares for them, and whether the file has reached
//! the server.

use chrono::NaiveDate;
use leptos::prelude::*;
use tongxing_core::child::Child;
use tongxing_core::outbox::OutboxEntry;
use tongxing_core::schedule::ChildStatus;
use tongxing_core::{Lang, RiskColour};

use super::due_entry_row::{colour_badge, due_text};
use super::SyncStateLabel;
use crate::context::use_lang;
use tongxing_core::child::relation_label;

/// Everything the child's page shows about the file itself.
#[derive(Debug, Clone, PartialEq)]
pub struct ChildFacts {
    pub child: Child,
    /// Where the child stands: colour and dates from the latest visit.
    pub status: ChildStatus,
    /// When the next visit is due (`None`: never visited).
    pub due: Option<NaiveDate>,
    /// The file's delivery state.
    pub entry: Option<OutboxEntry>,
}

/// The file. `on_server`: read from the server (the supervisor's screen), so no delivery
/// state of this phone is shown.
#[component]
pub fn ChildSummary(facts: ChildFacts, today: NaiveDate, #[prop(optional)] on_server: bool) -> impl IntoView {
    let lang = use_lang();
    let reveal_id = RwSignal::new(false);
    let ChildFacts { child, status, due, entry } = facts;
    let id_number = child.id_number.clone().filter(|n| !n.trim().is_empty());
    let age = child.age_on(today);
    let aged_out = tongxing_core::child::aged_out(child.birth_date, today);
    let colour: Option<RiskColour> = status.colour;

    let facts = move || {
        let lang = lang.get();
        let row = |label: &'static str, value: String, testid: &'static str| {
            view! {
                <div class="fact">
                    <dt>{label}</dt>
                    <dd data-testid=testid>{value}</dd>
                </div>
            }
        };
        let age_text = match lang {
            // Aged out: the file stays, she leaves the due list.
            _ if aged_out => lang.pick("已满18周岁", "18 or older: aged out").to_owned(),
            Lang::ZhCn => format!("{age} 周岁"),
            Lang::En => format!("{age} years old"),
        };
        let last = match status.last_visit {
            Some(date) => date.to_string(),
            None => lang.pick("从未走访", "Never visited").to_owned(),
        };
        view! {
            <dl class="facts">
                {row(lang.pick("性别", "Sex"), child.sex.label(lang).to_owned(), "child-sex")}
                {row(lang.pick("出生日期", "Date of birth"), format!("{}（{age_text}）", child.birth_date), "child-birth")}
                {row(lang.pick("村/居委会", "Village"), child.village.clone(), "child-village")}
                {(!child.school.is_empty()).then(|| row(lang.pick("学校", "School"), child.school.clone(), "child-school"))}
                {row(lang.pick("上次走访", "Last visit"), last, "child-last-visit")}
                {row(lang.pick("下次走访", "Next visit"), due_text(due, today, lang), "child-due")}
            </dl>
            <ul class="categories" data-testid="child-categories">
                {child.categories.iter().map(|c| view! { <li class="category" data-code=c.code()>{c.label(lang)}</li> }).collect_view()}
            </ul>
            <h2>{lang.pick("监护人 / 照料人", "Guardians and carers")}</h2>
            {if child.guardians.is_empty() {
                view! { <p class="muted">{lang.pick("未登记", "None recorded")}</p> }.into_any()
            } else {
                view! {
                    <ul class="guardian-list" data-testid="child-guardians">
                        {child
                            .guardians
                            .iter()
                            .map(|g| {
                                let phone = g.phone.clone();
                                view! {
                                    <li>
                                        <span class="name">{g.name.clone()}</span>
                                        {(!g.relation.is_empty()).then(|| view! { <span class="meta">{relation_label(&g.relation, lang)}</span> })}
                                        {(!phone.is_empty()).then(|| view! { <a class="phone" href=format!("tel:{phone}")>{phone.clone()}</a> })}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                .into_any()
            }}
            {(!child.notes.is_empty()).then(|| view! {
                <h2>{lang.pick("备注", "Notes")}</h2>
                <p class="notes" data-testid="child-notes">{child.notes.clone()}</p>
            })}
        }
    };
    let id_line = id_number.map(|number| {
        let masked = mask_id_number(&number);
        view! {
            <p class="id-number">
                <span>{move || lang.get().pick("身份证号：", "ID number: ")}</span>
                <span data-testid="child-id-number">{move || if reveal_id.get() { number.clone() } else { masked.clone() }}</span>
                <button type="button" class="link-button" data-testid="reveal-id-number" on:click=move |_| reveal_id.update(|r| *r = !*r)>
                    {move || match (reveal_id.get(), lang.get()) {
                        (false, lang) => lang.pick("显示", "Show"),
                        (true, lang) => lang.pick("隐藏", "Hide"),
                    }}
                </button>
            </p>
        }
    });

    view! {
        <section class="child-summary" data-testid="child-summary">
            <div class="child-heading">
                <h1 data-testid="child-title">{child.name.clone()}</h1>
                <span data-testid="child-colour">{move || colour_badge(colour, lang.get())}</span>
            </div>
            {(!on_server).then(|| view! {
                <p class="file-state">
                    <span>{move || lang.get().pick("档案：", "File: ")}</span>
                    <SyncStateLabel entry />
                </p>
            })}
            {id_line}
            {facts}
        </section>
    }
}

/// An ID number with its birth date and sequence hidden, as shown until the worker asks: a
/// shared phone should not show a minor's full number to whoever looks.
fn mask_id_number(number: &str) -> String {
    let chars: Vec<char> = number.chars().collect();
    if chars.len() <= 10 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..6].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 10))
}
