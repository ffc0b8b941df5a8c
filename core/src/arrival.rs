//! What the server does with a revision of a record that arrives, given the revision it
//! holds of that record: the rule behind a `PUT`'s [`PutStatus`]. The server's store reads
//! the held revision and writes what this decides, under one write lock; the decision itself
//! needs no database.

use crate::revision_step::check_revision_step;
use crate::wire::PutStatus;
use crate::FieldErrors;

/// What storing a revision does, and the newest revision held afterwards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Arrival {
    pub status: PutStatus,
    /// The newest revision the server holds once this one is dealt with.
    pub revision: u32,
}

impl Arrival {
    /// Whether the sent revision becomes the current one (and joins the history).
    pub fn becomes_current(&self) -> bool {
        matches!(self.status, PutStatus::Created | PutStatus::Updated)
    }
}

/// Decides what happens to revision `sent` when the server holds `held` (`None`: no
/// revision of the record yet):
///
/// - nothing held: [`PutStatus::Created`];
/// - a newer revision: [`PutStatus::Updated`];
/// - an older one, or the same one with the same content: [`PutStatus::Unchanged`];
/// - the same revision with other content: [`PutStatus::Conflict`] (the held one stays
///   current; the sent one is kept aside for a person).
///
/// `same_content` compares the sent record with the held one; it is asked only when the
/// revisions are equal. A revision too far above the held one is refused
/// ([`check_revision_step`]).
pub fn decide(held: Option<u32>, sent: u32, same_content: impl FnOnce() -> bool) -> Result<Arrival, FieldErrors> {
    check_revision_step(held, sent)?;
    let arrival = match held {
        None => Arrival { status: PutStatus::Created, revision: sent },
        Some(held) if sent > held => Arrival { status: PutStatus::Updated, revision: sent },
        Some(held) if sent == held && !same_content() => Arrival { status: PutStatus::Conflict, revision: held },
        Some(held) => Arrival { status: PutStatus::Unchanged, revision: held },
    };
    Ok(arrival)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::revision_step::REVISION_STEP_MAX;
    use crate::FieldError;

    fn never_asked() -> bool {
        panic!("the content is compared only for equal revisions")
    }

    #[test]
    fn a_new_record_is_created_at_its_revision() {
        let arrival = decide(None, 3, never_asked).unwrap();
        assert_eq!(arrival, Arrival { status: PutStatus::Created, revision: 3 });
        assert!(arrival.becomes_current());
    }

    #[test]
    fn a_newer_revision_replaces_the_held_one() {
        let arrival = decide(Some(2), 3, never_asked).unwrap();
        assert_eq!(arrival, Arrival { status: PutStatus::Updated, revision: 3 });
        assert!(arrival.becomes_current());
    }

    #[test]
    fn an_older_revision_changes_nothing_and_answers_the_held_one() {
        let arrival = decide(Some(5), 2, never_asked).unwrap();
        assert_eq!(arrival, Arrival { status: PutStatus::Unchanged, revision: 5 });
        assert!(!arrival.becomes_current());
    }

    #[test]
    fn the_same_revision_is_unchanged_or_a_conflict_by_its_content() {
        assert_eq!(decide(Some(4), 4, || true).unwrap(), Arrival { status: PutStatus::Unchanged, revision: 4 });
        let conflict = decide(Some(4), 4, || false).unwrap();
        assert_eq!(conflict, Arrival { status: PutStatus::Conflict, revision: 4 });
        assert!(!conflict.becomes_current(), "the held one stays current");
    }

    #[test]
    fn a_jump_too_far_is_refused_naming_the_revision() {
        let errors = decide(Some(1), 2 + REVISION_STEP_MAX, never_asked).unwrap_err();
        assert_eq!(errors.get("revision"), Some(&FieldError::OutOfRange));
        assert!(decide(None, u32::MAX, never_asked).is_err());
        assert!(decide(Some(1), 1 + REVISION_STEP_MAX, never_asked).is_ok(), "one full step is allowed");
    }
}
