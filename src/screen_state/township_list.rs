//! One of the township supervisor's lists, read from the server a page at a time.

use leptos::prelude::*;
use serde::de::DeserializeOwned;
use tongxing_core::supervision::{Listed, PagedList, TownshipProblem, TownshipRequest};
use tongxing_core::wire::{ListFilter, Page};
use tongxing_core::RecordKind;

use crate::township_client::TownshipClient;

/// One of the township's lists: the pages read, and the page being read.
pub struct TownshipList<T: Send + Sync + 'static> {
    pub pages: RwSignal<PagedList<T>>,
    /// The page asked for and not answered yet.
    pub asking: RwSignal<Option<ListFilter>>,
}

impl<T: Send + Sync + 'static> Clone for TownshipList<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for TownshipList<T> {}

impl<T: Listed + DeserializeOwned + Send + Sync + 'static> TownshipList<T> {
    pub(crate) fn new() -> TownshipList<T> {
        TownshipList { pages: RwSignal::new(PagedList::new(ListFilter::default())), asking: RwSignal::new(None) }
    }

    pub fn is_unread(&self) -> bool {
        self.pages.with_untracked(PagedList::is_unread)
    }

    /// Reads the next page (once, however often asked), reporting a failure to `problem`.
    pub fn load(self, kind: RecordKind, problem: RwSignal<Option<TownshipProblem>>) {
        let asked = self.pages.with_untracked(PagedList::next_page);
        if self.asking.with_untracked(|asking| asking.as_ref() == Some(&asked)) {
            return;
        }
        self.asking.set(Some(asked.clone()));
        problem.set(None);
        leptos::task::spawn_local(async move {
            let read =
                TownshipClient::new().read::<Page<T>>(&TownshipRequest::List { kind, filter: asked.clone() }).await;
            match read {
                Ok(page) => {
                    self.pages.try_update(|list| list.add(&asked, page));
                }
                Err(failed) => {
                    problem.try_set(Some(failed));
                }
            }
            self.asking.try_update(|asking| {
                if asking.as_ref() == Some(&asked) {
                    *asking = None;
                }
            });
        });
    }

    /// "More" while the server holds more and nothing is being read.
    pub fn remaining(self) -> Signal<Option<u64>> {
        Signal::derive(move || self.pages.with(|l| (!l.is_unread() && l.has_more()).then(|| l.remaining())))
    }
}
