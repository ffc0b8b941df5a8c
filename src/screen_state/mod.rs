//! What the screens hold beside their drawing: state kept for the app's lifetime in context
//! (so coming back to a screen shows it as it was left) and the state of screens whose
//! parts share it.

mod due_list_cache;
mod join_state;
mod opened_child;
mod opened_child_file;
mod opened_visit;
mod township_list;
mod township_state;

pub use due_list_cache::DueListCache;
pub use join_state::{link_host, JoinState};
pub use opened_child::{open_child, OpenedChild};
pub use opened_child_file::{open_child_file, OpenedChildFile};
pub use opened_visit::{open_visit, read_from_server, OpenedVisit};
pub use township_list::TownshipList;
pub use township_state::{TownshipState, TownshipTab};
