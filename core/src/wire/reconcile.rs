//! The supervisor's "to reconcile" list (待核对, `GET /api/v1/conflicts`): two phones
//! changed the same field of a child's file to different values, so the second edit was
//! kept aside (core's [`crate::field_merge`]); she sees both versions side by side and picks
//! one (`POST /api/v1/conflicts/{id}`), which becomes the file's next revision, received by
//! every phone of the child.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::child::Child;

/// One child's file with an edit kept aside.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ToReconcile {
    /// The kept-aside edit's number, to pick with.
    pub id: i64,
    /// The file as it now stands (what every phone has).
    pub held: Child,
    /// Who sent the revision that stands (her name as she joined), if known.
    pub held_by: Option<String>,
    /// The edit kept aside.
    pub kept_aside: Child,
    /// Who sent the edit kept aside, if known.
    pub kept_aside_by: Option<String>,
    /// When the edit kept aside arrived.
    pub kept_aside_at: DateTime<Utc>,
    /// The fields of the file in which the two differ (`name`, `school`, `guardians`, …).
    pub fields: Vec<String>,
}

/// Which of the two versions a supervisor keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReconcileChoice {
    /// The file as it stands.
    Held,
    /// The edit kept aside.
    KeptAside,
}

/// `POST /api/v1/conflicts/{id}`: the supervisor's pick.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Reconcile {
    pub keep: ReconcileChoice,
    /// The revision of the file she saw as held: if the file has changed since, the pick
    /// is refused (`held_revision`: `mismatch`) and she looks again.
    pub held_revision: u32,
}
