//! Who this phone joined as.

use leptos::prelude::*;
use tongxing_core::Worker;

/// The worker this phone joined as (`None`: not joined yet), in context.
#[derive(Clone, Copy)]
pub struct Enrolled(pub RwSignal<Option<Worker>>);

/// The worker this phone joined as, from context.
pub fn use_enrolled() -> RwSignal<Option<Worker>> {
    expect_context::<Enrolled>().0
}

/// Whether this phone joined as a township supervisor, who reads her township from the
/// server and records nothing herself (no "new child" or "new visit").
pub fn use_supervisor() -> Signal<bool> {
    let enrolled = use_enrolled();
    Signal::derive(move || enrolled.with(|w| w.as_ref().is_some_and(|w| w.role.reads_township())))
}
