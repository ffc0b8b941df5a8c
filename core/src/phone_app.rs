//! The two apps built from one code base, and which one a phone opens: the field app
//! (directors, love mothers and volunteers record visits, offline) is served at `/`; the
//! oversight app (a township supervisor reads her township from the server) at
//! `/oversight/`. A director never downloads the supervisor's screens, nor she the forms.

use crate::Role;

/// One of the two apps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhoneApp {
    /// Recording visits and children's files, offline: everyone who visits children.
    Field,
    /// Reading, filtering and exporting a township's records, and inviting its workers.
    Oversight,
}

impl PhoneApp {
    /// Where the oversight app is served, below the field app's root.
    pub const OVERSIGHT_ROOT: &'static str = "/oversight/";

    /// The app a phone joined as `role` opens (`None`: not joined yet, which the field app
    /// handles: it keeps what is recorded before joining, and joins).
    pub fn for_role(role: Option<Role>) -> PhoneApp {
        match role {
            Some(role) if role.oversees() => PhoneApp::Oversight,
            _ => PhoneApp::Field,
        }
    }

    /// The app's home address.
    pub fn root(self) -> &'static str {
        match self {
            PhoneApp::Field => "/",
            PhoneApp::Oversight => PhoneApp::OVERSIGHT_ROOT,
        }
    }

    /// The app that serves the address `path`.
    pub fn serving(path: &str) -> PhoneApp {
        let oversight = PhoneApp::OVERSIGHT_ROOT.trim_end_matches('/');
        match path.strip_prefix(oversight) {
            Some(rest) if rest.is_empty() || rest.starts_with('/') => PhoneApp::Oversight,
            _ => PhoneApp::Field,
        }
    }

    /// Where the field app is served, from the base path of either app's page
    /// (`/oversight/` → `/`; `/tongxing/oversight/` → `/tongxing/`): invites and joining
    /// are the field app's.
    pub fn field_base(base_path: &str) -> &str {
        let oversight = PhoneApp::OVERSIGHT_ROOT.trim_start_matches('/');
        base_path.strip_suffix(oversight).unwrap_or(base_path)
    }

    /// The oversight app's page of one child of the township.
    pub fn township_child_path(child_id: &str) -> String {
        format!("{}children/{child_id}", PhoneApp::OVERSIGHT_ROOT)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_supervisor_opens_the_oversight_app_and_everyone_else_the_field_app() {
        assert_eq!(PhoneApp::for_role(Some(Role::Supervisor)), PhoneApp::Oversight);
        assert_eq!(PhoneApp::for_role(Some(Role::County)), PhoneApp::Oversight);
        for role in [Role::Director, Role::LoveMother, Role::Volunteer] {
            assert_eq!(PhoneApp::for_role(Some(role)), PhoneApp::Field, "{role}");
        }
        assert_eq!(PhoneApp::for_role(None), PhoneApp::Field, "joining happens in the field app");
    }

    #[test]
    fn invites_lead_to_the_field_app_from_either_app() {
        assert_eq!(PhoneApp::field_base("/"), "/");
        assert_eq!(PhoneApp::field_base("/oversight/"), "/");
        assert_eq!(PhoneApp::field_base("/tongxing/"), "/tongxing/");
        assert_eq!(PhoneApp::field_base("/tongxing/oversight/"), "/tongxing/");
    }

    #[test]
    fn each_address_belongs_to_one_app() {
        for path in ["/oversight", "/oversight/", "/oversight/children/abc", "/oversight/settings"] {
            assert_eq!(PhoneApp::serving(path), PhoneApp::Oversight, "{path}");
        }
        for path in ["/", "/join", "/children/abc", "/oversightx", "/visits/oversight/", "/api/oversight"] {
            assert_eq!(PhoneApp::serving(path), PhoneApp::Field, "{path}");
        }
        assert_eq!(PhoneApp::serving(PhoneApp::Oversight.root()), PhoneApp::Oversight);
        assert_eq!(PhoneApp::serving(PhoneApp::Field.root()), PhoneApp::Field);
        assert_eq!(PhoneApp::serving(&PhoneApp::township_child_path("c1")), PhoneApp::Oversight);
    }
}
