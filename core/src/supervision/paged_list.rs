//! A list read from the server a page at a time ("更多" asks for the next): the pages kept
//! in order, each record once, and an answer to an older filter dropped.

use uuid::Uuid;

use crate::wire::{ChildListing, ListFilter, Page, VisitListing, PER_PAGE_DEFAULT};

/// A record of a list, known by its id.
pub trait Listed {
    fn id(&self) -> Uuid;
}

impl Listed for ChildListing {
    fn id(&self) -> Uuid {
        self.id
    }
}

impl Listed for VisitListing {
    fn id(&self) -> Uuid {
        self.id
    }
}

/// The pages read so far for one filter.
#[derive(Debug, Clone, PartialEq)]
pub struct PagedList<T> {
    filter: ListFilter,
    /// The records of the pages read, in the server's order, each once.
    pub items: Vec<T>,
    /// How many records match, as the last page said.
    pub total: u64,
    /// How many pages have been read.
    pages: u32,
    /// Whether the last page read was short or empty: nothing more to ask for.
    ended: bool,
}

impl<T: Listed> PagedList<T> {
    /// Nothing read yet for `filter` (its page and size are set here).
    pub fn new(filter: ListFilter) -> PagedList<T> {
        let filter = ListFilter { page: None, per_page: Some(filter.per_page.unwrap_or(PER_PAGE_DEFAULT)), ..filter };
        PagedList { filter, items: Vec::new(), total: 0, pages: 0, ended: false }
    }

    /// The filter of the next page to ask for.
    pub fn next_page(&self) -> ListFilter {
        ListFilter { page: Some(self.pages + 1), ..self.filter.clone() }
    }

    /// Whether nothing has been read yet.
    pub fn is_unread(&self) -> bool {
        self.pages == 0
    }

    /// Whether the server holds more than has been read.
    pub fn has_more(&self) -> bool {
        self.pages == 0 || (!self.ended && (self.items.len() as u64) < self.total)
    }

    /// How many records match and are not shown yet.
    pub fn remaining(&self) -> u64 {
        self.total.saturating_sub(self.items.len() as u64)
    }

    /// Adds the answer to `asked`. Returns `false`, and changes nothing, when it is not the
    /// next page of this list (an answer to a filter since changed, or a page asked twice).
    /// A record already shown (the lists moved between two pages) is kept once.
    pub fn add(&mut self, asked: &ListFilter, page: Page<T>) -> bool {
        if *asked != self.next_page() {
            return false;
        }
        self.pages += 1;
        self.total = page.total;
        self.ended = (page.items.len() as u64) < u64::from(self.filter.per_page.unwrap_or(PER_PAGE_DEFAULT));
        for item in page.items {
            let id = item.id();
            if !self.items.iter().any(|held| held.id() == id) {
                self.items.push(item);
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, PartialEq)]
    struct Row(u128);

    impl Listed for Row {
        fn id(&self) -> Uuid {
            Uuid::from_u128(self.0)
        }
    }

    fn page(rows: &[u128], number: u32, total: u64) -> Page<Row> {
        Page { items: rows.iter().map(|n| Row(*n)).collect(), page: number, per_page: 2, total }
    }

    fn small() -> ListFilter {
        ListFilter { per_page: Some(2), ..ListFilter::default() }
    }

    #[test]
    fn pages_add_up_in_order_until_all_are_read() {
        let mut list = PagedList::<Row>::new(small());
        assert!(list.is_unread() && list.has_more());
        assert_eq!(list.next_page().page, Some(1));
        let first = list.next_page();
        assert!(list.add(&first, page(&[1, 2], 1, 3)));
        assert_eq!((list.items.len(), list.remaining(), list.has_more()), (2, 1, true));
        let second = list.next_page();
        assert_eq!(second.page, Some(2));
        assert!(list.add(&second, page(&[3], 2, 3)));
        assert_eq!(list.items, vec![Row(1), Row(2), Row(3)]);
        assert!(!list.has_more());
    }

    #[test]
    fn an_answer_to_an_old_filter_or_a_page_asked_twice_is_dropped() {
        let mut list = PagedList::<Row>::new(ListFilter {
            records: crate::record_filter::RecordFilter { colour: Some(crate::RiskColour::Red), ..Default::default() },
            ..small()
        });
        let old = small();
        assert!(!list.add(&ListFilter { page: Some(1), ..old }, page(&[9], 1, 1)));
        assert!(list.is_unread());
        let first = list.next_page();
        assert!(list.add(&first, page(&[1, 2], 1, 4)));
        assert!(!list.add(&first, page(&[1, 2], 1, 4)), "page 1 again");
        assert_eq!(list.items.len(), 2);
    }

    #[test]
    fn a_record_that_moved_between_pages_is_shown_once() {
        let mut list = PagedList::<Row>::new(small());
        let first = list.next_page();
        list.add(&first, page(&[1, 2], 1, 4));
        // A new visit arrived meanwhile: record 2 moved to the second page.
        let second = list.next_page();
        list.add(&second, page(&[2, 3], 2, 5));
        assert_eq!(list.items, vec![Row(1), Row(2), Row(3)]);
        assert!(list.has_more());
    }

    #[test]
    fn an_empty_or_short_page_ends_the_list() {
        let mut list = PagedList::<Row>::new(small());
        let first = list.next_page();
        list.add(&first, page(&[], 1, 0));
        assert!(!list.has_more() && list.items.is_empty());
        let mut shrank = PagedList::<Row>::new(small());
        let first = shrank.next_page();
        shrank.add(&first, page(&[1, 2], 1, 5));
        let second = shrank.next_page();
        // Records were removed meanwhile: the total is stale, but a short page is the end.
        shrank.add(&second, page(&[3], 2, 5));
        assert!(!shrank.has_more());
    }

    #[test]
    fn the_page_size_defaults_to_the_servers() {
        let list = PagedList::<Row>::new(ListFilter::default());
        assert_eq!(list.next_page().per_page, Some(PER_PAGE_DEFAULT));
    }
}
