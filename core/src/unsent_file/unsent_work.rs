//! What a phone puts in its unsent-records file, and the file's name.

use std::collections::BTreeSet;

use chrono::NaiveDateTime;

use super::FILE_EXTENSION;
use crate::outbox::{EntryOwner, EntryState, OutboundRecord, OutboxEntry, RecordRef};
use crate::photo::PhotoHash;
use crate::RecordKind;

/// The records of `owner`'s file: every entry the server has not confirmed (waiting, under
/// way, or refused and waiting for her: the file is the last way off the phone), saved by
/// her or before entries had owners; children's files before visits, so that a visit finds
/// its child, each kind oldest first.
pub fn records_to_write(entries: &[OutboxEntry], owner: &EntryOwner) -> Vec<RecordRef> {
    let mut unsent: Vec<&OutboxEntry> =
        entries.iter().filter(|entry| entry.state != EntryState::Sent && entry.belongs_to(owner)).collect();
    unsent.sort_by_key(|entry| (entry.record.kind != RecordKind::Child, entry.queued_at, entry.record));
    unsent.into_iter().map(|entry| entry.record).collect()
}

/// The photos the visits among `records` name, each once, visit by visit.
pub fn photos_named(records: &[OutboundRecord]) -> Vec<PhotoHash> {
    let mut seen = BTreeSet::new();
    records
        .iter()
        .filter_map(|record| match record {
            OutboundRecord::Visit(visit) => Some(visit.photo_hashes()),
            OutboundRecord::Child(_) | OutboundRecord::Pairing(_) | OutboundRecord::CasePlan(_) => None,
        })
        .flatten()
        .filter(|hash| seen.insert(hash.clone()))
        .collect()
}

/// The name the phone saves the file under: when it was made, by the phone's clock, and
/// nothing of a child or a place (a file name is seen by whoever handles the file).
pub fn file_name(made_at: NaiveDateTime) -> String {
    format!("tongxing-unsent-{}.{FILE_EXTENSION}", made_at.format("%Y%m%d-%H%M%S"))
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Duration};

    use super::*;
    use crate::enrolment::ServerOrigin;
    use crate::fixtures::sample_visit;
    use crate::form::AnswerValue;
    use crate::outbox::{Disposition, ParkReason, RetryPolicy};
    use crate::photo::PhotoNote;
    use crate::worker::Place;
    use uuid::Uuid;

    fn owner(name: &str) -> EntryOwner {
        let place = Place { township: "石门镇".into(), village: "上坪村".into() };
        EntryOwner::new(ServerOrigin::parse("https://tx.example.cn").unwrap(), &place, name)
    }

    fn entry(record: RecordRef, minutes: i64, owner: Option<&EntryOwner>) -> OutboxEntry {
        let at = DateTime::from_timestamp(1_790_000_000, 0).unwrap() + Duration::minutes(minutes);
        let mut entry = OutboxEntry::new(record, 1, at);
        entry.claim(owner);
        entry
    }

    #[test]
    fn every_record_not_on_the_server_goes_children_first_oldest_first_hers_only() {
        let her = owner("李梅");
        let other = owner("王芳");
        let (v1, v2, c1, c2) = (
            RecordRef::visit(Uuid::from_u128(1)),
            RecordRef::visit(Uuid::from_u128(2)),
            RecordRef::child(Uuid::from_u128(3)),
            RecordRef::child(Uuid::from_u128(4)),
        );
        let mut sent = entry(RecordRef::visit(Uuid::from_u128(5)), 0, Some(&her));
        sent.settle(1, &Disposition::Delivered, sent.queued_at, &RetryPolicy::default(), 0.5);
        let mut refused = entry(v2, 1, Some(&her));
        let problem = "invalid".to_owned();
        refused.settle(
            1,
            &Disposition::Park { reason: ParkReason::Invalid, problem },
            refused.queued_at,
            &RetryPolicy::default(),
            0.5,
        );
        let entries = vec![
            entry(v1, 5, Some(&her)),
            refused,
            entry(c2, 9, None),
            entry(c1, 7, Some(&her)),
            sent,
            entry(RecordRef::visit(Uuid::from_u128(6)), 0, Some(&other)),
        ];
        assert_eq!(records_to_write(&entries, &her), vec![c1, c2, v2, v1]);
    }

    fn visit_naming(photos: &[&PhotoHash]) -> OutboundRecord {
        let mut visit = sample_visit();
        let taken = DateTime::from_timestamp(1_790_000_000, 0).unwrap();
        let notes = photos.iter().map(|hash| PhotoNote::new((*hash).clone(), taken)).collect();
        visit.answers.set("photos", AnswerValue::Photos(notes));
        OutboundRecord::Visit(visit)
    }

    #[test]
    fn each_photo_once_in_the_order_named() {
        let (a, b, c) = (PhotoHash::of_bytes(b"a"), PhotoHash::of_bytes(b"b"), PhotoHash::of_bytes(b"c"));
        let records = vec![
            visit_naming(&[&a, &b]),
            OutboundRecord::Child(crate::fixtures::sample_child()),
            visit_naming(&[&b, &c]),
        ];
        let named = photos_named(&records);
        assert_eq!(named.len(), 3);
        assert_eq!(named.iter().collect::<BTreeSet<_>>(), [&a, &b, &c].into_iter().collect());
        assert_eq!(named[2], c, "the second visit's photo it alone names last");
    }

    #[test]
    fn the_file_name_says_when_and_nothing_else() {
        let at = DateTime::from_timestamp(1_790_000_000, 0).unwrap().naive_utc();
        assert_eq!(file_name(at), "tongxing-unsent-20260921-141320.tongxing");
    }
}
