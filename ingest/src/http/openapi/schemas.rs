//! Schemas of the server's own types that appear in the API, written from the code that
//! reads them so that they cannot drift.

use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::RefOr;
use utoipa::{PartialSchema, ToSchema};

use tongxing_core::RecordKind;

/// `visits` or `children`, the `{what}` of `GET /api/v1/exports/{what}`.
pub struct ExportedRecords;

impl PartialSchema for ExportedRecords {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .enum_values(Some(RecordKind::EXPORTED.map(RecordKind::collection)))
            .description(Some("Which records: home visits or children's files."))
            .into()
    }
}

impl ToSchema for ExportedRecords {}
