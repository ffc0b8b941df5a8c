//! Why getting a forgotten PIN's data key back did not work, as a sentence for the worker,
//! and how the server's answer to `POST /api/v1/recovery` is read.

use crate::http_reply::{HttpReply, TransportError};
use crate::wire::{ErrorCode, RecoveredKey};
use crate::Lang;

use super::{NotARecoveryCode, PinProblem};

/// Why the phone's data key did not come back.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecoveryProblem {
    /// What was typed is not a recovery code.
    #[error(transparent)]
    Code(#[from] NotARecoveryCode),
    /// The new PIN was refused by its rule.
    #[error("new PIN refused: {0}")]
    Pin(PinProblem),
    /// This space never joined a server: there is nobody to ask.
    #[error("not joined")]
    NotJoined,
    /// `403 recovery_refused`: a wrong, lapsed or used code, too many tries, or a revoked phone.
    #[error("recovery refused")]
    Refused,
    /// The key that came back does not open this phone's data.
    #[error("the key does not open this phone's data")]
    WrongKey,
    /// The phone has no connection.
    #[error("offline")]
    Offline,
    /// No answer, `429`/`503`, or an answer that could not be read.
    #[error("no usable answer")]
    Unreachable,
}

impl RecoveryProblem {
    /// A sentence for the worker: what happened and what to do.
    pub fn message(&self, lang: Lang) -> String {
        let (zh, en) = match self {
            RecoveryProblem::Code(problem) => return problem.message(lang).to_owned(),
            RecoveryProblem::Pin(problem) => return problem.message(lang),
            RecoveryProblem::NotJoined => (
                "这个用户还没有加入，无法通过督导恢复。",
                "This user has not joined yet, so there is no supervisor to recover through.",
            ),
            RecoveryProblem::Refused => (
                "恢复码不对、已过期或已用过。请向督导核对，或请她重新发放一个。",
                "This recovery code is wrong, has lapsed or was used: check it with your supervisor, or ask her for a new one.",
            ),
            RecoveryProblem::WrongKey => (
                "服务器给回的钥匙打不开这部手机上的记录，请联系督导。",
                "The key the server gave back does not open the records on this phone: contact your supervisor.",
            ),
            RecoveryProblem::Offline => (
                "手机没有联网。恢复需要联网，请连上网络后再试。",
                "This phone is offline. Recovering needs the network: connect, then try again.",
            ),
            RecoveryProblem::Unreachable => (
                "连不上服务器或服务器繁忙，请稍后再试。",
                "The server cannot be reached or is busy: try again in a moment.",
            ),
        };
        lang.pick(zh, en).to_owned()
    }
}

/// Reads the answer to a recovery claim: the data key, or why not.
pub fn read_recovery(outcome: Result<HttpReply, TransportError>) -> Result<RecoveredKey, RecoveryProblem> {
    let reply = outcome.map_err(|error| match error {
        TransportError::Offline => RecoveryProblem::Offline,
        _ => RecoveryProblem::Unreachable,
    })?;
    match (reply.status, reply.error_body().map(|body| body.error)) {
        (200, _) => serde_json::from_str(&reply.body).map_err(|_| RecoveryProblem::Unreachable),
        (_, Some(ErrorCode::RecoveryRefused | ErrorCode::Revoked | ErrorCode::NoRecoveryKey)) => {
            Err(RecoveryProblem::Refused)
        }
        _ => Err(RecoveryProblem::Unreachable),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(status: u16, body: &str) -> Result<HttpReply, TransportError> {
        Ok(HttpReply { status, retry_after: None, body: body.to_owned() })
    }

    #[test]
    fn the_key_comes_from_a_200_and_a_refusal_says_to_ask_again() {
        let key = "ab".repeat(32);
        assert!(read_recovery(reply(200, &format!(r#"{{"key":"{key}"}}"#))).is_ok());
        let refused = r#"{"error":"recovery_refused","message":"m"}"#;
        assert_eq!(read_recovery(reply(403, refused)).unwrap_err(), RecoveryProblem::Refused);
        assert_eq!(
            read_recovery(reply(429, r#"{"error":"rate_limited","message":"m"}"#)).unwrap_err(),
            RecoveryProblem::Unreachable
        );
        assert_eq!(
            read_recovery(reply(200, "<html>")).unwrap_err(),
            RecoveryProblem::Unreachable,
            "a static host's page"
        );
        assert_eq!(read_recovery(Err(TransportError::Offline)).unwrap_err(), RecoveryProblem::Offline);
    }

    #[test]
    fn every_problem_reads_in_both_languages() {
        for problem in [
            RecoveryProblem::Code(NotARecoveryCode),
            RecoveryProblem::Pin(PinProblem::TooEasy),
            RecoveryProblem::NotJoined,
            RecoveryProblem::Refused,
            RecoveryProblem::WrongKey,
            RecoveryProblem::Offline,
            RecoveryProblem::Unreachable,
        ] {
            assert!(problem.message(Lang::ZhCn).ends_with('。'), "{problem:?}");
            assert!(problem.message(Lang::En).ends_with('.'), "{problem:?}");
        }
    }
}
