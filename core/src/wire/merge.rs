//! One child, not two (一童一档): the supervisor merges two files of one child
//! (`POST /api/v1/duplicates/merge`). The file she keeps stays as it is; the other one's
//! visits and pairings move to it, the other file leaves every list, and every phone that
//! held it receives the merge ([`ChildMerge`] in the changes feed) and drops it.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{FieldError, FieldErrors};

/// Which of two files she keeps, and which one goes into it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MergeChildren {
    /// The file kept.
    pub keep: Uuid,
    /// The file merged into it, which leaves.
    pub merge: Uuid,
}

impl MergeChildren {
    /// Refuses a file merged into itself.
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::new();
        if self.keep == self.merge {
            errors.add("merge", FieldError::Mismatch);
        }
        errors.into_result(())
    }
}

/// What a merge moved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MergedChildren {
    /// The file kept.
    pub child_id: Uuid,
    /// Visits moved to it.
    pub visits: u32,
    /// Pairings moved to it.
    pub pairings: u32,
}

/// A file merged into another, as phones receive it: they drop `from` (keeping whatever of
/// it waits to be sent) and receive its visits again under `into`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChildMerge {
    pub from: Uuid,
    pub into: Uuid,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_not_merged_into_itself() {
        let one = Uuid::from_u128(1);
        assert!(MergeChildren { keep: one, merge: Uuid::from_u128(2) }.validate().is_ok());
        let errors = MergeChildren { keep: one, merge: one }.validate().unwrap_err();
        assert_eq!(errors.get("merge"), Some(&FieldError::Mismatch));
        assert!(serde_json::from_str::<MergeChildren>(
            r#"{"keep":"00000000-0000-0000-0000-000000000001","merge":"00000000-0000-0000-0000-000000000002","x":1}"#
        )
        .is_err());
    }
}
