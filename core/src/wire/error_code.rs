//! The stable machine codes of an error body's `error` member: one list, which the server
//! answers with and the phone matches on. A code this build does not know (from a newer
//! server) reads as [`ErrorCode::Other`], so the phone still acts on the status and shows
//! the message.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Lists each code once, with its spelling on the wire, and makes of that one list the
/// enum, [`ErrorCode::ALL`], [`ErrorCode::as_str`] and [`ErrorCode::parse`], so that none
/// of them can leave a code out.
macro_rules! error_codes {
    ($($(#[$doc:meta])* $variant:ident = $code:literal,)+) => {
        /// What went wrong, as the `error` member of an [`super::ErrorBody`] says it.
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum ErrorCode {
            $($(#[$doc])* $variant,)+
            /// A code this build does not know: a newer server's.
            Other(String),
        }

        impl ErrorCode {
            /// Every code this build knows, in the order listed.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant),+];

            /// The code as the wire spells it (`missing_photos`).
            pub fn as_str(&self) -> &str {
                match self {
                    $(ErrorCode::$variant => $code,)+
                    ErrorCode::Other(code) => code,
                }
            }

            /// Reads a code from the wire; one this build does not know is [`ErrorCode::Other`].
            pub fn parse(code: &str) -> ErrorCode {
                match code {
                    $($code => ErrorCode::$variant,)+
                    other => ErrorCode::Other(other.to_owned()),
                }
            }
        }
    };
}

error_codes! {
    /// The record id in the address is not a UUID.
    BadId = "bad_id",
    /// The photo hash in the address is not 64 lower-case hex digits.
    BadHash = "bad_hash",
    /// The photo's bytes do not hash to its address: it was damaged.
    HashMismatch = "hash_mismatch",
    /// The photo is not a JPEG, PNG or WebP image.
    NotAnImage = "not_an_image",
    /// A piece's `Content-Range` does not fit the upload.
    BadRange = "bad_range",
    /// A piece does not start where the server's bytes end; `received` says where.
    UploadOffset = "upload_offset",
    /// The visit names photos the server does not hold; `missing` lists them.
    MissingPhotos = "missing_photos",
    /// The body stopped before its end.
    IncompleteBody = "incomplete_body",
    /// The body stopped coming.
    BodyTimeout = "body_timeout",
    /// The body is not declared as JSON.
    UnsupportedMediaType = "unsupported_media_type",
    /// The body is larger than the call accepts.
    TooLarge = "too_large",
    /// The body is not well-formed JSON.
    MalformedJson = "malformed_json",
    /// Some fields are wrong; `fields` says which and how.
    Invalid = "invalid",
    /// The query string of a list cannot be read.
    BadQuery = "bad_query",
    /// No device token, or one no device has.
    Unauthorized = "unauthorized",
    /// The device was revoked (its worker left the job, or the reason was not given).
    Revoked = "revoked",
    /// The device was revoked as lost or stolen: the phone wipes what it keeps of this
    /// worker and sends nothing.
    RevokedLost = "revoked_lost",
    /// The worker's role may not make this call.
    Forbidden = "forbidden",
    /// The record belongs to another village or township.
    OutOfScope = "out_of_scope",
    /// No invite has this code.
    InviteNotFound = "invite_not_found",
    /// The invite has expired.
    InviteExpired = "invite_expired",
    /// The invite has enrolled as many phones as it may.
    InviteUsedUp = "invite_used_up",
    /// The invite was revoked, or the phone that made it was.
    InviteRevoked = "invite_revoked",
    /// A supervisor tried to join as a worker with her own invite.
    OwnInvite = "own_invite",
    /// A one-time download link was used already, has expired, is unknown, or its phone
    /// was revoked.
    LinkGone = "link_gone",
    /// This device sent more than its share of calls.
    RateLimited = "rate_limited",
    /// The server has as many calls under way as it takes.
    Overloaded = "overloaded",
    /// This device has sent its day's share of photo bytes.
    QuotaExceeded = "quota_exceeded",
    /// The record has as many conflicting versions kept aside as the server keeps.
    TooManyConflicts = "too_many_conflicts",
    /// An export of this device is under way; one at a time.
    ExportUnderWay = "export_under_way",
    /// The phone left no data key the server can open (never sent, or forgotten when the
    /// phone was revoked): its data cannot be recovered through the server.
    NoRecoveryKey = "no_recovery_key",
    /// No open recovery for this phone has this code (wrong, lapsed, used, or tried too
    /// often), or the phone was revoked.
    RecoveryRefused = "recovery_refused",
    /// An unsent-records file that the county's key does not open, or that was changed or cut.
    UnreadableFile = "unreadable_file",
    /// Nothing at this address.
    NotFound = "not_found",
    /// The address exists, but not for this method.
    MethodNotAllowed = "method_not_allowed",
    /// The server cannot serve at the moment (busy, disk full, database down).
    Unavailable = "unavailable",
    /// A fault of the server.
    Internal = "internal",
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for ErrorCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ErrorCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<ErrorCode, D::Error> {
        let code = String::deserialize(deserializer)?;
        Ok(ErrorCode::parse(&code))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn every_code_reads_back_as_itself_and_travels_as_its_string() {
        for code in ErrorCode::ALL {
            assert_eq!(&ErrorCode::parse(code.as_str()), code);
            let json = serde_json::to_value(code).unwrap();
            assert_eq!(json, serde_json::Value::String(code.as_str().to_owned()));
            assert_eq!(&serde_json::from_value::<ErrorCode>(json).unwrap(), code);
        }
    }

    #[test]
    fn codes_are_distinct_snake_case_words() {
        let spelt: BTreeSet<&str> = ErrorCode::ALL.iter().map(ErrorCode::as_str).collect();
        assert_eq!(spelt.len(), ErrorCode::ALL.len(), "a code spelt twice");
        for code in spelt {
            assert!(!code.is_empty() && code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'), "{code}");
        }
        assert_eq!(ErrorCode::MissingPhotos.as_str(), "missing_photos");
        assert_eq!(ErrorCode::ExportUnderWay.to_string(), "export_under_way");
    }

    #[test]
    fn a_code_of_a_newer_server_is_kept_as_it_came() {
        let code: ErrorCode = serde_json::from_str(r#""photo_quarantined""#).unwrap();
        assert_eq!(code, ErrorCode::Other("photo_quarantined".into()));
        assert_eq!(serde_json::to_string(&code).unwrap(), r#""photo_quarantined""#);
        assert!(!ErrorCode::ALL.contains(&code));
    }
}
