//! One lock per photo hash, so that the requests about one photo (its pieces, a whole copy
//! of it, its status, its removal) take turns, while other photos go on at the same time.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError, Weak};

use tokio::sync::OwnedMutexGuard;

use super::PhotoHash;

/// The locks of the photos that someone is working on. An entry lives only as long as
/// someone holds or waits for its lock.
#[derive(Debug, Clone, Default)]
pub struct HashLocks {
    locks: Arc<Mutex<HashMap<PhotoHash, Weak<tokio::sync::Mutex<()>>>>>,
}

/// The turn of one photo: the others wait until it is dropped.
#[derive(Debug)]
pub struct HashGuard {
    _turn: OwnedMutexGuard<()>,
}

impl HashLocks {
    /// Waits for the turn of `hash`.
    pub async fn lock(&self, hash: &PhotoHash) -> HashGuard {
        let lock = {
            // Nothing can panic while the map is held, but a poisoned map is still sound.
            let mut locks = self.locks.lock().unwrap_or_else(PoisonError::into_inner);
            locks.retain(|_, lock| lock.strong_count() > 0);
            match locks.get(hash).and_then(Weak::upgrade) {
                Some(lock) => lock,
                None => {
                    let lock = Arc::new(tokio::sync::Mutex::new(()));
                    locks.insert(hash.clone(), Arc::downgrade(&lock));
                    lock
                }
            }
        };
        HashGuard { _turn: lock.lock_owned().await }
    }

    /// How many photos have a lock held or awaited now (for tests).
    pub fn in_use(&self) -> usize {
        let locks = self.locks.lock().unwrap_or_else(PoisonError::into_inner);
        locks.values().filter(|lock| lock.strong_count() > 0).count()
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[tokio::test]
    async fn one_photo_takes_turns_and_others_do_not_wait() {
        let locks = HashLocks::default();
        let (a, b) = (PhotoHash::of_bytes(b"a"), PhotoHash::of_bytes(b"b"));
        let first = locks.lock(&a).await;
        let waiting = tokio::spawn({
            let (locks, a) = (locks.clone(), a.clone());
            async move {
                let _turn = locks.lock(&a).await;
            }
        });
        tokio::time::timeout(Duration::from_secs(1), locks.lock(&b)).await.expect("another photo does not wait");
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(!waiting.is_finished(), "the same photo waits for its turn");
        drop(first);
        tokio::time::timeout(Duration::from_secs(1), waiting).await.expect("its turn comes").expect("task");
        assert_eq!(locks.in_use(), 0, "no lock is kept once nobody needs it");
    }
}
