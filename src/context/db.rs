//! The phone's database.

use leptos::prelude::*;

use crate::storage::Database;

/// The phone's database, in context.
#[derive(Clone, Copy)]
pub struct Db(pub StoredValue<Database, LocalStorage>);

impl Db {
    /// A handle to use in an async block.
    pub fn get(&self) -> Database {
        self.0.get_value()
    }
}
