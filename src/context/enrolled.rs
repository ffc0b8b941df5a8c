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
