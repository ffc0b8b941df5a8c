//! A township's phones and invites as her supervisor sees them (`GET /api/v1/devices`,
//! `GET /api/v1/invites`), and a phone's new token (`POST /api/v1/devices/me/rotate`).
//! Nothing here carries an invite code, a token or a phone number.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::worker::Role;

/// Whether an invite still enrols phones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum InviteState {
    /// It enrols phones.
    Active,
    /// Its time is over.
    Expired,
    /// As many phones joined with it as it allows.
    UsedUp,
    /// Revoked, or made by a phone that was revoked.
    Revoked,
}

impl InviteState {
    /// The state's code on the wire and on the command line (`used_up`).
    pub fn code(self) -> &'static str {
        match self {
            InviteState::Active => "active",
            InviteState::Expired => "expired",
            InviteState::UsedUp => "used_up",
            InviteState::Revoked => "revoked",
        }
    }

    /// The state of an invite `revoked` (it or its maker's phone), expiring at `expires_at`,
    /// with `uses_left`, at `now`. Revoked wins, then expired, then used up.
    pub fn at(revoked: bool, expires_at: DateTime<Utc>, uses_left: u32, now: DateTime<Utc>) -> InviteState {
        if revoked {
            InviteState::Revoked
        } else if expires_at <= now {
            InviteState::Expired
        } else if uses_left == 0 {
            InviteState::UsedUp
        } else {
            InviteState::Active
        }
    }
}

/// Why a phone was revoked: what the phone does when it learns it (`DELETE
/// /api/v1/devices/{id}?as=…`, `tongxing-ingest revoke --as …`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RevokedAs {
    /// Its worker left the job (or handed the phone on): the phone keeps her unsent work
    /// and asks to join again (`401 revoked`).
    #[default]
    Left,
    /// Lost or stolen: the phone wipes what it keeps of her and sends nothing
    /// (`401 revoked_lost`).
    Lost,
}

impl RevokedAs {
    /// The reason's code on the wire and on the command line (`lost`).
    pub fn code(self) -> &'static str {
        match self {
            RevokedAs::Left => "left",
            RevokedAs::Lost => "lost",
        }
    }

    /// Reads a code; `None` for anything else.
    pub fn parse(code: &str) -> Option<RevokedAs> {
        [RevokedAs::Left, RevokedAs::Lost].into_iter().find(|reason| reason.code() == code)
    }
}

/// One invite, without its code (which the server keeps only hashed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InviteListing {
    /// The invite's id, to revoke it (`DELETE /api/v1/invites/{id}`).
    pub id: Uuid,
    pub role: Role,
    /// Its place (not a flattened [`crate::worker::Place`]: the phone reads these lists, and
    /// flattening costs it code).
    pub township: String,
    #[serde(default)]
    pub village: String,
    /// Who made it, as the phone shows it.
    pub invited_by: String,
    /// The phone that made it; none when made on the server's command line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub made_by: Option<Uuid>,
    pub made_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// How many more phones may join with it.
    pub uses_left: u32,
    pub state: InviteState,
}

/// One enrolled phone of the township, without its token or the worker's phone number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PhoneListing {
    /// The device's id, to revoke it (`DELETE /api/v1/devices/{id}`).
    pub id: Uuid,
    /// The worker's name.
    pub name: String,
    pub role: Role,
    /// The phone's place (not flattened, as in [`InviteListing`]).
    pub township: String,
    #[serde(default)]
    pub village: String,
    pub enrolled_at: DateTime<Utc>,
    /// When the phone last called the server (noted at most hourly).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub last_seen_at: Option<DateTime<Utc>>,
    /// Whether the phone was revoked (its token is refused).
    pub revoked: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub revoked_at: Option<DateTime<Utc>>,
    /// Why it was revoked, when it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub revoked_as: Option<RevokedAs>,
    /// Whether her supervisor may issue a recovery for it (`POST /api/v1/devices/{id}/recovery`):
    /// it sent its data key, and is not revoked.
    #[serde(default)]
    pub recoverable: bool,
    /// Whether the worker passed a training's assessment (培训考核), and since when.
    #[serde(default)]
    pub certification: crate::training::Certification,
}

impl PhoneListing {
    /// When a worker's phone not revoked last called the server (or joined, if it never
    /// called since), once that is [`crate::wire::SILENT_AFTER_DAYS`] or more before `now`:
    /// her supervisor is told. A phone that sends nothing (a supervisor's, the county's) is not counted.
    pub fn silent_since(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        if self.revoked || !self.role.sends_records() {
            return None;
        }
        let last = self.last_seen_at.unwrap_or(self.enrolled_at);
        (last <= now - chrono::Duration::days(crate::wire::SILENT_AFTER_DAYS)).then_some(last)
    }
}

/// The body of a `200` to `POST /api/v1/devices/me/rotate`: the phone's new device token,
/// shown this once; the old one is refused from now on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenReply {
    pub token: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeDelta;

    #[test]
    fn revoked_wins_then_expired_then_used_up() {
        let now = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let later = now + TimeDelta::days(1);
        let earlier = now - TimeDelta::days(1);
        assert_eq!(InviteState::at(false, later, 1, now), InviteState::Active);
        assert_eq!(InviteState::at(false, later, 0, now), InviteState::UsedUp);
        assert_eq!(InviteState::at(false, earlier, 0, now), InviteState::Expired);
        assert_eq!(InviteState::at(true, earlier, 0, now), InviteState::Revoked);
        assert_eq!(InviteState::at(false, now, 1, now), InviteState::Expired, "expiry is exclusive");
        assert_eq!(serde_json::to_string(&InviteState::UsedUp).unwrap(), "\"used_up\"");
        assert_eq!(InviteState::UsedUp.code(), "used_up");
    }

    /// A director's phone joined at `enrolled_at`, never seen since.
    fn director_phone(enrolled_at: DateTime<Utc>) -> PhoneListing {
        PhoneListing {
            id: Uuid::nil(),
            name: "李芳".into(),
            role: Role::Director,
            township: "石门镇".into(),
            village: "桃源村".into(),
            enrolled_at,
            last_seen_at: None,
            revoked: false,
            revoked_at: None,
            revoked_as: None,
            recoverable: true,
            certification: Default::default(),
        }
    }

    #[test]
    fn a_phone_listing_has_no_token_or_phone_number() {
        let phone = director_phone(DateTime::from_timestamp(1_800_000_000, 0).unwrap());
        let json = serde_json::to_value(&phone).unwrap();
        let keys: Vec<&str> = json.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys.len(), 9, "{keys:?}");
        for key in
            ["id", "name", "role", "township", "village", "enrolled_at", "revoked", "recoverable", "certification"]
        {
            assert!(keys.contains(&key), "{key}");
        }
    }

    #[test]
    fn a_worker_s_phone_unseen_for_two_weeks_is_silent() {
        let joined = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let phone = director_phone(joined);
        let days = |n| TimeDelta::days(n);
        assert_eq!(phone.silent_since(joined + days(13)), None);
        assert_eq!(phone.silent_since(joined + days(14)), Some(joined), "never seen since joining");
        let seen = PhoneListing { last_seen_at: Some(joined + days(10)), ..phone.clone() };
        assert_eq!(seen.silent_since(joined + days(20)), None);
        assert_eq!(seen.silent_since(joined + days(24)), Some(joined + days(10)));
        assert_eq!(PhoneListing { revoked: true, ..phone.clone() }.silent_since(joined + days(30)), None);
        assert_eq!(PhoneListing { role: Role::Supervisor, ..phone }.silent_since(joined + days(30)), None);
    }
}
