//! The supervisor's invite form: a role, a village of her township, how many days the link
//! works and how many phones may join with it, as typed; checked here as the server checks
//! it, so that she sees what is wrong before the network is asked.

use crate::child::VILLAGE_MAX;
use crate::wire::InviteRequest;
use crate::worker::Role;
use crate::{FieldError, FieldErrors};

/// The most days an invite works (the server's limit).
pub const INVITE_DAYS_MAX: u32 = 90;
/// The most phones one invite may enrol (the server's limit).
pub const INVITE_USES_MAX: u32 = 500;

/// What the invite form holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InviteDraft {
    pub role: Role,
    pub village: String,
    /// Whole days, as typed.
    pub valid_days: String,
    /// Phones, as typed.
    pub uses: String,
}

impl Default for InviteDraft {
    /// A director of a village, for a week, one phone: the usual invite.
    fn default() -> InviteDraft {
        InviteDraft { role: Role::Director, village: String::new(), valid_days: "7".into(), uses: "1".into() }
    }
}

impl InviteDraft {
    /// The roles a supervisor may invite: every role that sends records for a village.
    pub fn roles() -> impl Iterator<Item = Role> {
        Role::ALL.into_iter().filter(|role| role.sends_records())
    }

    /// The body of `POST /api/v1/invites`, or what is wrong, by field (`role`, `village`,
    /// `valid_days`, `uses`).
    pub fn request(&self) -> Result<InviteRequest, FieldErrors> {
        let mut errors = FieldErrors::new();
        if !self.role.sends_records() {
            errors.add("role", FieldError::NotAChoice);
        }
        let village = self.village.trim();
        if village.is_empty() {
            errors.add("village", FieldError::Required);
        } else if village.chars().count() > VILLAGE_MAX {
            errors.add("village", FieldError::TooLong { max: VILLAGE_MAX });
        }
        let valid_days = whole_number(&mut errors, "valid_days", &self.valid_days, INVITE_DAYS_MAX);
        let uses = whole_number(&mut errors, "uses", &self.uses, INVITE_USES_MAX);
        errors.into_result(InviteRequest { role: self.role, village: village.to_owned(), valid_days, uses })
    }
}

/// A whole number from 1 to `max` typed in `field`, or 0 with its error added.
fn whole_number(errors: &mut FieldErrors, field: &str, text: &str, max: u32) -> u32 {
    let text = text.trim();
    if text.is_empty() {
        errors.add(field, FieldError::Required);
        return 0;
    }
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        errors.add(field, FieldError::NotAWholeNumber);
        return 0;
    }
    match text.parse::<u32>() {
        Ok(number) if (1..=max).contains(&number) => number,
        _ => {
            errors.add(field, FieldError::OutOfRange);
            0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_usual_invite_needs_only_a_village() {
        let draft = InviteDraft::default();
        assert_eq!(draft.request().unwrap_err().get("village"), Some(&FieldError::Required));
        let draft = InviteDraft { village: " 桃源村 ".into(), ..InviteDraft::default() };
        assert_eq!(
            draft.request(),
            Ok(InviteRequest { role: Role::Director, village: "桃源村".into(), valid_days: 7, uses: 1 })
        );
        let json = serde_json::to_value(draft.request().unwrap()).unwrap();
        assert_eq!(json, serde_json::json!({"role": "director", "village": "桃源村", "valid_days": 7, "uses": 1}));
    }

    #[test]
    fn a_supervisor_invites_every_role_but_her_own() {
        let roles: Vec<Role> = InviteDraft::roles().collect();
        assert_eq!(roles, vec![Role::Director, Role::LoveMother, Role::Volunteer]);
        let supervisor = InviteDraft { role: Role::Supervisor, village: "桃源村".into(), ..InviteDraft::default() };
        assert_eq!(supervisor.request().unwrap_err().get("role"), Some(&FieldError::NotAChoice));
    }

    #[test]
    fn days_and_uses_are_whole_numbers_within_the_servers_limits() {
        let with = |days: &str, uses: &str| {
            InviteDraft {
                village: "桃源村".into(),
                valid_days: days.into(),
                uses: uses.into(),
                ..InviteDraft::default()
            }
            .request()
        };
        assert_eq!(with(" 90 ", "500").map(|r| (r.valid_days, r.uses)), Ok((90, 500)));
        let errors = with("0", "501").unwrap_err();
        assert_eq!(
            (errors.get("valid_days"), errors.get("uses")),
            (Some(&FieldError::OutOfRange), Some(&FieldError::OutOfRange))
        );
        let errors = with("1.5", "-1").unwrap_err();
        assert_eq!(errors.get("valid_days"), Some(&FieldError::NotAWholeNumber));
        assert_eq!(errors.get("uses"), Some(&FieldError::NotAWholeNumber));
        let errors = with("", "99999999999").unwrap_err();
        assert_eq!(
            (errors.get("valid_days"), errors.get("uses")),
            (Some(&FieldError::Required), Some(&FieldError::OutOfRange))
        );
        let long = InviteDraft { village: "村".repeat(VILLAGE_MAX + 1), ..InviteDraft::default() };
        assert_eq!(long.request().unwrap_err().get("village"), Some(&FieldError::TooLong { max: VILLAGE_MAX }));
    }
}
