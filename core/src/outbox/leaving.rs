//! Whether a worker may leave a phone (handing it on, or changing jobs): everything it
//! deletes must already be on the server, so not while any record is unsent.

use crate::Lang;

use super::Summary;

/// Why the phone cannot be left yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{unsent} records are not on the server yet")]
pub struct LeavingRefused {
    /// Records still to reach the server, or refused by it and waiting for her.
    pub unsent: u32,
}

impl LeavingRefused {
    /// A sentence for the worker: what is in the way and what to do.
    pub fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::ZhCn => format!("还有 {} 条记录没有上传到服务器。请先联网上传（或处理被退回的记录），再离开这部手机，否则它们会丢失。", self.unsent),
            Lang::En => format!(
                "{} records have not reached the server yet. Connect and send them (or deal with the ones sent back) before leaving this phone, or they will be lost.",
                self.unsent
            ),
        }
    }
}

impl Summary {
    /// Records not yet confirmed by the server: still to send, or refused and waiting.
    pub fn unsent(&self) -> u32 {
        self.pending + self.needs_attention
    }

    /// Whether the phone's records may be deleted for leaving it: only when every one of
    /// them is on the server.
    pub fn may_leave(&self) -> Result<(), LeavingRefused> {
        match self.unsent() {
            0 => Ok(()),
            unsent => Err(LeavingRefused { unsent }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_phone_with_everything_sent_may_be_left() {
        let sent = Summary { pending: 0, needs_attention: 0, sent: 40, ..Summary::default() };
        assert_eq!(sent.may_leave(), Ok(()));
        assert_eq!(Summary::default().may_leave(), Ok(()), "a phone with nothing recorded");
        let waiting = Summary { pending: 2, needs_attention: 1, sent: 40, ..Summary::default() };
        assert_eq!(waiting.may_leave(), Err(LeavingRefused { unsent: 3 }));
        let refused = Summary { pending: 0, needs_attention: 1, sent: 0, ..Summary::default() };
        assert_eq!(refused.may_leave(), Err(LeavingRefused { unsent: 1 }), "a refused record is not on the server");
    }

    #[test]
    fn the_refusal_says_how_many_in_both_languages() {
        let refused = LeavingRefused { unsent: 3 };
        assert!(refused.message(Lang::ZhCn).contains("还有 3 条记录没有上传"));
        assert!(refused.message(Lang::En).starts_with("3 records have not reached the server"));
    }
}
