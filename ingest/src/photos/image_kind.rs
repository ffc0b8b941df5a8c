//! What kind of image a photo is, told by its first bytes, never by what the phone says.

use super::PhotoError;

/// Bytes enough to tell JPEG (3), PNG (8) and WebP (12) apart by their magic numbers.
pub const SNIFF_LEN: usize = 16;

/// The image formats taken, told by their bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageKind {
    Jpeg,
    Png,
    Webp,
}

impl ImageKind {
    /// The kind of image that `head`, the first bytes of a file, begins, if any we take.
    pub fn sniff(head: &[u8]) -> Option<ImageKind> {
        if infer::image::is_jpeg(head) {
            Some(ImageKind::Jpeg)
        } else if infer::image::is_png(head) {
            Some(ImageKind::Png)
        } else if infer::image::is_webp(head) {
            Some(ImageKind::Webp)
        } else {
            None
        }
    }

    pub fn mime_type(self) -> &'static str {
        match self {
            ImageKind::Jpeg => "image/jpeg",
            ImageKind::Png => "image/png",
            ImageKind::Webp => "image/webp",
        }
    }

    /// The kind noted in the `photos` table as `content_type`.
    pub fn from_mime_type(mime_type: &str) -> Option<ImageKind> {
        [ImageKind::Jpeg, ImageKind::Png, ImageKind::Webp].into_iter().find(|kind| kind.mime_type() == mime_type)
    }

    /// The file name extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            ImageKind::Jpeg => "jpg",
            ImageKind::Png => "png",
            ImageKind::Webp => "webp",
        }
    }
}

/// Adds the start of `data` to `head` until it holds [`SNIFF_LEN`] bytes, then tells the
/// kind. `Ok(None)` while more bytes are needed (unless `done`: the photo has no more);
/// `NotAnImage` as soon as the bytes cannot be an image we take.
pub fn sniff_more(head: &mut Vec<u8>, data: &[u8], done: bool) -> Result<Option<ImageKind>, PhotoError> {
    let wanted = SNIFF_LEN.saturating_sub(head.len()).min(data.len());
    head.extend_from_slice(&data[..wanted]);
    if head.len() < SNIFF_LEN && !done {
        return Ok(None);
    }
    ImageKind::sniff(head).map(Some).ok_or(PhotoError::NotAnImage)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_are_told_by_their_bytes() {
        assert_eq!(ImageKind::sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F', b'I', b'F']), Some(ImageKind::Jpeg));
        assert_eq!(ImageKind::sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Some(ImageKind::Png));
        assert_eq!(ImageKind::sniff(b"RIFF\x24\0\0\0WEBPVP8 "), Some(ImageKind::Webp));
        assert_eq!(ImageKind::sniff(b"GIF89a\x01\0\x01\0"), None, "GIF is not taken");
        assert_eq!(ImageKind::sniff(b"hello, this is text"), None);
        assert_eq!(ImageKind::sniff(b""), None);
    }

    #[test]
    fn sniffing_waits_for_enough_bytes_unless_the_body_ended() {
        let mut head = Vec::new();
        assert!(matches!(sniff_more(&mut head, &[0xFF, 0xD8], false), Ok(None)));
        assert!(matches!(sniff_more(&mut head, &[0xFF], true), Ok(Some(ImageKind::Jpeg))));
        let mut head = Vec::new();
        assert!(matches!(sniff_more(&mut head, b"not an image at all", false), Err(PhotoError::NotAnImage)));
    }

    #[test]
    fn the_kind_noted_reads_back_with_its_extension() {
        for kind in [ImageKind::Jpeg, ImageKind::Png, ImageKind::Webp] {
            assert_eq!(ImageKind::from_mime_type(kind.mime_type()), Some(kind));
        }
        assert_eq!(ImageKind::from_mime_type("image/gif"), None);
        assert_eq!(ImageKind::Jpeg.extension(), "jpg");
    }
}
