//! Where a pull writes (the phone's [`ReceivedDb`]), with the lists read again as soon as the
//! first page that brought records is written: a new phone shows the first children of its
//! village while the rest arrive, instead of an empty due list until the pull has ended
//! (which reads them again too). Only the first: reading every child again after each page
//! would slow a cheap phone's pull.

use std::cell::Cell;

use tongxing_core::pull::ReceivedStore;
use tongxing_core::wire::ChangesPage;

use super::SyncDriver;
use crate::storage::{ReceivedDb, StorageError};

pub(super) struct ShownAsReceived {
    pub store: ReceivedDb,
    pub driver: SyncDriver,
    pub shown: Cell<bool>,
}

impl ReceivedStore for ShownAsReceived {
    type Error = StorageError;

    async fn cursor(&self) -> Result<u64, StorageError> {
        self.store.cursor().await
    }

    async fn receive(&self, page: &ChangesPage) -> Result<(), StorageError> {
        self.store.receive(page).await?;
        if !page.is_empty() && !self.shown.replace(true) {
            self.driver.announce();
        }
        Ok(())
    }
}
