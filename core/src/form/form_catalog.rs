//! Every form definition this build knows, old versions included, so that a visit filled in
//! under an older version still opens, validates and sends after the form changes.

use std::sync::OnceLock;

use super::{standard_home_visit, FormDefinition};

/// Form definitions by id and version.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FormCatalog {
    forms: Vec<FormDefinition>,
}

impl FormCatalog {
    /// The forms built into this build: every published version of the standard home-visit
    /// form. A new version is added here beside the old ones, never in their place.
    pub fn builtin() -> &'static FormCatalog {
        static BUILTIN: OnceLock<FormCatalog> = OnceLock::new();
        BUILTIN.get_or_init(|| FormCatalog::new(vec![standard_home_visit()]))
    }

    /// A catalog of `forms`.
    pub fn new(forms: Vec<FormDefinition>) -> FormCatalog {
        FormCatalog { forms }
    }

    /// The definition a record was filled in with.
    pub fn get(&self, id: &str, version: u32) -> Option<&FormDefinition> {
        self.forms.iter().find(|form| form.id == id && form.version == version)
    }

    /// The newest version of form `id`: what a new record is filled in with.
    pub fn latest(&self, id: &str) -> Option<&FormDefinition> {
        self.forms.iter().filter(|form| form.id == id).max_by_key(|form| form.version)
    }

    /// The standard home-visit form's newest version.
    pub fn home_visit(&self) -> Option<&FormDefinition> {
        self.latest(HOME_VISIT)
    }
}

/// The id of the standard home-visit form.
pub const HOME_VISIT: &str = "home_visit";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form::Text;

    fn version_2() -> FormDefinition {
        let mut form = standard_home_visit();
        form.version = 2;
        form.title = Text::new("儿童走访记录（第二版）", "Home visit record, second edition");
        form
    }

    #[test]
    fn the_builtin_catalog_holds_the_standard_form_and_its_definitions_check() {
        let catalog = FormCatalog::builtin();
        let form = catalog.home_visit().expect("home visit form");
        assert_eq!((form.id.as_str(), form.version), (HOME_VISIT, 1));
        assert_eq!(form.check(), Ok(()));
    }

    #[test]
    fn old_versions_stay_findable_after_a_new_one_is_added() {
        let catalog = FormCatalog::new(vec![standard_home_visit(), version_2()]);
        assert_eq!(catalog.latest(HOME_VISIT).map(|f| f.version), Some(2));
        assert_eq!(catalog.get(HOME_VISIT, 1).map(|f| f.version), Some(1));
        assert_eq!(catalog.get(HOME_VISIT, 3), None);
        assert_eq!(catalog.get("school_visit", 1), None);
        assert_eq!(catalog.latest("school_visit"), None);
    }
}
