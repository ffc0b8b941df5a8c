//! What the screens read from their address, typed: the route's `:id` (`/children/:id`) and
//! the query's `?child=<id>` and `?visit=<id>`. A parameter that is not a valid id makes the
//! whole read an error. (One type for both reads: each type read costs the app's size.)

use leptos::Params;
use leptos_router::params::Params;
use uuid::Uuid;

/// The ids an address names.
#[derive(Params, Debug, Clone, PartialEq)]
pub struct AddressIds {
    /// `:id` of a record's screen (`/children/:id`, `/visits/:id`); `None` on a route
    /// without one (`/children/new`).
    pub id: Option<Uuid>,
    /// `?child=<id>`: the child of a new visit.
    pub child: Option<Uuid>,
    /// `?visit=<id>`: the visit to go back to once a child is added.
    pub visit: Option<Uuid>,
}
