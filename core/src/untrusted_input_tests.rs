//! Property tests of the parsers and checks that read what a phone (or anyone) sends: they
//! never panic, whatever the input, and they accept exactly what they say they accept.
//!
//! `PROPTEST_CASES=5000 cargo test -p tongxing-core untrusted_input` runs them longer.

use proptest::prelude::*;
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::child::Child;
use crate::fixtures::{sample_child, sample_visit, today};
use crate::form::FormCatalog;
use crate::photo::{PhotoHash, UploadPiece};
use crate::Visit;

/// Any JSON value, nested a few levels. Numbers are exact in binary (integers and eighths),
/// so that a value read, written and read again is the same value.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<i32>().prop_map(|n| Value::from(f64::from(n) / 8.0)),
        any::<String>().prop_map(Value::String),
        // Texts that the records' fields can take, so that some values get past serde.
        prop::sample::select(TEXTS).prop_map(|text| Value::String(text.to_owned())),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(any_key(), inner, 0..6)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

/// Values the records' fields take, or nearly: dates, UUIDs, choice codes, hashes.
const TEXTS: &[&str] = &[
    "",
    " ",
    "2026-11-20",
    "2026-02-30",
    "9999-12-31",
    "2026-11-20T10:15:00+08:00",
    "0b7d2f3c-4e5a-4a57-9a51-6f1c2b1e8d3a",
    "00000000-0000-0000-0000-000000000000",
    "home",
    "yellow",
    "red",
    "child",
    "grandparent",
    "male",
    "left_behind",
    "home_visit",
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD",
    "../../etc/passwd",
    "王小明",
];

/// A key: a field name of the records, or any text.
fn any_key() -> impl Strategy<Value = String> {
    prop_oneof![prop::sample::select(KEYS).prop_map(str::to_owned), any::<String>()]
}

const KEYS: &[&str] = &[
    "id",
    "child_id",
    "form_id",
    "form_version",
    "answers",
    "revision",
    "updated_at",
    "visit_date",
    "visit_type",
    "present",
    "risk_colour",
    "photos",
    "photo_consent",
    "sha256",
    "caption",
    "taken_at",
    "name",
    "sex",
    "birth_date",
    "id_number",
    "village",
    "categories",
    "guardians",
    "relation",
    "phone",
    "school",
    "notes",
];

/// A change to a record as JSON: a top-level field dropped or replaced, or (for a visit) an
/// answer dropped or replaced.
#[derive(Debug, Clone)]
enum Mutation {
    Drop(prop::sample::Index),
    Replace(prop::sample::Index, Value),
    Add(String, Value),
    DropAnswer(prop::sample::Index),
    ReplaceAnswer(prop::sample::Index, Value),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<prop::sample::Index>().prop_map(Mutation::Drop),
        (any::<prop::sample::Index>(), any_json()).prop_map(|(i, v)| Mutation::Replace(i, v)),
        (any_key(), any_json()).prop_map(|(k, v)| Mutation::Add(k, v)),
        any::<prop::sample::Index>().prop_map(Mutation::DropAnswer),
        (any::<prop::sample::Index>(), any_json()).prop_map(|(i, v)| Mutation::ReplaceAnswer(i, v)),
    ]
}

fn apply(record: &mut Map<String, Value>, mutation: &Mutation) {
    let key_at = |map: &Map<String, Value>, index: &prop::sample::Index| {
        (!map.is_empty()).then(|| map.keys().nth(index.index(map.len())).cloned()).flatten()
    };
    match mutation {
        Mutation::Drop(index) => {
            if let Some(key) = key_at(record, index) {
                record.remove(&key);
            }
        }
        Mutation::Replace(index, value) => {
            if let Some(key) = key_at(record, index) {
                record.insert(key, value.clone());
            }
        }
        Mutation::Add(key, value) => {
            record.insert(key.clone(), value.clone());
        }
        Mutation::DropAnswer(index) | Mutation::ReplaceAnswer(index, _) => {
            let Some(Value::Object(answers)) = record.get_mut("answers") else {
                return;
            };
            if let Some(key) = key_at(answers, index) {
                match mutation {
                    Mutation::ReplaceAnswer(_, value) => answers.insert(key, value.clone()),
                    _ => answers.remove(&key),
                };
            }
        }
    }
}

fn mutated(record: Value, mutations: &[Mutation]) -> Value {
    match record {
        Value::Object(mut map) => {
            for mutation in mutations {
                apply(&mut map, mutation);
            }
            Value::Object(map)
        }
        other => other,
    }
}

/// Reads `json` as a visit and checks it; whatever the checks say, they say it again of the
/// same visit written out and read back (nothing in them depends on how it was spelled).
fn read_and_check_visit(json: &Value) -> Result<(), TestCaseError> {
    let Ok(visit) = serde_json::from_value::<Visit>(json.clone()) else {
        return Ok(());
    };
    let verdict = visit.validate_for(visit.id, FormCatalog::builtin(), today());
    let again: Visit = serde_json::to_value(&visit)
        .and_then(serde_json::from_value)
        .map_err(|e| TestCaseError::fail(format!("a visit read once reads again: {e}")))?;
    prop_assert_eq!(verdict.clone(), again.validate_for(again.id, FormCatalog::builtin(), today()));
    // A visit sent under another id is refused for that, whatever else.
    let other_id = Uuid::from_u128(visit.id.as_u128() ^ 1);
    let refused = visit.validate_for(other_id, FormCatalog::builtin(), today());
    prop_assert!(refused.is_err_and(|fields| fields.get("id").is_some()));
    Ok(())
}

