//! Who may call the server: invites, enrolled devices and their tokens.

pub mod devices;
pub mod first_run;
pub mod invites;
pub mod pairable;
mod revocation;
pub mod secret;

pub use devices::{authenticate, enroll, AuthError, EnrollError};
pub use invites::{InviteError, MakeInviteError, NewInvite};
