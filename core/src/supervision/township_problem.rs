//! Why a call of the supervisor's screen did not work, as a sentence for her, and how each
//! answer of the server is read.

use serde::de::DeserializeOwned;

use crate::http_reply::{HttpReply, TransportError};
use crate::wire::ErrorCode;
use crate::{FieldErrors, Lang};

/// Why the server's records could not be read, exported, or an invite made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TownshipProblem {
    /// The phone has no connection: reading the township's records needs the network.
    #[error("offline")]
    Offline,
    /// No answer (a network failure or a timeout).
    #[error("server unreachable: {0}")]
    Unreachable(String),
    /// `401`: the phone's token is not (or no longer) accepted; it must join again.
    #[error("the phone must join again")]
    MustRejoin,
    /// `401 revoked_lost`: the phone was revoked as lost or stolen; it wipes what Tongxing
    /// keeps on it.
    #[error("the phone was revoked as lost")]
    Lost,
    /// `403 out_of_scope`: a record of another township.
    #[error("a record of another township")]
    OutOfScope,
    /// Any other `403`: the phone's role may not do this.
    #[error("not allowed for this role")]
    NotAllowed,
    /// `404`: no such child on the server.
    #[error("not found")]
    NotFound,
    /// `429` or `503`: the server asks to wait.
    #[error("server busy")]
    Busy,
    /// `422`: what the server found wrong, by field.
    #[error("invalid: {0}")]
    Invalid(FieldErrors),
    /// Another refusal the server explained in the language asked for.
    #[error("refused ({status}): {message}")]
    Refused { status: u16, message: String },
    /// Any other answer, or a body that could not be read.
    #[error("unexpected answer: HTTP {0}")]
    Unexpected(u16),
}

impl TownshipProblem {
    /// Reads an answer that is not a `2xx`.
    pub fn of_reply(reply: &HttpReply) -> TownshipProblem {
        let body = reply.error_body();
        match (reply.status, body) {
            (401, Some(body)) if body.error == ErrorCode::RevokedLost => TownshipProblem::Lost,
            (401, _) => TownshipProblem::MustRejoin,
            (403, Some(body)) if body.error == ErrorCode::OutOfScope => TownshipProblem::OutOfScope,
            (403, _) => TownshipProblem::NotAllowed,
            (404, Some(body)) if body.error == ErrorCode::NotFound => TownshipProblem::NotFound,
            (422, body) => TownshipProblem::Invalid(body.map(|body| body.fields).unwrap_or_default()),
            (429 | 503, _) => TownshipProblem::Busy,
            (status @ 400..=499, Some(body)) if !body.message.trim().is_empty() => {
                TownshipProblem::Refused { status, message: body.message }
            }
            (status, _) => TownshipProblem::Unexpected(status),
        }
    }

    /// A request that got no answer.
    pub fn of_transport_error(error: &TransportError) -> TownshipProblem {
        match error {
            TransportError::Offline => TownshipProblem::Offline,
            other => TownshipProblem::Unreachable(other.to_string()),
        }
    }

