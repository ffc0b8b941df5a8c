//! The colour the rules suggest, and why, beside the worker's own choice.

use leptos::prelude::*;
use tongxing_core::risk_rules::RiskSuggestion;
use tongxing_core::{Lang, RiskColour};

use crate::context::use_lang;

/// The suggested colour (`data-testid="risk-suggestion"`, `data-colour`) with its reasons,
/// live as answers change. When the worker's colour differs, it says so and offers to take
/// the suggestion instead.
#[component]
pub fn RiskSuggestionPanel(
    /// The rules' suggestion for the answers so far.
    suggestion: Signal<RiskSuggestion>,
    /// The colour the worker chose, if any.
    chosen: Signal<Option<RiskColour>>,
    /// Called with the suggested colour when the worker takes it.
    use_suggestion: Callback<RiskColour>,
) -> impl IntoView {
    let lang = use_lang();
    let colour = Memo::new(move |_| suggestion.with(|s| s.colour));
    let differs = move || chosen.get().is_some_and(|c| c != colour.get());
    let reasons = move || {
        let lang = lang.get();
        suggestion.with(|s| {
            if s.reasons.is_empty() {
                view! { <p class="risk-reasons none">{lang.pick("未发现风险因素", "No risk factors found")}</p> }
                    .into_any()
            } else {
                let items = s.reasons.iter().map(|r| view! { <li>{r.message(lang)}</li> }).collect_view();
                view! { <ul class="risk-reasons">{items}</ul> }.into_any()
            }
        })
    };
    let differs_line = move || {
        differs().then(|| {
            let lang = lang.get();
            let text = match (lang, chosen.get()) {
                (Lang::ZhCn, Some(c)) => format!("你选择了{}，与建议不同，请在下方写明理由。", c.label(lang)),
                (Lang::En, Some(c)) => format!("You chose {}, which differs from the suggestion; give your reason below.", c.label(lang)),
                (_, None) => String::new(),
            };
            view! {
                <p class="risk-differs" data-testid="risk-differs">{text}</p>
                <button type="button" class="use-suggestion" data-testid="use-suggestion" on:click=move |_| use_suggestion.run(colour.get_untracked())>
                    {move || match lang {
                        Lang::ZhCn => format!("改为建议的{}", colour.get().label(lang)),
                        Lang::En => format!("Use the suggested {}", colour.get().label(lang).to_ascii_lowercase()),
                    }}
                </button>
            }
        })
    };
    view! {
        <aside
            class=move || format!("risk-suggestion suggested-{}", colour.get().code())
            data-testid="risk-suggestion"
            data-colour=move || colour.get().code()
            aria-live="polite"
        >
            <p class="risk-suggested">
                {move || lang.get().pick("系统建议：", "Suggested: ")}
                <span class=move || format!("risk-badge risk-{}", colour.get().code())>{move || colour.get().label(lang.get())}</span>
            </p>
            {reasons}
            {differs_line}
        </aside>
    }
}
