//! Why the phone's storage failed, as a sentence for the worker.

use tongxing_core::vault::SealProblem;
use tongxing_core::Lang;

use crate::vault::SealFailure;

/// A failure of the phone's storage.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StorageError {
    /// IndexedDB cannot be opened (private mode, blocked by the browser, too old a browser).
    #[error("storage unavailable: {0}")]
    Unavailable(String),
    /// The phone is out of space for this site.
    #[error("storage full")]
    Full,
    /// A stored value could not be read back.
    #[error("stored data unreadable: {0}")]
    Corrupt(String),
    /// The phone is locked: nothing is read or stored until the worker's PIN unlocks it.
    #[error("storage locked")]
    Locked,
    /// A stored value was changed, moved or kept in the clear, and is refused.
    #[error("stored value refused: {0}")]
    Refused(SealProblem),
    /// Any other failure of a storage operation.
    #[error("storage failed: {0}")]
    Failed(String),
}

impl StorageError {
    /// A sentence for the worker.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            StorageError::Unavailable(_) => lang
                .pick(
                    "无法使用手机存储，请不要用无痕模式，并允许网站保存数据",
                    "This phone's storage cannot be used: leave private mode and allow the site to store data",
                )
                .to_owned(),
            StorageError::Full => lang
                .pick(
                    "手机存储空间不足，请清理空间后再保存",
                    "The phone is out of storage space: free some space, then save again",
                )
                .to_owned(),
            StorageError::Locked => {
                lang.pick("童行已锁定，请输入密码解锁", "Tongxing is locked: enter your PIN to unlock it").to_owned()
            }
            StorageError::Refused(problem) => problem.message(lang).to_owned(),
            StorageError::Corrupt(_) => lang.pick("有一条记录无法读取", "A stored record could not be read").to_owned(),
            StorageError::Failed(detail) => match lang {
                Lang::ZhCn => format!("保存失败：{detail}"),
                Lang::En => format!("Saving failed: {detail}"),
            },
        }
    }
}

impl From<SealFailure> for StorageError {
    fn from(failure: SealFailure) -> StorageError {
        match failure {
            SealFailure::Locked => StorageError::Locked,
            SealFailure::Problem(problem) => StorageError::Refused(problem),
            SealFailure::Vault(error) => StorageError::Failed(error.to_string()),
        }
    }
}

impl From<indexed_db_futures::error::Error> for StorageError {
    fn from(error: indexed_db_futures::error::Error) -> StorageError {
        let text = error.to_string();
        if text.contains("QuotaExceeded") {
            StorageError::Full
        } else {
            StorageError::Failed(text)
        }
    }
}

impl From<indexed_db_futures::error::OpenDbError> for StorageError {
    fn from(error: indexed_db_futures::error::OpenDbError) -> StorageError {
        StorageError::Unavailable(error.to_string())
    }
}
