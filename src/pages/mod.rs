//! One file per screen.

mod not_found_page;
mod settings_page;
mod storage_unavailable_page;
mod visit_form_page;
mod visit_list_page;

pub use not_found_page::NotFoundPage;
pub use settings_page::SettingsPage;
pub use storage_unavailable_page::StorageUnavailablePage;
pub use visit_form_page::VisitFormPage;
pub use visit_list_page::VisitListPage;
