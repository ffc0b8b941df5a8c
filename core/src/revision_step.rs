//! How far a record's revision may move in one send. A phone adds one with each saved
//! change, so even a month offline moves a record a few dozen revisions; a revision far
//! above the held one (`u32::MAX`, say) would make every later honest send "older" and
//! freeze the record. The server refuses such a jump with `422 invalid` naming `revision`.

use crate::{FieldError, FieldErrors};

/// The most a revision may move past the one held (or past zero, for a new record).
pub const REVISION_STEP_MAX: u32 = 1000;

/// Whether `sent` may follow `held` (`None`: the server holds no revision of the record):
/// at most [`REVISION_STEP_MAX`] above it. Older and equal revisions are the store's
/// business (unchanged or a conflict), never refused here.
pub fn check_revision_step(held: Option<u32>, sent: u32) -> Result<(), FieldErrors> {
    let ceiling = held.unwrap_or(0).saturating_add(REVISION_STEP_MAX);
    let mut errors = FieldErrors::new();
    if sent > ceiling {
        errors.add("revision", FieldError::OutOfRange);
    }
    errors.into_result(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_record_starts_within_one_step() {
        assert!(check_revision_step(None, 1).is_ok());
        assert!(check_revision_step(None, REVISION_STEP_MAX).is_ok());
        let errors = check_revision_step(None, REVISION_STEP_MAX + 1).unwrap_err();
        assert_eq!(errors.get("revision"), Some(&FieldError::OutOfRange));
        assert!(check_revision_step(None, u32::MAX).is_err());
    }

    #[test]
    fn a_held_record_moves_at_most_one_step_and_back_freely() {
        assert!(check_revision_step(Some(7), 8).is_ok());
        assert!(check_revision_step(Some(7), 7 + REVISION_STEP_MAX).is_ok());
        assert!(check_revision_step(Some(7), 8 + REVISION_STEP_MAX).is_err());
        assert!(check_revision_step(Some(7), 3).is_ok(), "older is the store's to decide");
        assert!(check_revision_step(Some(u32::MAX - 5), u32::MAX).is_ok(), "no overflow");
        assert!(check_revision_step(Some(1), u32::MAX).is_err());
    }
}
