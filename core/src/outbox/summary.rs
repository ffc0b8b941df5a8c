//! What the sync indicator shows: how many entries wait, how many need the worker.

use super::{EntryState, OutboxEntry};

/// Counts of outbox entries by what they mean to the worker.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Still to reach the server.
    pub pending: u32,
    /// Refused by the server; the worker must look.
    pub needs_attention: u32,
    /// Confirmed by the server.
    pub sent: u32,
}

impl Summary {
    /// Counts `entries`.
    pub fn of<'a>(entries: impl IntoIterator<Item = &'a OutboxEntry>) -> Summary {
        entries.into_iter().fold(Summary::default(), |mut s, e| {
            match e.state {
                EntryState::Queued | EntryState::Sending => s.pending += 1,
                EntryState::NeedsAttention => s.needs_attention += 1,
                EntryState::Sent => s.sent += 1,
            }
            s
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outbox::RecordRef;
    use chrono::DateTime;
    use uuid::Uuid;

    #[test]
    fn counts_by_meaning() {
        let now = DateTime::from_timestamp(1_790_000_000, 0).unwrap();
        let states =
            [EntryState::Queued, EntryState::Sending, EntryState::Sent, EntryState::NeedsAttention, EntryState::Sent];
        let entries: Vec<OutboxEntry> = states
            .iter()
            .enumerate()
            .map(|(i, state)| {
                let mut e = OutboxEntry::new(RecordRef::visit(Uuid::from_u128(i as u128)), 1, now);
                e.state = *state;
                e
            })
            .collect();
        assert_eq!(Summary::of(&entries), Summary { pending: 2, needs_attention: 1, sent: 2 });
        assert_eq!(Summary::of(&[]), Summary::default());
    }
}
