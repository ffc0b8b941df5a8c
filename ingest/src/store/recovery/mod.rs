//! Getting a worker's data back when she forgot her PIN (issue 14, item 3; SECURITY.md):
//! the server's own key, kept in a file apart from the database ([`server_key`]), the data
//! keys phones leave sealed under it ([`deposits`]), and the recoveries supervisors issue
//! and locked phones claim ([`recoveries`]).

pub mod deposits;
pub mod recoveries;
pub mod server_key;

pub use deposits::{deposit, forget_device, DepositError, Deposited};
pub use recoveries::{claim, issue, ClaimError, IssueError};
pub use server_key::{SealedKeyError, ServerKey, RECOVERY_KEY_FILE};
