//! What a send's outcome means for the entry: delivered, retry later, park for the worker,
//! or pause the whole queue.

use chrono::Duration;
use serde::{Deserialize, Serialize};

use crate::http_reply::{HttpReply, TransportError};
use crate::wire::ErrorCode;
use crate::Lang;

/// Why the server refused a record for good; the worker must look at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ParkReason {
    /// `422`: a field is invalid.
    Invalid,
    /// `413`: too large.
    TooLarge,
    /// `415`: a type the server does not take.
    UnsupportedType,
    /// `403`: this device may not send it.
    Forbidden,
    /// Any other `4xx`: the server could not read it.
    Rejected,
    /// The record was not found on the phone.
    MissingRecord,
    /// A photo the visit names is not on the phone.
    MissingPhoto,
    /// A photo on the phone no longer matches its hash (the server said so, or answered
    /// for another photo): it must be taken again.
    DamagedPhoto,
}

impl ParkReason {
    /// A sentence for the worker.
    pub fn message(self, lang: Lang) -> &'static str {
        match self {
            ParkReason::Invalid => lang.pick(
                "服务器认为记录有误，请修改后重新保存",
                "The server found a problem in this record: correct it and save again",
            ),
            ParkReason::TooLarge => lang.pick("记录太大，服务器无法接收", "The record is too large for the server"),
            ParkReason::UnsupportedType => {
                lang.pick("服务器不接受此类型的内容", "The server does not accept this kind of content")
            }
            ParkReason::Forbidden => lang.pick("本设备无权上传此记录", "This device may not send this record"),
            ParkReason::Rejected => lang.pick("服务器拒绝了此记录", "The server refused this record"),
            ParkReason::MissingRecord => lang.pick("手机上找不到此记录", "The record is missing on this phone"),
            ParkReason::MissingPhoto => lang.pick(
                "手机上找不到这次走访的一张照片，请打开记录删除该照片后重新保存",
                "A photo of this visit is missing on this phone: open the visit, remove it and save again",
            ),
            ParkReason::DamagedPhoto => lang.pick(
                "这次走访的一张照片已损坏，请打开记录删除该照片、重新拍摄后保存",
                "A photo of this visit is damaged: open the visit, remove it, take it again and save",
            ),
        }
    }
}

/// How long a record of a form version its server does not know waits before it is sent
/// again (bounded by [`crate::outbox::RetryPolicy::max_server_wait`]).
pub const NEWER_FORM_WAIT: Duration = Duration::hours(1);

/// Whether a `422` refuses only the record's form version (`form_version: unknown_form`):
/// the app that made it is newer than the server.
fn only_the_form_is_unknown(reply: &HttpReply) -> bool {
    reply.error_body().is_some_and(|body| {
        body.fields.len() == 1 && body.fields.get("form_version") == Some(&crate::FieldError::UnknownForm)
    })
}

/// Whether a `2xx` body says the server kept this revision aside as a conflict.
fn is_conflict(body: &str) -> bool {
    serde_json::from_str::<crate::wire::PutReply>(body)
        .is_ok_and(|reply| reply.status == crate::wire::PutStatus::Conflict)
}

/// What to do with an entry after a send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Disposition {
    /// The server durably holds it (`2xx`).
    Delivered,
    /// The server durably holds it, but another phone had sent different content under the
    /// same revision: the server kept this one aside for a person to reconcile (`200` with
    /// `"status": "conflict"`). Nothing to resend; the worker should know.
    DeliveredInConflict,
    /// Try again later: no later than `after` if the server asked (`Retry-After`).
    Retry { after: Option<Duration>, problem: String },
    /// Stop trying; show the worker the record and why.
    Park { reason: ParkReason, problem: String },
    /// The device is not (or no longer) allowed: stop the whole queue and ask to re-join;
    /// `lost`: it was revoked as lost or stolen (`401 revoked_lost`), and the phone wipes
    /// what it keeps of this worker instead.
    Pause { problem: String, lost: bool },
}

