//! The server's records as they are stored. For now its reading module: what the
//! supervisor's lists, the exports and a child's archive read, in one place.

pub mod reads;
