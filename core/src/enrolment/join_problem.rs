//! Why joining did not work, as a sentence for the worker, and how each answer of the
//! server to the invite and enrolment calls is read.

use serde::de::DeserializeOwned;

use crate::http_reply::{HttpReply, TransportError};
use crate::wire::ErrorCode;
use crate::{FieldErrors, Lang};

/// Why the phone could not join.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JoinProblem {
    /// The link has no (usable) invite code.
    #[error("the link has no invite code")]
    NoCode,
    /// The link names a server address that is not an http(s) origin.
    #[error("the link's server address is not valid")]
    BadServer,
    /// The link names a server this app does not talk to (its host).
    #[error("the link names a server the app does not trust: {0}")]
    UntrustedServer(String),
    /// `404 invite_not_found`.
    #[error("no such invite")]
    NotFound,
    /// `410 invite_expired`.
    #[error("the invite has expired")]
    Expired,
    /// `410 invite_used_up`.
    #[error("the invite is used up")]
    UsedUp,
    /// `410 invite_revoked`: revoked, or made by a phone that was revoked.
    #[error("the invite was revoked")]
    Revoked,
    /// The phone has no connection.
    #[error("offline")]
    Offline,
    /// No answer (a network failure or a timeout).
    #[error("server unreachable: {0}")]
    Unreachable(String),
    /// `429` or `503`.
    #[error("server busy")]
    Busy,
    /// `422`: what the server found wrong with the name or phone number.
    #[error("invalid: {0}")]
    Invalid(FieldErrors),
    /// Any other answer, or a body that could not be read.
    #[error("unexpected answer: HTTP {0}")]
    Unexpected(u16),
}

impl JoinProblem {
    /// Reads an answer that is not the one hoped for.
    pub fn of_reply(reply: &HttpReply) -> JoinProblem {
        let body = reply.error_body();
        match (reply.status, body.as_ref().map(|body| &body.error)) {
            (404, Some(ErrorCode::InviteNotFound)) => JoinProblem::NotFound,
            (410, Some(ErrorCode::InviteUsedUp)) => JoinProblem::UsedUp,
            (410, Some(ErrorCode::InviteRevoked)) => JoinProblem::Revoked,
            // Any other way for an invite to be gone is, to the worker, an expired one.
            (410, _) => JoinProblem::Expired,
            (422, _) => JoinProblem::Invalid(body.map(|body| body.fields).unwrap_or_default()),
            (429 | 503, _) => JoinProblem::Busy,
            (status, _) => JoinProblem::Unexpected(status),
        }
    }

    /// A request that got no answer.
    pub fn of_transport_error(error: &TransportError) -> JoinProblem {
        match error {
            TransportError::Offline => JoinProblem::Offline,
            other => JoinProblem::Unreachable(other.to_string()),
        }
    }

    /// A stable name, for tests and styles (`not_found`, `expired`, …).
    pub fn code(&self) -> &'static str {
        match self {
            JoinProblem::NoCode => "no_code",
            JoinProblem::BadServer => "bad_server",
            JoinProblem::UntrustedServer(_) => "untrusted_server",
            JoinProblem::NotFound => "not_found",
            JoinProblem::Expired => "expired",
            JoinProblem::UsedUp => "used_up",
            JoinProblem::Revoked => "revoked",
            JoinProblem::Offline => "offline",
            JoinProblem::Unreachable(_) => "unreachable",
            JoinProblem::Busy => "busy",
            JoinProblem::Invalid(_) => "invalid",
            JoinProblem::Unexpected(_) => "unexpected",
        }
    }

    /// Whether trying the same again later may work (the link itself is fine).
    pub fn may_retry(&self) -> bool {
        matches!(
            self,
            JoinProblem::Offline | JoinProblem::Unreachable(_) | JoinProblem::Busy | JoinProblem::Unexpected(_)
        )
    }

    /// A sentence for the worker: what happened and what to do.
    pub fn message(&self, lang: Lang) -> String {
        const NEW_LINK_ZH: &str = "请向督导员索取新的邀请链接。";
        const NEW_LINK_EN: &str = " Ask your township supervisor for a new invite link.";
        let (zh, en) = match self {
            JoinProblem::NoCode => ("链接不完整，缺少邀请码。", "The link is incomplete: it has no invite code."),
            JoinProblem::BadServer => ("链接中的服务器地址无效。", "The server address in the link is not valid."),
            JoinProblem::UntrustedServer(host) => {
                return super::ServerRefused::NotTrusted { host: host.clone() }.message(lang);
            }
            JoinProblem::NotFound => ("找不到这个邀请，链接可能不完整或抄错了。", "This invite does not exist; the link may be incomplete or mistyped."),
            JoinProblem::Expired => ("这个邀请已过期。", "This invite has expired."),
            JoinProblem::UsedUp => ("这个邀请已被用完。", "This invite has been used as many times as it allows."),
            JoinProblem::Revoked => ("这个邀请已被撤销。", "This invite has been revoked."),
            JoinProblem::Offline => {
                return lang
                    .pick(
                        "手机没有联网。加入需要联网一次，请连上网络后再试。",
                        "This phone is offline. Joining needs the network once: connect, then try again.",
                    )
                    .to_owned()
            }
            JoinProblem::Unreachable(_) => {
                return lang
                    .pick(
                        "连不上服务器。加入需要联网一次，请检查网络后再试。",
                        "Cannot reach the server. Joining needs the network once: check the connection, then try again.",
                    )
                    .to_owned()
            }
            JoinProblem::Busy => return lang.pick("服务器繁忙，请稍后再试。", "The server is busy; try again in a moment.").to_owned(),
            JoinProblem::Invalid(_) => {
                return lang
                    .pick("服务器认为填写有误，请按提示修改。", "The server found a problem in what you entered: correct it as shown.")
                    .to_owned()
            }
            JoinProblem::Unexpected(status) => {
                return match lang {
                    Lang::ZhCn => format!("服务器的回答无法识别（HTTP {status}），请稍后再试，或请督导员检查链接。"),
                    Lang::En => format!(
                        "The server's answer could not be understood (HTTP {status}); try again later, or ask your supervisor to check the link."
                    ),
                }
            }
        };
        match lang {
            Lang::ZhCn => format!("{zh}{NEW_LINK_ZH}"),
            Lang::En => format!("{en}{NEW_LINK_EN}"),
        }
    }
}

