//! What a joined phone keeps of its enrolment: the device token, who it joined as, and the
//! server that issued the token, which is the only server the token is ever sent to.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::ServerOrigin;
use crate::outbox::EntryOwner;
use crate::wire::{CountyPolicy, EnrollReply};
use crate::Worker;

/// How long a device token is used before the phone asks for a new one.
pub const TOKEN_ROTATION_DAYS: i64 = 30;

/// This phone's enrolment (read back by [`DeviceEnrolment::read_stored`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeviceEnrolment {
    /// Sent as `Authorization: Bearer <token>`, to `server` only.
    pub token: String,
    pub worker: Worker,
    /// The server that issued the token.
    pub server: ServerOrigin,
    /// When the phone received the token (joining, or its last rotation).
    pub token_issued_at: DateTime<Utc>,
    /// Whether the server holds the vault's data key for this device, so that her
    /// supervisor can give it back if she forgets her PIN.
    pub key_deposited: bool,
    /// What the county decides for its phones (the key an unsent-records file is sealed
    /// to, how long sent visits' answers stay, what a PIN must be), and when it was fetched:
    /// after a run that reached the server, once a day at most.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub county: Option<KeptCounty>,
}

/// The county's policy as the phone keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeptCounty {
    pub policy: CountyPolicy,
    pub fetched_at: DateTime<Utc>,
}

/// How often the phone asks its county's policy again.
const COUNTY_EVERY: Duration = Duration::days(1);

/// What storage holds: the current shape, or the one kept before tokens were bound to their
/// server (`{token, worker}`), read by one deserializer.
#[derive(Deserialize)]
struct Kept {
    token: String,
    worker: Worker,
    #[serde(default)]
    server: Option<ServerOrigin>,
    #[serde(default)]
    token_issued_at: Option<DateTime<Utc>>,
    #[serde(default)]
    key_deposited: bool,
    #[serde(default)]
    county: Option<KeptCounty>,
}

impl DeviceEnrolment {
    /// A phone that has just joined `server`.
    pub fn joined(reply: EnrollReply, server: ServerOrigin, now: DateTime<Utc>) -> DeviceEnrolment {
        DeviceEnrolment {
            token: reply.token,
            worker: reply.worker,
            server,
            token_issued_at: now,
            key_deposited: false,
            county: None,
        }
    }

    /// Reads what storage holds, and whether it must be kept again in the current shape. An
    /// enrolment kept before tokens were bound to servers is bound to `earlier_server` (the
    /// server the phone was using, if the app trusts it) and its token is rotated at the next
    /// chance; without one, it counts as none, and the worker joins again. Unreadable text is
    /// none.
    pub fn read_stored(
        json: &str,
        earlier_server: impl FnOnce() -> Option<ServerOrigin>,
    ) -> Option<(DeviceEnrolment, bool)> {
        let kept: Kept = serde_json::from_str(json).ok()?;
        let upgraded = kept.server.is_none();
        let server = kept.server.or_else(earlier_server)?;
        let token_issued_at = kept.token_issued_at.unwrap_or(DateTime::UNIX_EPOCH);
        let enrolment = DeviceEnrolment {
            token: kept.token,
            worker: kept.worker,
            server,
            token_issued_at,
            key_deposited: kept.key_deposited,
            county: kept.county,
        };
        Some((enrolment, upgraded))
    }

    /// The token to send to `server`: none to any server but the one that issued it.
    pub fn token_for(&self, server: &ServerOrigin) -> Option<&str> {
        (*server == self.server).then_some(self.token.as_str())
    }

    /// Who the entries this enrolment saves belong to.
    pub fn owner(&self) -> EntryOwner {
        EntryOwner::new(self.server.clone(), &self.worker.place, &self.worker.name)
    }

    /// Whether the token is old enough to be replaced.
    pub fn rotation_due(&self, now: DateTime<Utc>) -> bool {
        now - self.token_issued_at >= Duration::days(TOKEN_ROTATION_DAYS)
    }

    /// The same enrolment, its data key held by the server.
    pub fn deposited(&self) -> DeviceEnrolment {
        DeviceEnrolment { key_deposited: true, ..self.clone() }
    }

    /// The county's policy, if the phone has fetched it.
    pub fn county_policy(&self) -> Option<&CountyPolicy> {
        self.county.as_ref().map(|county| &county.policy)
    }

    /// Whether to ask the county's policy (again) at `now`.
    pub fn county_due(&self, now: DateTime<Utc>) -> bool {
        self.county.as_ref().is_none_or(|county| now - county.fetched_at >= COUNTY_EVERY)
    }

