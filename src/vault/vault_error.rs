//! Why the vault could not be made or unlocked, as a sentence for the worker.

use tongxing_core::vault::{PinProblem, UnlockWait};
use tongxing_core::Lang;

/// A failure of the vault.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum VaultError {
    /// The browser lacks WebCrypto (too old, or the app is not served over HTTPS).
    #[error("no WebCrypto")]
    NoWebCrypto,
    /// The PIN was refused by its rule.
    #[error("PIN refused: {0}")]
    Pin(PinProblem),
    /// A wrong PIN, or one tried before its wait ran out.
    #[error("wrong PIN")]
    WrongPin(UnlockWait),
    /// The phone has no vault to unlock.
    #[error("no vault")]
    NoVault,
    /// Keeping the vault failed (storage blocked or full).
    #[error("vault not kept: {0}")]
    NotKept(String),
}

impl VaultError {
    /// A sentence for the worker.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            VaultError::NoWebCrypto => lang
                .pick(
                    "这个浏览器无法加密保存数据。请用手机自带的浏览器或最新版微信打开，并确认网址以 https 开头。",
                    "This browser cannot encrypt stored data. Open the app in the phone's own browser or an up-to-date WeChat, at an https address.",
                )
                .to_owned(),
            VaultError::Pin(problem) => problem.message(lang),
            VaultError::WrongPin(UnlockWait::Ready) => lang.pick("密码不对，请再试一次。", "Wrong PIN: try again.").to_owned(),
            VaultError::WrongPin(wait) => wait.message(lang),
            VaultError::NoVault => lang.pick("这部手机还没有设置密码。", "No PIN is set on this phone yet.").to_owned(),
            VaultError::NotKept(_) => lang
                .pick(
                    "无法在手机上保存密码设置，请不要用无痕模式，并清理存储空间后再试。",
                    "The PIN could not be kept on this phone: leave private mode, free some space and try again.",
                )
                .to_owned(),
        }
    }
}
