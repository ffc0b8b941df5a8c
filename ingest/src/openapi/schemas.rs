//! Schemas of the server's own types that appear in the API, written from the code that
//! reads them so that they cannot drift.

use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::RefOr;
use utoipa::{PartialSchema, ToSchema};

use crate::export::RecordKind;

/// `visits` or `children`, the `{what}` of `GET /api/v1/exports/{what}`.
impl PartialSchema for RecordKind {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .enum_values(Some([RecordKind::Visits.name(), RecordKind::Children.name()]))
            .description(Some("Which records: home visits or children's files."))
            .into()
    }
}

impl ToSchema for RecordKind {}
