//! When a photo's bytes leave the phone: once the server holds the whole photo and nothing
//! on the phone still needs to send it (no draft names it, and no visit naming it waits in
//! the outbox). A sent visit opened again, or edited, finds its photo on the server; the
//! phone keeps only the photo's hash, caption and upload record.

use std::collections::BTreeSet;

use crate::outbox::PhotoUpload;

/// The photos (by hash) whose bytes may be removed from the phone, of those `stored` with
/// their upload records; `still_needed`: the hashes a draft or a waiting visit names.
pub fn photos_to_release<'a>(
    stored: impl IntoIterator<Item = (&'a str, PhotoUpload)>,
    still_needed: &BTreeSet<String>,
) -> Vec<&'a str> {
    stored
        .into_iter()
        .filter(|(hash, upload)| upload.held && !still_needed.contains(*hash))
        .map(|(hash, _)| hash)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_photos_the_server_holds_and_nothing_waits_for_leave() {
        let held = PhotoUpload { held: true, ..PhotoUpload::new(10) };
        let half = PhotoUpload { received: 5, ..PhotoUpload::new(10) };
        let needed: BTreeSet<String> = ["in-draft".to_owned()].into();
        let stored = [("sent", held), ("in-draft", held), ("half-sent", half)];
        assert_eq!(photos_to_release(stored, &needed), ["sent"]);
        assert!(photos_to_release([("all-bytes-but-unconfirmed", PhotoUpload::new(10))], &needed).is_empty());
    }
}
