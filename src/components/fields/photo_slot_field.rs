//! Photos (a photo slot).
//!
//! Photo capture, shrinking and storage come with photo notes (issue 5). Until then the
//! renderer shows nothing for a photo slot: no label, no placeholder, no control. A
//! screen that announced a feature the worker cannot use would only be in her way, and a
//! photo slot is never required, so the form saves without it. The field's other
//! questions (such as the guardian's consent) are ordinary fields and still show.

use leptos::prelude::*;
use tongxing_core::form::{AnswerValue, Field};

/// Renders nothing yet (see the module documentation). It takes the same props as every
/// field component so that the renderer's dispatch is complete and issue 5 replaces only
/// this body.
#[component]
pub fn PhotoSlotField(
    /// The field.
    field: Field,
    /// Its current answer: the photos' SHA-256 hashes.
    value: Signal<Option<AnswerValue>>,
    /// Called with every change.
    on_answer: Callback<AnswerValue>,
) -> impl IntoView {
    let _ = (field, value, on_answer);
}
