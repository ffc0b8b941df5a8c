//! The OpenAPI schemas of the wire types whose serde form the derive cannot see (feature
//! `openapi`, for the server's document): a photo's hash is text of 64 lower-case hex
//! digits, and an answer is any of the kinds of [`AnswerValue`], where an empty list is
//! both a multiple choice and a photo slot (so `anyOf`, not the derive's `oneOf`).

use utoipa::openapi::schema::{AnyOfBuilder, ArrayBuilder, ObjectBuilder, Schema, Type};
use utoipa::openapi::RefOr;
use utoipa::{PartialSchema, ToSchema};

use crate::form::AnswerValue;
use crate::photo::{PhotoHash, PhotoNote};

/// What [`PhotoHash::parse`] accepts.
pub const PHOTO_HASH_PATTERN: &str = "^[0-9a-f]{64}$";

impl PartialSchema for PhotoHash {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .pattern(Some(PHOTO_HASH_PATTERN))
            .description(Some("The SHA-256 of a photo's bytes as 64 lower-case hex digits."))
            .into()
    }
}

impl ToSchema for PhotoHash {}

impl PartialSchema for AnswerValue {
    fn schema() -> RefOr<Schema> {
        let kind = |kind: Type, description: &str| {
            ObjectBuilder::new().schema_type(kind).description(Some(description)).build()
        };
        AnyOfBuilder::new()
            .item(kind(Type::Boolean, "Yes/no."))
            .item(kind(Type::Number, "A number."))
            .item(kind(Type::String, "Text, a date (YYYY-MM-DD), a phone or ID number, or a single choice's code."))
            .item(
                ArrayBuilder::new()
                    .items(kind(Type::String, "A choice's code."))
                    .description(Some("Multiple choices' codes (empty: none, or a photo slot without photos).")),
            )
            .item(
                ArrayBuilder::new()
                    .items(RefOr::Ref(utoipa::openapi::Ref::from_schema_name(PhotoNote::name())))
                    .description(Some("A photo slot's photos.")),
            )
            .description(Some("One answer; its field's kind says which."))
            .into()
    }
}

impl ToSchema for AnswerValue {
    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        schemas.push((PhotoNote::name().into(), PhotoNote::schema()));
        <PhotoNote as ToSchema>::schemas(schemas);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_pattern_is_what_parse_accepts() {
        // The pattern in words: exactly 64 characters, each 0-9 or a-f.
        let matches =
            |text: &str| text.len() == 64 && text.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        for text in ["a".repeat(64), "A".repeat(64), "a".repeat(63), "g".repeat(64), format!("{}\n", "0".repeat(63))] {
            assert_eq!(PhotoHash::parse(&text).is_ok(), matches(&text), "{text:?}");
        }
    }

    #[test]
    fn an_empty_list_is_any_list_answer() {
        let json = serde_json::to_value(AnswerValue::schema()).unwrap();
        assert_eq!(json["anyOf"].as_array().map(Vec::len), Some(5), "{json}");
        assert_eq!(json["anyOf"][4]["items"]["$ref"], "#/components/schemas/PhotoNote");
    }
}
