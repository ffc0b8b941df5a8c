//! What the screens hold beside their drawing: state kept for the app's lifetime in context
//! (so coming back to a screen shows it as it was left) and the state of screens whose
//! parts share it.

mod join_state;

pub use join_state::{link_host, JoinState};
