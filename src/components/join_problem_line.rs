//! Why joining did not work.

use leptos::prelude::*;
use tongxing_core::enrolment::JoinProblem;
use tongxing_core::Lang;

/// Why joining did not work, and what to do.
pub fn join_problem_line(problem: &JoinProblem, lang: Lang) -> impl IntoView {
    view! { <p class="error" role="alert" data-testid="join-problem" data-problem=problem.code()>{problem.message(lang)}</p> }
}
