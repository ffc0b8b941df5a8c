//! "This month: 23 of 31 visited", with a bar.

use leptos::prelude::*;
use tongxing_core::schedule::MonthProgress;

use crate::context::use_lang;

/// This month's round at the top of the due list.
#[component]
pub fn MonthProgressBar(progress: MonthProgress) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div
            class="month-progress"
            data-testid="month-progress"
            data-visited=progress.visited.to_string()
            data-total=progress.total.to_string()
        >
            <p>{move || progress.message(lang.get())}</p>
            {progress_bar(progress.visited, progress.total)}
        </div>
    }
}

/// A bar filled to `done` of `total` (a village's round, too).
pub fn progress_bar(done: u32, total: u32) -> impl IntoView {
    let percent = if total == 0 { 0 } else { u64::from(done) * 100 / u64::from(total) };
    view! {
        <div class="bar" role="progressbar" aria-valuemin="0" aria-valuemax=total.to_string() aria-valuenow=done.to_string()>
            // Set through the style object, not a `style` attribute, which the app's
            // Content-Security-Policy (`style-src 'self'`) refuses.
            <span style:width=format!("{percent}%")></span>
        </div>
    }
}
