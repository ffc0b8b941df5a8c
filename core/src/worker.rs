//! The people who use Tongxing and what each may do (DOMAIN.md, "The people"): a worker
//! joins from an invite link for one village of one township, in one role, and the server
//! then knows her phone by a device token.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::child::VILLAGE_MAX;
use crate::{FieldError, FieldErrors, Lang};

/// The longest worker name accepted, in characters.
pub const WORKER_NAME_MAX: usize = 50;
/// The longest township name accepted, in characters.
pub const TOWNSHIP_MAX: usize = 50;

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
    /// The county administrator (县级管理员, the county civil-affairs office): reads every
    /// township of the server's county, invites any role, reads the audit log. One server
    /// serves one county, so a county administrator has no township.
    County,
}

impl Role {
    /// Every role, in the order they are listed to people.
    pub const ALL: [Role; 5] = [Role::Director, Role::LoveMother, Role::Volunteer, Role::Supervisor, Role::County];

    /// The role's code on the wire and in the database (`love_mother`).
    pub fn code(self) -> &'static str {
        match self {
            Role::Director => "director",
            Role::LoveMother => "love_mother",
            Role::Volunteer => "volunteer",
            Role::Supervisor => "supervisor",
            Role::County => "county",
        }
    }

    /// The role's name for people.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Role::Director => lang.pick("儿童主任", "child director"),
            Role::LoveMother => lang.pick("爱心妈妈", "love mother"),
            Role::Volunteer => lang.pick("志愿者", "volunteer"),
            Role::Supervisor => lang.pick("儿童督导员", "township supervisor"),
            Role::County => lang.pick("县级管理员", "county administrator"),
        }
    }

    /// Whether this role sends visits and children's files for its own village.
    pub fn sends_records(self) -> bool {
        matches!(self, Role::Director | Role::LoveMother | Role::Volunteer)
    }

    /// Whether this role reads and exports its whole township's data.
    pub fn reads_township(self) -> bool {
        matches!(self, Role::Supervisor)
    }

    /// Whether this role approves case plans (一人一策一案) and may change them as she
    /// approves: the township's supervisor.
    pub fn approves_plans(self) -> bool {
        matches!(self, Role::Supervisor)
    }

    /// Whether this role reads every township of the server's county (its figures and
    /// statistics) and the audit log.
    pub fn reads_county(self) -> bool {
        matches!(self, Role::County)
    }

    /// Whether this role reads from the server rather than records: its phone opens the
    /// oversight app (a supervisor, the county).
    pub fn oversees(self) -> bool {
        self.reads_township() || self.reads_county()
    }

    /// Whether a worker of this role may invite one of `invitee`: a supervisor those who
    /// send records for a village of her township, the county any role.
    pub fn may_invite(self, invitee: Role) -> bool {
        match self {
            Role::Supervisor => invitee.sends_records(),
            Role::County => true,
            Role::Director | Role::LoveMother | Role::Volunteer => false,
        }
    }

    /// Whether a worker of this role invites at all.
    pub fn invites(self) -> bool {
        Role::ALL.into_iter().any(|invitee| self.may_invite(invitee))
    }

    /// Whether this role works for one township (every role but the county's).
    pub fn has_township(self) -> bool {
        !matches!(self, Role::County)
    }

    /// Whether this role works for one village of its township (those who send records).
    pub fn has_village(self) -> bool {
        self.sends_records()
    }

    /// The roles a director pairs with a child (结对): love mothers and volunteers.
    pub const PAIRED: [Role; 2] = [Role::LoveMother, Role::Volunteer];

    /// Whether a worker of this role may be paired with a child.
    pub fn is_paired(self) -> bool {
        Role::PAIRED.contains(&self)
    }

    /// Whether this role pairs love mothers and volunteers with children: a director those
    /// of her village, a supervisor those of any village of her township.
    pub fn pairs_workers(self) -> bool {
        matches!(self, Role::Director | Role::Supervisor)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A role name that is not one of [`Role::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a role: use director, love-mother, volunteer, supervisor or county")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;

    /// Reads `love_mother` and `love-mother` alike, so that the command line may use dashes.
    fn from_str(text: &str) -> Result<Role, UnknownRole> {
        let code = text.trim().replace('-', "_");
        Role::ALL.into_iter().find(|role| role.code() == code).ok_or_else(|| UnknownRole(text.to_owned()))
    }
}

/// Where a worker works: a village (村/居委会) of a township (镇/街道). A supervisor's
/// village is empty: she works for the whole township; the county's township is empty too.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Place {
    pub township: String,
    #[serde(default)]
    pub village: String,
}

impl Place {
    /// Checks the names' lengths; a village is needed for a role that has one, a township
    /// for every role but the county's (whose place is kept empty, [`Place::of_role`]).
    pub fn validate(&self, role: Role) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::new();
        if role.has_township() {
            check_name(&mut errors, "township", &self.township, TOWNSHIP_MAX);
        }
        if role.has_village() {
            check_name(&mut errors, "village", &self.village, VILLAGE_MAX);
        } else if self.village.chars().count() > VILLAGE_MAX {
            errors.add("village", FieldError::TooLong { max: VILLAGE_MAX });
        }
        errors.into_result(())
    }

    /// The place kept for a worker of `role`: trimmed, without a village for a role that
    /// has none, without a township for the county.
    pub fn of_role(&self, role: Role) -> Place {
        Place {
            township: if role.has_township() { self.township.trim().to_owned() } else { String::new() },
            village: if role.has_village() { self.village.trim().to_owned() } else { String::new() },
        }
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

pub(crate) fn check_name(errors: &mut FieldErrors, field: &str, value: &str, max: usize) {
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
        assert_eq!(serde_json::to_string(&Role::LoveMother).unwrap(), "\"love_mother\"");
        for role in Role::ALL {
            assert_eq!(role.code().parse::<Role>(), Ok(role));
        }
    }

    #[test]
    fn only_supervisors_and_the_county_read_and_only_others_send() {
        for role in Role::ALL {
            assert_ne!(role.sends_records(), role.oversees(), "{role}");
            assert!(!(role.reads_township() && role.reads_county()), "{role}");
        }
        assert!(Role::Supervisor.reads_township() && !Role::Supervisor.reads_county());
        assert!(Role::County.reads_county() && !Role::County.reads_township());
        assert!(Role::Director.sends_records() && Role::LoveMother.sends_records() && Role::Volunteer.sends_records());
        assert_eq!("county".parse::<Role>(), Ok(Role::County));
    }

    #[test]
    fn a_supervisor_invites_her_villages_workers_and_the_county_anyone() {
        for invitee in Role::ALL {
            assert_eq!(Role::Supervisor.may_invite(invitee), invitee.sends_records(), "{invitee}");
            assert!(Role::County.may_invite(invitee), "{invitee}");
            for worker in [Role::Director, Role::LoveMother, Role::Volunteer] {
                assert!(!worker.may_invite(invitee), "{worker} → {invitee}");
            }
        }
        let inviting: Vec<Role> = Role::ALL.into_iter().filter(|role| role.invites()).collect();
        assert_eq!(inviting, [Role::Supervisor, Role::County]);
    }

    #[test]
    fn the_county_has_no_township_and_no_village() {
        let typed = Place { township: " 石门镇 ".into(), village: "桃源村".into() };
        assert_eq!(typed.of_role(Role::County), Place { township: String::new(), village: String::new() });
        assert_eq!(typed.of_role(Role::Supervisor), Place { township: "石门镇".into(), village: String::new() });
        assert_eq!(typed.of_role(Role::Director), Place { township: "石门镇".into(), village: "桃源村".into() });
        assert!(Place { township: String::new(), village: String::new() }.validate(Role::County).is_ok());
        assert!(Place { township: String::new(), village: String::new() }.validate(Role::Supervisor).is_err());
    }

    #[test]
    fn a_director_pairs_love_mothers_and_volunteers() {
        let paired: Vec<Role> = Role::ALL.into_iter().filter(|role| role.is_paired()).collect();
        assert_eq!(paired, [Role::LoveMother, Role::Volunteer]);
        let pairing: Vec<Role> = Role::ALL.into_iter().filter(|role| role.pairs_workers()).collect();
        assert_eq!(pairing, [Role::Director, Role::Supervisor]);
    }

    #[test]
    fn a_village_is_needed_except_for_a_supervisor() {
        let township_only = Place { township: "石门镇".into(), village: String::new() };
        assert!(township_only.validate(Role::Supervisor).is_ok());
        let errors = township_only.validate(Role::Director).unwrap_err();
        assert_eq!(errors.get("village"), Some(&FieldError::Required));
        let long = Place { township: "镇".repeat(TOWNSHIP_MAX + 1), village: "村".into() };
        assert_eq!(
            long.validate(Role::Director).unwrap_err().get("township"),
            Some(&FieldError::TooLong { max: TOWNSHIP_MAX })
        );
    }

    #[test]
    fn a_worker_changes_her_village_and_a_supervisor_reads_her_township() {
        let here = Place { township: "石门镇".into(), village: "桃源村".into() };
        let next_door = Place { township: "石门镇".into(), village: "杏花村".into() };
        let elsewhere = Place { township: "白沙镇".into(), village: "桃源村".into() };
        let before_enrolment = Place { township: String::new(), village: String::new() };
        assert!(here.may_change(&here));
        assert!(!here.may_change(&next_door));
        assert!(!here.may_change(&elsewhere));
        assert!(here.may_change(&before_enrolment));
        let supervisor = Place { township: "石门镇".into(), village: String::new() };
        assert!(supervisor.may_read(&here) && supervisor.may_read(&next_door));
        assert!(!supervisor.may_read(&elsewhere));
        assert!(!supervisor.may_read(&before_enrolment));
    }

    #[test]
    fn a_worker_is_flat_on_the_wire() {
        let worker = Worker {
            id: Uuid::nil(),
            name: "李芳".into(),
            role: Role::Director,
            place: Place { township: "石门镇".into(), village: "桃源村".into() },
        };
        let json = serde_json::to_value(&worker).unwrap();
        assert_eq!(json["village"], "桃源村");
        assert_eq!(json["township"], "石门镇");
        assert_eq!(json["role"], "director");
        assert_eq!(serde_json::from_value::<Worker>(json).unwrap(), worker);
    }
}
