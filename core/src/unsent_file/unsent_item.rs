//! What a frame of an unsent-records file holds: the manifest first, then one record or
//! one photo each.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::DeviceProof;
use crate::case_plan::CasePlan;
use crate::child::Child;
use crate::outbox::OutboundRecord;
use crate::pairing::Pairing;
use crate::photo::PhotoHash;
use crate::Visit;

/// The first frame: whose records these are and how many follow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnsentManifest {
    /// The device (its enrolment's worker id) that made the file.
    pub device: Uuid,
    pub made_at: DateTime<Utc>,
    /// Records that follow (visits, children's files, pairings and case plans).
    pub records: u32,
    /// Photos that follow.
    pub photos: u32,
    pub proof: DeviceProof,
}

/// One record or one photo.
#[derive(Debug, Clone, PartialEq)]
pub enum UnsentItem {
    Record(OutboundRecord),
    Photo { hash: PhotoHash, bytes: Vec<u8> },
}

/// The first byte of a frame's plain text: what it holds.
const VISIT: u8 = 1;
const CHILD: u8 = 2;
const PHOTO: u8 = 3;
const PAIRING: u8 = 4;
const CASE_PLAN: u8 = 5;
/// A photo frame's hash: 64 hex digits.
const HASH_LEN: usize = 64;

/// Why a frame's plain text is not an item.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ItemProblem {
    #[error("a frame of unknown kind {0}")]
    UnknownKind(u8),
    #[error("an empty frame")]
    Empty,
    #[error("a record that is not readable: {0}")]
    Record(String),
    #[error("a photo frame without a hash")]
    PhotoHash,
    #[error("a photo whose bytes do not match its hash {0}")]
    PhotoBytes(PhotoHash),
}

impl UnsentItem {
    /// The plain text of its frame.
    pub(super) fn to_bytes(&self) -> Vec<u8> {
        match self {
            UnsentItem::Record(record) => {
                let kind = match record {
                    OutboundRecord::Visit(_) => VISIT,
                    OutboundRecord::Child(_) => CHILD,
                    OutboundRecord::Pairing(_) => PAIRING,
                    OutboundRecord::CasePlan(_) => CASE_PLAN,
                };
                let mut bytes = vec![kind];
                bytes.extend_from_slice(record.body().as_bytes());
                bytes
            }
            UnsentItem::Photo { hash, bytes } => {
                let mut frame = Vec::with_capacity(1 + HASH_LEN + bytes.len());
                frame.push(PHOTO);
                frame.extend_from_slice(hash.as_str().as_bytes());
                frame.extend_from_slice(bytes);
                frame
            }
        }
    }

    /// The item whose frame's plain text is `bytes`; a photo must match its hash.
    pub(super) fn from_bytes(bytes: Vec<u8>) -> Result<UnsentItem, ItemProblem> {
        let (&kind, rest) = bytes.split_first().ok_or(ItemProblem::Empty)?;
        let unreadable = |error: serde_json::Error| ItemProblem::Record(error.to_string());
        match kind {
            VISIT => Ok(UnsentItem::Record(OutboundRecord::Visit(
                serde_json::from_slice::<Visit>(rest).map_err(unreadable)?,
            ))),
            CHILD => Ok(UnsentItem::Record(OutboundRecord::Child(
                serde_json::from_slice::<Child>(rest).map_err(unreadable)?,
            ))),
            PAIRING => Ok(UnsentItem::Record(OutboundRecord::Pairing(
                serde_json::from_slice::<Pairing>(rest).map_err(unreadable)?,
            ))),
            CASE_PLAN => Ok(UnsentItem::Record(OutboundRecord::CasePlan(
                serde_json::from_slice::<CasePlan>(rest).map_err(unreadable)?,
            ))),
            PHOTO => {
                let hash = rest.get(..HASH_LEN).and_then(|hash| std::str::from_utf8(hash).ok());
                let hash = hash.and_then(|hash| PhotoHash::parse(hash).ok()).ok_or(ItemProblem::PhotoHash)?;
                let photo = rest[HASH_LEN..].to_vec();
                if PhotoHash::of_bytes(&photo) != hash {
                    return Err(ItemProblem::PhotoBytes(hash));
                }
                Ok(UnsentItem::Photo { hash, bytes: photo })
            }
            other => Err(ItemProblem::UnknownKind(other)),
        }
    }
}
