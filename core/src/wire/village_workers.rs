//! The love mothers and volunteers of a director's village, whom she may pair with a child
//! (`GET /api/v1/village/workers`; a supervisor names a village of her township:
//! `?village=`), and the same line for the worker a pairing names
//! (`ChangesPage::paired_workers`, `ChildFile::paired_workers`). Only what the pairing shows:
//! no phone number.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::record_filter::UnknownParameters;
use crate::worker::{Place, Role, Worker};

/// `?village=桃源村`: which village's workers a supervisor asks for; a director asks for
/// her own (the parameter absent, or her village).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct VillageQuery {
    /// A village of the supervisor's township (required of her).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub village: Option<String>,
    /// Parameters nobody reads, refused by the server.
    #[serde(flatten, skip_serializing)]
    #[cfg_attr(feature = "openapi", param(ignore))]
    pub unknown: UnknownParameters,
}

impl VillageQuery {
    /// The query of `village`'s workers.
    pub fn of(village: &str) -> VillageQuery {
        VillageQuery { village: Some(village.to_owned()), ..VillageQuery::default() }
    }

    /// The place whose workers `asker` gets: a director's own village; for a supervisor the
    /// village named, in her township. `None` for a query that does not fit (an unknown
    /// parameter, a supervisor naming no village, a director naming another).
    pub fn place_for(&self, asker: &Worker) -> Option<Place> {
        if !self.unknown.is_empty() {
            return None;
        }
        let named = self.village.as_deref().map(str::trim);
        match (asker.role, named) {
            (Role::Supervisor, Some(village)) if !village.is_empty() => {
                Some(Place { township: asker.place.township.clone(), village: village.to_owned() })
            }
            (Role::Supervisor, _) => None,
            (_, Some(village)) if village != asker.place.village => None,
            _ => Some(asker.place.clone()),
        }
    }
}

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
    fn a_director_asks_for_her_village_and_a_supervisor_names_one_of_her_township() {
        let place = Place { township: "石门镇".into(), village: "桃源村".into() };
        let director =
            Worker { id: Uuid::from_u128(1), name: "李芳".into(), role: Role::Director, place: place.clone() };
        let supervisor = Worker {
            role: Role::Supervisor,
            place: Place { village: String::new(), ..place.clone() },
            ..director.clone()
        };
        assert_eq!(VillageQuery::default().place_for(&director), Some(place.clone()));
        assert_eq!(VillageQuery::of("桃源村").place_for(&director), Some(place.clone()));
        assert_eq!(VillageQuery::of("杏花村").place_for(&director), None, "not another village's");
        assert_eq!(VillageQuery::of("桃源村").place_for(&supervisor), Some(place));
        assert_eq!(VillageQuery::default().place_for(&supervisor), None, "a supervisor names the village");
        assert_eq!(VillageQuery::of(" ").place_for(&supervisor), None);
        let odd: VillageQuery = serde_urlencoded::from_str("village=桃源村&town=x").unwrap();
        assert_eq!(odd.place_for(&supervisor), None, "unknown parameters are refused");
        assert_eq!(
            serde_urlencoded::to_string(VillageQuery::of("桃源村")).unwrap(),
            "village=%E6%A1%83%E6%BA%90%E6%9D%91"
        );
    }

    #[test]
    fn a_worker_travels_by_id_name_and_role_only() {
        let worker = VillageWorker { id: Uuid::from_u128(7), name: "赵妈妈".into(), role: Role::LoveMother };
        let json = serde_json::to_value(&worker).unwrap();
        assert_eq!(json, serde_json::json!({"id": Uuid::from_u128(7), "name": "赵妈妈", "role": "love_mother"}));
        assert_eq!(serde_json::from_value::<VillageWorker>(json).unwrap(), worker);
    }
}
