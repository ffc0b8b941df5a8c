//! The people who use Tongxing and what each may do (DOMAIN.md, "The people"): a worker
//! joins from an invite link for one village of one township, in one role, and the server
//! then knows her phone by a device token.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::child::VILLAGE_MAX;
use crate::form::is_phone_number;
use crate::{FieldError, FieldErrors, Lang};

/// The longest worker name accepted, in characters.
pub const WORKER_NAME_MAX: usize = 50;
/// The longest township name accepted, in characters.
pub const TOWNSHIP_MAX: usize = 50;
/// The longest invite code accepted, in characters (codes the server makes are shorter).
pub const INVITE_CODE_MAX: usize = 64;

/// What a worker is to the child-welfare system, which decides what she may send and read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The village child director (儿童主任): sends visits and children for her village.
    Director,
    /// A "love mother" (爱心妈妈) paired with a child: sends visits for her village.
    LoveMother,
    /// A volunteer, social worker or grid worker (志愿者): sends visits for her village.
    Volunteer,
    /// The township child supervisor (儿童督导员): reads and exports her township's data.
    Supervisor,
}

impl Role {
    /// Every role, in the order they are listed to people.
    pub const ALL: [Role; 4] = [
        Role::Director,
        Role::LoveMother,
        Role::Volunteer,
        Role::Supervisor,
    ];

    /// The role's code on the wire and in the database (`love_mother`).
    pub fn code(self) -> &'static str {
        match self {
            Role::Director => "director",
            Role::LoveMother => "love_mother",
            Role::Volunteer => "volunteer",
            Role::Supervisor => "supervisor",
        }
    }

    /// The role's name for people.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Role::Director => lang.pick("儿童主任", "child director"),
            Role::LoveMother => lang.pick("爱心妈妈", "love mother"),
            Role::Volunteer => lang.pick("志愿者", "volunteer"),
            Role::Supervisor => lang.pick("儿童督导员", "township supervisor"),
        }
    }

    /// Whether this role sends visits and children's files for its own village.
    pub fn sends_records(self) -> bool {
        !matches!(self, Role::Supervisor)
    }

    /// Whether this role reads and exports its whole township's data.
    pub fn reads_township(self) -> bool {
        matches!(self, Role::Supervisor)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A role name that is not one of [`Role::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a role: use director, love-mother, volunteer or supervisor")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;

    /// Reads `love_mother` and `love-mother` alike, so that the command line may use dashes.
    fn from_str(text: &str) -> Result<Role, UnknownRole> {
        let code = text.trim().replace('-', "_");
        Role::ALL
            .into_iter()
            .find(|role| role.code() == code)
            .ok_or_else(|| UnknownRole(text.to_owned()))
    }
}

/// Where a worker works: a village (村/居委会) of a township (镇/街道). A supervisor's
/// village is empty: she works for the whole township.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Place {
    pub township: String,
    #[serde(default)]
    pub village: String,
}

impl Place {
    /// Checks the names' lengths; a village is needed unless the role is supervisor.
    pub fn validate(&self, role: Role) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::new();
        check_name(&mut errors, "township", &self.township, TOWNSHIP_MAX);
        if role.reads_township() {
            if self.village.chars().count() > VILLAGE_MAX {
                errors.add("village", FieldError::TooLong { max: VILLAGE_MAX });
            }
        } else {
            check_name(&mut errors, "village", &self.village, VILLAGE_MAX);
        }
        errors.into_result(())
    }
}

impl Place {
    /// Whether a worker of this place may send a record the server keeps for `held`: her
    /// own village's, or one received before enrolment existed (no township), which she
    /// then claims.
    pub fn may_change(&self, held: &Place) -> bool {
        held.township.is_empty() || (held.township == self.township && held.village == self.village)
    }

    /// Whether a supervisor of this place may read a record kept for `held`.
    pub fn may_read(&self, held: &Place) -> bool {
        !held.township.is_empty() && held.township == self.township
    }
}

/// One enrolled worker, as the server tells her phone and the supervisor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Worker {
    /// The device's id on the server (one per enrolment).
    pub id: Uuid,
    pub name: String,
    pub role: Role,
    #[serde(flatten)]
    pub place: Place,
}

/// What the phone shows before joining: who invites, to which place and role.
/// The body of `GET /api/v1/invites/{code}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InviteInfo {
    pub role: Role,
    #[serde(flatten)]
    pub place: Place,
    /// Who made the invite, as they gave their name.
    pub invited_by: String,
    /// When the invite stops working.
    pub expires_at: DateTime<Utc>,
}

/// The body of `POST /api/v1/enroll`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EnrollRequest {
    /// The invite code from the link's `code=` parameter.
    pub code: String,
    /// The worker's name.
    pub name: String,
    /// The worker's phone number, so the supervisor can reach her.
    pub phone: String,
}

impl EnrollRequest {
    /// Checks the name and phone; the code is checked by the server against its invites.
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::new();
        if self.code.trim().is_empty() {
            errors.add("code", FieldError::Required);
        } else if self.code.chars().count() > INVITE_CODE_MAX {
            errors.add(
                "code",
                FieldError::TooLong {
                    max: INVITE_CODE_MAX,
                },
            );
        }
        check_name(&mut errors, "name", &self.name, WORKER_NAME_MAX);
        if self.phone.trim().is_empty() {
            errors.add("phone", FieldError::Required);
        } else if !is_phone_number(self.phone.trim()) {
            errors.add("phone", FieldError::BadPhone);
        }
        errors.into_result(())
    }
}

