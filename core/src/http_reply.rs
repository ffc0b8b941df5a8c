//! What one HTTP call of the phone ends in: the server's answer, or no answer at all. The
//! outbox, joining and the supervisor's calls all read these, and an error answer's body
//! only through [`HttpReply::error_body`].

use serde::de::DeserializeOwned;

use crate::wire::{ErrorBody, ErrorCode};

/// The server's answer to one send, as the transport saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpReply {
    pub status: u16,
    /// The `Retry-After` header in seconds, if the server sent one.
    pub retry_after: Option<u64>,
    /// The body, as text (an error body is JSON).
    pub body: String,
}

impl HttpReply {
    /// An answer with `status` and `body`, no `Retry-After`.
    pub fn new(status: u16, body: impl Into<String>) -> HttpReply {
        HttpReply { status, retry_after: None, body: body.into() }
    }

    /// The error body, when the body is one (any status: a static host or a proxy may
    /// answer with something else).
    pub fn error_body(&self) -> Option<ErrorBody> {
        serde_json::from_str(&self.body).ok()
    }

    /// The error body's code, when the body is an error body.
    pub fn error_code(&self) -> Option<ErrorCode> {
        self.error_body().map(|body| body.error)
    }
}

/// A send that got no HTTP answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransportError {
    /// The phone has no connection.
    #[error("offline")]
    Offline,
    /// No answer in time.
    #[error("timed out")]
    Timeout,
    /// The connection failed (DNS, refused, reset, CORS).
    #[error("network error: {0}")]
    Network(String),
}

/// Why a read the worker waits for (a `GET` whose answer a screen shows) gave nothing to
/// show, before what that means for the call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadRefusal {
    /// The phone has no connection.
    Offline,
    /// No answer, or a `200` whose body is not what was asked for.
    NoUsableAnswer,
    /// Any other status.
    Status(u16),
}

/// The body of a `200` answer to a read, as JSON, or why not.
pub fn read_json<T: DeserializeOwned>(outcome: Result<HttpReply, TransportError>) -> Result<T, ReadRefusal> {
    match outcome {
        Ok(reply) if reply.status == 200 => serde_json::from_str(&reply.body).map_err(|_| ReadRefusal::NoUsableAnswer),
        Ok(reply) => Err(ReadRefusal::Status(reply.status)),
        Err(TransportError::Offline) => Err(ReadRefusal::Offline),
        Err(_) => Err(ReadRefusal::NoUsableAnswer),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(status: u16, body: &str) -> HttpReply {
        HttpReply::new(status, body)
    }

    #[test]
    fn a_read_gives_the_json_of_a_200_or_why_not() {
        assert_eq!(read_json::<Vec<u32>>(Ok(reply(200, "[1,2]"))), Ok(vec![1, 2]));
        assert_eq!(read_json::<Vec<u32>>(Ok(reply(200, "<html>"))), Err(ReadRefusal::NoUsableAnswer));
        assert_eq!(read_json::<Vec<u32>>(Ok(reply(403, "[]"))), Err(ReadRefusal::Status(403)));
        assert_eq!(read_json::<Vec<u32>>(Err(TransportError::Offline)), Err(ReadRefusal::Offline));
        assert_eq!(read_json::<Vec<u32>>(Err(TransportError::Timeout)), Err(ReadRefusal::NoUsableAnswer));
    }

    #[test]
    fn an_error_body_is_read_with_its_code() {
        let missing = reply(409, r#"{"error":"missing_photos","message":"m","missing":[]}"#);
        assert_eq!(missing.error_code(), Some(ErrorCode::MissingPhotos));
        assert_eq!(missing.error_body().map(|body| body.message), Some("m".into()));
        let newer = reply(409, r#"{"error":"photo_quarantined","message":"m"}"#);
        assert_eq!(newer.error_code(), Some(ErrorCode::Other("photo_quarantined".into())));
    }

    #[test]
    fn a_body_that_is_no_error_body_has_no_code() {
        for body in ["", "<html>", r#"{"message":"m"}"#, r#"{"id":"x","status":"created","revision":1}"#] {
            assert_eq!(reply(502, body).error_code(), None, "{body}");
        }
    }
}
