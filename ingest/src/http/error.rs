//! Every way an API call can fail, as one enum whose response is the wire contract's
//! `ErrorBody`: `{"error": "<code>", "message": "<text>", "fields": {...}?}`.
//!
//! A response carries the error in Chinese, the default language, and keeps the error itself
//! in its extensions so that [`crate::http::error_language`] can say it again in the language the
//! request asked for.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use tongxing_core::photo::PhotoHash;
use tongxing_core::wire::{ErrorBody, ErrorCode, RevokedAs};
use tongxing_core::{FieldErrors, Lang};

use crate::store::db::StorageError;
use crate::store::records::StoreError;
use crate::store::workers::secret::NoRandomness;
use crate::store::workers::InviteError;

/// How long a phone should wait before it sends again when the server is busy, in seconds.
pub const BUSY_RETRY_AFTER_SECS: u32 = 5;
/// How long a phone should wait before it sends again when the server's disk is full.
pub const DISK_FULL_RETRY_AFTER_SECS: u32 = 300;
/// How long a supervisor's phone should wait before it asks for another export while one
/// is under way.
pub const EXPORT_RETRY_AFTER_SECS: u32 = 10;
/// How long a phone should wait before it sends again when the server is unavailable.
pub const UNAVAILABLE_RETRY_AFTER_SECS: u32 = 30;

/// Why an API call was refused or failed. `Display` is for logs; people get
/// [`ApiError::message`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// The record id in the address is not a UUID.
    #[error("the record id in the address is not a UUID")]
    BadId,
    /// The photo hash in the address is not 64 lower-case hex digits.
    #[error("the photo hash in the address is not 64 lower-case hex digits")]
    BadHash,
    /// The photo's bytes do not hash to the SHA-256 of its address.
    #[error("the photo's bytes do not match its hash")]
    HashMismatch,
    /// The photo's bytes are not a JPEG, PNG or WebP image.
    #[error("the body is not an image")]
    NotAnImage,
    /// A piece's `Content-Range` is not `bytes <first>-<last>/<size>`, names another size
    /// than the upload under way, or the body is longer than the range.
    #[error("the piece's Content-Range is not valid for this upload")]
    BadRange,
    /// A piece does not start where the server's durable bytes of the photo end.
    #[error("the piece does not start at byte {received}, where the server's bytes end")]
    UploadOffset { received: u64 },
    /// The visit names photos that the server does not hold whole.
    #[error("the visit names {} photos the server does not hold", .0.len())]
    MissingPhotos(Vec<PhotoHash>),
    /// The body stopped before its end (the connection broke).
    #[error("the body was cut short")]
    IncompleteBody,
    /// The body stopped coming: nothing arrived for the server's body idle timeout.
    #[error("the body stopped coming")]
    BodyTimeout,
    /// The body was not sent as JSON.
    #[error("the body is not declared as JSON")]
    UnsupportedMediaType,
    /// The body is larger than the call accepts.
    #[error("the body is too large")]
    TooLarge,
    /// The body is not well-formed JSON (broken or cut short).
    #[error("the body is not well-formed JSON")]
    MalformedJson,
    /// Well-formed, but some fields are wrong.
    #[error("invalid fields: {0}")]
    Invalid(FieldErrors),
    /// The query string of a list cannot be read.
    #[error("the query string cannot be read")]
    BadQuery,
    /// No device token, or one no device has.
    #[error("no device token, or an unknown one")]
    Unauthorized,
    /// The device's token was revoked.
    #[error("the device was revoked")]
    Revoked,
    /// The device's token was revoked because the phone was lost or stolen: the phone wipes
    /// what it keeps.
    #[error("the device was revoked as lost or stolen")]
    RevokedLost,
    /// The worker's role may not make this call.
    #[error("the worker's role may not make this call")]
    Forbidden,
    /// The record belongs to another village or township than the worker's.
    #[error("the record belongs to another place than the worker's")]
    OutOfScope,
    /// No invite has this code.
    #[error("no invite has this code")]
    InviteNotFound,
    /// The invite has expired.
    #[error("the invite has expired")]
    InviteExpired,
    /// A one-time download link no longer works.
    #[error("the download link no longer works")]
    LinkGone,
    /// An unsent-records file the county's key does not open, changed or cut.
    #[error("the unsent-records file cannot be read")]
    UnreadableFile,
    /// The invite has enrolled as many phones as it may.
    #[error("the invite is used up")]
    InviteUsedUp,
    /// The invite was revoked, or the phone that made it was.
    #[error("the invite was revoked")]
    InviteRevoked,
    /// A supervisor tried to join as a worker with an invite her own phone made.
    #[error("the invite's maker tried to join with it")]
    OwnInvite,
    /// This device sent more than its share of calls; it may send again after the seconds.
    #[error("too many calls from this device")]
    RateLimited { retry_after_secs: u32 },
    /// The server has as many calls under way as it takes.
    #[error("the server is overloaded")]
    Overloaded,
    /// This device has sent its day's share of photo bytes; it may send again the next day.
    #[error("the device's daily upload quota is used up")]
    QuotaExceeded { retry_after_secs: u32 },
    /// The record has as many conflicting bodies kept aside as the server keeps.
    #[error("the record has too many conflicting versions kept aside")]
    TooManyConflicts,
    /// This device has an export under way; one at a time.
    #[error("an export of this device is under way")]
    ExportUnderWay,
    /// The phone left no data key the server can open (never sent, or revoked, which forgets
    /// it): no recovery can be issued for it.
    #[error("the device left no data key for a recovery")]
    NoRecoveryKey,
    /// No open recovery of this vault has this code (or none is open, or the phone was
    /// revoked): one answer for all.
    #[error("the recovery was refused")]
    RecoveryRefused,
    /// Nothing at this address.
    #[error("no such address")]
    NotFound,
    /// The address exists, but not for this method.
    #[error("method not allowed")]
    MethodNotAllowed,
    /// The database is busy or locked; sending again later will work.
    #[error("the database is busy")]
    Busy,
    /// The server's disk is full.
    #[error("the server's disk is full")]
    DiskFull,
    /// The server cannot serve at the moment (its database does not answer).
    #[error("the server is unavailable")]
    Unavailable,
    /// Anything else that went wrong on the server; the details are in the log.
    #[error("internal server error")]
    Internal,
}

