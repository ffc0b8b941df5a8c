//! The file a phone keeps ready for its service worker (Background Sync): her unsent records,
//! as an unsent-records file sealed to the county's key, which the service worker sends
//! (`POST /api/v1/unsent-files`) when the connection returns with no page of the app open.
//! It is made again only when what waits has changed; it goes once nothing waits.

use serde::{Deserialize, Serialize};

use super::records_to_write;
use crate::outbox::{EntryOwner, OutboxEntry, RecordRef};

/// The sync tag the app registers and the service worker answers.
pub const BACKGROUND_SYNC_TAG: &str = "tongxing-outbox";

/// What waits, as a file made of it holds it: each record and the revision it holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Waiting(pub Vec<(RecordRef, u32)>);

impl Waiting {
    /// What of `entries` waits to be sent for `owner`, in the file's order.
    pub fn of(entries: &[OutboxEntry], owner: &EntryOwner) -> Waiting {
        let revisions = |record: RecordRef| entries.iter().find(|e| e.record == record).map_or(0, |e| e.revision);
        Waiting(records_to_write(entries, owner).into_iter().map(|record| (record, revisions(record))).collect())
    }
}

/// What the phone does with the file after a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BackgroundFile {
    /// Make it anew: it holds these.
    Make(Waiting),
    /// Nothing waits: the file goes.
    Remove,
    /// The file kept holds what waits (or there is none and nothing waits).
    Keep,
}

/// What to do when `waiting` waits and the file kept holds `kept` (`None`: no file).
pub fn background_file(waiting: Waiting, kept: Option<&Waiting>) -> BackgroundFile {
    match (waiting.0.is_empty(), kept) {
        (true, None) => BackgroundFile::Keep,
        (true, Some(_)) => BackgroundFile::Remove,
        (false, Some(kept)) if *kept == waiting => BackgroundFile::Keep,
        (false, _) => BackgroundFile::Make(waiting),
    }
}

#[cfg(test)]
mod tests {
    use chrono::DateTime;
    use uuid::Uuid;

    use super::*;
    use crate::enrolment::ServerOrigin;
    use crate::worker::Place;

    fn owner() -> EntryOwner {
        let place = Place { township: "石门镇".into(), village: "上坪村".into() };
        EntryOwner::new(ServerOrigin::parse("https://tx.example.cn").unwrap(), &place, "李梅")
    }

    fn entry(record: RecordRef, revision: u32) -> OutboxEntry {
        let mut entry = OutboxEntry::new(record, revision, DateTime::from_timestamp(1_790_000_000, 0).unwrap());
        entry.claim(Some(&owner()));
        entry
    }

    #[test]
    fn the_file_is_made_when_what_waits_changes_and_goes_when_nothing_waits() {
        let (visit, child) = (RecordRef::visit(Uuid::from_u128(1)), RecordRef::child(Uuid::from_u128(2)));
        let waiting = Waiting::of(&[entry(visit, 1), entry(child, 3)], &owner());
        assert_eq!(waiting, Waiting(vec![(child, 3), (visit, 1)]), "children first, with their revisions");
        assert_eq!(background_file(waiting.clone(), None), BackgroundFile::Make(waiting.clone()));
        assert_eq!(background_file(waiting.clone(), Some(&waiting)), BackgroundFile::Keep, "nothing changed");
        let edited = Waiting::of(&[entry(visit, 2), entry(child, 3)], &owner());
        assert_eq!(background_file(edited.clone(), Some(&waiting)), BackgroundFile::Make(edited));
        assert_eq!(background_file(Waiting::default(), Some(&waiting)), BackgroundFile::Remove);
        assert_eq!(background_file(Waiting::default(), None), BackgroundFile::Keep);
        let mut someone_else = OutboxEntry::new(visit, 1, DateTime::from_timestamp(0, 0).unwrap());
        let place = Place { township: "石门镇".into(), village: "下坪村".into() };
        someone_else.claim(Some(&EntryOwner::new(
            ServerOrigin::parse("https://tx.example.cn").unwrap(),
            &place,
            "王芳",
        )));
        assert_eq!(Waiting::of(&[someone_else], &owner()), Waiting::default(), "not hers: not in her file");
    }
}
