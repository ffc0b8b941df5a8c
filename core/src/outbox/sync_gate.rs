//! When the phone's sync driver may run the outbox: not on a schedule while offline or while
//! the server refuses the token held, never two runs at once here (a request during a run
//! asks for one more run after it), and when to look again after a run.
//!
//! The driver in the app owns one [`SyncGate`] and only wires it to the browser's events,
//! timers and storage.

use chrono::{DateTime, Utc};

use super::{RunMode, RunStop};

/// What to do with a request for a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    /// Run now, in the mode asked.
    Start,
    /// Nothing may be sent now (a scheduled run while offline, or with the token the server
    /// refused): only recount what waits.
    Hold,
    /// The phone has not joined (or joined a server the app no longer trusts): nothing may be
    /// sent anywhere until the worker joins; the queue shows as paused.
    NotJoined,
    /// A run is under way: it runs once more after it, for entries added meanwhile.
    Merged,
}

/// The driver's gate: whether a run is under way, the run asked for after it, and the
/// token the server last refused.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncGate {
    running: bool,
    again: Option<RunMode>,
    /// The device token the server last refused with `401`: until another is stored (the
    /// worker joined again, maybe in another tab), only the worker's "sync now" and coming
    /// online try again.
    refused: Option<String>,
}

impl SyncGate {
    /// How often the outbox is looked at while the app is open.
    pub const TICK_MS: u32 = 20_000;
    /// When another tab holds the outbox lock, how soon to look again.
    pub const BUSY_RETRY_MS: u32 = 5_000;
    /// The shortest wait before an entry that is due soon is tried.
    pub const MIN_WAKE_MS: u32 = 250;

    /// A gate with no run under way and no token refused.
    pub fn new() -> SyncGate {
        SyncGate::default()
    }

    /// Whether a run is under way.
    pub fn is_running(&self) -> bool {
        self.running
    }

    /// Decides a request for a run in `mode`, with the browser `online` or not and `token` the
    /// device token held (`None`: not joined). [`Admission::Start`] marks a run under way:
    /// [`SyncGate::next_run`] ends it.
    pub fn admit(&mut self, mode: RunMode, online: bool, token: Option<&str>) -> Admission {
        // With the browser offline every send would fail and push its entry's next attempt
        // further back; coming online starts a run instead. (A worker's tap still tries.)
        if mode == RunMode::Scheduled && !online {
            return Admission::Hold;
        }
        let Some(token) = token else { return Admission::NotJoined };
        if mode == RunMode::Scheduled && self.refused.as_deref() == Some(token) {
            return Admission::Hold;
        }
        if self.running {
            let merged = match (self.again, mode) {
                (Some(RunMode::Manual), _) | (_, RunMode::Manual) => RunMode::Manual,
                _ => RunMode::Scheduled,
            };
            self.again = Some(merged);
            return Admission::Merged;
        }
        self.running = true;
        Admission::Start
    }

    /// Notes how a run with `token` ended: a run stopped because the server refused the
    /// token (`401`) holds scheduled runs until another token is held.
    pub fn ran(&mut self, stop: RunStop, token: &str) {
        self.refused = stop.refused().then(|| token.to_owned());
    }

    /// The run to do next, asked for while one was under way; `None` ends the run.
    pub fn next_run(&mut self) -> Option<RunMode> {
        let next = self.again.take();
        self.running = next.is_some();
        next
    }

    /// Ends the run under way, dropping any run asked for after it.
    pub fn end(&mut self) {
        self.running = false;
        self.again = None;
    }

