//! What the screens read from their address, typed: route parameters (`/children/:id`) and
//! query parameters (`?child=<id>`). A parameter that is not a valid id makes the whole
//! read an error.

use leptos::Params;
use leptos_router::params::Params;
use uuid::Uuid;

/// `:id` of a record's screen (`/children/:id`, `/visits/:id`); `None` on a route without
/// one (`/children/new`).
#[derive(Params, Debug, Clone, PartialEq)]
pub struct RecordId {
    pub id: Option<Uuid>,
}

/// `?visit=<id>`: the visit to go back to once a child is added.
#[derive(Params, Debug, Clone, PartialEq)]
pub struct ThenVisit {
    pub visit: Option<Uuid>,
}

/// `?child=<id>`: the child of a new visit.
#[derive(Params, Debug, Clone, PartialEq)]
pub struct VisitChild {
    pub child: Option<Uuid>,
}
