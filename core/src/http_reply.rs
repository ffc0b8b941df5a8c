//! What one HTTP call of the phone ends in: the server's answer, or no answer at all. The
//! outbox, joining and the supervisor's calls all read these, and an error answer's body
//! only through [`HttpReply::error_body`].

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

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(status: u16, body: &str) -> HttpReply {
        HttpReply { status, retry_after: None, body: body.to_owned() }
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
