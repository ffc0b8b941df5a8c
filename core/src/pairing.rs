//! A pairing (结对): a love mother or a volunteer who cares for one child, one to one. The
//! director sets it in the app; it travels like any record (an id made on the phone, a
//! revision one more with each change) and decides what the paired worker's phone receives
//! ([`crate::read_scope::ReadScope::Paired`]). Ending a pairing is a new revision with
//! `active: false`: the worker's phone then drops the child's file and visits (keeping
//! anything of hers not yet sent).

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{FieldError, FieldErrors};

/// One worker paired with one child.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Pairing {
    /// Made on the phone (UUID v4).
    pub id: Uuid,
    /// The child's file.
    pub child_id: Uuid,
    /// The love mother's or volunteer's device id, as the village's workers are listed.
    pub worker_id: Uuid,
    /// Whether the pairing holds; `false` once it has ended.
    pub active: bool,
    /// 1 for the first save, one more for each later save.
    pub revision: u32,
    /// When this revision was saved, with the phone's UTC offset.
    pub updated_at: DateTime<FixedOffset>,
}

impl Pairing {
    /// Checks the fields and that the id matches the one in the request's address.
    pub fn validate_for(&self, path_id: Uuid) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::new();
        if self.id != path_id {
            errors.add("id", FieldError::Mismatch);
        }
        if self.revision == 0 {
            errors.add("revision", FieldError::OutOfRange);
        }
        errors.into_result(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairing() -> Pairing {
        serde_json::from_value(serde_json::json!({
            "id": "5a0e5f3e-1d2b-4c3a-9e8f-7a6b5c4d3e2f",
            "child_id": "0b7d2f3c-4e5a-4a57-9a51-6f1c2b1e8d3a",
            "worker_id": "00000000-0000-0000-0000-0000000000b1",
            "active": true,
            "revision": 1,
            "updated_at": "2026-11-20T09:30:00+08:00"
        }))
        .unwrap()
    }

    #[test]
    fn a_pairing_checks_its_id_and_revision() {
        let p = pairing();
        assert_eq!(p.validate_for(p.id), Ok(()));
        assert_eq!(p.validate_for(Uuid::nil()).unwrap_err().get("id"), Some(&FieldError::Mismatch));
        let zero = Pairing { revision: 0, ..pairing() };
        assert_eq!(zero.validate_for(zero.id).unwrap_err().get("revision"), Some(&FieldError::OutOfRange));
    }

    #[test]
    fn unknown_fields_are_refused() {
        let mut json = serde_json::to_value(pairing()).unwrap();
        json["note"] = "x".into();
        assert!(serde_json::from_value::<Pairing>(json).is_err());
    }
}
