//! What the server keeps in its database: the connection and migrations ([`db`]), records
//! as phones send them ([`records`], many to a transaction by [`group_commit`]), the one
//! reading module ([`reads`]), the audit log ([`audit`]), workers, invites and devices
//! ([`workers`]), the data keys left for a PIN's recovery and the recoveries issued
//! ([`recovery`]), the server's key files ([`key_file`]) and the county's key for
//! unsent-records files ([`county_key`]), whose each photo is and which visits name it ([`photo_places`],
//! [`visit_photos`]), the files that may be of one child ([`possible_duplicates`]) and their merge ([`child_merge`]), each device's daily photo share ([`upload_quota`]), how long what is safe to drop is kept
//! ([`retention`]), and the modes of
//! the data directory's files ([`private_files`]).

pub mod audit;
pub mod change_feed;
pub mod child_merge;
pub mod county_key;
pub mod db;
pub mod group_commit;
pub mod key_file;
pub mod move_up;
pub mod photo_places;
pub mod possible_duplicates;
pub mod private_files;
pub mod reads;
pub mod reconcile;
pub mod records;
pub mod recovery;
pub mod retention;
pub mod statement;
pub mod upload_quota;
pub mod visit_photos;
pub mod workers;
