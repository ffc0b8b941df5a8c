//! Why a call of the supervisor's screen did not work, as a sentence; after a `401`, with
//! the way to join again.

use leptos::prelude::*;
use tongxing_core::supervision::TownshipProblem;

use crate::context::use_lang;

/// Why the server's records could not be read; with a way to join again after a `401`.
#[component]
pub fn ProblemNotice(problem: TownshipProblem) -> impl IntoView {
    let lang = use_lang();
    let code = problem.code();
    let rejoin = problem == TownshipProblem::MustRejoin;
    view! {
        <p class="error" role="alert" data-testid="township-problem" data-problem=code>{move || problem.message(lang.get())}</p>
        {rejoin.then(|| view! {
            // Joining is the field app's: a whole page load, not this app's router.
            <a href="/join" rel="external" class="button" data-testid="township-rejoin">{move || lang.get().pick("重新加入", "Join again")}</a>
        })}
    }
}
