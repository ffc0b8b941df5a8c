//! The PIN that unlocks a worker's data on her phone: six digits by default; a county may
//! ask for a longer passphrase instead. PINs anyone would try first are refused.

use serde::{Deserialize, Serialize};
use thiserror::Error;
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::Lang;

/// What a PIN must be, as the county sets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(from = "Option<u8>", into = "Option<u8>")]
pub enum PinRule {
    /// Six digits.
    #[default]
    SixDigits,
    /// A passphrase of at least `min_chars` characters.
    Passphrase { min_chars: u8 },
}

/// Kept as the passphrase's fewest characters, or nothing for six digits.
impl From<Option<u8>> for PinRule {
    fn from(min_chars: Option<u8>) -> PinRule {
        min_chars.map_or(PinRule::SixDigits, |min_chars| PinRule::Passphrase { min_chars })
    }
}

impl From<PinRule> for Option<u8> {
    fn from(rule: PinRule) -> Option<u8> {
        match rule {
            PinRule::SixDigits => None,
            PinRule::Passphrase { min_chars } => Some(min_chars),
        }
    }
}

impl PinRule {
    /// The fewest characters a county may ask a passphrase to have.
    pub const MIN_PASSPHRASE: u8 = 8;

    /// Whether a PIN set under `set` must be changed for this rule, the county's: a
    /// passphrase asked for where a six-digit PIN (or a shorter passphrase) was set. A
    /// county that relaxes its rule changes no PIN.
    pub fn asks_more_than(self, set: PinRule) -> bool {
        match (self, set) {
            (PinRule::SixDigits, _) => false,
            (PinRule::Passphrase { .. }, PinRule::SixDigits) => true,
            (PinRule::Passphrase { min_chars: asked }, PinRule::Passphrase { min_chars: had }) => {
                self.min_chars_of(asked) > set.min_chars_of(had)
            }
        }
    }

    /// Whether the PIN is typed on a number pad.
    pub fn is_numeric(self) -> bool {
        self == PinRule::SixDigits
    }

    /// What the PIN screen asks for.
    pub fn ask(self, lang: Lang) -> String {
        match (self, lang) {
            (PinRule::SixDigits, Lang::ZhCn) => "6 位数字密码".to_owned(),
            (PinRule::SixDigits, Lang::En) => "A six-digit PIN".to_owned(),
            (PinRule::Passphrase { min_chars }, Lang::ZhCn) => {
                format!("至少 {} 个字符的密码", self.min_chars_of(min_chars))
            }
            (PinRule::Passphrase { min_chars }, Lang::En) => {
                format!("A passphrase of at least {} characters", self.min_chars_of(min_chars))
            }
        }
    }

    fn min_chars_of(self, asked: u8) -> usize {
        usize::from(asked.max(Self::MIN_PASSPHRASE))
    }
}

/// A PIN that passed its rule. Wiped from memory when dropped; never printed.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct Pin(String);

/// Why a PIN was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PinProblem {
    #[error("a PIN is six digits")]
    NotSixDigits,
    #[error("the passphrase is too short")]
    TooShort { min_chars: usize },
    #[error("the PIN is too easy to guess")]
    TooEasy,
    #[error("the two PINs differ")]
    Mismatch,
}

impl PinProblem {
    /// A sentence for the worker.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (PinProblem::NotSixDigits, Lang::ZhCn) => "密码应为 6 位数字。".to_owned(),
            (PinProblem::NotSixDigits, Lang::En) => "The PIN is six digits.".to_owned(),
            (PinProblem::TooShort { min_chars }, Lang::ZhCn) => format!("密码至少需要 {min_chars} 个字符。"),
            (PinProblem::TooShort { min_chars }, Lang::En) => {
                format!("The passphrase needs at least {min_chars} characters.")
            }
            (PinProblem::TooEasy, Lang::ZhCn) => {
                "这个密码太容易被猜到，请换一个（不要用重复或连续的数字）。".to_owned()
            }
            (PinProblem::TooEasy, Lang::En) => {
                "This PIN is too easy to guess: choose another (no repeated or consecutive digits).".to_owned()
            }
            (PinProblem::Mismatch, Lang::ZhCn) => "两次输入的密码不一致，请重新输入。".to_owned(),
            (PinProblem::Mismatch, Lang::En) => "The two PINs differ: enter them again.".to_owned(),
        }
    }
}

impl Pin {
    /// `typed` as a PIN of `rule`, for unlocking: only its shape is checked, so that a PIN set
    /// under an earlier rule still unlocks.
    pub fn typed(typed: &str) -> Pin {
        Pin(typed.trim().to_owned())
    }

    /// A new PIN `typed` (and typed again as `again`) under `rule`.
    pub fn choose(typed: &str, again: &str, rule: PinRule) -> Result<Pin, PinProblem> {
        let pin = typed.trim();
        match rule {
            PinRule::SixDigits => {
                if pin.len() != 6 || !pin.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(PinProblem::NotSixDigits);
                }
                if easy_to_guess(pin.as_bytes()) {
                    return Err(PinProblem::TooEasy);
                }
            }
            PinRule::Passphrase { min_chars } => {
                let min_chars = rule.min_chars_of(min_chars);
                if pin.chars().count() < min_chars {
                    return Err(PinProblem::TooShort { min_chars });
                }
                if pin.chars().all(|c| pin.starts_with(c)) {
                    return Err(PinProblem::TooEasy);
                }
            }
        }
        if pin != again.trim() {
            return Err(PinProblem::Mismatch);
        }
        Ok(Pin(pin.to_owned()))
    }

    /// The PIN's bytes (UTF-8), for deriving its key.
    pub fn bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

