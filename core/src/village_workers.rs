//! Whom a director may pair with a child, read from her server when she opens the picker
//! (`GET /api/v1/village/workers`), and what each answer means. Offline there is no list:
//! pairing needs the server's word on who has joined.

use crate::http_reply::{read_json, HttpReply, ReadRefusal, TransportError};
use crate::wire::{VillageQuery, VillageWorker, API_PREFIX};
use crate::Lang;

/// Where a director reads her village's list.
pub fn path() -> String {
    format!("{API_PREFIX}/village/workers")
}

/// Where a supervisor reads the list of `village`, of her township.
pub fn path_of(village: &str) -> String {
    let query = serde_urlencoded::to_string(VillageQuery::of(village)).unwrap_or_default();
    format!("{}?{query}", path())
}

/// Why the list could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum WorkersReadProblem {
    /// The phone is offline ("需要网络").
    #[error("offline")]
    Offline,
    /// No answer, `429`, `5xx` or an answer that could not be read.
    #[error("no usable answer")]
    TryLater,
    /// `401`: the phone must join again.
    #[error("the phone must join again")]
    MustRejoin,
    /// `403`: the phone is not a director's or a supervisor's.
    #[error("not a director's phone")]
    NotADirector,
}

impl WorkersReadProblem {
    /// A stable name, for tests and styles.
    pub fn code(&self) -> &'static str {
        match self {
            WorkersReadProblem::Offline => "offline",
            WorkersReadProblem::TryLater => "try_later",
            WorkersReadProblem::MustRejoin => "must_rejoin",
            WorkersReadProblem::NotADirector => "not_a_director",
        }
    }

    /// The sentence shown where the list would be.
    pub fn message(&self, lang: Lang) -> &'static str {
        match self {
            WorkersReadProblem::Offline => lang.pick(
                "需要网络：结对要从服务器读取本村的爱心妈妈和志愿者。请连上网络后再试。",
                "Needs a connection: pairing reads your village's love mothers and volunteers from the server. Connect, then try again.",
            ),
            WorkersReadProblem::TryLater => {
                lang.pick("暂时读不到本村的爱心妈妈和志愿者，请稍后再试。", "The server could not give the list just now; try again later.")
            }
            WorkersReadProblem::MustRejoin => lang.pick(
                "本设备需要重新加入才能结对。请打开督导员发来的新邀请链接。",
                "This phone must join again to pair. Open a new invite link from your township supervisor.",
            ),
            WorkersReadProblem::NotADirector => {
                lang.pick("只有儿童主任可以结对。", "Only the village's child director pairs workers with children.")
            }
        }
    }
}

/// Reads the answer to `GET` [`path`]: the workers, or why not.
pub fn read_workers(outcome: Result<HttpReply, TransportError>) -> Result<Vec<VillageWorker>, WorkersReadProblem> {
    read_json(outcome).map_err(|refusal| match refusal {
        ReadRefusal::Offline => WorkersReadProblem::Offline,
        ReadRefusal::Status(401) => WorkersReadProblem::MustRejoin,
        ReadRefusal::Status(403) => WorkersReadProblem::NotADirector,
        ReadRefusal::NoUsableAnswer | ReadRefusal::Status(_) => WorkersReadProblem::TryLater,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Role;

    #[test]
    fn the_list_is_read_and_every_other_answer_says_why() {
        let reply = |status, body: &str| Ok(HttpReply::new(status, body));
        assert_eq!(path(), "/api/v1/village/workers");
        assert_eq!(path_of("桃源村"), "/api/v1/village/workers?village=%E6%A1%83%E6%BA%90%E6%9D%91");
        let worker = VillageWorker { id: uuid::Uuid::from_u128(7), name: "赵妈妈".into(), role: Role::LoveMother };
        let body = serde_json::to_string(&[&worker]).unwrap();
        assert_eq!(read_workers(reply(200, &body)), Ok(vec![worker]));
        let cases = [
            (reply(200, "<!doctype html>"), WorkersReadProblem::TryLater),
            (Err(TransportError::Offline), WorkersReadProblem::Offline),
            (Err(TransportError::Timeout), WorkersReadProblem::TryLater),
            (reply(401, "{}"), WorkersReadProblem::MustRejoin),
            (reply(403, "{}"), WorkersReadProblem::NotADirector),
            (reply(503, "{}"), WorkersReadProblem::TryLater),
        ];
        for (outcome, problem) in cases {
            assert_eq!(read_workers(outcome), Err(problem));
            for lang in [Lang::ZhCn, Lang::En] {
                assert!(!problem.message(lang).is_empty(), "{}", problem.code());
            }
        }
        assert!(WorkersReadProblem::Offline.message(Lang::ZhCn).starts_with("需要网络"));
    }
}
