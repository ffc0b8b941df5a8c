//! The error answers that many routes share, as reusable responses
//! (`#/components/responses/…`): `(status = 401, response = Unauthorized)` in a handler's
//! `#[utoipa::path]`. Each description names the error codes as "`code`: what it means"
//! (the document's tests hold every such code to its status in [`ApiError::status`]), with
//! the codes, limits and waits taken from the code that answers them.

use tongxing_core::wire::{ErrorBody, VISIT_BODY_LIMIT};
use utoipa::openapi::header::{Header, HeaderBuilder};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Response, ResponseBuilder};
use utoipa::{ToResponse, ToSchema};

use crate::http::error::{
    ApiError, BUSY_RETRY_AFTER_SECS, DISK_FULL_RETRY_AFTER_SECS, EXPORT_RETRY_AFTER_SECS, UNAVAILABLE_RETRY_AFTER_SECS,
};
use crate::http::server::BODY_IDLE_TIMEOUT;

/// An error answer: `description`, the `ErrorBody` as JSON, and `headers`.
pub fn error_response(description: String, headers: Vec<(&str, Header)>) -> ResponseBuilder {
    let body = ContentBuilder::new().schema(Some(Ref::from_schema_name(ErrorBody::name()))).build();
    let response = ResponseBuilder::new().description(description).content("application/json", body);
    headers.into_iter().fold(response, |response, (name, header)| response.header(name, header))
}

/// `Retry-After`, on every `429` and `503`.
pub fn retry_after() -> (&'static str, Header) {
    let seconds = ObjectBuilder::new().schema_type(Type::Integer).minimum(Some(1));
    (
        RETRY_AFTER,
        HeaderBuilder::new().schema(Some(seconds)).description(Some("Seconds to wait before sending again.")).build(),
    )
}

/// `WWW-Authenticate: Bearer`, on every `401`.
fn www_authenticate() -> (&'static str, Header) {
    let scheme = ObjectBuilder::new().schema_type(Type::String).enum_values(Some(["Bearer"]));
    ("WWW-Authenticate", HeaderBuilder::new().schema(Some(scheme)).build())
}

/// The name of the header of every `429` and `503`.
pub const RETRY_AFTER: &str = "Retry-After";

/// "`code`: " for `error`.
fn code(error: ApiError) -> String {
    format!("`{}`: ", error.code())
}

