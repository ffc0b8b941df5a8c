//! What the township supervisor's screen has read and been asked, kept for the app's
//! lifetime.

use std::collections::HashMap;

use leptos::prelude::*;
use tongxing_core::supervision::{PagedList, RecordKind, TownshipProblem, TownshipQuery, TownshipRequest};
use tongxing_core::township_view::{ChildListing, ListFilter, VisitListing, PER_PAGE_MAX};
use tongxing_core::worker::Page;
use uuid::Uuid;

use super::TownshipList;
use crate::township_client::TownshipClient;

/// Which part of the screen is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TownshipTab {
    Children,
    Visits,
    Invite,
    /// The township's phones and invites, to revoke.
    Phones,
}

/// What the screen has read and been asked, kept for the app's lifetime so that coming back
/// from a child's file shows the same filter and pages.
#[derive(Clone, Copy)]
pub struct TownshipState {
    pub query: RwSignal<TownshipQuery>,
    pub tab: RwSignal<TownshipTab>,
    pub children: TownshipList<ChildListing>,
    pub visits: TownshipList<VisitListing>,
    /// Children's names by id, for the lines of visits (which name only the child's id).
    pub names: RwSignal<HashMap<Uuid, String>>,
    pub problem: RwSignal<Option<TownshipProblem>>,
    /// The device the lists were read as: joining again (another township) reads them anew.
    read_as: StoredValue<Option<Uuid>>,
}

impl TownshipState {
    /// Nothing read yet, for the app's context.
    pub fn new() -> TownshipState {
        TownshipState {
            query: RwSignal::new(TownshipQuery::default()),
            tab: RwSignal::new(TownshipTab::Children),
            children: TownshipList::new(),
            visits: TownshipList::new(),
            names: RwSignal::new(HashMap::new()),
            problem: RwSignal::new(None),
            read_as: StoredValue::new(None),
        }
    }

    /// Opens the screen for the phone's `device`: the lists are read anew when the phone
    /// joined again (another township) or nothing was read yet.
    pub fn open_as(self, device: Option<Uuid>) {
        if self.read_as.get_value() != device {
            self.read_as.set_value(device);
            self.names.set(HashMap::new());
            self.refresh();
        } else if self.children.is_unread() && !matches!(self.tab.get_untracked(), TownshipTab::Invite | TownshipTab::Phones) {
            self.refresh();
        }
    }

    /// Shows `tab`, reading its list if it is unread.
    pub fn show(self, tab: TownshipTab) {
        self.tab.set(tab);
        let unread = match tab {
            TownshipTab::Children => self.children.is_unread(),
            TownshipTab::Visits => self.visits.is_unread(),
            TownshipTab::Invite | TownshipTab::Phones => false,
        };
        if unread {
            self.load_more();
        }
    }

    /// Reads the lists again from their first page, with the filter as it is now (an
    /// unreadable filter keeps the lists as they are: its fields say what is wrong).
    pub fn refresh(self) {
        let Ok(filter) = self.query.with_untracked(TownshipQuery::filter) else { return };
        self.children.pages.set(PagedList::new(filter.clone()));
        self.visits.pages.set(PagedList::new(filter));
        self.load_more();
    }

    /// Reads the next page of the list shown (the first when it is unread).
    pub fn load_more(self) {
        match self.tab.get_untracked() {
            TownshipTab::Children => self.children.load(RecordKind::Children, self.problem, move |page| {
                self.names.update(|names| names.extend(page.items.iter().map(|l| (l.id, l.name.clone()))));
            }),
            TownshipTab::Visits => self.visits.load(RecordKind::Visits, self.problem, move |page| {
                let missing: Vec<Uuid> = self.names.with_untracked(|names| {
                    page.items.iter().map(|l| l.child_id).filter(|id| !names.contains_key(id)).collect()
                });
                if !missing.is_empty() {
                    self.look_up_names(missing);
                }
            }),
            TownshipTab::Invite | TownshipTab::Phones => {}
        }
    }

    /// Learns the names of `children` from the list of the township's children (of the
    /// filter's village, every colour and date), as many pages as it takes.
    fn look_up_names(self, mut children: Vec<Uuid>) {
        let village = self.query.with_untracked(|q| q.filter().ok().and_then(|f| f.village));
        leptos::task::spawn_local(async move {
            let client = TownshipClient::new();
            for page in 1.. {
                let filter = ListFilter { village: village.clone(), page: Some(page), per_page: Some(PER_PAGE_MAX), ..ListFilter::default() };
                let Ok(read) = client.read::<Page<ChildListing>>(&TownshipRequest::List { kind: RecordKind::Children, filter }).await else {
                    return;
                };
                let end = read.items.len() < PER_PAGE_MAX as usize;
                let updated = self.names.try_update(|names| {
                    for listing in read.items {
                        names.insert(listing.id, listing.name);
                    }
                    children.retain(|id| !names.contains_key(id));
                });
                if updated.is_none() || children.is_empty() || end {
                    return;
                }
            }
        });
    }
}

impl Default for TownshipState {
    fn default() -> TownshipState {
        TownshipState::new()
    }
}
