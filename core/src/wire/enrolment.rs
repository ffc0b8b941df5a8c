//! Joining and inviting (`GET /api/v1/invites/{code}`, `POST /api/v1/enroll`,
//! `POST /api/v1/invites`): what the phone shows before joining, what it sends to join and
//! what it gets back, and a supervisor's invite.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::form::is_phone_number;
use crate::worker::{check_name, Place, Role, Worker, WORKER_NAME_MAX};
use crate::{FieldError, FieldErrors};

/// The longest invite code accepted, in characters (codes the server makes are shorter).
pub const INVITE_CODE_MAX: usize = 64;

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
            errors.add("code", FieldError::TooLong { max: INVITE_CODE_MAX });
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
/// township; the county invites any role, naming the township (none for a county
/// administrator).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct InviteRequest {
    pub role: Role,
    /// The township, when the county invites (a supervisor's invites are for her own).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub township: String,
    /// The village; empty for a supervisor or a county administrator.
    #[serde(default)]
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_enrolment_needs_a_code_a_name_and_a_phone_number() {
        let good = EnrollRequest { code: "abc".into(), name: "李芳".into(), phone: "138 0013 8000".into() };
        assert!(good.validate().is_ok());
        let bad = EnrollRequest { code: " ".into(), name: "".into(), phone: "12345".into() };
        let errors = bad.validate().unwrap_err();
        assert_eq!(errors.get("code"), Some(&FieldError::Required));
        assert_eq!(errors.get("name"), Some(&FieldError::Required));
        assert_eq!(errors.get("phone"), Some(&FieldError::BadPhone));
        let long = EnrollRequest { code: "c".repeat(65), name: "名".repeat(51), phone: String::new() };
        let errors = long.validate().unwrap_err();
        assert_eq!(errors.get("code"), Some(&FieldError::TooLong { max: INVITE_CODE_MAX }));
        assert_eq!(errors.get("name"), Some(&FieldError::TooLong { max: WORKER_NAME_MAX }));
        assert_eq!(errors.get("phone"), Some(&FieldError::Required));
    }
}