/// The body of a `201` to `POST /api/v1/enroll`: the device token, shown this once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EnrollReply {
    /// Sent as `Authorization: Bearer <token>` with every later call.
    pub token: String,
    pub worker: Worker,
}

/// The body of `POST /api/v1/invites`: a supervisor invites a worker for a village of her
/// township.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct InviteRequest {
    pub role: Role,
    pub village: String,
    /// How many days the link works (1 to 90).
    #[serde(default = "InviteRequest::default_days")]
    #[cfg_attr(feature = "openapi", schema(default = InviteRequest::default_days))]
    pub valid_days: u32,
    /// How many phones may join with it (1 to 500).
    #[serde(default = "InviteRequest::default_uses")]
    #[cfg_attr(feature = "openapi", schema(default = InviteRequest::default_uses))]
    pub uses: u32,
}

impl InviteRequest {
    fn default_days() -> u32 {
        7
    }
    fn default_uses() -> u32 {
        1
    }
}

/// The body of a `201` to `POST /api/v1/invites`: the code, shown this once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InviteReply {
    pub code: String,
    /// The link to share, when the server knows the app's address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub link: Option<String>,
    pub expires_at: DateTime<Utc>,
}

/// One page of a list that a supervisor reads (`GET /api/v1/children`, `/visits`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page<T> {
    pub items: Vec<T>,
    /// The page number, from 1.
    pub page: u32,
    pub per_page: u32,
    /// How many items match, on every page.
    pub total: u64,
}

impl<T> Page<T> {
    /// The same page with each item made into another.
    pub fn map<U>(self, item: impl FnMut(T) -> U) -> Page<U> {
        Page { items: self.items.into_iter().map(item).collect(), page: self.page, per_page: self.per_page, total: self.total }
    }
}

