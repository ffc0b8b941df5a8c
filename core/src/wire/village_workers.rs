//! The love mothers and volunteers of a director's village, whom she may pair with a child
//! (`GET /api/v1/village/workers`), and the same line for the worker a received pairing
//! names (`ChangesPage::paired_workers`). Only what the pairing shows: no phone number.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::worker::Role;

/// A love mother or a volunteer of the village, by her phone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VillageWorker {
    /// Her phone's device id: a pairing's `worker_id`.
    pub id: Uuid,
    /// Her name as she joined.
    pub name: String,
    /// `love_mother` or `volunteer`.
    pub role: Role,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_worker_travels_by_id_name_and_role_only() {
        let worker = VillageWorker { id: Uuid::from_u128(7), name: "赵妈妈".into(), role: Role::LoveMother };
        let json = serde_json::to_value(&worker).unwrap();
        assert_eq!(json, serde_json::json!({"id": Uuid::from_u128(7), "name": "赵妈妈", "role": "love_mother"}));
        assert_eq!(serde_json::from_value::<VillageWorker>(json).unwrap(), worker);
    }
}