/// Reads the answer to an invite or enrolment call: a `2xx` with a body of type `T`, or
/// why not.
pub fn read_reply<T: DeserializeOwned>(outcome: Result<HttpReply, TransportError>) -> Result<T, JoinProblem> {
    let reply = outcome.map_err(|error| JoinProblem::of_transport_error(&error))?;
    if !(200..300).contains(&reply.status) {
        return Err(JoinProblem::of_reply(&reply));
    }
    // A 200 that is not our JSON: a static host answering the path with its index page.
    serde_json::from_str(&reply.body).map_err(|_| JoinProblem::Unexpected(reply.status))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::{EnrollReply, InviteInfo};
    use crate::worker::Role;
    use crate::FieldError;

    fn reply(status: u16, body: &str) -> Result<HttpReply, TransportError> {
        Ok(HttpReply { status, retry_after: None, body: body.to_owned() })
    }

    #[test]
    fn an_invite_is_read_from_a_200() {
        let body = r#"{"role":"love_mother","township":"石门镇","village":"桃源村","invited_by":"王督导","expires_at":"2026-12-01T00:00:00Z"}"#;
        let info: InviteInfo = read_reply(reply(200, body)).unwrap();
        assert_eq!(
            (info.role, info.place.village.as_str(), info.invited_by.as_str()),
            (Role::LoveMother, "桃源村", "王督导")
        );
    }

    #[test]
    fn an_enrolment_is_read_from_a_201() {
        let body = r#"{"token":"t0k","worker":{"id":"0b7d2f3c-4e5a-4a57-9a51-6f1c2b1e8d3a","name":"李芳","role":"director","township":"石门镇","village":"桃源村"}}"#;
        let enrolled: EnrollReply = read_reply(reply(201, body)).unwrap();
        assert_eq!((enrolled.token.as_str(), enrolled.worker.name.as_str()), ("t0k", "李芳"));
    }

    #[test]
    fn each_refusal_has_its_own_problem() {
        let read = |status, body| read_reply::<InviteInfo>(reply(status, body)).unwrap_err();
        assert_eq!(read(404, r#"{"error":"invite_not_found","message":"m"}"#), JoinProblem::NotFound);
        assert_eq!(read(410, r#"{"error":"invite_expired","message":"m"}"#), JoinProblem::Expired);
        assert_eq!(read(410, r#"{"error":"invite_used_up","message":"m"}"#), JoinProblem::UsedUp);
        assert_eq!(read(410, r#"{"error":"invite_revoked","message":"m"}"#), JoinProblem::Revoked);
        assert_eq!(read(410, ""), JoinProblem::Expired);
        assert_eq!(read(503, ""), JoinProblem::Busy);
        assert_eq!(read(429, ""), JoinProblem::Busy);
        assert_eq!(
            read(404, r#"{"error":"not_found","message":"m"}"#),
            JoinProblem::Unexpected(404),
            "no invites on that server"
        );
        assert_eq!(read(500, "boom"), JoinProblem::Unexpected(500));
        assert_eq!(read(200, "<!doctype html>"), JoinProblem::Unexpected(200), "an index page is not an invite");
        let invalid = read(422, r#"{"error":"invalid","message":"m","fields":{"phone":{"code":"bad_phone"}}}"#);
        let JoinProblem::Invalid(fields) = invalid else { panic!("invalid expected") };
        assert_eq!(fields.get("phone"), Some(&FieldError::BadPhone));
    }

    #[test]
    fn no_answer_is_offline_or_unreachable() {
        assert_eq!(read_reply::<InviteInfo>(Err(TransportError::Offline)), Err(JoinProblem::Offline));
        let cut = read_reply::<InviteInfo>(Err(TransportError::Timeout)).unwrap_err();
        assert_eq!(cut.code(), "unreachable");
        assert!(cut.may_retry());
        assert!(!JoinProblem::Expired.may_retry());
    }

    #[test]
    fn every_problem_is_a_sentence_in_both_languages() {
        let all = [
            JoinProblem::NoCode,
            JoinProblem::BadServer,
            JoinProblem::UntrustedServer("evil.example".into()),
            JoinProblem::NotFound,
            JoinProblem::Expired,
            JoinProblem::UsedUp,
            JoinProblem::Revoked,
            JoinProblem::Offline,
            JoinProblem::Unreachable("x".into()),
            JoinProblem::Busy,
            JoinProblem::Invalid(FieldErrors::new()),
            JoinProblem::Unexpected(500),
        ];
        for problem in all {
            let (zh, en) = (problem.message(Lang::ZhCn), problem.message(Lang::En));
            assert!(zh.ends_with('。'), "{zh}");
            assert!(en.ends_with('.') && en.is_ascii(), "{en}");
        }
        assert!(JoinProblem::UsedUp.message(Lang::ZhCn).contains("新的邀请链接"));
        assert!(JoinProblem::Offline.message(Lang::En).contains("needs the network once"));
    }
}
