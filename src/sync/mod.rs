//! Moving the outbox to the server: when to run (start, `online`, a timer, the page
//! becoming visible, "sync now"), one run at a time across every open tab, and the state the
//! sync indicator shows. What to do with each answer is decided in `tongxing-core`.

mod background_send;
mod browser_clock;
mod county;
mod http_transport;
mod key_deposit;
mod key_recovery;
mod run_lock;
mod shown_as_received;
mod sync_driver;
mod token_rotation;

pub use browser_clock::BrowserClock;
pub use county::fetch_if_due as fetch_county_if_due;
pub use http_transport::HttpTransport;
pub use key_recovery::recover_key;
pub use sync_driver::{SyncDriver, SyncStatus};
