//! The unsent-records file end to end: what a phone writes, the county's key reads, once,
//! whole and unchanged, and nothing else does.

use std::io::Cursor;

use chrono::DateTime;
use uuid::Uuid;

use super::*;
use crate::enrolment::token_hash;
use crate::fixtures::{sample_child, sample_visit};
use crate::outbox::OutboundRecord;
use crate::photo::PhotoHash;

const TOKEN: &str = "the-device-token";

fn photo(seed: u8) -> UnsentItem {
    let mut bytes = vec![0xff, 0xd8, 0xff, 0xe0];
    bytes.extend(std::iter::repeat_n(seed, 5000));
    UnsentItem::Photo { hash: PhotoHash::of_bytes(&bytes), bytes }
}

fn items() -> Vec<UnsentItem> {
    vec![
        photo(1),
        photo(2),
        UnsentItem::Record(OutboundRecord::Child(sample_child())),
        UnsentItem::Record(OutboundRecord::Visit(sample_visit())),
        UnsentItem::Record(OutboundRecord::Pairing(crate::pairing::Pairing::new(
            uuid::Uuid::from_u128(9),
            sample_child().id,
            uuid::Uuid::from_u128(10),
            sample_child().updated_at,
        ))),
        UnsentItem::Record(OutboundRecord::CasePlan(crate::case_plan::CasePlan::for_report(
            uuid::Uuid::from_u128(11),
            sample_child().id,
            sample_visit().id,
            sample_child().updated_at,
            || uuid::Uuid::from_u128(12),
        ))),
    ]
}

fn secret() -> CountySecret {
    CountySecret::from_seed(&[42; 32])
}

/// The file's bytes, with where each frame starts.
fn file_of(items: &[UnsentItem]) -> (Vec<u8>, Vec<usize>) {
    let records = items.iter().filter(|item| matches!(item, UnsentItem::Record(_))).count() as u32;
    let photos = items.len() as u32 - records;
    let made_at = DateTime::from_timestamp(1_790_000_000, 0).unwrap();
    let (mut writer, mut file) = UnsentFileWriter::start(
        &secret().public(),
        Uuid::from_u128(9),
        TOKEN,
        made_at,
        (records, photos),
        &mut rand::rng(),
    )
    .unwrap();
    let mut starts = vec![MAGIC.len() + ENC_BYTES];
    for item in items {
        starts.push(file.len());
        file.extend(writer.add(item).unwrap());
    }
    assert!(writer.is_complete());
    (file, starts)
}

fn read_all(secret: &CountySecret, file: &[u8]) -> Result<(UnsentManifest, Vec<UnsentItem>), UnsentFileProblem> {
    let mut reader = UnsentFileReader::open(secret, Cursor::new(file))?;
    let mut items = Vec::new();
    while let Some(item) = reader.next_item()? {
        items.push(item);
    }
    Ok((reader.manifest().clone(), items))
}

#[test]
fn what_the_phone_writes_the_county_reads_whole_with_the_device_proof() {
    let (file, _) = file_of(&items());
    let mut reader = UnsentFileReader::open(&secret(), Cursor::new(&file)).unwrap();
    let manifest = reader.manifest().clone();
    assert_eq!((manifest.device, manifest.records, manifest.photos), (Uuid::from_u128(9), 4, 2));
    assert!(manifest.proof.matches(&token_hash(TOKEN), reader.enc()));
    assert!(!manifest.proof.matches(&token_hash("another token"), reader.enc()));
    let mut read = Vec::new();
    while let Some(item) = reader.next_item().unwrap() {
        read.push(item);
    }
    assert_eq!(read, items());
}

#[test]
fn nothing_readable_is_in_the_file() {
    let (file, _) = file_of(&items());
    let child = sample_child();
    for clear in [child.name.as_bytes(), b"\xff\xd8\xff".as_slice(), TOKEN.as_bytes(), token_hash(TOKEN).as_bytes()] {
        assert!(
            !file.windows(clear.len()).any(|window| window == clear),
            "{:?} is in the file",
            String::from_utf8_lossy(clear)
        );
    }
}

#[test]
fn another_county_key_does_not_open_it() {
    let (file, _) = file_of(&items());
    let other = CountySecret::from_seed(&[43; 32]);
    assert!(matches!(read_all(&other, &file), Err(UnsentFileProblem::DoesNotOpen)));
}

#[test]
fn a_changed_byte_anywhere_after_the_magic_is_refused() {
    let (file, starts) = file_of(&items());
    for at in [MAGIC.len() + 3, starts[0] + 10, starts[2] + 100, file.len() - 1] {
        let mut changed = file.clone();
        changed[at] ^= 0x01;
        assert!(read_all(&secret(), &changed).is_err(), "a change at byte {at} was read");
    }
    let mut changed = file.clone();
    changed[0] = b'X';
    assert!(matches!(read_all(&secret(), &changed), Err(UnsentFileProblem::NotAnUnsentFile)));
}

#[test]
fn frames_swapped_dropped_or_repeated_are_refused() {
    let (file, starts) = file_of(&items());
    let frame = |i: usize| file[starts[i]..*starts.get(i + 1).unwrap_or(&file.len())].to_vec();
    let head = file[..starts[1]].to_vec();
    let swapped = [head.clone(), frame(2), frame(1), frame(3), frame(4)].concat();
    assert!(matches!(read_all(&secret(), &swapped), Err(UnsentFileProblem::DoesNotOpen)));
    let dropped = [head.clone(), frame(1), frame(3), frame(4)].concat();
    assert!(read_all(&secret(), &dropped).is_err());
    let repeated = [file.clone(), frame(4)].concat();
    assert!(matches!(read_all(&secret(), &repeated), Err(UnsentFileProblem::TrailingBytes)));
}

#[test]
fn a_file_cut_anywhere_is_refused_as_cut_short() {
    let (file, starts) = file_of(&items());
    for cut in [10, MAGIC.len() + ENC_BYTES, starts[1] - 1, starts[3], starts[4] + 2, file.len() - 1] {
        assert!(
            matches!(
                read_all(&secret(), &file[..cut]),
                Err(UnsentFileProblem::CutShort | UnsentFileProblem::NotAnUnsentFile)
            ),
            "cut at {cut}"
        );
    }
}

#[test]
fn an_empty_file_holds_its_manifest_only() {
    let (file, _) = file_of(&[]);
    let (manifest, items) = read_all(&secret(), &file).unwrap();
    assert_eq!((manifest.records, manifest.photos, items.len()), (0, 0, 0));
}

#[test]
fn a_writer_adds_no_more_than_it_announced() {
    let (mut writer, _) = UnsentFileWriter::start(
        &secret().public(),
        Uuid::from_u128(9),
        TOKEN,
        DateTime::UNIX_EPOCH,
        (1, 0),
        &mut rand::rng(),
    )
    .unwrap();
    assert!(!writer.is_complete());
    assert_eq!(writer.add(&photo(1)), Err(WriteProblem::TooMany));
    writer.add(&UnsentItem::Record(OutboundRecord::Visit(sample_visit()))).unwrap();
    assert!(writer.is_complete());
    assert_eq!(writer.add(&UnsentItem::Record(OutboundRecord::Visit(sample_visit()))), Err(WriteProblem::TooMany));
}

#[test]
fn two_files_of_the_same_records_share_no_bytes_after_the_magic() {
    let (first, _) = file_of(&items());
    let (second, _) = file_of(&items());
    assert_ne!(first[MAGIC.len()..MAGIC.len() + ENC_BYTES], second[MAGIC.len()..MAGIC.len() + ENC_BYTES]);
}
