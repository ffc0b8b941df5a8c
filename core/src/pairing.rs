//! A pairing (结对): a love mother or a volunteer who cares for one child, one to one. The
//! director sets it in the app; it travels like any record (an id made on the phone, a
//! revision one more with each change) and decides what the paired worker's phone receives
//! ([`crate::read_scope::ReadScope::Paired`]). Ending a pairing is a new revision with
//! `active: false`: the worker's phone then drops the child's file and visits (keeping
//! anything of hers not yet sent).

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::wire::VillageWorker;
use crate::FieldErrors;

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
    /// A new pairing (revision 1) of the worker `worker_id` with the child `child_id`, made
    /// on the director's phone with the id `id`.
    pub fn new(id: Uuid, child_id: Uuid, worker_id: Uuid, now: DateTime<FixedOffset>) -> Pairing {
        Pairing { id, child_id, worker_id, active: true, revision: 1, updated_at: now }
    }

    /// The pairing ended: its next revision, with `active: false`.
    pub fn ended(&self, now: DateTime<FixedOffset>) -> Pairing {
        Pairing { active: false, revision: self.revision.saturating_add(1), updated_at: now, ..self.clone() }
    }

    /// Checks the fields and that the id matches the one in the request's address.
    pub fn validate_for(&self, path_id: Uuid) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::new();
        errors.check_record(self.id, path_id, self.revision);
        errors.into_result(())
    }
}

/// The pairings that hold for the child `child`, the oldest first: what her file shows.
pub fn holding_for(pairings: &[Pairing], child: Uuid) -> Vec<&Pairing> {
    let mut holding: Vec<&Pairing> = pairings.iter().filter(|p| p.active && p.child_id == child).collect();
    holding.sort_by_key(|p| (p.updated_at, p.id));
    holding
}

/// A pairing that holds for a child, with whom it names when known: a line of her file.
#[derive(Debug, Clone, PartialEq)]
pub struct PairedWith {
    pub pairing: Pairing,
    pub worker: Option<VillageWorker>,
}

/// The lines of the child `child`'s file: [`holding_for`], each with its worker from
/// `workers`.
pub fn paired_with(pairings: &[Pairing], workers: &[VillageWorker], child: Uuid) -> Vec<PairedWith> {
    holding_for(pairings, child)
        .into_iter()
        .map(|pairing| PairedWith {
            pairing: pairing.clone(),
            worker: workers.iter().find(|worker| worker.id == pairing.worker_id).cloned(),
        })
        .collect()
}

/// The workers a director may pair with the child `child`: those of `workers` not paired
/// with her already, in the order given.
pub fn pickable<'a>(workers: &'a [VillageWorker], pairings: &[Pairing], child: Uuid) -> Vec<&'a VillageWorker> {
    let paired = holding_for(pairings, child);
    workers.iter().filter(|worker| !paired.iter().any(|p| p.worker_id == worker.id)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FieldError;

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
    fn a_new_pairing_holds_and_ending_it_is_its_next_revision() {
        let now = pairing().updated_at;
        let new = Pairing::new(Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(3), now);
        assert_eq!((new.active, new.revision), (true, 1));
        assert_eq!(new.validate_for(new.id), Ok(()));
        let later = now + chrono::Duration::days(30);
        let ended = new.ended(later);
        assert_eq!((ended.id, ended.child_id, ended.worker_id), (new.id, new.child_id, new.worker_id));
        assert_eq!((ended.active, ended.revision, ended.updated_at), (false, 2, later));
    }

    #[test]
    fn a_child_shows_her_pairings_that_hold_and_the_picker_offers_the_others() {
        let child = Uuid::from_u128(2);
        let now = pairing().updated_at;
        let worker = |n: u128, role| VillageWorker { id: Uuid::from_u128(n), name: format!("w{n}"), role };
        let workers = [
            worker(10, crate::Role::LoveMother),
            worker(11, crate::Role::Volunteer),
            worker(12, crate::Role::LoveMother),
        ];
        let with_10 = Pairing::new(Uuid::from_u128(100), child, Uuid::from_u128(10), now);
        let ended_11 = Pairing::new(Uuid::from_u128(101), child, Uuid::from_u128(11), now).ended(now);
        let other_child = Pairing::new(Uuid::from_u128(102), Uuid::from_u128(3), Uuid::from_u128(12), now);
        let pairings = [with_10.clone(), ended_11, other_child];
        assert_eq!(holding_for(&pairings, child), vec![&with_10]);
        let lines = paired_with(&pairings, &workers, child);
        assert_eq!(lines, [PairedWith { pairing: with_10.clone(), worker: Some(workers[0].clone()) }]);
        assert_eq!(paired_with(&pairings, &[], child)[0].worker, None, "a worker not known by name");
        let offered: Vec<Uuid> = pickable(&workers, &pairings, child).iter().map(|w| w.id).collect();
        assert_eq!(
            offered,
            [Uuid::from_u128(11), Uuid::from_u128(12)],
            "ended and other children's pairings do not count"
        );
    }

    #[test]
    fn unknown_fields_are_refused() {
        let mut json = serde_json::to_value(pairing()).unwrap();
        json["note"] = "x".into();
        assert!(serde_json::from_value::<Pairing>(json).is_err());
    }
}
