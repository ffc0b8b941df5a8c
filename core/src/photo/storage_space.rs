//! Whether the phone has room for one more photo, from what the browser says it uses and
//! allows (`navigator.storage.estimate()`), decided before anything is written so that the
//! worker hears it in her words rather than from a failed save.

/// Kept free for visits, drafts and the outbox, which matter more than one more photo.
pub const RESERVE_BYTES: u64 = 20 * 1024 * 1024;
/// Below this much free after the photo, the worker is warned that space is running out.
pub const LOW_BYTES: u64 = 100 * 1024 * 1024;

/// What storing a photo would leave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpaceVerdict {
    /// Plenty of room.
    Enough,
    /// It fits, but fewer than [`LOW_BYTES`] would be left: say so.
    Low { free_after: u64 },
    /// It would eat into the reserve: do not store it.
    Full,
}

impl SpaceVerdict {
    /// What the worker is told while the phone is short of room (the sync bar, and beside a
    /// photo just kept): nothing while there is plenty.
    pub fn warning(self, lang: crate::Lang) -> Option<&'static str> {
        (self != SpaceVerdict::Enough).then(|| {
            lang.pick(
                "手机存储空间快满了，请尽快上传并清理空间",
                "The phone is nearly out of space: send your records and free some space soon",
            )
        })
    }

    /// The verdict for `incoming` bytes when the site uses `usage` of `quota`. An unknown
    /// estimate (a browser without the API) is taken as enough: the write itself still
    /// reports a full disk.
    pub fn for_photo(usage: Option<u64>, quota: Option<u64>, incoming: u64) -> SpaceVerdict {
        let (Some(usage), Some(quota)) = (usage, quota) else {
            return SpaceVerdict::Enough;
        };
        let free_after = quota.saturating_sub(usage).saturating_sub(incoming);
        if free_after < RESERVE_BYTES {
            SpaceVerdict::Full
        } else if free_after < LOW_BYTES {
            SpaceVerdict::Low { free_after }
        } else {
            SpaceVerdict::Enough
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MB: u64 = 1024 * 1024;

    #[test]
    fn room_is_judged_after_the_photo_and_the_reserve() {
        assert_eq!(SpaceVerdict::for_photo(Some(10 * MB), Some(2000 * MB), 300_000), SpaceVerdict::Enough);
        assert_eq!(SpaceVerdict::for_photo(Some(0), Some(50 * MB), MB), SpaceVerdict::Low { free_after: 49 * MB });
        assert_eq!(
            SpaceVerdict::for_photo(Some(0), Some(RESERVE_BYTES + MB), MB),
            SpaceVerdict::Low { free_after: RESERVE_BYTES }
        );
        assert_eq!(SpaceVerdict::for_photo(Some(0), Some(RESERVE_BYTES + MB), MB + 1), SpaceVerdict::Full);
        assert_eq!(SpaceVerdict::for_photo(Some(60 * MB), Some(50 * MB), 1), SpaceVerdict::Full, "over quota already");
    }

    #[test]
    fn a_phone_short_of_room_is_told_so_in_her_words() {
        let low = SpaceVerdict::for_photo(Some(0), Some(50 * MB), 0);
        assert_eq!(low.warning(crate::Lang::ZhCn), Some("手机存储空间快满了，请尽快上传并清理空间"));
        assert!(SpaceVerdict::Full.warning(crate::Lang::En).is_some_and(|s| s.contains("out of space")));
        assert_eq!(SpaceVerdict::Enough.warning(crate::Lang::ZhCn), None);
    }

    #[test]
    fn an_unknown_estimate_does_not_block() {
        assert_eq!(SpaceVerdict::for_photo(None, Some(MB), MB), SpaceVerdict::Enough);
        assert_eq!(SpaceVerdict::for_photo(Some(MB), None, MB), SpaceVerdict::Enough);
    }
}
