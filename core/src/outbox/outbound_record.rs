//! A record as the outbox sends it: a visit or a child's file, with where it goes and its
//! body.

use super::RecordRef;
use crate::child::Child;
use crate::wire::API_PREFIX;
use crate::RecordKind;
use crate::Visit;

/// A record ready to send.
#[derive(Debug, Clone, PartialEq)]
pub enum OutboundRecord {
    Visit(Visit),
    Child(Child),
}

impl OutboundRecord {
    /// Which entry it belongs to.
    pub fn record_ref(&self) -> RecordRef {
        match self {
            OutboundRecord::Visit(v) => RecordRef { kind: RecordKind::Visit, id: v.id },
            OutboundRecord::Child(c) => RecordRef { kind: RecordKind::Child, id: c.id },
        }
    }

    /// Its revision.
    pub fn revision(&self) -> u32 {
        match self {
            OutboundRecord::Visit(v) => v.revision,
            OutboundRecord::Child(c) => c.revision,
        }
    }

    /// The path to `PUT` it to, below the server's base URL.
    pub fn path(&self) -> String {
        match self {
            OutboundRecord::Visit(v) => format!("{API_PREFIX}/visits/{}", v.id),
            OutboundRecord::Child(c) => format!("{API_PREFIX}/children/{}", c.id),
        }
    }

    /// The JSON body.
    pub fn body(&self) -> String {
        // Both have only string keys and plain values: serialising cannot fail.
        match self {
            OutboundRecord::Visit(v) => serde_json::to_string(v).unwrap_or_default(),
            OutboundRecord::Child(c) => serde_json::to_string(c).unwrap_or_default(),
        }
    }
}