    /// How long to wait before the entry due next (at `next_due`) is tried, when that is
    /// sooner than the next tick; `None`: the tick will do.
    pub fn wake_after(next_due: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Option<u32> {
        let tick = i64::from(SyncGate::TICK_MS);
        let wait = (next_due? - now).num_milliseconds().clamp(0, tick);
        (wait < tick).then(|| (wait as u32).max(SyncGate::MIN_WAKE_MS))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeDelta;

    const TOKEN: &str = "token-a";

    #[test]
    fn a_scheduled_run_waits_while_offline_but_a_tap_tries() {
        let mut gate = SyncGate::new();
        assert_eq!(gate.admit(RunMode::Scheduled, false, Some(TOKEN)), Admission::Hold);
        assert!(!gate.is_running());
        assert_eq!(gate.admit(RunMode::Manual, false, Some(TOKEN)), Admission::Start);
        assert!(gate.is_running());
    }

    #[test]
    fn nothing_runs_before_joining() {
        let mut gate = SyncGate::new();
        assert_eq!(gate.admit(RunMode::Scheduled, true, None), Admission::NotJoined);
        assert_eq!(gate.admit(RunMode::Manual, true, None), Admission::NotJoined);
        assert!(!gate.is_running());
        // Offline comes first: a scheduled run offline only recounts.
        assert_eq!(gate.admit(RunMode::Scheduled, false, None), Admission::Hold);
    }

    #[test]
    fn a_refused_token_holds_scheduled_runs_until_another_is_held() {
        let mut gate = SyncGate::new();
        assert_eq!(gate.admit(RunMode::Scheduled, true, Some(TOKEN)), Admission::Start);
        gate.ran(RunStop::Paused, TOKEN);
        assert_eq!(gate.next_run(), None);
        assert_eq!(gate.admit(RunMode::Scheduled, true, Some(TOKEN)), Admission::Hold);
        // The worker's tap, or coming online, tries the same token again.
        assert_eq!(gate.admit(RunMode::Manual, true, Some(TOKEN)), Admission::Start);
        gate.ran(RunStop::Paused, TOKEN);
        gate.end();
        // Joined again: a new token runs on schedule.
        assert_eq!(gate.admit(RunMode::Scheduled, true, Some("token-b")), Admission::Start);
        gate.ran(RunStop::Finished, "token-b");
        gate.end();
        assert_eq!(
            gate.admit(RunMode::Scheduled, true, Some(TOKEN)),
            Admission::Start,
            "a run that reached the server forgets the refusal"
        );
    }

    #[test]
    fn requests_during_a_run_merge_into_one_more_run_the_tap_winning() {
        let mut gate = SyncGate::new();
        assert_eq!(gate.admit(RunMode::Scheduled, true, Some(TOKEN)), Admission::Start);
        assert_eq!(gate.admit(RunMode::Scheduled, true, Some(TOKEN)), Admission::Merged);
        assert_eq!(gate.admit(RunMode::Manual, true, Some(TOKEN)), Admission::Merged);
        assert_eq!(gate.admit(RunMode::Scheduled, true, Some(TOKEN)), Admission::Merged);
        assert_eq!(gate.next_run(), Some(RunMode::Manual));
        assert!(gate.is_running(), "the run goes on");
        assert_eq!(gate.admit(RunMode::Scheduled, true, Some(TOKEN)), Admission::Merged);
        assert_eq!(gate.next_run(), Some(RunMode::Scheduled));
        assert_eq!(gate.next_run(), None);
        assert!(!gate.is_running());
        assert_eq!(gate.admit(RunMode::Scheduled, true, Some(TOKEN)), Admission::Start);
    }

    #[test]
    fn ending_a_run_drops_what_was_asked_after_it() {
        let mut gate = SyncGate::new();
        gate.admit(RunMode::Scheduled, true, Some(TOKEN));
        gate.admit(RunMode::Manual, true, Some(TOKEN));
        gate.end();
        assert!(!gate.is_running());
        assert_eq!(gate.next_run(), None);
    }

    #[test]
    fn wakes_for_an_entry_due_before_the_next_tick() {
        let now = DateTime::from_timestamp(1_790_000_000, 0).unwrap();
        let at = |ms: i64| Some(now + TimeDelta::milliseconds(ms));
        assert_eq!(SyncGate::wake_after(None, now), None, "nothing due");
        assert_eq!(SyncGate::wake_after(at(3_000), now), Some(3_000));
        assert_eq!(SyncGate::wake_after(at(10), now), Some(SyncGate::MIN_WAKE_MS), "not sooner than 250 ms");
        assert_eq!(SyncGate::wake_after(at(-5_000), now), Some(SyncGate::MIN_WAKE_MS), "already due");
        assert_eq!(SyncGate::wake_after(at(19_999), now), Some(19_999));
        assert_eq!(SyncGate::wake_after(at(20_000), now), None, "the tick comes first");
        assert_eq!(SyncGate::wake_after(at(3_600_000), now), None);
    }
}
