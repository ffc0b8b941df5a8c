//! Wrong PINs: each one waits longer before the next try, and the tenth in a row locks the
//! phone's Tongxing data until the worker's supervisor issues a recovery. Kept in the clear
//! beside the wrapped key (it must be read before unlocking); it holds counts and times only.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::Lang;

/// Wrong PINs in a row after which only a recovery unlocks.
pub const ATTEMPTS_BEFORE_RECOVERY: u32 = 10;

/// How long to wait after the n-th wrong PIN in a row (index n - 1), before the next try.
const WAITS_S: [i64; 9] = [0, 5, 30, 60, 5 * 60, 15 * 60, 60 * 60, 4 * 60 * 60, 12 * 60 * 60];

/// The wrong PINs typed since the last unlock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct UnlockAttempts {
    /// Wrong PINs in a row.
    pub failures: u32,
    /// When the last one was typed.
    pub last_failure_at: Option<DateTime<Utc>>,
}

/// Whether a PIN may be tried now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnlockWait {
    /// Try it.
    Ready,
    /// Not before this much time has passed.
    Wait(Duration),
    /// Too many wrong PINs: only a recovery from the supervisor unlocks.
    NeedsRecovery,
}

impl UnlockAttempts {
    /// Whether a PIN may be tried at `now`. A clock set back never shortens a wait, nor
    /// makes it longer than the full wait.
    pub fn wait_at(&self, now: DateTime<Utc>) -> UnlockWait {
        if self.failures >= ATTEMPTS_BEFORE_RECOVERY {
            return UnlockWait::NeedsRecovery;
        }
        let (Some(last), Some(wait_s)) =
            (self.last_failure_at, self.failures.checked_sub(1).map(|i| WAITS_S[i as usize]))
        else {
            return UnlockWait::Ready;
        };
        let wait = Duration::seconds(wait_s);
        let left = (last + wait - now).min(wait);
        if left > Duration::zero() {
            UnlockWait::Wait(left)
        } else {
            UnlockWait::Ready
        }
    }

    /// After a wrong PIN at `now`.
    pub fn failed(self, now: DateTime<Utc>) -> UnlockAttempts {
        UnlockAttempts { failures: self.failures.saturating_add(1), last_failure_at: Some(now) }
    }

    /// After the right PIN, or a recovery.
    pub fn cleared() -> UnlockAttempts {
        UnlockAttempts::default()
    }

    /// Wrong PINs left before only a recovery unlocks.
    pub fn left(&self) -> u32 {
        ATTEMPTS_BEFORE_RECOVERY.saturating_sub(self.failures)
    }
}

impl UnlockWait {
    /// A sentence for the lock screen.
    pub fn message(&self, lang: Lang) -> String {
        match *self {
            UnlockWait::Ready => String::new(),
            UnlockWait::Wait(left) => {
                let (n, zh, en) = if left > Duration::minutes(90) {
                    ((left.num_minutes() + 59) / 60, "小时", "hours")
                } else if left > Duration::seconds(90) {
                    ((left.num_seconds() + 59) / 60, "分钟", "minutes")
                } else {
                    (left.num_seconds().max(1), "秒", "seconds")
                };
                match lang {
                    Lang::ZhCn => format!("密码错误次数较多，请 {n} {zh}后再试。"),
                    Lang::En => format!("Too many wrong PINs: try again in {n} {en}."),
                }
            }
            UnlockWait::NeedsRecovery => lang
                .pick(
                    "密码错误已达 10 次，本机的童行数据已锁定。请点“忘记密码”，请督导为这部手机发放恢复码。",
                    "Ten wrong PINs: Tongxing's data on this phone is locked. Tap “Forgot PIN” and ask your supervisor for a recovery code for this phone.",
                )
                .to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_780_000_000 + s, 0).unwrap()
    }

    fn after(wrong: u32) -> UnlockAttempts {
        (0..wrong).fold(UnlockAttempts::default(), |a, _| a.failed(at(0)))
    }

    #[test]
    fn a_first_slip_waits_for_nothing() {
        assert_eq!(UnlockAttempts::default().wait_at(at(0)), UnlockWait::Ready);
        assert_eq!(after(1).wait_at(at(0)), UnlockWait::Ready);
    }

    #[test]
    fn each_wrong_pin_waits_longer_than_the_one_before() {
        let mut previous = Duration::zero();
        for wrong in 2..ATTEMPTS_BEFORE_RECOVERY {
            let UnlockWait::Wait(wait) = after(wrong).wait_at(at(0)) else { panic!("{wrong} wrong PINs wait") };
            assert!(wait > previous, "{wrong} wrong PINs wait {wait}, no longer than {previous}");
            previous = wait;
        }
    }

    #[test]
    fn the_wait_runs_out() {
        assert_eq!(after(3).wait_at(at(10)), UnlockWait::Wait(Duration::seconds(20)));
        assert_eq!(after(3).wait_at(at(30)), UnlockWait::Ready);
    }

    #[test]
    fn a_clock_set_back_does_not_lengthen_or_end_the_wait() {
        assert_eq!(after(3).wait_at(at(-3600)), UnlockWait::Wait(Duration::seconds(30)));
    }

    #[test]
    fn the_tenth_wrong_pin_needs_a_recovery_and_time_does_not_help() {
        assert_eq!(after(9).left(), 1);
        assert_eq!(after(10).wait_at(at(86_400 * 365)), UnlockWait::NeedsRecovery);
        assert_eq!(after(10).left(), 0);
        assert_eq!(UnlockAttempts::cleared().wait_at(at(0)), UnlockWait::Ready);
    }

    #[test]
    fn waits_read_in_both_languages() {
        assert_eq!(
            UnlockWait::Wait(Duration::seconds(20)).message(Lang::En),
            "Too many wrong PINs: try again in 20 seconds."
        );
        assert_eq!(UnlockWait::Wait(Duration::minutes(15)).message(Lang::ZhCn), "密码错误次数较多，请 15 分钟后再试。");
        assert_eq!(
            UnlockWait::Wait(Duration::hours(4)).message(Lang::En),
            "Too many wrong PINs: try again in 4 hours."
        );
        assert!(UnlockWait::NeedsRecovery.message(Lang::ZhCn).contains("恢复码"));
    }
}
