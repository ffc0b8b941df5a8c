//! Reading an [`AnswerValue`] from JSON by the JSON's own type, in one pass: a boolean is a
//! yes/no, a number a number, a string a text, a list of strings a multiple choice (an empty
//! list too), a list of objects a photo slot's photos. (Serde's `untagged` would buffer each
//! value and try the variants in turn; every visit the server receives is read this way, so
//! this is what the server's CPU goes on.) Anything else, `null` or a list mixing codes and
//! photos, is refused with a sentence saying what an answer may be.

use std::fmt;

use serde::de::value::MapAccessDeserializer;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use super::AnswerValue;
use crate::photo::PhotoNote;

const EXPECTED: &str = "a yes/no, a number, a text, a list of choice codes or a list of photos";

impl<'de> Deserialize<'de> for AnswerValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<AnswerValue, D::Error> {
        deserializer.deserialize_any(AnswerVisitor)
    }
}

struct AnswerVisitor;

impl<'de> Visitor<'de> for AnswerVisitor {
    type Value = AnswerValue;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(EXPECTED)
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<AnswerValue, E> {
        Ok(AnswerValue::Bool(value))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<AnswerValue, E> {
        Ok(AnswerValue::Number(value as f64))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<AnswerValue, E> {
        Ok(AnswerValue::Number(value as f64))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<AnswerValue, E> {
        Ok(AnswerValue::Number(value))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<AnswerValue, E> {
        Ok(AnswerValue::Text(value.to_owned()))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<AnswerValue, E> {
        Ok(AnswerValue::Text(value))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<AnswerValue, A::Error> {
        // The first item says which list it is; the rest must be of the same kind.
        match seq.next_element::<ListItem>()? {
            None => Ok(AnswerValue::List(Vec::new())),
            Some(ListItem::Code(first)) => {
                let mut codes = vec![first];
                while let Some(item) = seq.next_element::<ListItem>()? {
                    match item {
                        ListItem::Code(code) => codes.push(code),
                        ListItem::Photo(_) => return Err(mixed()),
                    }
                }
                Ok(AnswerValue::List(codes))
            }
            Some(ListItem::Photo(first)) => {
                let mut photos = vec![first];
                while let Some(item) = seq.next_element::<ListItem>()? {
                    match item {
                        ListItem::Photo(photo) => photos.push(photo),
                        ListItem::Code(_) => return Err(mixed()),
                    }
                }
                Ok(AnswerValue::Photos(photos))
            }
        }
    }
}

fn mixed<E: de::Error>() -> E {
    E::custom("a list answer holds either choice codes or photos, not both")
}

/// An item of a list answer: a choice's code, or a photo.
enum ListItem {
    Code(String),
    Photo(PhotoNote),
}

impl<'de> Deserialize<'de> for ListItem {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<ListItem, D::Error> {
        deserializer.deserialize_any(ListItemVisitor)
    }
}

struct ListItemVisitor;

impl<'de> Visitor<'de> for ListItemVisitor {
    type Value = ListItem;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a choice code (a string) or a photo (an object)")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<ListItem, E> {
        Ok(ListItem::Code(value.to_owned()))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<ListItem, E> {
        Ok(ListItem::Code(value))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<ListItem, A::Error> {
        PhotoNote::deserialize(MapAccessDeserializer::new(map)).map(ListItem::Photo)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(json: &str) -> Result<AnswerValue, String> {
        serde_json::from_str::<AnswerValue>(json).map_err(|e| e.to_string())
    }

    #[test]
    fn each_json_type_is_its_answer() {
        assert_eq!(read("true"), Ok(AnswerValue::Bool(true)));
        assert_eq!(read("3"), Ok(AnswerValue::Number(3.0)));
        assert_eq!(read("-2"), Ok(AnswerValue::Number(-2.0)));
        assert_eq!(read("1.5"), Ok(AnswerValue::Number(1.5)));
        assert_eq!(read(r#""祖母""#), Ok(AnswerValue::Text("祖母".into())));
        assert_eq!(read("[]"), Ok(AnswerValue::List(Vec::new())));
        assert_eq!(read(r#"["dibao","legal_aid"]"#), Ok(AnswerValue::List(vec!["dibao".into(), "legal_aid".into()])));
        let photo = r#"{"sha256":"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad","caption":"屋顶","taken_at":"2026-03-01T08:00:00Z"}"#;
        match read(&format!("[{photo},{photo}]")) {
            Ok(AnswerValue::Photos(photos)) => {
                assert_eq!(photos.len(), 2);
                assert_eq!(photos[0].caption, "屋顶");
            }
            other => panic!("photos expected, got {other:?}"),
        }
    }

    #[test]
    fn it_reads_back_what_it_writes() {
        for value in [
            AnswerValue::Bool(false),
            AnswerValue::Number(12.25),
            AnswerValue::Text("城关镇中心小学".into()),
            AnswerValue::List(vec!["study_grant".into()]),
        ] {
            let json = serde_json::to_string(&value).expect("written");
            assert_eq!(read(&json), Ok(value));
        }
    }

    #[test]
    fn what_is_no_answer_is_refused_with_a_sentence() {
        assert!(read("null").unwrap_err().contains(EXPECTED));
        assert!(read(r#"{"a":1}"#).unwrap_err().contains(EXPECTED));
        assert!(read(r#"["dibao",{"sha256":"x"}]"#).is_err());
        let photo = r#"{"sha256":"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad","taken_at":"2026-03-01T08:00:00Z"}"#;
        assert!(read(&format!(r#"[{photo},"dibao"]"#)).unwrap_err().contains("not both"));
        assert!(read("[1]").is_err(), "a list of numbers is no answer");
        assert!(read(r#"[{"sha256":"not a hash","taken_at":"2026-03-01T08:00:00Z"}]"#).is_err());
    }
}
