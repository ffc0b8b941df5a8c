//! A record as the outbox sends it: a visit, a child's file, a pairing (结对) or a case plan
//! (帮扶计划), with where it goes and its body.

use super::RecordRef;
use crate::case_plan::CasePlan;
use crate::child::Child;
use crate::pairing::Pairing;
use crate::wire::API_PREFIX;
use crate::RecordKind;
use crate::Visit;

/// A record ready to send.
#[derive(Debug, Clone, PartialEq)]
pub enum OutboundRecord {
    Visit(Visit),
    Child(Child),
    Pairing(Pairing),
    CasePlan(CasePlan),
}

impl OutboundRecord {
    /// Which entry it belongs to.
    pub fn record_ref(&self) -> RecordRef {
        match self {
            OutboundRecord::Visit(v) => RecordRef { kind: RecordKind::Visit, id: v.id },
            OutboundRecord::Child(c) => RecordRef { kind: RecordKind::Child, id: c.id },
            OutboundRecord::Pairing(p) => RecordRef { kind: RecordKind::Pairing, id: p.id },
            OutboundRecord::CasePlan(p) => RecordRef { kind: RecordKind::CasePlan, id: p.id },
        }
    }

    /// Its revision.
    pub fn revision(&self) -> u32 {
        match self {
            OutboundRecord::Visit(v) => v.revision,
            OutboundRecord::Child(c) => c.revision,
            OutboundRecord::Pairing(p) => p.revision,
            OutboundRecord::CasePlan(p) => p.revision,
        }
    }

    /// The path to `PUT` it to, below the server's base URL.
    pub fn path(&self) -> String {
        let record = self.record_ref();
        format!("{API_PREFIX}/{}/{}", record.kind.collection(), record.id)
    }

    /// The JSON body.
    pub fn body(&self) -> String {
        // Each has only string keys and plain values: serialising cannot fail.
        match self {
            OutboundRecord::Visit(v) => serde_json::to_string(v).unwrap_or_default(),
            OutboundRecord::Child(c) => serde_json::to_string(c).unwrap_or_default(),
            OutboundRecord::Pairing(p) => serde_json::to_string(p).unwrap_or_default(),
            OutboundRecord::CasePlan(p) => serde_json::to_string(p).unwrap_or_default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{sample_child, sample_visit};

    #[test]
    fn each_record_goes_to_its_collection_under_its_id() {
        let visit = sample_visit();
        assert_eq!(OutboundRecord::Visit(visit.clone()).path(), format!("/api/v1/visits/{}", visit.id));
        let child = sample_child();
        assert_eq!(OutboundRecord::Child(child.clone()).path(), format!("/api/v1/children/{}", child.id));
        let pairing = crate::pairing::Pairing::new(
            uuid::Uuid::from_u128(1),
            child.id,
            uuid::Uuid::from_u128(2),
            child.updated_at,
        );
        let record = OutboundRecord::Pairing(pairing.clone());
        assert_eq!(record.path(), format!("/api/v1/pairings/{}", pairing.id));
        assert_eq!(record.record_ref(), RecordRef { kind: RecordKind::Pairing, id: pairing.id });
        assert_eq!(serde_json::from_str::<crate::pairing::Pairing>(&record.body()).unwrap(), pairing);
    }
}
