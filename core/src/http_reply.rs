//! What one HTTP call of the phone ends in: the server's answer, or no answer at all. The
//! outbox, joining and the supervisor's calls all read these.

/// The server's answer to one send, as the transport saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpReply {
    pub status: u16,
    /// The `Retry-After` header in seconds, if the server sent one.
    pub retry_after: Option<u64>,
    /// The body, as text (an error body is JSON).
    pub body: String,
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
