//! When an unlocked app locks again by itself: after five minutes out of sight (another
//! app in front, the screen off), and on every reload, since the unlocked key lives only in
//! the page's memory.

use chrono::{DateTime, Duration, Utc};

/// How long the app may stay out of sight and still be unlocked when it comes back.
pub const LOCK_AFTER_HIDDEN: Duration = Duration::minutes(5);

/// When the app went out of sight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AutoLock {
    hidden_since: Option<DateTime<Utc>>,
}

impl AutoLock {
    /// The app went out of sight at `now` (a second notice keeps the first time).
    pub fn hidden(&mut self, now: DateTime<Utc>) {
        self.hidden_since.get_or_insert(now);
    }

    /// The app came back at `now`: whether it must lock. A clock that moved back counts as
    /// a long absence, since how long it was away is unknown.
    pub fn shown(&mut self, now: DateTime<Utc>) -> bool {
        match self.hidden_since.take() {
            Some(since) => now - since >= LOCK_AFTER_HIDDEN || now < since,
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_780_000_000 + s, 0).unwrap()
    }

    #[test]
    fn a_short_look_at_another_app_keeps_it_unlocked() {
        let mut lock = AutoLock::default();
        lock.hidden(at(0));
        assert!(!lock.shown(at(299)));
    }

    #[test]
    fn five_minutes_away_locks_it() {
        let mut lock = AutoLock::default();
        lock.hidden(at(0));
        lock.hidden(at(200));
        assert!(lock.shown(at(300)), "counted from the first time it went out of sight");
    }

    #[test]
    fn coming_back_without_leaving_or_after_a_clock_change() {
        let mut lock = AutoLock::default();
        assert!(!lock.shown(at(0)));
        lock.hidden(at(100));
        assert!(lock.shown(at(50)), "a clock set back locks");
        assert!(!lock.shown(at(1000)), "each absence counts once");
    }
}
