//! Who may call the server: invites, enrolled devices and their tokens.

pub mod devices;
pub mod first_run;
pub mod invites;
pub mod known_tokens;
pub mod pairable;
pub mod revocation;
pub mod secret;
pub mod trainings;

pub use devices::{authenticate, enroll, AuthError, EnrollError};
pub use invites::{InviteError, MakeInviteError, NewInvite};
pub use known_tokens::KnownTokens;
