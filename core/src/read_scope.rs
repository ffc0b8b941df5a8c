//! Who sees what (README, "Who sees what"): which of the server's records a worker's phone
//! receives. A director receives every child of her village and all their visits; a love
//! mother or a volunteer the children paired with her (结对, [`crate::pairing::Pairing`])
//! and their visits; a supervisor reads her township through her own lists, not as a feed
//! to her phone. The server builds its queries from this type, so the rule is written once.

use uuid::Uuid;

use crate::worker::{Place, Role};
use crate::Worker;

/// The records a worker's phone receives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadScope {
    /// Every child of the village, and their visits.
    Village(Place),
    /// The children paired with this worker (by her device id) in her village, and their
    /// visits.
    Paired { worker: Uuid, place: Place },
    /// The whole township, read through the supervisor's lists.
    Township(String),
    /// Every township of the server's county, read through the county's figures.
    County,
}

impl ReadScope {
    /// The scope of `worker`, by her role and place.
    pub fn of(worker: &Worker) -> ReadScope {
        match worker.role {
            Role::Director => ReadScope::Village(worker.place.clone()),
            Role::LoveMother | Role::Volunteer => ReadScope::Paired { worker: worker.id, place: worker.place.clone() },
            Role::Supervisor => ReadScope::Township(worker.place.township.clone()),
            Role::County => ReadScope::County,
        }
    }

    /// Whether a record kept for `held` (its child paired with this worker or not)
    /// reaches a phone of this scope. A record kept for no place (received before places
    /// were kept) reaches no phone.
    pub fn receives(&self, held: &Place, paired_with_her: bool) -> bool {
        if held.township.is_empty() {
            return false;
        }
        match self {
            ReadScope::Village(place) => held == place,
            ReadScope::Paired { place, .. } => held == place && paired_with_her,
            ReadScope::Township(township) => held.township == *township,
            ReadScope::County => true,
        }
    }

    /// Whether this scope is sent to a phone as changes (`GET /api/v1/changes`); a
    /// supervisor's and the county's are not.
    pub fn is_a_feed(&self) -> bool {
        !matches!(self, ReadScope::Township(_) | ReadScope::County)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(township: &str, village: &str) -> Place {
        Place { township: township.into(), village: village.into() }
    }

    fn worker(role: Role) -> Worker {
        Worker { id: Uuid::from_u128(7), name: "李梅".into(), role, place: place("石门镇", "桃源村") }
    }

    #[test]
    fn each_role_has_its_scope() {
        assert_eq!(ReadScope::of(&worker(Role::Director)), ReadScope::Village(place("石门镇", "桃源村")));
        let paired = ReadScope::Paired { worker: Uuid::from_u128(7), place: place("石门镇", "桃源村") };
        assert_eq!(ReadScope::of(&worker(Role::LoveMother)), paired);
        assert_eq!(ReadScope::of(&worker(Role::Volunteer)), paired);
        assert_eq!(ReadScope::of(&worker(Role::Supervisor)), ReadScope::Township("石门镇".into()));
    }

    #[test]
    fn a_director_receives_her_village_only() {
        let scope = ReadScope::of(&worker(Role::Director));
        assert!(scope.receives(&place("石门镇", "桃源村"), false));
        assert!(!scope.receives(&place("石门镇", "杏花村"), true), "the next village, paired or not");
        assert!(!scope.receives(&place("白沙镇", "桃源村"), false), "a village of the same name elsewhere");
    }

    #[test]
    fn a_love_mother_receives_only_the_children_paired_with_her() {
        let scope = ReadScope::of(&worker(Role::LoveMother));
        assert!(scope.receives(&place("石门镇", "桃源村"), true));
        assert!(!scope.receives(&place("石门镇", "桃源村"), false), "her village, not paired");
        assert!(!scope.receives(&place("石门镇", "杏花村"), true), "paired, but another village's file");
    }

    #[test]
    fn records_of_no_place_reach_nobody_and_supervisors_get_no_feed() {
        for role in Role::ALL {
            assert!(!ReadScope::of(&worker(role)).receives(&place("", ""), true), "{role}");
        }
        let supervisor = ReadScope::of(&worker(Role::Supervisor));
        assert!(supervisor.receives(&place("石门镇", "杏花村"), false));
        assert!(!supervisor.is_a_feed());
        assert!(ReadScope::of(&worker(Role::Director)).is_a_feed());
        let county = ReadScope::of(&worker(Role::County));
        assert!(
            county.receives(&place("白沙镇", "杏花村"), false) && county.receives(&place("石门镇", "桃源村"), false)
        );
        assert!(!county.is_a_feed());
    }
}
