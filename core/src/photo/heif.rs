//! HEIC/HEIF photos (the high-efficiency format some phones' cameras save), which most
//! Android browsers cannot decode: recognised by their first bytes, so that the worker is
//! told what to change rather than that the photo "cannot be read".

/// The ISO base media file brands of HEIF images (HEIC is HEIF with HEVC inside).
const HEIF_BRANDS: [&[u8; 4]; 8] = [b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"];

/// How many first bytes [`is_heif`] needs to look at at most.
pub const HEIF_HEAD_BYTES: usize = 32;

/// Whether a file starting with `head` is a HEIF image: an ISO base media file (`ftyp` box
/// first) whose major brand, or a compatible brand within `head`, is one of HEIF's.
pub fn is_heif(head: &[u8]) -> bool {
    if head.get(4..8) != Some(b"ftyp") {
        return false;
    }
    let declared = head.get(0..4).map_or(0, |size| u32::from_be_bytes([size[0], size[1], size[2], size[3]]) as usize);
    let end = declared.clamp(16, HEIF_HEAD_BYTES).min(head.len());
    // The major brand at 8..12, the minor version at 12..16, compatible brands from 16 on.
    let brands = std::iter::once(8).chain((16..end).step_by(4));
    brands.filter_map(|at| head.get(at..at + 4)).any(|brand| HEIF_BRANDS.iter().any(|heif| brand == &heif[..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ftyp(major: &[u8; 4], compatible: &[&[u8; 4]]) -> Vec<u8> {
        let size = 16 + 4 * compatible.len() as u32;
        let mut bytes = size.to_be_bytes().to_vec();
        bytes.extend_from_slice(b"ftyp");
        bytes.extend_from_slice(major);
        bytes.extend_from_slice(&0u32.to_be_bytes());
        for brand in compatible {
            bytes.extend_from_slice(&brand[..]);
        }
        bytes.extend_from_slice(&[0, 0, 0, 8, b'm', b'e', b't', b'a']);
        bytes
    }

    #[test]
    fn heif_photos_are_recognised_by_their_brands() {
        assert!(is_heif(&ftyp(b"heic", &[b"mif1", b"heic"])), "an iPhone or Huawei HEIC");
        assert!(is_heif(&ftyp(b"mif1", &[b"heic"])), "a HEIF whose major brand is the generic one");
        assert!(is_heif(&ftyp(b"msf1", &[])));
        assert!(!is_heif(&ftyp(b"isom", &[b"mp41"])), "an MP4 video");
        assert!(!is_heif(&ftyp(b"avif", &[b"avif"])), "AVIF, which browsers decode");
        assert!(!is_heif(&[0xFF, 0xD8, 0xFF, 0xE1, 0, 0, 0, 0, 0, 0, 0, 0]), "a JPEG");
        assert!(!is_heif(b"ftyp"), "too short");
        assert!(!is_heif(&[]));
    }
}