fn check_name(errors: &mut FieldErrors, field: &str, value: &str, max: usize) {
    let value = value.trim();
    if value.is_empty() {
        errors.add(field, FieldError::Required);
    } else if value.chars().count() > max {
        errors.add(field, FieldError::TooLong { max });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_read_with_dashes_or_underscores_and_go_out_snake_case() {
        assert_eq!("love-mother".parse::<Role>(), Ok(Role::LoveMother));
        assert_eq!("love_mother".parse::<Role>(), Ok(Role::LoveMother));
        assert_eq!(" supervisor ".parse::<Role>(), Ok(Role::Supervisor));
        assert!("admin".parse::<Role>().is_err());
        assert_eq!(
            serde_json::to_string(&Role::LoveMother).unwrap(),
            "\"love_mother\""
        );
        for role in Role::ALL {
            assert_eq!(role.code().parse::<Role>(), Ok(role));
        }
    }

    #[test]
    fn only_supervisors_read_and_only_others_send() {
        for role in Role::ALL {
            assert_ne!(role.sends_records(), role.reads_township(), "{role}");
        }
        assert!(Role::Supervisor.reads_township());
        assert!(
            Role::Director.sends_records()
                && Role::LoveMother.sends_records()
                && Role::Volunteer.sends_records()
        );
    }

    #[test]
    fn a_village_is_needed_except_for_a_supervisor() {
        let township_only = Place {
            township: "石门镇".into(),
            village: String::new(),
        };
        assert!(township_only.validate(Role::Supervisor).is_ok());
        let errors = township_only.validate(Role::Director).unwrap_err();
        assert_eq!(errors.get("village"), Some(&FieldError::Required));
        let long = Place {
            township: "镇".repeat(TOWNSHIP_MAX + 1),
            village: "村".into(),
        };
        assert_eq!(
            long.validate(Role::Director).unwrap_err().get("township"),
            Some(&FieldError::TooLong { max: TOWNSHIP_MAX })
        );
    }

    #[test]
    fn a_worker_changes_her_village_and_a_supervisor_reads_her_township() {
        let here = Place {
            township: "石门镇".into(),
            village: "桃源村".into(),
        };
        let next_door = Place {
            township: "石门镇".into(),
            village: "杏花村".into(),
        };
        let elsewhere = Place {
            township: "白沙镇".into(),
            village: "桃源村".into(),
        };
        let before_enrolment = Place {
            township: String::new(),
            village: String::new(),
        };
        assert!(here.may_change(&here));
        assert!(!here.may_change(&next_door));
        assert!(!here.may_change(&elsewhere));
        assert!(here.may_change(&before_enrolment));
        let supervisor = Place {
            township: "石门镇".into(),
            village: String::new(),
        };
        assert!(supervisor.may_read(&here) && supervisor.may_read(&next_door));
        assert!(!supervisor.may_read(&elsewhere));
        assert!(!supervisor.may_read(&before_enrolment));
    }

    #[test]
    fn an_enrolment_needs_a_code_a_name_and_a_phone_number() {
        let good = EnrollRequest {
            code: "abc".into(),
            name: "李芳".into(),
            phone: "138 0013 8000".into(),
        };
        assert!(good.validate().is_ok());
        let bad = EnrollRequest {
            code: " ".into(),
            name: "".into(),
            phone: "12345".into(),
        };
        let errors = bad.validate().unwrap_err();
        assert_eq!(errors.get("code"), Some(&FieldError::Required));
        assert_eq!(errors.get("name"), Some(&FieldError::Required));
        assert_eq!(errors.get("phone"), Some(&FieldError::BadPhone));
        let long = EnrollRequest {
            code: "c".repeat(65),
            name: "名".repeat(51),
            phone: String::new(),
        };
        let errors = long.validate().unwrap_err();
        assert_eq!(
            errors.get("code"),
            Some(&FieldError::TooLong {
                max: INVITE_CODE_MAX
            })
        );
        assert_eq!(
            errors.get("name"),
            Some(&FieldError::TooLong {
                max: WORKER_NAME_MAX
            })
        );
        assert_eq!(errors.get("phone"), Some(&FieldError::Required));
    }

    #[test]
    fn a_worker_is_flat_on_the_wire() {
        let worker = Worker {
            id: Uuid::nil(),
            name: "李芳".into(),
            role: Role::Director,
            place: Place {
                township: "石门镇".into(),
                village: "桃源村".into(),
            },
        };
        let json = serde_json::to_value(&worker).unwrap();
        assert_eq!(json["village"], "桃源村");
        assert_eq!(json["township"], "石门镇");
        assert_eq!(json["role"], "director");
        assert_eq!(serde_json::from_value::<Worker>(json).unwrap(), worker);
    }
}