    /// The same enrolment, holding the county's `policy` as fetched at `now`.
    pub fn with_county(&self, policy: CountyPolicy, now: DateTime<Utc>) -> DeviceEnrolment {
        DeviceEnrolment { county: Some(KeptCounty { policy, fetched_at: now }), ..self.clone() }
    }

    /// The same enrolment with a new token from the same server.
    pub fn rotated(&self, token: String, now: DateTime<Utc>) -> DeviceEnrolment {
        DeviceEnrolment { token, token_issued_at: now, ..self.clone() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::worker::{Place, Role};
    use uuid::Uuid;

    fn t(days: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_790_000_000 + days * 86_400, 0).unwrap()
    }

    fn worker(name: &str, village: &str) -> Worker {
        Worker {
            id: Uuid::from_u128(1),
            name: name.into(),
            role: Role::Director,
            place: Place { township: "石门镇".into(), village: village.into() },
        }
    }

    fn origin(text: &str) -> ServerOrigin {
        ServerOrigin::parse(text).unwrap()
    }

    fn joined() -> DeviceEnrolment {
        DeviceEnrolment::joined(
            EnrollReply { token: "t0k".into(), worker: worker("李芳", "桃源村") },
            origin("https://tx.example.cn"),
            t(0),
        )
    }

    #[test]
    fn the_token_goes_to_its_own_server_only() {
        let enrolment = joined();
        assert_eq!(enrolment.token_for(&origin("https://tx.example.cn/")), Some("t0k"));
        assert_eq!(enrolment.token_for(&origin("https://evil.example")), None);
        assert_eq!(enrolment.token_for(&origin("http://tx.example.cn")), None);
    }

    #[test]
    fn it_reads_back_as_kept() {
        let enrolment = joined();
        let json = serde_json::to_string(&enrolment).unwrap();
        assert_eq!(DeviceEnrolment::read_stored(&json, || None), Some((enrolment.clone(), false)));
        assert_eq!(DeviceEnrolment::read_stored("{", || None), None);
        let tampered = json.replace("https://tx.example.cn", "https://evil.example/x");
        assert_eq!(
            DeviceEnrolment::read_stored(&tampered, || None),
            None,
            "a server that is not an origin is no enrolment"
        );
        assert!(!json.contains("county"), "none until fetched");
    }

    #[test]
    fn the_county_policy_is_kept_and_asked_again_a_day_later() {
        let enrolment = joined();
        assert!(enrolment.county_due(t(0)));
        let key = crate::unsent_file::CountySecret::from_seed(&[5; 32]).public();
        let policy = CountyPolicy { key, keep_sent_visit_days: 14, pin_rule: crate::vault::PinRule::SixDigits };
        let with_county = enrolment.with_county(policy.clone(), t(0));
        let json = serde_json::to_string(&with_county).unwrap();
        let (read, _) = DeviceEnrolment::read_stored(&json, || None).unwrap();
        assert_eq!(read.county_policy(), Some(&policy));
        assert!(!read.county_due(t(0)) && read.county_due(t(1)));
    }

    #[test]
    fn an_enrolment_kept_before_binding_is_bound_to_the_trusted_earlier_server_and_rotated() {
        let old = r#"{"token":"t0k","worker":{"id":"00000000-0000-0000-0000-000000000001","name":"李芳","role":"director","township":"石门镇","village":"桃源村"}}"#;
        let (bound, upgraded) = DeviceEnrolment::read_stored(old, || Some(origin("http://127.0.0.1:8080"))).unwrap();
        assert!(upgraded, "kept again in the current shape");
        assert_eq!(bound.token_for(&origin("http://127.0.0.1:8080")), Some("t0k"));
        assert!(bound.rotation_due(t(0)));
        assert_eq!(DeviceEnrolment::read_stored(old, || None), None, "no trusted server: join again");
    }

    #[test]
    fn tokens_are_rotated_after_thirty_days() {
        let enrolment = joined();
        assert!(!enrolment.rotation_due(t(29)));
        assert!(enrolment.rotation_due(t(30)));
        let rotated = enrolment.rotated("n3w".into(), t(30));
        assert_eq!((rotated.token.as_str(), rotated.server.as_str()), ("n3w", "https://tx.example.cn"));
        assert!(!rotated.rotation_due(t(31)));
    }

    #[test]
    fn the_owner_is_the_worker_her_place_and_her_server() {
        let owner = joined().owner();
        assert_eq!(
            (owner.name.as_str(), owner.village.as_str(), owner.server.as_str()),
            ("李芳", "桃源村", "https://tx.example.cn")
        );
    }
}