fn read_and_check_child(json: &Value) -> Result<(), TestCaseError> {
    let Ok(child) = serde_json::from_value::<Child>(json.clone()) else {
        return Ok(());
    };
    let verdict = child.validate_for(child.id, today());
    let again: Child = serde_json::to_value(&child)
        .and_then(serde_json::from_value)
        .map_err(|e| TestCaseError::fail(format!("a child read once reads again: {e}")))?;
    prop_assert_eq!(&again, &child);
    prop_assert_eq!(verdict, again.validate_for(again.id, today()));
    Ok(())
}

fn is_lower_hex(c: char) -> bool {
    c.is_ascii_digit() || ('a'..='f').contains(&c)
}

proptest! {
    #[test]
    fn a_content_range_never_panics(text in any::<String>()) {
        let _ = UploadPiece::parse_content_range(&text);
    }

    #[test]
    fn a_content_range_that_reads_is_a_piece_that_writes_itself_back(
        text in r"\s?bytes [0-9+\- ]{0,3}[0-9]{0,21}-[0-9]{0,21}/[0-9*]{0,21}\s?",
    ) {
        if let Ok(piece) = UploadPiece::parse_content_range(&text) {
            prop_assert!(piece.range.start < piece.range.end && piece.range.end <= piece.size, "{piece:?}");
            prop_assert!(!piece.is_empty());
            prop_assert_eq!(UploadPiece::parse_content_range(&piece.content_range()), Ok(piece));
        }
    }

    #[test]
    fn every_piece_round_trips_through_its_content_range(size in 1..=u64::MAX, a in any::<u64>(), b in any::<u64>()) {
        let (first, last) = (a % size, b % size);
        let piece = UploadPiece { range: first.min(last)..first.max(last) + 1, size };
        let text = piece.content_range();
        prop_assert_eq!(UploadPiece::parse_content_range(&text), Ok(piece.clone()));
        prop_assert_eq!(UploadPiece::parse_content_range(&format!(" {text} ")), Ok(piece));
    }

    #[test]
    fn a_range_past_the_size_or_backwards_is_refused(size in any::<u64>(), first in any::<u64>(), last in any::<u64>()) {
        let parsed = UploadPiece::parse_content_range(&format!("bytes {first}-{last}/{size}"));
        prop_assert_eq!(parsed.is_ok(), first <= last && last < size);
    }

    #[test]
    fn a_photo_hash_is_exactly_64_lower_case_hex_digits(
        text in prop_oneof![any::<String>(), "[0-9a-fA-F]{62,66}", "[0-9a-f]{64}", "[0-9a-g/.%]{64}"],
    ) {
        let expected = text.chars().count() == 64 && text.chars().all(is_lower_hex);
        let parsed = PhotoHash::parse(&text);
        prop_assert_eq!(parsed.is_ok(), expected, "{:?}", text);
        if let Ok(hash) = parsed {
            prop_assert_eq!(hash.as_str(), text.as_str());
        }
    }

    #[test]
    fn one_upper_case_digit_spoils_a_photo_hash(text in "[0-9a-f]{63}[a-f]", at in 0..64usize) {
        prop_assert!(PhotoHash::parse(&text).is_ok());
        let mut chars: Vec<char> = text.chars().collect();
        let letter = (at..64).chain(0..at).find(|&i| chars[i].is_ascii_alphabetic()).unwrap_or(63);
        chars[letter] = chars[letter].to_ascii_uppercase();
        let spoilt: String = chars.into_iter().collect();
        prop_assert!(PhotoHash::parse(&spoilt).is_err(), "{}", spoilt);
    }

    #[test]
    fn any_json_read_as_a_visit_or_a_child_and_checked_never_panics(json in any_json()) {
        read_and_check_visit(&json)?;
        read_and_check_child(&json)?;
    }

    #[test]
    fn a_visit_changed_anywhere_is_read_and_checked_without_panicking(
        mutations in prop::collection::vec(mutation(), 1..4),
    ) {
        let json = serde_json::to_value(sample_visit()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        read_and_check_visit(&mutated(json, &mutations))?;
    }

    #[test]
    fn a_child_changed_anywhere_is_read_and_checked_without_panicking(
        mutations in prop::collection::vec(mutation(), 1..4),
    ) {
        let json = serde_json::to_value(sample_child()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        read_and_check_child(&mutated(json, &mutations))?;
    }
}

#[test]
fn the_unchanged_samples_pass_their_checks() {
    // The mutation properties start from these; were they invalid, most mutations would
    // test nothing new.
    let visit = sample_visit();
    assert_eq!(visit.validate_for(visit.id, FormCatalog::builtin(), today()), Ok(()));
    let child = sample_child();
    assert_eq!(child.validate_for(child.id, today()), Ok(()));
}