    /// A stable name, for tests and styles (`offline`, `must_rejoin`, …).
    pub fn code(&self) -> &'static str {
        match self {
            TownshipProblem::Offline => "offline",
            TownshipProblem::Unreachable(_) => "unreachable",
            TownshipProblem::MustRejoin => "must_rejoin",
            TownshipProblem::Lost => "lost",
            TownshipProblem::OutOfScope => "out_of_scope",
            TownshipProblem::NotAllowed => "not_allowed",
            TownshipProblem::NotFound => "not_found",
            TownshipProblem::Busy => "busy",
            TownshipProblem::Invalid(_) => "invalid",
            TownshipProblem::Refused { .. } => "refused",
            TownshipProblem::Unexpected(_) => "unexpected",
        }
    }

    /// A sentence for the supervisor: what happened and what to do.
    pub fn message(&self, lang: Lang) -> String {
        let (zh, en) = match self {
            TownshipProblem::Offline => (
                "需要网络：手机没有联网，乡镇的记录保存在服务器上。请连上网络后再试。",
                "This needs the network: the phone is offline, and the township's records are on the server. Connect, then try again.",
            ),
            TownshipProblem::Unreachable(_) => {
                ("连不上服务器，请检查网络后再试。", "Cannot reach the server; check the connection, then try again.")
            }
            TownshipProblem::MustRejoin => (
                "本设备需要重新加入才能查看乡镇的记录。请打开县民政部门发来的新邀请链接。",
                "This phone must join again to read the township's records. Open a new invite link from the county civil-affairs bureau.",
            ),
            TownshipProblem::Lost => (
                "这部手机已被报告丢失或被盗，童行在本机上的数据已被删除。",
                "This phone was reported lost or stolen; Tongxing's data on it has been deleted.",
            ),
            TownshipProblem::OutOfScope => (
                "这份档案属于其他乡镇，您不能查看。",
                "This file belongs to another township; you cannot read it.",
            ),
            TownshipProblem::NotAllowed => (
                "本设备没有这项权限：只有乡镇儿童督导员可以查看、导出乡镇的记录，并邀请儿童主任、爱心妈妈和志愿者。",
                "This phone may not do this: only a township supervisor reads and exports the township's records and invites directors, love mothers and volunteers.",
            ),
            TownshipProblem::NotFound => {
                ("服务器上没有这个儿童的档案。", "The server has no file for this child.")
            }
            TownshipProblem::Busy => ("服务器繁忙，请稍后再试。", "The server is busy; try again in a moment."),
            TownshipProblem::Invalid(_) => (
                "服务器认为填写有误，请按提示修改。",
                "The server found a problem in what you entered: correct it as shown.",
            ),
            TownshipProblem::Refused { message, .. } => return message.clone(),
            TownshipProblem::Unexpected(status) => {
                return match lang {
                    Lang::ZhCn => format!("服务器的回答无法识别（HTTP {status}），请稍后再试。"),
                    Lang::En => format!("The server's answer could not be understood (HTTP {status}); try again later."),
                }
            }
        };
        lang.pick(zh, en).to_owned()
    }
}

/// Reads the answer to a call that answers nothing but its status (a revocation's `204`).
pub fn read_done(outcome: Result<HttpReply, TransportError>) -> Result<(), TownshipProblem> {
    let reply = outcome.map_err(|error| TownshipProblem::of_transport_error(&error))?;
    if (200..300).contains(&reply.status) {
        Ok(())
    } else {
        Err(TownshipProblem::of_reply(&reply))
    }
}