impl Disposition {
    /// Classifies an HTTP answer.
    pub fn of_reply(reply: &HttpReply) -> Disposition {
        let problem = problem_text(reply);
        match reply.status {
            200..=299 if is_conflict(&reply.body) => Disposition::DeliveredInConflict,
            // The body was cut or stalled on the way: nothing is wrong with the record.
            400 if reply.error_code() == Some(ErrorCode::IncompleteBody) => Disposition::Retry { after: None, problem },
            200..=299 => Disposition::Delivered,
            401 => Disposition::Pause { lost: reply.error_code() == Some(ErrorCode::RevokedLost), problem },
            403 => Disposition::Park { reason: ParkReason::Forbidden, problem },
            413 => Disposition::Park { reason: ParkReason::TooLarge, problem },
            415 => Disposition::Park { reason: ParkReason::UnsupportedType, problem },
            // A phone whose app is newer than its server: the record is not wrong, it waits
            // until the server knows the form (it is tried again every half hour at most).
            422 if only_the_form_is_unknown(reply) => Disposition::Retry { after: Some(NEWER_FORM_WAIT), problem },
            422 => Disposition::Park { reason: ParkReason::Invalid, problem },
            // Timeouts, conflicts that a later send resolves (missing photos), overload,
            // and every server-side failure are worth another try.
            408 | 409 | 425 | 429 | 500..=599 => Disposition::Retry {
                after: reply.retry_after.map(|s| Duration::seconds(s.min(i64::MAX as u64) as i64)),
                problem,
            },
            _ => Disposition::Park { reason: ParkReason::Rejected, problem },
        }
    }

    /// Classifies a send that got no answer: always worth another try.
    pub fn of_transport_error(error: &TransportError) -> Disposition {
        Disposition::Retry { after: None, problem: error.to_string() }
    }

    /// Whether the rest of this run should stop: the network is gone, the server is
    /// overloaded, or the device is locked out.
    pub fn stops_run(&self, status: Option<u16>) -> bool {
        match self {
            Disposition::Pause { .. } => true,
            Disposition::Retry { .. } => matches!(status, None | Some(429) | Some(503)),
            _ => false,
        }
    }
}