impl ApiError {
    /// The `401` of a phone revoked `as` left (`revoked`) or lost (`revoked_lost`).
    pub fn revoked(revoked_as: RevokedAs) -> ApiError {
        match revoked_as {
            RevokedAs::Left => ApiError::Revoked,
            RevokedAs::Lost => ApiError::RevokedLost,
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadId
            | ApiError::BadHash
            | ApiError::HashMismatch
            | ApiError::BadRange
            | ApiError::IncompleteBody
            | ApiError::BadQuery
            | ApiError::MalformedJson => StatusCode::BAD_REQUEST,
            ApiError::TooManyConflicts => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::QuotaExceeded { .. } | ApiError::ExportUnderWay => StatusCode::TOO_MANY_REQUESTS,
            ApiError::UploadOffset { .. }
            | ApiError::MissingPhotos(_)
            | ApiError::OwnInvite
            | ApiError::NoRecoveryKey => StatusCode::CONFLICT,
            ApiError::UnsupportedMediaType | ApiError::NotAnImage => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::BodyTimeout => StatusCode::REQUEST_TIMEOUT,
            ApiError::UnreadableFile => StatusCode::BAD_REQUEST,
            ApiError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Unauthorized | ApiError::Revoked | ApiError::RevokedLost => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden | ApiError::OutOfScope | ApiError::RecoveryRefused => StatusCode::FORBIDDEN,
            ApiError::InviteNotFound | ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::InviteExpired | ApiError::InviteUsedUp | ApiError::InviteRevoked | ApiError::LinkGone => {
                StatusCode::GONE
            }
            ApiError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Busy | ApiError::DiskFull | ApiError::Unavailable | ApiError::Overloaded => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            ApiError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable machine code of the `error` member.
    pub fn code(&self) -> ErrorCode {
        match self {
            ApiError::BadId => ErrorCode::BadId,
            ApiError::BadHash => ErrorCode::BadHash,
            ApiError::HashMismatch => ErrorCode::HashMismatch,
            ApiError::NotAnImage => ErrorCode::NotAnImage,
            ApiError::BadRange => ErrorCode::BadRange,
            ApiError::UploadOffset { .. } => ErrorCode::UploadOffset,
            ApiError::MissingPhotos(_) => ErrorCode::MissingPhotos,
            ApiError::IncompleteBody => ErrorCode::IncompleteBody,
            ApiError::BodyTimeout => ErrorCode::BodyTimeout,
            ApiError::UnsupportedMediaType => ErrorCode::UnsupportedMediaType,
            ApiError::TooLarge => ErrorCode::TooLarge,
            ApiError::MalformedJson => ErrorCode::MalformedJson,
            ApiError::Invalid(_) => ErrorCode::Invalid,
            ApiError::BadQuery => ErrorCode::BadQuery,
            ApiError::Unauthorized => ErrorCode::Unauthorized,
            ApiError::Revoked => ErrorCode::Revoked,
            ApiError::RevokedLost => ErrorCode::RevokedLost,
            ApiError::Forbidden => ErrorCode::Forbidden,
            ApiError::OutOfScope => ErrorCode::OutOfScope,
            ApiError::InviteNotFound => ErrorCode::InviteNotFound,
            ApiError::InviteExpired => ErrorCode::InviteExpired,
            ApiError::LinkGone => ErrorCode::LinkGone,
            ApiError::UnreadableFile => ErrorCode::UnreadableFile,
            ApiError::InviteUsedUp => ErrorCode::InviteUsedUp,
            ApiError::InviteRevoked => ErrorCode::InviteRevoked,
            ApiError::OwnInvite => ErrorCode::OwnInvite,
            ApiError::RateLimited { .. } => ErrorCode::RateLimited,
            ApiError::Overloaded => ErrorCode::Overloaded,
            ApiError::QuotaExceeded { .. } => ErrorCode::QuotaExceeded,
            ApiError::TooManyConflicts => ErrorCode::TooManyConflicts,
            ApiError::ExportUnderWay => ErrorCode::ExportUnderWay,
            ApiError::NoRecoveryKey => ErrorCode::NoRecoveryKey,
            ApiError::RecoveryRefused => ErrorCode::RecoveryRefused,
            ApiError::NotFound => ErrorCode::NotFound,
            ApiError::MethodNotAllowed => ErrorCode::MethodNotAllowed,
            ApiError::Busy | ApiError::DiskFull | ApiError::Unavailable => ErrorCode::Unavailable,
            ApiError::Internal => ErrorCode::Internal,
        }
    }

    /// Every error that answers with `code`, one of each variant (none for a code of a newer
    /// server). The server's tests and the OpenAPI document's checks walk these for every
    /// code of [`ErrorCode::ALL`]: a new code does not compile until an error answers with
    /// it, and so has a status and a message, and the document's tests fail until a
    /// response names it.
    pub fn answering(code: &ErrorCode) -> Vec<ApiError> {
        match code {
            ErrorCode::BadId => vec![ApiError::BadId],
            ErrorCode::BadHash => vec![ApiError::BadHash],
            ErrorCode::HashMismatch => vec![ApiError::HashMismatch],
            ErrorCode::NotAnImage => vec![ApiError::NotAnImage],
            ErrorCode::BadRange => vec![ApiError::BadRange],
            ErrorCode::UploadOffset => vec![ApiError::UploadOffset { received: 0 }],
            ErrorCode::MissingPhotos => vec![ApiError::MissingPhotos(Vec::new())],
            ErrorCode::IncompleteBody => vec![ApiError::IncompleteBody],
            ErrorCode::BodyTimeout => vec![ApiError::BodyTimeout],
            ErrorCode::UnsupportedMediaType => vec![ApiError::UnsupportedMediaType],
            ErrorCode::TooLarge => vec![ApiError::TooLarge],
            ErrorCode::MalformedJson => vec![ApiError::MalformedJson],
            ErrorCode::Invalid => vec![ApiError::Invalid(FieldErrors::new())],
            ErrorCode::BadQuery => vec![ApiError::BadQuery],
            ErrorCode::Unauthorized => vec![ApiError::Unauthorized],
            ErrorCode::Revoked => vec![ApiError::Revoked],
            ErrorCode::RevokedLost => vec![ApiError::RevokedLost],
            ErrorCode::Forbidden => vec![ApiError::Forbidden],
            ErrorCode::OutOfScope => vec![ApiError::OutOfScope],
            ErrorCode::InviteNotFound => vec![ApiError::InviteNotFound],
            ErrorCode::InviteExpired => vec![ApiError::InviteExpired],
            ErrorCode::LinkGone => vec![ApiError::LinkGone],
            ErrorCode::UnreadableFile => vec![ApiError::UnreadableFile],
            ErrorCode::InviteUsedUp => vec![ApiError::InviteUsedUp],
            ErrorCode::InviteRevoked => vec![ApiError::InviteRevoked],
            ErrorCode::OwnInvite => vec![ApiError::OwnInvite],
            ErrorCode::RateLimited => vec![ApiError::RateLimited { retry_after_secs: 1 }],
            ErrorCode::Overloaded => vec![ApiError::Overloaded],
            ErrorCode::QuotaExceeded => vec![ApiError::QuotaExceeded { retry_after_secs: 1 }],
            ErrorCode::TooManyConflicts => vec![ApiError::TooManyConflicts],
            ErrorCode::ExportUnderWay => vec![ApiError::ExportUnderWay],
            ErrorCode::NoRecoveryKey => vec![ApiError::NoRecoveryKey],
            ErrorCode::RecoveryRefused => vec![ApiError::RecoveryRefused],
            ErrorCode::NotFound => vec![ApiError::NotFound],
            ErrorCode::MethodNotAllowed => vec![ApiError::MethodNotAllowed],
            ErrorCode::Unavailable => vec![ApiError::Busy, ApiError::DiskFull, ApiError::Unavailable],
            ErrorCode::Internal => vec![ApiError::Internal],
            ErrorCode::Other(_) => Vec::new(),
        }
    }

    /// A sentence for the person using the app.
    pub fn message(&self, lang: Lang) -> &'static str {
        match self {
            ApiError::BadId => lang.pick("地址中的记录编号无效", "The record id in the address is not valid"),
            ApiError::BadHash => lang.pick("地址中的照片编号无效", "The photo hash in the address is not valid"),
            ApiError::HashMismatch => lang.pick(
                "照片在传输中受损，请重新发送",
                "The photo was damaged on the way (its bytes do not match its hash); please send it again",
            ),
            ApiError::NotAnImage => {
                lang.pick("只能接收 JPEG、PNG 或 WebP 照片", "Only JPEG, PNG or WebP photos are accepted")
            }
            ApiError::BadRange => lang.pick(
                "照片分段的范围无效，请重新查询上传进度后再发送",
                "The photo piece's range is not valid for this upload; ask for the upload's progress and send again",
            ),
            ApiError::UploadOffset { .. } => lang.pick(
                "这段照片的起点与服务器已收到的不一致，请从服务器已收到的位置继续",
                "This piece does not start where the server's bytes end; continue from the bytes the server has received",
            ),
            ApiError::MissingPhotos(_) => lang.pick(
                "服务器还没有这次走访的全部照片，请先发送照片，再发送走访记录",
                "The server does not have all of this visit's photos yet; send the photos, then the visit again",
            ),
            ApiError::IncompleteBody => {
                lang.pick("数据没有传完，请重新发送", "The data stopped before its end; please send it again")
            }
            ApiError::BodyTimeout => lang.pick(
                "数据传送中断太久，请在网络好时重新发送",
                "The data stopped coming for too long; please send it again when the network is better",
            ),
            ApiError::UnsupportedMediaType => {
                lang.pick("请以 JSON 格式发送", "Send the data as JSON (Content-Type: application/json)")
            }
            ApiError::TooLarge => {
                lang.pick("内容太大，服务器无法接收", "The data is too large for the server to accept")
            }
            ApiError::MalformedJson => {
                lang.pick("数据不完整或已损坏，请重新发送", "The data is incomplete or damaged; please send it again")
            }
            ApiError::Invalid(_) => lang.pick("记录中有需要更正的项目", "Some fields of the record need correcting"),
            ApiError::BadQuery => lang.pick(
                "查询条件无效（村名、风险等级 red/yellow/blue/green、日期 年-月-日、页码）",
                "The query cannot be read (village, colour red/yellow/blue/green, dates YYYY-MM-DD, page numbers)",
            ),
            ApiError::Unauthorized => lang.pick(
                "本设备尚未加入，请打开督导员发来的邀请链接加入",
                "This device has not joined; open the invite link from your supervisor to join",
            ),
            ApiError::Revoked => lang.pick(
                "本设备已被停用，请向督导员索取新的邀请链接重新加入，手机上的记录不会丢失",
                "This device was switched off; ask your supervisor for a new invite link to join again (nothing on the phone is lost)",
            ),
            ApiError::RevokedLost => lang.pick(
                "这部手机已作为丢失或被盗撤销，手机上的童行数据将被清除。",
                "This phone was revoked as lost or stolen; Tongxing's data on it is being wiped.",
            ),
            ApiError::Forbidden => {
                lang.pick("您的角色不能进行此操作", "Your role does not allow this")
            }
            ApiError::OutOfScope => lang.pick(
                "这条记录属于其他村或乡镇，您无权查看或修改",
                "This record belongs to another village or township; you may not read or change it",
            ),
            ApiError::InviteNotFound => lang.pick(
                "邀请链接无效，请向督导员确认链接是否完整",
                "This invite link is not valid; check with your supervisor that the link is complete",
            ),
            ApiError::InviteExpired => {
                lang.pick("邀请链接已过期，请向督导员索取新的链接", "This invite link has expired; ask your supervisor for a new one")
            }
            ApiError::UnreadableFile => lang.pick(
                "这个待上传记录文件无法读取：不是本县手机保存的文件，或已被改动、不完整",
                "This unsent-records file cannot be read: it was not saved by a phone of this county, or it was changed or cut short",
            ),
            ApiError::LinkGone => lang.pick(
                "这个下载链接已用过、已过期或已失效，请回到童行重新生成",
                "This download link was used, has expired or no longer works; make a new one in Tongxing",
            ),
            ApiError::InviteUsedUp => lang.pick(
                "邀请链接的使用次数已满，请向督导员索取新的链接",
                "This invite link has been used as often as it may; ask your supervisor for a new one",
            ),
            ApiError::InviteRevoked => lang.pick(
                "邀请链接已被撤销，请向督导员索取新的链接",
                "This invite link has been revoked; ask your supervisor for a new one",
            ),
            ApiError::OwnInvite => lang.pick(
                "督导员不能用自己发出的邀请加入为儿童主任、爱心妈妈或志愿者，请把链接发给要加入的人",
                "A supervisor cannot join as a worker with her own invite; send the link to the person who is to join",
            ),
            ApiError::RateLimited { .. } => lang.pick(
                "发送过于频繁，稍后会自动重试",
                "Too many requests from this device; it will try again shortly",
            ),
            ApiError::Overloaded => {
                lang.pick("服务器繁忙，稍后会自动重试", "The server is busy; the phone will try again shortly")
            }
            ApiError::QuotaExceeded { .. } => lang.pick(
                "本设备今天发送的照片已达上限，明天会自动继续发送",
                "This device has sent as many photo bytes as it may today; the phone will send the rest tomorrow",
            ),
            ApiError::TooManyConflicts => lang.pick(
                "这条记录已有太多不同的版本等待核对，请联系督导员",
                "This record has too many differing versions waiting to be reconciled; please contact your supervisor",
            ),
            ApiError::ExportUnderWay => lang.pick(
                "上一次导出还在进行中，请稍后再试",
                "Your previous export is still under way; please try again shortly",
            ),
            ApiError::NoRecoveryKey => lang.pick(
                "这部手机没有把数据密钥交给服务器（或已被撤销），无法通过服务器恢复它的数据",
                "This phone never left its data key with the server, or was revoked: its data cannot be recovered through the server",
            ),
            ApiError::RecoveryRefused => lang.pick(
                "恢复码不对，或已过期、已用过、输错次数太多，请向督导员索取新的恢复码",
                "The recovery code is wrong, has expired, was used, or was tried too often; ask your supervisor for a new one",
            ),
            ApiError::NotFound => lang.pick("找不到该地址", "There is nothing at this address"),
            ApiError::MethodNotAllowed => {
                lang.pick("该地址不支持此请求方式", "This address does not allow this method")
            }
            ApiError::Busy => lang.pick("服务器繁忙，请稍后再试", "The server is busy; please try again shortly"),
            ApiError::DiskFull => lang.pick(
                "服务器磁盘已满，请稍后再试，并告知管理员",
                "The server's disk is full; please try again later and tell the administrator",
            ),
            ApiError::Unavailable => lang.pick(
                "服务器暂时无法使用，请稍后再试",
                "The server is not available at the moment; please try again later",
            ),
            ApiError::Internal => {
                lang.pick("服务器出错，请稍后再试", "Something went wrong on the server; please try again later")
            }
        }
    }

    /// The `Retry-After` seconds, for errors that sending again later can cure.
    pub fn retry_after_secs(&self) -> Option<u32> {
        match self {
            ApiError::Busy => Some(BUSY_RETRY_AFTER_SECS),
            ApiError::DiskFull => Some(DISK_FULL_RETRY_AFTER_SECS),
            ApiError::Unavailable => Some(UNAVAILABLE_RETRY_AFTER_SECS),
            ApiError::Overloaded => Some(BUSY_RETRY_AFTER_SECS),
            ApiError::RateLimited { retry_after_secs } | ApiError::QuotaExceeded { retry_after_secs } => {
                Some(*retry_after_secs)
            }
            ApiError::ExportUnderWay => Some(EXPORT_RETRY_AFTER_SECS),
            _ => None,
        }
    }

    /// The wire body in `lang`.
    pub fn body(&self, lang: Lang) -> ErrorBody {
        let body = ErrorBody::new(self.code(), self.message(lang));
        match self {
            ApiError::Invalid(fields) => ErrorBody { fields: fields.clone(), ..body },
            ApiError::UploadOffset { received } => ErrorBody { received: Some(*received), ..body },
            ApiError::MissingPhotos(missing) => ErrorBody { missing: missing.clone(), ..body },
            _ => body,
        }
    }
}

impl From<StorageError> for ApiError {
    /// Logs the details, which stay on the server, and keeps only what the phone can act on.
    fn from(error: StorageError) -> ApiError {
        match error {
            StorageError::Busy(_) => {
                tracing::warn!(%error, "storage busy");
                ApiError::Busy
            }
            StorageError::DiskFull(_) => {
                tracing::error!(%error, "storage full");
                ApiError::DiskFull
            }
            StorageError::Database(_) | StorageError::Corrupt { .. } => {
                tracing::error!(%error, "storage failed");
                ApiError::Internal
            }
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> ApiError {
        match error {
            StoreError::Storage(storage) => storage.into(),
            StoreError::MissingPhotos(missing) => {
                tracing::info!(missing = missing.len(), "record refused until its photos are sent");
                ApiError::MissingPhotos(missing)
            }
            StoreError::OutOfScope => ApiError::OutOfScope,
            StoreError::Invalid(fields) => ApiError::Invalid(fields),
            StoreError::TooManyConflicts => ApiError::TooManyConflicts,
        }
    }
}

impl From<InviteError> for ApiError {
    fn from(error: InviteError) -> ApiError {
        match error {
            InviteError::NotFound => ApiError::InviteNotFound,
            InviteError::Expired => ApiError::InviteExpired,
            InviteError::UsedUp => ApiError::InviteUsedUp,
            InviteError::Revoked => ApiError::InviteRevoked,
            InviteError::Storage(storage) => storage.into(),
        }
    }
}

impl From<NoRandomness> for ApiError {
    fn from(error: NoRandomness) -> ApiError {
        tracing::error!(%error, "no random bytes for a token");
        ApiError::Internal
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status(), Json(self.body(Lang::default()))).into_response();
        if let Some(secs) = self.retry_after_secs() {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        if self.status() == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response.extensions_mut().insert(self);
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tongxing_core::FieldError;

    #[test]
    fn unavailable_errors_say_when_to_retry() {
        for error in [ApiError::Busy, ApiError::DiskFull, ApiError::Unavailable] {
            let response = error.clone().into_response();
            assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
            assert!(response.headers().contains_key(header::RETRY_AFTER), "{error:?}");
            assert_eq!(error.code(), ErrorCode::Unavailable);
        }
        assert!(!ApiError::Internal.into_response().headers().contains_key(header::RETRY_AFTER));
    }

    #[test]
    fn invalid_carries_its_fields_and_others_carry_none() {
        let mut fields = FieldErrors::new();
        fields.add("child_name", FieldError::Required);
        let body = ApiError::Invalid(fields.clone()).body(Lang::En);
        assert_eq!(body.error, ErrorCode::Invalid);
        assert_eq!(body.fields, fields);
        assert!(ApiError::BadId.body(Lang::En).fields.is_empty());
    }

    /// One error of each variant, for every code the server knows.
    fn every_error() -> Vec<ApiError> {
        ErrorCode::ALL.iter().flat_map(ApiError::answering).collect()
    }

    #[test]
    fn every_code_is_answered_by_errors_of_that_code() {
        for code in ErrorCode::ALL {
            let errors = ApiError::answering(code);
            assert!(!errors.is_empty(), "no error answers with {code}");
            for error in errors {
                assert_eq!(&error.code(), code, "{error:?}");
            }
        }
        assert!(ApiError::answering(&ErrorCode::Other("newer".into())).is_empty());
    }

    #[test]
    fn every_error_has_a_message_in_each_language_and_one_status_per_code() {
        for code in ErrorCode::ALL {
            let statuses: std::collections::BTreeSet<u16> =
                ApiError::answering(code).iter().map(|error| error.status().as_u16()).collect();
            assert_eq!(statuses.len(), 1, "{code} is answered with {statuses:?}");
        }
        for error in every_error() {
            for lang in [Lang::ZhCn, Lang::En] {
                assert!(!error.message(lang).trim().is_empty(), "{error:?} in {lang:?}");
            }
            let waits = error.retry_after_secs().is_some();
            let status = error.status().as_u16();
            assert!(!matches!(status, 429 | 503) || waits, "{error:?}: a {status} says when to send again");
        }
    }

    #[test]
    fn bad_input_never_gets_a_5xx() {
        for error in every_error() {
            let the_server_s_own = matches!(
                error,
                ApiError::Busy | ApiError::DiskFull | ApiError::Unavailable | ApiError::Overloaded | ApiError::Internal
            );
            assert_eq!(error.status().is_server_error(), the_server_s_own, "{error:?}");
        }
    }

    #[test]
    fn conflicts_with_what_the_server_holds_say_what_it_holds() {
        let offset = ApiError::UploadOffset { received: 65536 }.body(Lang::En);
        assert_eq!((offset.error, offset.received), (ErrorCode::UploadOffset, Some(65536)));
        let hash = PhotoHash::of_bytes(b"photo");
        let missing = ApiError::MissingPhotos(vec![hash.clone()]).body(Lang::ZhCn);
        assert_eq!((missing.error, missing.missing), (ErrorCode::MissingPhotos, vec![hash]));
        assert_eq!(ApiError::MissingPhotos(Vec::new()).status(), StatusCode::CONFLICT);
        assert_eq!(ApiError::BadRange.body(Lang::En).received, None, "only an offset conflict says where");
    }

    #[test]
    fn the_response_keeps_the_error_for_the_language_layer() {
        let response = ApiError::TooLarge.into_response();
        assert_eq!(response.extensions().get::<ApiError>(), Some(&ApiError::TooLarge));
    }
}