impl std::fmt::Debug for Pin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pin(…)")
    }
}

/// Six digits anyone would try first: one digit repeated, a run up or down, or a repeated
/// pair or triple (121212, 123123).
fn easy_to_guess(digits: &[u8]) -> bool {
    let steps: Vec<i16> = digits.windows(2).map(|w| i16::from(w[1]) - i16::from(w[0])).collect();
    let one_step = steps.iter().all(|s| *s == steps[0]) && steps[0].abs() <= 1;
    let repeats = |period: usize| digits.iter().enumerate().all(|(i, d)| *d == digits[i % period]);
    one_step || repeats(2) || repeats(3)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_county_asking_for_more_than_was_set_changes_the_pin_and_one_asking_less_does_not() {
        let passphrase = |min_chars| PinRule::Passphrase { min_chars };
        assert!(passphrase(10).asks_more_than(PinRule::SixDigits));
        assert!(passphrase(12).asks_more_than(passphrase(10)));
        assert!(!passphrase(10).asks_more_than(passphrase(10)));
        assert!(!passphrase(8).asks_more_than(passphrase(10)));
        assert!(!PinRule::SixDigits.asks_more_than(passphrase(10)));
        assert!(!PinRule::SixDigits.asks_more_than(PinRule::SixDigits));
        assert!(!passphrase(3).asks_more_than(passphrase(8)), "below the least a county may ask, it asks the least");
    }

    #[test]
    fn six_digits_that_are_not_obvious_are_a_pin() {
        assert!(Pin::choose("284913", "284913", PinRule::SixDigits).is_ok());
        assert!(Pin::choose(" 284913 ", "284913", PinRule::SixDigits).is_ok(), "spaces around are dropped");
    }

    #[test]
    fn anything_but_six_digits_is_refused() {
        for typed in ["", "28491", "2849133", "28491a", "２８４９１３", "28 913"] {
            assert_eq!(Pin::choose(typed, typed, PinRule::SixDigits), Err(PinProblem::NotSixDigits), "{typed}");
        }
    }

    #[test]
    fn obvious_pins_are_refused() {
        for typed in ["000000", "999999", "123456", "654321", "012345", "987654", "121212", "123123", "520520"] {
            assert_eq!(Pin::choose(typed, typed, PinRule::SixDigits), Err(PinProblem::TooEasy), "{typed}");
        }
        assert!(Pin::choose("135791", "135791", PinRule::SixDigits).is_ok(), "steps of two are not a run");
    }

    #[test]
    fn the_pin_is_typed_twice_alike() {
        assert_eq!(Pin::choose("284913", "284931", PinRule::SixDigits), Err(PinProblem::Mismatch));
    }

    #[test]
    fn a_county_may_ask_for_a_passphrase() {
        let rule = PinRule::Passphrase { min_chars: 10 };
        assert_eq!(Pin::choose("短密码短密码", "短密码短密码", rule), Err(PinProblem::TooShort { min_chars: 10 }));
        assert_eq!(Pin::choose("aaaaaaaaaaaa", "aaaaaaaaaaaa", rule), Err(PinProblem::TooEasy));
        assert!(Pin::choose("山里的孩子们上学去了", "山里的孩子们上学去了", rule).is_ok(), "ten characters, not bytes");
        // A county cannot ask for fewer than eight.
        assert_eq!(
            Pin::choose("abcdefg", "abcdefg", PinRule::Passphrase { min_chars: 4 }),
            Err(PinProblem::TooShort { min_chars: 8 })
        );
    }

    #[test]
    fn a_rule_is_kept_as_the_fewest_characters_or_nothing() {
        for rule in [PinRule::SixDigits, PinRule::Passphrase { min_chars: 12 }] {
            let kept = serde_json::to_string(&rule).unwrap();
            assert_eq!(serde_json::from_str::<PinRule>(&kept).unwrap(), rule, "{kept}");
        }
        assert_eq!(serde_json::to_string(&PinRule::SixDigits).unwrap(), "null");
    }

    #[test]
    fn a_pin_never_prints_itself() {
        let pin = Pin::choose("284913", "284913", PinRule::SixDigits).unwrap();
        assert_eq!(format!("{pin:?}"), "Pin(…)");
    }

    #[test]
    fn every_problem_and_rule_reads_in_both_languages() {
        let problems = [
            PinProblem::NotSixDigits,
            PinProblem::TooShort { min_chars: 8 },
            PinProblem::TooEasy,
            PinProblem::Mismatch,
        ];
        for problem in problems {
            assert!(problem.message(Lang::ZhCn).ends_with('。'));
            assert!(problem.message(Lang::En).ends_with('.'));
        }
        assert!(PinRule::Passphrase { min_chars: 12 }.ask(Lang::ZhCn).contains("12"));
        assert!(PinRule::SixDigits.is_numeric());
    }
}