fn problem_text(reply: &HttpReply) -> String {
    match reply.error_body() {
        Some(body) if body.fields.is_empty() => format!("HTTP {}: {}", reply.status, body.message),
        Some(body) => format!("HTTP {}: {} ({})", reply.status, body.message, body.fields),
        None => format!("HTTP {}", reply.status),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_conflict_kept_aside_is_delivered_and_said_so() {
        let body = |status: &str| {
            format!(r#"{{"id":"6f1c2b1e-8d3a-4a57-9a51-0b7d2f3c4e5a","status":"{status}","revision":2}}"#)
        };
        let with = |body: String| HttpReply { status: 200, retry_after: None, body };
        assert_eq!(Disposition::of_reply(&with(body("conflict"))), Disposition::DeliveredInConflict);
        assert_eq!(Disposition::of_reply(&with(body("unchanged"))), Disposition::Delivered);
        assert_eq!(
            Disposition::of_reply(&with("not json".into())),
            Disposition::Delivered,
            "a 2xx is durable whatever its body"
        );
    }

    fn reply(status: u16) -> HttpReply {
        HttpReply { status, retry_after: None, body: String::new() }
    }

    #[test]
    fn success_statuses_are_delivered() {
        for status in [200, 201, 204] {
            assert_eq!(Disposition::of_reply(&reply(status)), Disposition::Delivered);
        }
    }

    #[test]
    fn permanent_refusals_park_with_their_reason() {
        let cases = [
            (422, ParkReason::Invalid),
            (413, ParkReason::TooLarge),
            (415, ParkReason::UnsupportedType),
            (403, ParkReason::Forbidden),
            (400, ParkReason::Rejected),
            (404, ParkReason::Rejected),
        ];
        for (status, reason) in cases {
            match Disposition::of_reply(&reply(status)) {
                Disposition::Park { reason: got, .. } => assert_eq!(got, reason, "status {status}"),
                other => panic!("status {status} gave {other:?}"),
            }
        }
    }

    #[test]
    fn server_failures_and_overload_retry() {
        for status in [500, 502, 503, 504, 408, 429, 409] {
            assert!(matches!(Disposition::of_reply(&reply(status)), Disposition::Retry { .. }), "status {status}");
        }
        let overloaded = HttpReply { status: 429, retry_after: Some(30), body: String::new() };
        assert_eq!(
            Disposition::of_reply(&overloaded),
            Disposition::Retry { after: Some(Duration::seconds(30)), problem: "HTTP 429".into() }
        );
    }

    #[test]
    fn a_body_cut_on_the_way_is_sent_again() {
        let cut =
            HttpReply { status: 400, retry_after: None, body: r#"{"error":"incomplete_body","message":"m"}"#.into() };
        assert!(matches!(Disposition::of_reply(&cut), Disposition::Retry { .. }));
        let bad =
            HttpReply { status: 400, retry_after: None, body: r#"{"error":"malformed_json","message":"m"}"#.into() };
        assert!(matches!(Disposition::of_reply(&bad), Disposition::Park { reason: ParkReason::Rejected, .. }));
    }

    #[test]
    fn unauthorised_pauses_the_queue() {
        let d = Disposition::of_reply(&reply(401));
        assert!(matches!(d, Disposition::Pause { lost: false, .. }));
        assert!(d.stops_run(Some(401)));
    }

    #[test]
    fn a_phone_revoked_as_lost_is_told_apart() {
        let lost =
            HttpReply { status: 401, retry_after: None, body: r#"{"error":"revoked_lost","message":"m"}"#.into() };
        assert!(matches!(Disposition::of_reply(&lost), Disposition::Pause { lost: true, .. }));
        let left = HttpReply { status: 401, retry_after: None, body: r#"{"error":"revoked","message":"m"}"#.into() };
        assert!(matches!(Disposition::of_reply(&left), Disposition::Pause { lost: false, .. }));
    }

    #[test]
    fn a_network_failure_or_overload_stops_the_run_but_a_500_does_not() {
        let offline = Disposition::of_transport_error(&TransportError::Offline);
        assert!(offline.stops_run(None));
        assert!(Disposition::of_reply(&reply(503)).stops_run(Some(503)));
        assert!(!Disposition::of_reply(&reply(500)).stops_run(Some(500)));
        assert!(!Disposition::of_reply(&reply(422)).stops_run(Some(422)));
    }

    #[test]
    fn the_problem_quotes_the_server_s_message_and_fields() {
        let body = r#"{"error":"invalid","message":"记录有误","fields":{"child_name":{"code":"required"}}}"#;
        let d = Disposition::of_reply(&HttpReply { status: 422, retry_after: None, body: body.into() });
        assert_eq!(
            d,
            Disposition::Park {
                reason: ParkReason::Invalid,
                problem: "HTTP 422: 记录有误 (child_name: required)".into()
            }
        );
    }

    #[test]
    fn a_form_newer_than_the_server_waits_for_the_server_and_is_never_parked() {
        let unknown = r#"{"error":"invalid","message":"记录有误","fields":{"form_version":{"code":"unknown_form"}}}"#;
        let d = Disposition::of_reply(&HttpReply { status: 422, retry_after: None, body: unknown.into() });
        assert!(matches!(d, Disposition::Retry { after: Some(NEWER_FORM_WAIT), .. }), "{d:?}");
        assert!(!d.stops_run(Some(422)), "the other records go on");
        // With another field wrong too, the record itself needs the worker.
        let both = r#"{"error":"invalid","message":"m","fields":{"form_version":{"code":"unknown_form"},"visit_date":{"code":"required"}}}"#;
        let d = Disposition::of_reply(&HttpReply { status: 422, retry_after: None, body: both.into() });
        assert!(matches!(d, Disposition::Park { reason: ParkReason::Invalid, .. }), "{d:?}");
    }
}
