//! One file per screen.

mod case_plan_page;
mod child_form_page;
mod child_list_page;
mod child_page;
mod county_page;
mod due_list_page;
mod join_page;
mod not_found_page;
mod settings_page;
mod storage_unavailable_page;
mod township_child_page;
mod township_page;
mod visit_form_page;
mod visit_list_page;

pub use case_plan_page::CasePlanPage;
pub use child_form_page::ChildFormPage;
pub use child_list_page::ChildListPage;
pub use child_page::ChildPage;
pub use county_page::CountyPage;
pub use due_list_page::DueListPage;
pub use join_page::{JoinPage, JoinScreen};
pub use not_found_page::NotFoundPage;
pub use settings_page::{FieldSettingsPage, SettingsPage};
pub use storage_unavailable_page::StorageUnavailablePage;
pub use township_child_page::TownshipChildPage;
pub use township_page::TownshipPage;
pub use visit_form_page::VisitFormPage;
pub use visit_list_page::VisitListPage;