/// A reusable error response: its component name is the type's name.
macro_rules! error_responses {
    ($($(#[$doc:meta])* $name:ident => $description:expr, [$($header:expr),*];)+) => {$(
        $(#[$doc])*
        pub struct $name;

        impl<'r> ToResponse<'r> for $name {
            fn response() -> (&'r str, RefOr<Response>) {
                (stringify!($name), error_response($description, vec![$($header),*]).into())
            }
        }
    )+};
}

error_responses! {
    /// `401`: no device token, or one that no longer works.
    Unauthorized => format!(
        "{}no `Authorization: Bearer <device token>`, or a token no device has; {}the device was revoked (join \
         again from a new invite link; nothing on the phone is lost); {}the device was revoked as lost or stolen \
         (the phone wipes Tongxing's data on it and sends nothing).",
        code(ApiError::Unauthorized),
        code(ApiError::Revoked),
        code(ApiError::RevokedLost),
    ), [www_authenticate()];

    /// `429`: the device's share of calls is used up for now.
    RateLimited => format!(
        "{}this device sent more than its share of calls (`--rate-per-second`, `--rate-burst`), or, for a call \
         without a valid device token (joining, an invite link, a bad token), its client address did \
         (`--stranger-rate-per-second`, `--stranger-rate-burst`); send again after `Retry-After` seconds.",
        code(ApiError::RateLimited { retry_after_secs: 1 }),
    ), [retry_after()];

    /// `429` of a photo: the device's share of calls or of bytes for the day is used up.
    PhotoLimited => format!(
        "{}this device sent more than its share of calls (`--rate-per-second`, `--rate-burst`); {}this device sent \
         its day's share of photo bytes (`--daily-upload-bytes`, whole photos and pieces counted as declared); \
         send again after `Retry-After` seconds (for the quota: the next day, UTC).",
        code(ApiError::RateLimited { retry_after_secs: 1 }),
        code(ApiError::QuotaExceeded { retry_after_secs: 1 }),
    ), [retry_after()];

    /// `429` of an export: too many calls, or an export of this device under way.
    ExportLimited => format!(
        "{}this device sent more than its share of calls; {}an export of this device is under way (one at a time; \
         `Retry-After: {EXPORT_RETRY_AFTER_SECS}`).",
        code(ApiError::RateLimited { retry_after_secs: 1 }),
        code(ApiError::ExportUnderWay),
    ), [retry_after()];

    /// `503`: sending again later will work.
    Unavailable => format!(
        "{}the database is busy (`Retry-After: {BUSY_RETRY_AFTER_SECS}`), the server's disk is full \
         (`Retry-After: {DISK_FULL_RETRY_AFTER_SECS}`), or the database does not answer or a photo cannot be written \
         (`Retry-After: {UNAVAILABLE_RETRY_AFTER_SECS}`); {}the server has as many requests under way as it takes \
         (`--max-in-flight` for enrolled phones, `--strangers-in-flight` for calls without a valid device token; \
         `Retry-After: {BUSY_RETRY_AFTER_SECS}`).",
        code(ApiError::Unavailable),
        code(ApiError::Overloaded),
    ), [retry_after()];

    /// `500`: a fault of the server, never of the request.
    Internal => format!(
        "{}something went wrong on the server; the details are in its log (bad input never gets a 5xx).",
        code(ApiError::Internal),
    ), [];

    /// `408`: a JSON body stopped coming.
    BodyTimeout => format!(
        "{}the body stopped arriving for {} s; send it again.",
        code(ApiError::BodyTimeout),
        BODY_IDLE_TIMEOUT.as_secs(),
    ), [];

    /// `413`: a JSON body over the limit.
    JsonTooLarge => format!(
        "{}the body is over {} KiB (refused at once when `Content-Length` says so).",
        code(ApiError::TooLarge),
        VISIT_BODY_LIMIT / 1024,
    ), [];

    /// `405`: a method the address does not take. Any call may answer it, so no operation
    /// lists it.
    MethodNotAllowed => format!(
        "{}the address exists, but not for this method (any address of the API; the `Allow` header says which it takes).",
        code(ApiError::MethodNotAllowed),
    ), [];

    /// `415`: a body not declared as JSON.
    NotJson => format!(
        "{}the body is not declared as JSON (`Content-Type: application/json`, or `application/*+json`).",
        code(ApiError::UnsupportedMediaType),
    ), [];

    /// `403`: a supervisor's call from a phone that is not a supervisor's.
    NotASupervisor => format!("{}the device is not a supervisor's.", code(ApiError::Forbidden)), [];

    /// `403`: a call of those who invite from a phone that is neither a supervisor's nor
    /// the county's.
    NotAnInviter => format!("{}the device is neither a supervisor's nor the county's.", code(ApiError::Forbidden)), [];

    /// `403`: the county's call from a phone that is not the county's.
    NotTheCounty => format!("{}the device is not the county administrator's.", code(ApiError::Forbidden)), [];

    /// `400`: the id in the address is not a UUID.
    BadId => format!("{}the id in the path is not a UUID.", code(ApiError::BadId)), [];

    /// `400` of a supervisor's list: the query string cannot be read.
    BadListQuery => format!(
        "{}the query string cannot be read (an unknown parameter, a colour other than red, yellow, blue or green, \
         a date not YYYY-MM-DD, a page not a whole number).",
        code(ApiError::BadQuery),
    ), [];

    /// `422` of a supervisor's list: a filter or page out of bounds.
    InvalidListQuery => format!(
        "{}`fields` says what is wrong: `page` or `per_page` (`out_of_range`), `to` before `from` (`too_old`), \
         `village` (`too_long`).",
        code(ApiError::Invalid(tongxing_core::FieldErrors::new())),
    ), [];
}
