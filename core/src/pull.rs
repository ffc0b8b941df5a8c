//! Pulling what the server holds for this phone (`GET /api/v1/changes`): page after page
//! from the cursor the phone kept, each page written together with its cursor before the
//! next is asked for. A cut link resumes from the last page written; a page written twice
//! changes nothing, because a received record never replaces a newer one the phone holds.

use uuid::Uuid;

use crate::http_reply::{HttpReply, TransportError};
use crate::wire::ChangesPage;

/// The most pages one pull asks for; the rest waits for the next pull. A village of 200
/// children with a year of visits is 6 pages of [`PULL_PAGE_SIZE`].
pub const PAGES_PER_PULL_MAX: u32 = 100;

/// Changes a phone asks for on a page: the most the server sends. On a 3G link each page
/// costs a round trip (150 ms or more), and a phone stores a page in one transaction; a cut
/// link loses at most one page (about 40 KB compressed).
pub const PULL_PAGE_SIZE: u32 = crate::wire::CHANGES_PER_PAGE_MAX;

/// The call of the page after `cursor`, below the server's base URL.
pub fn changes_path(cursor: u64) -> String {
    format!("{}/changes?after={cursor}&limit={PULL_PAGE_SIZE}", crate::wire::API_PREFIX)
}

/// Where pages come from: the server.
#[allow(async_fn_in_trait)] // the app's futures are not `Send`
pub trait ChangesSource {
    /// `GET /api/v1/changes?after={cursor}`.
    async fn changes_after(&self, cursor: u64) -> Result<HttpReply, TransportError>;
}

/// Where pages go: the phone's storage.
#[allow(async_fn_in_trait)] // the app's futures are not `Send`
pub trait ReceivedStore {
    /// Why storage failed, as a sentence.
    type Error: std::fmt::Display;
    /// The cursor of the last page written (0 before the first).
    async fn cursor(&self) -> Result<u64, Self::Error>;
    /// Writes every record of `page` (see [`replaces`] and [`children_leaving`]) and its
    /// cursor (`page.next`), all or nothing.
    async fn receive(&self, page: &ChangesPage) -> Result<(), Self::Error>;
}

/// How a pull ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PullStop {
    /// Everything the server had is on the phone.
    Finished,
    /// More waits; the next pull goes on from the cursor kept.
    PagesLeft,
    /// No answer (offline, timed out, network error).
    NoAnswer(TransportError),
    /// An answer other than a page: its status (`401` when the phone must join again,
    /// `429` or `503` when the server asks to wait).
    Refused(u16),
    /// `401 revoked_lost`: the phone was revoked as lost or stolen, and wipes what it keeps
    /// of this worker.
    Lost,
    /// A `200` that is no page, or a page that does not move the cursor on.
    BadAnswer,
    /// The phone's storage failed, in a sentence.
    Storage(String),
}

impl PullStop {
    /// Whether the pull counts as done for [`pull_due`]: one that got no answer, or was
    /// refused for its token (renewed meanwhile), is tried again at the next run rather than
    /// a quarter of an hour later.
    pub fn counts_as_pulled(&self) -> bool {
        !matches!(self, PullStop::NoAnswer(_) | PullStop::Refused(401))
    }
}

/// What one pull did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PullReport {
    /// Changes written.
    pub received: usize,
    pub stop: PullStop,
}

/// Pulls from `source` into `store` until the server has nothing more, at most
/// [`PAGES_PER_PULL_MAX`] pages, asking for each page while the one before is stored.
pub async fn pull(source: &impl ChangesSource, store: &impl ReceivedStore) -> PullReport {
    let mut received = 0;
    let stop = |stop: PullStop, received: usize| PullReport { received, stop };
    let mut cursor = match store.cursor().await {
        Ok(cursor) => cursor,
        Err(problem) => return stop(PullStop::Storage(problem.to_string()), received),
    };
    let mut asked = source.changes_after(cursor).await;
    for page_number in 1..=PAGES_PER_PULL_MAX {
        let reply = match asked {
            Ok(reply) => reply,
            Err(no_answer) => return stop(PullStop::NoAnswer(no_answer), received),
        };
        if reply.status == 401 && reply.error_code() == Some(crate::wire::ErrorCode::RevokedLost) {
            return stop(PullStop::Lost, received);
        }
        if reply.status != 200 {
            return stop(PullStop::Refused(reply.status), received);
        }
        // Read from bytes, as the phone's storage reads its values: one reader of a child's
        // file in the app, not two.
        let Ok(page) = serde_json::from_slice::<ChangesPage>(reply.body.as_bytes()) else {
            return stop(PullStop::BadAnswer, received);
        };
        if page.more && page.next <= cursor {
            return stop(PullStop::BadAnswer, received);
        }
        if !page.more || page_number == PAGES_PER_PULL_MAX {
            let ended = if page.more { PullStop::PagesLeft } else { PullStop::Finished };
            return match store.receive(&page).await {
                Ok(()) => stop(ended, received + page.len()),
                Err(problem) => stop(PullStop::Storage(problem.to_string()), received),
            };
        }
        // The next page is asked for while this one is stored (its cursor is known before
        // it is written): the link and the phone's storage work at once. A page asked for
        // and not written is asked for again at the next pull, which is harmless.
        let (written, next) = futures::future::join(store.receive(&page), source.changes_after(page.next)).await;
        if let Err(problem) = written {
            return stop(PullStop::Storage(problem.to_string()), received);
        }
        received += page.len();
        cursor = page.next;
        asked = next;
    }
    stop(PullStop::PagesLeft, received)
}

