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
    /// Who invites: a supervisor (for her township) or the county (for any township).
    pub inviter: Role,
    pub role: Role,
    /// The township, typed by the county; a supervisor's is her own and not sent.
    pub township: String,
    pub village: String,
    /// Whole days, as typed.
    pub valid_days: String,
    /// Phones, as typed.
    pub uses: String,
}

impl Default for InviteDraft {
    /// A director of a village, for a week, one phone: the usual invite.
    fn default() -> InviteDraft {
        InviteDraft::by(Role::Supervisor)
    }
}

impl InviteDraft {
    /// The usual invite of `inviter`: a supervisor's a director of a village, the county's
    /// a township's supervisor; for a week, one phone.
    pub fn by(inviter: Role) -> InviteDraft {
        let role = if inviter.reads_county() { Role::Supervisor } else { Role::Director };
        InviteDraft {
            inviter,
            role,
            township: String::new(),
            village: String::new(),
            valid_days: "7".into(),
            uses: "1".into(),
        }
    }

    /// The roles the inviter may invite ([`Role::may_invite`]).
    pub fn roles(&self) -> impl Iterator<Item = Role> {
        let inviter = self.inviter;
        Role::ALL.into_iter().filter(move |role| inviter.may_invite(*role))
    }

    /// Whether the form asks for a township: the county's, for a role that has one.
    pub fn asks_township(&self) -> bool {
        self.inviter.reads_county() && self.role.has_township()
    }

    /// Whether the form asks for a village: for a role that has one.
    pub fn asks_village(&self) -> bool {
        self.role.has_village()
    }

    /// The body of `POST /api/v1/invites`, or what is wrong, by field (`role`, `township`,
    /// `village`, `valid_days`, `uses`).
    pub fn request(&self) -> Result<InviteRequest, FieldErrors> {
        let mut errors = FieldErrors::new();
        if !self.inviter.may_invite(self.role) {
            errors.add("role", FieldError::NotAChoice);
        }
        let township = if self.asks_township() {
            name(&mut errors, "township", &self.township, crate::worker::TOWNSHIP_MAX)
        } else {
            String::new()
        };
        let village =
            if self.asks_village() { name(&mut errors, "village", &self.village, VILLAGE_MAX) } else { String::new() };
        let valid_days = whole_number(&mut errors, "valid_days", &self.valid_days, INVITE_DAYS_MAX);
        let uses = whole_number(&mut errors, "uses", &self.uses, INVITE_USES_MAX);
        errors.into_result(InviteRequest { role: self.role, township, village, valid_days, uses })
    }
}

/// A place's name typed in `field`, trimmed, or what is wrong with it.
fn name(errors: &mut FieldErrors, field: &str, text: &str, max: usize) -> String {
    let text = text.trim();
    if text.is_empty() {
        errors.add(field, FieldError::Required);
    } else if text.chars().count() > max {
        errors.add(field, FieldError::TooLong { max });
    }
    text.to_owned()
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
            Ok(InviteRequest {
                role: Role::Director,
                township: String::new(),
                village: "桃源村".into(),
                valid_days: 7,
                uses: 1
            })
        );
        let json = serde_json::to_value(draft.request().unwrap()).unwrap();
        assert_eq!(json, serde_json::json!({"role": "director", "village": "桃源村", "valid_days": 7, "uses": 1}));
    }

    #[test]
    fn a_supervisor_invites_every_role_but_her_own() {
        let roles: Vec<Role> = InviteDraft::default().roles().collect();
        assert_eq!(roles, vec![Role::Director, Role::LoveMother, Role::Volunteer]);
        let supervisor = InviteDraft { role: Role::Supervisor, village: "桃源村".into(), ..InviteDraft::default() };
        assert_eq!(supervisor.request().unwrap_err().get("role"), Some(&FieldError::NotAChoice));
    }

    #[test]
    fn the_county_invites_a_supervisor_of_a_township_it_names() {
        let draft = InviteDraft::by(Role::County);
        assert_eq!(draft.roles().count(), Role::ALL.len());
        assert_eq!((draft.role, draft.asks_township(), draft.asks_village()), (Role::Supervisor, true, false));
        assert_eq!(draft.request().unwrap_err().get("township"), Some(&FieldError::Required));
        let draft = InviteDraft { township: " 石门镇 ".into(), village: "桃源村".into(), ..draft };
        let request = draft.request().unwrap();
        assert_eq!((request.township.as_str(), request.village.as_str()), ("石门镇", ""));
        let json = serde_json::to_value(&request).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"role": "supervisor", "township": "石门镇", "village": "", "valid_days": 7, "uses": 1})
        );
        let director = InviteDraft { role: Role::Director, village: String::new(), ..draft.clone() };
        assert_eq!(director.request().unwrap_err().get("village"), Some(&FieldError::Required));
        let county = InviteDraft { role: Role::County, township: String::new(), ..draft };
        assert!(!county.asks_township() && !county.asks_village());
        assert_eq!(county.request().map(|r| r.role), Ok(Role::County));
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
