//! The due list's children as last read.

use leptos::prelude::*;
use tongxing_core::schedule::ChildStatus;

/// The children's statuses as last read, kept for the app's lifetime so that coming back to
/// the due list draws it at once; it is read again each time and redrawn if it changed.
#[derive(Clone, Copy)]
pub struct DueListCache(pub StoredValue<Option<Vec<ChildStatus>>>);

impl DueListCache {
    /// An empty cache, for the app's context.
    pub fn new() -> DueListCache {
        DueListCache(StoredValue::new(None))
    }
}

impl Default for DueListCache {
    fn default() -> DueListCache {
        DueListCache::new()
    }
}
