//! What the sync indicator shows: how many entries wait, how many need the worker, and
//! whether the oldest has waited so long that she should act.

use chrono::{DateTime, Utc};

use super::{EntryState, OutboxEntry};
use crate::Lang;

/// How many days records may wait unsent before the phone asks the worker to act: a phone
/// offline for a week may be lost, broken or cleared before it is online again.
pub const UNSENT_WARN_DAYS: i64 = 7;

/// Counts of outbox entries by what they mean to the worker.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Still to reach the server.
    pub pending: u32,
    /// Refused by the server; the worker must look.
    pub needs_attention: u32,
    /// Confirmed by the server.
    pub sent: u32,
    /// When the oldest entry still to reach the server was queued.
    pub oldest_pending: Option<DateTime<Utc>>,
}

impl Summary {
    /// Counts `entries`.
    pub fn of<'a>(entries: impl IntoIterator<Item = &'a OutboxEntry>) -> Summary {
        entries.into_iter().fold(Summary::default(), |mut s, e| {
            match e.state {
                EntryState::Queued | EntryState::Sending => {
                    s.pending += 1;
                    s.oldest_pending = Some(s.oldest_pending.map_or(e.queued_at, |oldest| oldest.min(e.queued_at)));
                }
                EntryState::NeedsAttention => s.needs_attention += 1,
                EntryState::Sent => s.sent += 1,
            }
            s
        })
    }

    /// How many whole days the oldest unsent record has waited at `now`, once that is
    /// [`UNSENT_WARN_DAYS`] or more.
    pub fn waiting_too_long(&self, now: DateTime<Utc>) -> Option<i64> {
        let days = (now - self.oldest_pending?).num_days();
        (days >= UNSENT_WARN_DAYS).then_some(days)
    }
}

/// What the worker is asked when records have waited `days` days unsent.
pub fn waiting_too_long_message(days: i64, lang: Lang) -> String {
    match lang {
        Lang::ZhCn => format!(
            "有记录已等待 {days} 天未上传：请到有网络的地方点「立即同步」。如果这部手机不能再联网，请在「设置」里把未上传的记录存成文件。"
        ),
        Lang::En => format!(
            "Records have waited {days} days unsent: go where there is a connection and tap \"Sync now\". If this phone cannot go online again, save the unsent records to a file in Settings."
        ),
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
        assert_eq!(
            Summary::of(&entries),
            Summary { pending: 2, needs_attention: 1, sent: 2, oldest_pending: Some(now) }
        );
        assert_eq!(Summary::of(&[]), Summary::default());
    }

    #[test]
    fn records_waiting_a_week_ask_the_worker_to_act() {
        let queued = DateTime::from_timestamp(1_790_000_000, 0).unwrap();
        let day = chrono::Duration::days(1);
        let entry = |n: u128, at, state| {
            let mut e = OutboxEntry::new(RecordRef::visit(Uuid::from_u128(n)), 1, at);
            e.state = state;
            e
        };
        let entries = [
            entry(1, queued - day * 30, EntryState::Sent),
            entry(2, queued - day * 20, EntryState::NeedsAttention),
            entry(3, queued, EntryState::Queued),
            entry(4, queued + day, EntryState::Sending),
        ];
        let summary = Summary::of(&entries);
        assert_eq!(summary.oldest_pending, Some(queued), "only what is still to be sent");
        assert_eq!(summary.waiting_too_long(queued + day * 6), None);
        assert_eq!(summary.waiting_too_long(queued + day * 7), Some(7));
        assert_eq!(Summary::default().waiting_too_long(queued), None, "nothing waits");
        assert!(waiting_too_long_message(9, Lang::ZhCn).starts_with("有记录已等待 9 天未上传"));
        assert!(waiting_too_long_message(9, Lang::En).contains("9 days"));
    }
}
