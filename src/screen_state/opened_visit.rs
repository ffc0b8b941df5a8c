//! What the visit screen opens: a visit's draft and the form version it answers.

use tongxing_core::form::{FormCatalog, FormDefinition};
use tongxing_core::schedule::Cadence;
use tongxing_core::VisitDraft;
use uuid::Uuid;

use crate::storage::{Database, StorageError};
use crate::sync::BrowserClock;

/// What opening a visit found.
#[derive(Clone)]
pub enum OpenedVisit {
    /// The draft to edit and the form version it answers.
    Draft(VisitDraft, &'static FormDefinition),
    /// No visit id in the address.
    NotFound,
    /// The draft names a form version this build does not have.
    UnknownForm,
    /// Storage could not be read.
    Failed(StorageError),
}

/// The open draft of a visit, else a draft of its saved revision, else a new draft of the
/// newest home-visit form; with the form version it answers, looked up by id and version so
/// that a visit begun under an older version opens and saves under it.
pub async fn open_visit(db: &Database, id: Uuid) -> OpenedVisit {
    let catalog = FormCatalog::builtin();
    let draft = match db.draft(id).await {
        Ok(Some(draft)) => draft,
        Ok(None) => match db.visit(id).await {
            Ok(Some(visit)) => VisitDraft::from_visit(&visit, &Cadence::standard()),
            Ok(None) => {
                let Some(form) = catalog.home_visit() else { return OpenedVisit::UnknownForm };
                let now = BrowserClock::local_now();
                VisitDraft::new(id, None, form, now.date_naive(), now)
            }
            Err(error) => return OpenedVisit::Failed(error),
        },
        Err(error) => return OpenedVisit::Failed(error),
    };
    match catalog.get(&draft.form_id, draft.form_version) {
        Some(form) => OpenedVisit::Draft(draft, form),
        None => OpenedVisit::UnknownForm,
    }
}
