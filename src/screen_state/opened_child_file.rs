//! What the child form opens: the file to edit, if any, the villages already known, and
//! every file on the phone (her own and those received), to warn of a child registered twice.

use tongxing_core::child::Child;
use uuid::Uuid;

use crate::storage::{Database, StorageError};

/// What the form opens with.
#[derive(Debug, Clone)]
pub struct OpenedChildFile {
    /// The saved file being edited; `None` for a new child.
    pub existing: Option<Child>,
    /// Villages already in the files, for suggestions.
    pub villages: Vec<String>,
    /// Every file on the phone.
    pub children: Vec<Child>,
    /// Who registered the files received from the server.
    pub registrants: std::collections::HashMap<Uuid, String>,
}

/// The file to edit (or none for a new child) and the known villages; `None` when the file
/// to edit does not exist.
pub async fn open_child_file(
    db: &Database,
    editing: Option<Option<Uuid>>,
) -> Result<Option<OpenedChildFile>, StorageError> {
    let existing = match editing {
        None => None,
        Some(None) => return Ok(None),
        Some(Some(id)) => match db.child(id).await? {
            Some(child) => Some(child),
            None => return Ok(None),
        },
    };
    let children = db.children().await?;
    let mut villages: Vec<String> = children.iter().map(|c| c.village.clone()).collect();
    villages.sort();
    villages.dedup();
    let registrants = db.registrants().await?;
    Ok(Some(OpenedChildFile { existing, villages, children, registrants }))
}
