//! What the visit screen opens: a visit's draft and the form version it answers; for a
//! visit recorded on another phone (the phone holds its summary only), its answers read
//! from the server first.

use tongxing_core::form::{FormCatalog, FormDefinition};
use tongxing_core::schedule::{Cadence, VisitSummary};
use tongxing_core::visit_on_server::{self, VisitReadProblem};
use tongxing_core::VisitDraft;
use uuid::Uuid;

use crate::storage::{enrolment, Database, Settings, StorageError};
use crate::sync::{BrowserClock, HttpTransport};

/// What opening a visit found.
#[derive(Clone)]
pub enum OpenedVisit {
    /// The draft to edit and the form version it answers.
    Draft(VisitDraft, &'static FormDefinition),
    /// A visit recorded on another phone: its summary, until its answers come from the
    /// server ([`read_from_server`]).
    OnServer(VisitSummary),
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
                match db.received_summary(id).await {
                    Ok(Some(summary)) => return OpenedVisit::OnServer(summary),
                    Ok(None) => {}
                    Err(error) => return OpenedVisit::Failed(error),
                }
                let Some(form) = catalog.home_visit() else { return OpenedVisit::UnknownForm };
                let now = BrowserClock::local_now();
                VisitDraft::new(id, None, form, now.date_naive(), now)
            }
            Err(error) => return OpenedVisit::Failed(error),
        },
        Err(error) => return OpenedVisit::Failed(error),
    };
    with_form(draft)
}

/// The draft with the form version it answers, looked up by id and version.
fn with_form(draft: VisitDraft) -> OpenedVisit {
    match FormCatalog::builtin().get(&draft.form_id, draft.form_version) {
        Some(form) => OpenedVisit::Draft(draft, form),
        None => OpenedVisit::UnknownForm,
    }
}

/// Reads the visit `id`, recorded on another phone, from the server the phone joined, and
/// opens it as a draft of its newest revision (saving it sends a newer one, under her name
/// as its sender; whoever made the visit stays its visitor).
pub async fn read_from_server(id: Uuid) -> Result<OpenedVisit, VisitReadProblem> {
    let Some(enrolled) = enrolment::load() else { return Err(VisitReadProblem::MustRejoin) };
    let transport = HttpTransport::new(enrolled.server.clone(), Some(&enrolled), Settings::load().lang);
    let visit = visit_on_server::read_visit(id, transport.get(&visit_on_server::path(id)).await)?;
    Ok(with_form(VisitDraft::from_visit(&visit, &Cadence::standard())))
}