/// Reads the answer to a call: a `2xx` with a JSON body of type `T`, or why not.
pub fn read_reply<T: DeserializeOwned>(outcome: Result<HttpReply, TransportError>) -> Result<T, TownshipProblem> {
    let reply = outcome.map_err(|error| TownshipProblem::of_transport_error(&error))?;
    if !(200..300).contains(&reply.status) {
        return Err(TownshipProblem::of_reply(&reply));
    }
    // A 200 that is not our JSON: a static host answering the path with its index page.
    // (From bytes, as the phone's storage reads records: one reader of `Child` and `Visit`
    // in the app, not two.)
    serde_json::from_slice(reply.body.as_bytes()).map_err(|_| TownshipProblem::Unexpected(reply.status))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_revocation_is_done_on_any_2xx_and_read_as_a_problem_otherwise() {
        let reply = |status: u16, body: &str| Ok(HttpReply { status, retry_after: None, body: body.to_owned() });
        assert_eq!(read_done(reply(204, "")), Ok(()));
        assert_eq!(read_done(reply(401, "")), Err(TownshipProblem::MustRejoin));
        assert_eq!(read_done(reply(403, r#"{"error":"forbidden","message":"m"}"#)), Err(TownshipProblem::NotAllowed));
        assert_eq!(read_done(Err(TransportError::Offline)), Err(TownshipProblem::Offline));
    }
    use crate::wire::{ChildListing, InviteReply, Page};
    use crate::FieldError;

    fn reply(status: u16, body: &str) -> Result<HttpReply, TransportError> {
        Ok(HttpReply { status, retry_after: None, body: body.to_owned() })
    }

    #[test]
    fn a_page_and_an_invite_are_read_from_their_bodies() {
        let page: Page<ChildListing> =
            read_reply(reply(200, r#"{"items":[],"page":1,"per_page":50,"total":0}"#)).unwrap();
        assert_eq!((page.total, page.items.len()), (0, 0));
        let made: InviteReply =
            read_reply(reply(201, r#"{"code":"k3x9","expires_at":"2026-12-01T00:00:00Z"}"#)).unwrap();
        assert_eq!((made.code.as_str(), made.link), ("k3x9", None));
    }

    #[test]
    fn each_refusal_has_its_own_problem() {
        let read = |status, body| read_reply::<InviteReply>(reply(status, body)).unwrap_err();
        assert_eq!(read(401, r#"{"error":"revoked","message":"m"}"#), TownshipProblem::MustRejoin);
        assert_eq!(read(401, ""), TownshipProblem::MustRejoin);
        assert_eq!(read(401, r#"{"error":"revoked_lost","message":"m"}"#), TownshipProblem::Lost);
        assert_eq!(read(403, r#"{"error":"out_of_scope","message":"m"}"#), TownshipProblem::OutOfScope);
        assert_eq!(read(403, r#"{"error":"forbidden","message":"m"}"#), TownshipProblem::NotAllowed);
        assert_eq!(read(404, r#"{"error":"not_found","message":"m"}"#), TownshipProblem::NotFound);
        assert_eq!(read(404, "<html>"), TownshipProblem::Unexpected(404), "no API at that address");
        assert_eq!(read(429, ""), TownshipProblem::Busy);
        assert_eq!(read(503, r#"{"error":"disk_full","message":"服务器磁盘已满"}"#), TownshipProblem::Busy);
        assert_eq!(
            read(400, r#"{"error":"bad_query","message":"查询条件无法识别"}"#),
            TownshipProblem::Refused { status: 400, message: "查询条件无法识别".into() }
        );
        assert_eq!(read(500, r#"{"error":"internal","message":"m"}"#), TownshipProblem::Unexpected(500));
        assert_eq!(read(200, "<!doctype html>"), TownshipProblem::Unexpected(200));
        let TownshipProblem::Invalid(fields) =
            read(422, r#"{"error":"invalid","message":"m","fields":{"valid_days":{"code":"out_of_range"}}}"#)
        else {
            panic!("invalid expected")
        };
        assert_eq!(fields.get("valid_days"), Some(&FieldError::OutOfRange));
    }

    #[test]
    fn no_answer_is_offline_or_unreachable() {
        assert_eq!(read_reply::<InviteReply>(Err(TransportError::Offline)), Err(TownshipProblem::Offline));
        assert_eq!(read_reply::<InviteReply>(Err(TransportError::Timeout)).unwrap_err().code(), "unreachable");
    }

    #[test]
    fn every_problem_is_a_sentence_in_both_languages() {
        let all = [
            TownshipProblem::Offline,
            TownshipProblem::Unreachable("x".into()),
            TownshipProblem::MustRejoin,
            TownshipProblem::Lost,
            TownshipProblem::OutOfScope,
            TownshipProblem::NotAllowed,
            TownshipProblem::NotFound,
            TownshipProblem::Busy,
            TownshipProblem::Invalid(FieldErrors::new()),
            TownshipProblem::Unexpected(500),
        ];
        for problem in all {
            let (zh, en) = (problem.message(Lang::ZhCn), problem.message(Lang::En));
            assert!(zh.ends_with('。'), "{zh}");
            assert!(en.ends_with('.') && en.is_ascii(), "{en}");
        }
        assert!(TownshipProblem::Offline.message(Lang::ZhCn).starts_with("需要网络"));
        assert!(TownshipProblem::MustRejoin.message(Lang::ZhCn).contains("重新加入"));
        let refused = TownshipProblem::Refused { status: 400, message: "查询条件无法识别".into() };
        assert_eq!(refused.message(Lang::En), "查询条件无法识别", "the server's sentence, in the language asked for");
    }
}
