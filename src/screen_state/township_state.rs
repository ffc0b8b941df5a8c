//! What the township supervisor's screen has read and been asked, kept for the app's
//! lifetime.

use leptos::prelude::*;
use tongxing_core::supervision::{PagedList, TownshipProblem, TownshipQuery};
use tongxing_core::wire::{ChildListing, ListFilter, VisitListing};
use tongxing_core::RecordKind;
use uuid::Uuid;

use super::TownshipList;

/// Which part of the screen is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TownshipTab {
    /// Her township at a glance, shown first.
    Today,
    Children,
    Visits,
    Invite,
    /// The township's phones and invites, to revoke.
    Phones,
    /// Children's files with an edit kept aside, to reconcile.
    Reconcile,
    /// Pairs of files that may be of one child.
    Duplicates,
}

impl TownshipTab {
    /// Whether the tab shows her township's filtered lists (children, visits), which the
    /// screen reads and keeps; the other tabs read their own when shown.
    pub fn is_list(self) -> bool {
        matches!(self, TownshipTab::Children | TownshipTab::Visits)
    }
}

/// What the screen has read and been asked, kept for the app's lifetime so that coming back
/// from a child's file shows the same filter and pages.
#[derive(Clone, Copy)]
pub struct TownshipState {
    pub query: RwSignal<TownshipQuery>,
    pub tab: RwSignal<TownshipTab>,
    pub children: TownshipList<ChildListing>,
    pub visits: TownshipList<VisitListing>,
    pub problem: RwSignal<Option<TownshipProblem>>,
    /// One more each time she asks to read everything again (刷新): tabs that read their own
    /// figures (today) follow it.
    pub refreshes: RwSignal<u32>,
    /// The device the lists were read as: joining again (another township) reads them anew.
    read_as: StoredValue<Option<Uuid>>,
}

impl TownshipState {
    /// Nothing read yet, for the app's context.
    pub fn new() -> TownshipState {
        TownshipState {
            query: RwSignal::new(TownshipQuery::default()),
            tab: RwSignal::new(TownshipTab::Today),
            children: TownshipList::new(),
            visits: TownshipList::new(),
            problem: RwSignal::new(None),
            refreshes: RwSignal::new(0),
            read_as: StoredValue::new(None),
        }
    }

    /// Opens the screen for the phone's `device`: the lists are read anew when the phone
    /// joined again (another township) or nothing was read yet.
    pub fn open_as(self, device: Option<Uuid>) {
        if self.read_as.get_value() != device {
            self.read_as.set_value(device);
            self.refresh();
        } else if self.children.is_unread() && self.tab.get_untracked().is_list() {
            self.refresh();
        }
    }

    /// Shows `tab`, reading its list if it is unread.
    pub fn show(self, tab: TownshipTab) {
        self.tab.set(tab);
        let unread = match tab {
            TownshipTab::Children => self.children.is_unread(),
            TownshipTab::Visits => self.visits.is_unread(),
            _ => false,
        };
        if unread {
            self.load_more();
        }
    }

    /// Reads the lists again from their first page, with the filter as it is now (an
    /// unreadable filter keeps the lists as they are: its fields say what is wrong).
    pub fn refresh(self) {
        self.refreshes.update(|n| *n = n.wrapping_add(1));
        let Ok(filter) = self.query.with_untracked(TownshipQuery::filter) else { return };
        self.children.pages.set(PagedList::new(ListFilter::of(filter.clone())));
        self.visits.pages.set(PagedList::new(ListFilter::of(filter)));
        self.load_more();
    }

    /// Reads the next page of the list shown (the first when it is unread).
    pub fn load_more(self) {
        match self.tab.get_untracked() {
            TownshipTab::Children => self.children.load(RecordKind::Child, self.problem),
            TownshipTab::Visits => self.visits.load(RecordKind::Visit, self.problem),
            _ => {}
        }
    }
}

impl Default for TownshipState {
    fn default() -> TownshipState {
        TownshipState::new()
    }
}
