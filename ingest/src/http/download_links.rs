//! One-time download links, held in memory: by the SHA-256 of their code (the code itself
//! is only in the link), the supervisor who made one as she was then, the file it fetches
//! and until when. A link is taken when used, so it works once; a restart forgets them all.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};
use tongxing_core::wire::{DownloadTarget, DOWNLOAD_LINK_MINUTES};
use tongxing_core::Worker;

use crate::store::workers::secret::{self, NoRandomness};

/// Links one supervisor may hold unused at once.
pub const LINKS_PER_SUPERVISOR_MAX: usize = 5;

/// A link not yet used.
#[derive(Debug, Clone)]
pub struct HeldLink {
    pub by: Worker,
    pub target: DownloadTarget,
    pub expires_at: DateTime<Utc>,
}

/// Why no link was made.
#[derive(Debug, thiserror::Error)]
pub enum LinkRefused {
    #[error("{LINKS_PER_SUPERVISOR_MAX} links of hers are unused already")]
    TooMany,
    #[error(transparent)]
    NoRandomness(#[from] NoRandomness),
}

#[derive(Debug, Clone, Default)]
pub struct DownloadLinks(Arc<Mutex<HashMap<String, HeldLink>>>);

impl DownloadLinks {
    /// A new link's code for `by` to fetch `target`, and until when it works.
    pub fn make(
        &self,
        by: &Worker,
        target: DownloadTarget,
        now: DateTime<Utc>,
    ) -> Result<(String, DateTime<Utc>), LinkRefused> {
        let mut held = self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        held.retain(|_, link| link.expires_at > now);
        if held.values().filter(|link| link.by.id == by.id).count() >= LINKS_PER_SUPERVISOR_MAX {
            return Err(LinkRefused::TooMany);
        }
        let code = secret::new_code()?;
        let expires_at = now + Duration::minutes(DOWNLOAD_LINK_MINUTES);
        held.insert(secret::hash(&code), HeldLink { by: by.clone(), target, expires_at });
        Ok((code, expires_at))
    }

    /// The link of `code`, taken (it works once), if it is held and has not expired.
    pub fn take(&self, code: &str, now: DateTime<Utc>) -> Option<HeldLink> {
        let mut held = self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        held.remove(&secret::hash(code)).filter(|link| link.expires_at > now)
    }
}

#[cfg(test)]
mod tests {
    use tongxing_core::fixtures::sample_director;
    use uuid::Uuid;

    use super::*;

    #[test]
    fn a_link_works_once_until_it_expires_and_a_supervisor_holds_a_few() {
        let links = DownloadLinks::default();
        let now = Utc::now();
        let by = sample_director();
        let target = DownloadTarget::Archive { child: Uuid::from_u128(1) };
        let (code, expires_at) = links.make(&by, target.clone(), now).unwrap();
        assert_eq!(expires_at, now + Duration::minutes(DOWNLOAD_LINK_MINUTES));
        assert!(links.take("another code", now).is_none());
        assert_eq!(links.take(&code, now).map(|link| link.target), Some(target.clone()));
        assert!(links.take(&code, now).is_none(), "once");
        let (late, _) = links.make(&by, target.clone(), now).unwrap();
        assert!(links.take(&late, expires_at).is_none(), "expired");
        for _ in 0..LINKS_PER_SUPERVISOR_MAX {
            links.make(&by, target.clone(), now).unwrap();
        }
        assert!(matches!(links.make(&by, target.clone(), now), Err(LinkRefused::TooMany)));
        let other = Worker { id: Uuid::from_u128(5), ..by };
        assert!(links.make(&other, target.clone(), now).is_ok(), "another supervisor's own share");
        assert!(links.make(&sample_director(), target, expires_at).is_ok(), "expired ones make room");
    }
}