/// How long a phone goes without pulling while it is open and nothing else asks: a
/// village's changes are a few a day, and each pull costs a request on a weak link.
pub const PULL_EVERY_MS: i64 = 15 * 60 * 1000;

/// Whether a sync run is followed by a pull: when the worker asked ("sync now", the link
/// came back), when the run delivered something (the server's copy moved), on the first
/// run since the app opened, and otherwise every [`PULL_EVERY_MS`].
pub fn pull_due(asked: bool, delivered: u32, last_pull_ms: Option<i64>, now_ms: i64) -> bool {
    asked || delivered > 0 || last_pull_ms.is_none_or(|last| now_ms - last >= PULL_EVERY_MS)
}

/// Whether a received revision replaces the phone's copy (`held`: its revision, if the
/// phone has one): not when the phone holds a newer one, an edit of hers not yet sent.
pub fn replaces(held: Option<u32>, received: u32) -> bool {
    held.is_none_or(|held| received >= held)
}

/// The children whose files and visits leave this phone (`me`: its device id) once `page`
/// is written: the child of each pairing with her that has ended, and each file merged into
/// another (its visits come again under the file kept).
pub fn children_leaving(page: &ChangesPage, me: Uuid) -> Vec<Uuid> {
    let ended = page.pairings.iter().filter(|pairing| !pairing.active && pairing.worker_id == me);
    ended.map(|pairing| pairing.child_id).chain(page.merges.iter().map(|merge| merge.from)).collect()
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;

    use futures::executor::block_on;

    use super::*;
    use crate::child::Child;
    use crate::fixtures::sample_child;
    use crate::pairing::Pairing;
    use crate::wire::ChildMerge;

    /// A server holding children's files at the seqs given, answering pages of `per_page`;
    /// it answers `fail` to the call numbered `fail_at` (from 0).
    struct FakeServer {
        changes: Vec<u64>,
        per_page: usize,
        calls: RefCell<u32>,
        fail_at: Option<(u32, Result<HttpReply, TransportError>)>,
    }

    impl ChangesSource for FakeServer {
        async fn changes_after(&self, cursor: u64) -> Result<HttpReply, TransportError> {
            let call = *self.calls.borrow();
            *self.calls.borrow_mut() += 1;
            if let Some((at, answer)) = &self.fail_at {
                if *at == call {
                    return answer.clone();
                }
            }
            let after: Vec<u64> = self.changes.iter().copied().filter(|seq| *seq > cursor).collect();
            let more = after.len() > self.per_page;
            let seqs: Vec<u64> = after.into_iter().take(self.per_page).collect();
            let next = seqs.last().copied().unwrap_or(cursor);
            // Each child's file carries its seq as its revision, for the phone to record.
            let children = seqs.iter().map(|seq| Child { revision: *seq as u32, ..sample_child() }).collect();
            let body = serde_json::to_string(&ChangesPage { children, next, more, ..ChangesPage::default() })
                .unwrap_or_default();
            Ok(HttpReply { status: 200, retry_after: None, body })
        }
    }

    #[derive(Default)]
    struct FakePhone {
        written: RefCell<Vec<u64>>,
        cursor: RefCell<u64>,
        fail_writes: bool,
    }

    impl ReceivedStore for FakePhone {
        type Error = String;
        async fn cursor(&self) -> Result<u64, String> {
            Ok(*self.cursor.borrow())
        }
        async fn receive(&self, page: &ChangesPage) -> Result<(), String> {
            if self.fail_writes {
                return Err("the disk is full".into());
            }
            self.written.borrow_mut().extend(page.children.iter().map(|child| u64::from(child.revision)));
            *self.cursor.borrow_mut() = page.next;
            Ok(())
        }
    }

    fn server(count: u64, per_page: usize) -> FakeServer {
        FakeServer { changes: (1..=count).map(|n| n * 10).collect(), per_page, calls: RefCell::new(0), fail_at: None }
    }

    #[test]
    fn a_pull_without_an_answer_or_refused_for_its_token_is_tried_again_at_the_next_run() {
        assert!(PullStop::Finished.counts_as_pulled());
        assert!(PullStop::PagesLeft.counts_as_pulled());
        assert!(PullStop::Refused(503).counts_as_pulled(), "the server asked to wait");
        assert!(!PullStop::NoAnswer(TransportError::Offline).counts_as_pulled());
        assert!(!PullStop::Refused(401).counts_as_pulled());
    }

    #[test]
    fn a_pull_writes_every_page_and_keeps_the_last_cursor() {
        let (server, phone) = (server(5, 2), FakePhone::default());
        let report = block_on(pull(&server, &phone));
        assert_eq!(report, PullReport { received: 5, stop: PullStop::Finished });
        assert_eq!(*phone.written.borrow(), [10, 20, 30, 40, 50]);
        assert_eq!(*phone.cursor.borrow(), 50);
        assert_eq!(*server.calls.borrow(), 3);
        // Nothing new: one call, nothing written, the cursor kept.
        let again = block_on(pull(&server, &phone));
        assert_eq!(again, PullReport { received: 0, stop: PullStop::Finished });
        assert_eq!((*phone.cursor.borrow(), phone.written.borrow().len()), (50, 5));
    }

    /// A phone whose write of a page takes a moment (it waits once), noting how many pages
    /// the server had been asked for when each write began and ended.
    struct SlowPhone<'a> {
        server: &'a FakeServer,
        phone: FakePhone,
        asked_during: RefCell<Vec<(u32, u32)>>,
    }

    impl ReceivedStore for SlowPhone<'_> {
        type Error = String;
        async fn cursor(&self) -> Result<u64, String> {
            self.phone.cursor().await
        }
        async fn receive(&self, page: &ChangesPage) -> Result<(), String> {
            let began = *self.server.calls.borrow();
            let mut waited = false;
            std::future::poll_fn(|cx| {
                if waited {
                    std::task::Poll::Ready(())
                } else {
                    waited = true;
                    cx.waker().wake_by_ref();
                    std::task::Poll::Pending
                }
            })
            .await;
            self.asked_during.borrow_mut().push((began, *self.server.calls.borrow()));
            self.phone.receive(page).await
        }
    }

    #[test]
    fn the_next_page_is_asked_for_while_a_page_is_stored() {
        let server = server(5, 2);
        let phone = SlowPhone { server: &server, phone: FakePhone::default(), asked_during: RefCell::new(Vec::new()) };
        assert_eq!(block_on(pull(&server, &phone)), PullReport { received: 5, stop: PullStop::Finished });
        assert_eq!(
            *phone.asked_during.borrow(),
            [(1, 2), (2, 3), (3, 3)],
            "each write but the last overlaps the asking of the next page; none is asked twice"
        );
        assert_eq!(*phone.phone.written.borrow(), [10, 20, 30, 40, 50]);
    }

    #[test]
    fn a_cut_resumes_after_the_last_page_written() {
        let mut server = server(5, 2);
        server.fail_at = Some((1, Err(TransportError::Timeout)));
        let phone = FakePhone::default();
        let cut = block_on(pull(&server, &phone));
        assert_eq!(cut, PullReport { received: 2, stop: PullStop::NoAnswer(TransportError::Timeout) });
        assert_eq!(*phone.cursor.borrow(), 20, "the first page's cursor");
        let resumed = block_on(pull(&server, &phone));
        assert_eq!(resumed, PullReport { received: 3, stop: PullStop::Finished });
        assert_eq!(*phone.written.borrow(), [10, 20, 30, 40, 50], "each change once");
    }

    #[test]
    fn refusals_bad_answers_and_storage_failures_stop_without_moving_the_cursor() {
        for (answer, stop) in [
            (HttpReply { status: 401, retry_after: None, body: String::new() }, PullStop::Refused(401)),
            (
                HttpReply { status: 401, retry_after: None, body: r#"{"error":"revoked_lost","message":"m"}"#.into() },
                PullStop::Lost,
            ),
            (HttpReply { status: 503, retry_after: Some(5), body: String::new() }, PullStop::Refused(503)),
            (HttpReply { status: 200, retry_after: None, body: "<html>".into() }, PullStop::BadAnswer),
            (
                HttpReply { status: 200, retry_after: None, body: r#"{"next":0,"more":true}"#.into() },
                PullStop::BadAnswer,
            ),
        ] {
            let mut server = server(3, 2);
            server.fail_at = Some((0, Ok(answer)));
            let phone = FakePhone::default();
            assert_eq!(block_on(pull(&server, &phone)), PullReport { received: 0, stop: stop.clone() }, "{stop:?}");
            assert_eq!(*phone.cursor.borrow(), 0);
        }
        let phone = FakePhone { fail_writes: true, ..FakePhone::default() };
        let report = block_on(pull(&server(3, 2), &phone));
        assert_eq!(report.stop, PullStop::Storage("the disk is full".into()));
        assert_eq!(*phone.cursor.borrow(), 0, "a page not written is asked for again");
    }

    #[test]
    fn a_pull_stops_after_its_page_limit_and_goes_on_next_time() {
        let total = u64::from(PAGES_PER_PULL_MAX) + 3;
        let (server, phone) = (server(total, 1), FakePhone::default());
        assert_eq!(
            block_on(pull(&server, &phone)),
            PullReport { received: PAGES_PER_PULL_MAX as usize, stop: PullStop::PagesLeft }
        );
        assert_eq!(block_on(pull(&server, &phone)), PullReport { received: 3, stop: PullStop::Finished });
    }

    #[test]
    fn a_pull_follows_a_run_when_asked_after_a_delivery_at_start_and_every_quarter_hour() {
        let now = 1_000_000_000;
        assert!(pull_due(false, 0, None, now), "the first run since the app opened");
        assert!(!pull_due(false, 0, Some(now - 60_000), now), "a quiet tick a minute later");
        assert!(pull_due(true, 0, Some(now - 60_000), now), "sync now");
        assert!(pull_due(false, 2, Some(now - 60_000), now), "after a delivery");
        assert!(pull_due(false, 0, Some(now - PULL_EVERY_MS), now), "a quarter of an hour on");
        assert!(!pull_due(false, 0, Some(now - PULL_EVERY_MS + 1), now));
    }

    #[test]
    fn a_phone_asks_for_the_largest_pages_the_server_sends() {
        let path = changes_path(1234);
        assert_eq!(path, "/api/v1/changes?after=1234&limit=500");
        let (_, query) = path.split_once('?').unwrap();
        let read: crate::wire::ChangesQuery = serde_urlencoded::from_str(query).unwrap();
        assert_eq!((read.cursor(), read.limit()), (1234, PULL_PAGE_SIZE));
        assert_eq!(read.validate(), Ok(()), "the server takes it");
    }

    #[test]
    fn the_phone_keeps_its_newer_edits_and_drops_a_child_whose_pairing_ended_or_file_was_merged() {
        assert!(replaces(None, 1));
        assert!(replaces(Some(2), 2), "the same revision: the server's copy, as sent");
        assert!(replaces(Some(2), 3));
        assert!(!replaces(Some(4), 3), "her edit not yet sent stays");

        let me = Uuid::from_u128(1);
        let pairing = Pairing {
            id: Uuid::from_u128(9),
            child_id: sample_child().id,
            worker_id: me,
            active: true,
            revision: 1,
            updated_at: sample_child().updated_at,
        };
        let page = |pairings: Vec<Pairing>, merges: Vec<ChildMerge>| ChangesPage {
            pairings,
            merges,
            ..ChangesPage::default()
        };
        assert!(children_leaving(&page(vec![pairing.clone()], vec![]), me).is_empty(), "a pairing that holds");
        let ended = Pairing { active: false, ..pairing.clone() };
        assert_eq!(children_leaving(&page(vec![ended.clone()], vec![]), me), [sample_child().id]);
        assert!(
            children_leaving(&page(vec![ended], vec![]), Uuid::from_u128(2)).is_empty(),
            "another worker's pairing"
        );
        let merge = ChildMerge { from: Uuid::from_u128(5), into: sample_child().id };
        assert_eq!(children_leaving(&page(vec![pairing], vec![merge]), me), [merge.from], "the file merged away");
    }
}
