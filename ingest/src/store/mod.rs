//! What the server keeps in its database: the connection and migrations ([`db`]), records
//! as phones send them ([`records`], many to a transaction by [`group_commit`]), the one
//! reading module ([`reads`]), the audit log ([`audit`]), workers, invites and devices
//! ([`workers`]), each device's daily photo share ([`upload_quota`]), and the modes of the
//! data directory's files ([`private_files`]).

pub mod audit;
pub mod db;
pub mod group_commit;
pub mod private_files;
pub mod reads;
pub mod records;
pub mod upload_quota;
pub mod workers;
