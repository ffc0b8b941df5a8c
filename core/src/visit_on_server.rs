//! A visit the phone knows only by its summary (recorded on another phone, received in the
//! changes feed): its full answers are read from the server when the worker opens it
//! (`GET /api/v1/visits/{id}`), and what each answer means.

use uuid::Uuid;

use crate::http_reply::{read_json, HttpReply, ReadRefusal, TransportError};
use crate::wire::API_PREFIX;
use crate::{Lang, Visit};

/// Where the visit `id` is read whole.
pub fn path(id: Uuid) -> String {
    format!("{API_PREFIX}/visits/{id}")
}

/// Why the visit could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum VisitReadProblem {
    /// The phone is offline: the answers are on the server ("需要网络").
    #[error("offline")]
    Offline,
    /// No answer, `429`, `503` or an answer that could not be read: try again later.
    #[error("no usable answer")]
    TryLater,
    /// `401`: the phone must join again.
    #[error("the phone must join again")]
    MustRejoin,
    /// `403` or `404`: the visit no longer reaches this phone (the child is no longer paired
    /// with her, or the file moved to another village).
    #[error("no longer readable here")]
    NoLongerHere,
}

impl VisitReadProblem {
    /// A stable name, for tests and styles.
    pub fn code(&self) -> &'static str {
        match self {
            VisitReadProblem::Offline => "offline",
            VisitReadProblem::TryLater => "try_later",
            VisitReadProblem::MustRejoin => "must_rejoin",
            VisitReadProblem::NoLongerHere => "no_longer_here",
        }
    }

    /// The sentence shown where the visit's answers would be.
    pub fn message(&self, lang: Lang) -> &'static str {
        match self {
            VisitReadProblem::Offline => lang.pick(
                "需要网络：这次走访是在另一部手机上记录的，详细内容保存在服务器上。请连上网络后再打开。",
                "This needs the network: this visit was recorded on another phone and its answers are on the server. Connect, then open it again.",
            ),
            VisitReadProblem::TryLater => {
                lang.pick("暂时读不到服务器上的这次走访，请稍后再试。", "The server could not give this visit just now; try again later.")
            }
            VisitReadProblem::MustRejoin => lang.pick(
                "本设备需要重新加入才能查看服务器上的记录。请打开督导员发来的新邀请链接。",
                "This phone must join again to read records on the server. Open a new invite link from your township supervisor.",
            ),
            VisitReadProblem::NoLongerHere => lang.pick(
                "本设备已不能查看这次走访（这名儿童可能已不再由您结对负责）。",
                "This phone can no longer read this visit (the child may no longer be paired with you).",
            ),
        }
    }
}

/// Reads the answer to `GET` [`path`]: the visit, or why not. A visit that is not the one
/// asked for is not an answer.
pub fn read_visit(id: Uuid, outcome: Result<HttpReply, TransportError>) -> Result<Visit, VisitReadProblem> {
    match read_json::<Visit>(outcome) {
        Ok(visit) if visit.id == id => Ok(visit),
        Err(ReadRefusal::Offline) => Err(VisitReadProblem::Offline),
        Err(ReadRefusal::Status(401)) => Err(VisitReadProblem::MustRejoin),
        Err(ReadRefusal::Status(403 | 404)) => Err(VisitReadProblem::NoLongerHere),
        _ => Err(VisitReadProblem::TryLater),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::sample_visit;

    fn reply(status: u16, body: &str) -> Result<HttpReply, TransportError> {
        Ok(HttpReply::new(status, body))
    }

    #[test]
    fn the_visit_asked_for_is_read() {
        let visit = sample_visit();
        let body = serde_json::to_string(&visit).unwrap();
        assert_eq!(path(visit.id), format!("/api/v1/visits/{}", visit.id));
        assert_eq!(read_visit(visit.id, reply(200, &body)), Ok(visit.clone()));
        assert_eq!(
            read_visit(Uuid::from_u128(42), reply(200, &body)),
            Err(VisitReadProblem::TryLater),
            "another visit"
        );
        assert_eq!(read_visit(visit.id, reply(200, "<!doctype html>")), Err(VisitReadProblem::TryLater));
    }

    #[test]
    fn every_other_answer_says_why_in_both_languages() {
        let id = Uuid::from_u128(42);
        let cases = [
            (Err(TransportError::Offline), VisitReadProblem::Offline),
            (Err(TransportError::Timeout), VisitReadProblem::TryLater),
            (Err(TransportError::Network("reset".into())), VisitReadProblem::TryLater),
            (reply(401, "{}"), VisitReadProblem::MustRejoin),
            (reply(403, "{}"), VisitReadProblem::NoLongerHere),
            (reply(404, "{}"), VisitReadProblem::NoLongerHere),
            (reply(429, "{}"), VisitReadProblem::TryLater),
            (reply(503, "{}"), VisitReadProblem::TryLater),
        ];
        for (outcome, problem) in cases {
            assert_eq!(read_visit(id, outcome), Err(problem));
            assert_ne!(problem.message(Lang::ZhCn), problem.message(Lang::En));
            assert!(!problem.message(Lang::ZhCn).is_empty());
        }
        assert!(VisitReadProblem::Offline.message(Lang::ZhCn).starts_with("需要网络"));
    }
}
