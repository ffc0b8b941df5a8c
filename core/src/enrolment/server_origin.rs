//! A server's address as the app keeps and compares it: a web origin, `scheme://host[:port]`
//! and nothing else. Read strictly, so that what is compared is what `fetch` will reach: no
//! user part (`https://good@evil`), no path, query or fragment, no escapes, no spaces, no
//! characters a host cannot have.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::Lang;

/// Why an address cannot be a server the app talks to.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ServerRefused {
    /// Not `http(s)://host[:port]`.
    #[error("`{0}` is not a server address such as https://tx.example.gov.cn")]
    NotAnAddress(String),
    /// A syntactically fine address that this app was not built to trust.
    #[error("the app does not talk to {host}")]
    NotTrusted { host: String },
}

impl ServerRefused {
    /// A sentence for the worker.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (ServerRefused::NotAnAddress(_), Lang::ZhCn) => "链接中的服务器地址无效。请向督导员索取新的邀请链接。".to_owned(),
            (ServerRefused::NotAnAddress(_), Lang::En) => {
                "The server address in the link is not valid. Ask your township supervisor for a new invite link.".to_owned()
            }
            (ServerRefused::NotTrusted { host }, Lang::ZhCn) => format!(
                "这个链接要把本机的记录发到 {host}，童行不认识这个服务器，已拒绝。这可能是冒充的链接：请不要加入，并告诉您的督导员。"
            ),
            (ServerRefused::NotTrusted { host }, Lang::En) => format!(
                "This link would send this phone's records to {host}, a server Tongxing does not know, so it was refused. It may be a fake link: do not join, and tell your township supervisor."
            ),
        }
    }
}

/// A web origin: `http` or `https`, a lower-case host (a DNS name, an IPv4 address or a
/// bracketed IPv6 address) and a port when it is not the scheme's default.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ServerOrigin(String);

impl ServerOrigin {
    /// Reads an origin; one trailing `/` is allowed (as in `https://tx.example.cn/`).
    ///
    /// ```
    /// use tongxing_core::enrolment::ServerOrigin;
    /// let origin = ServerOrigin::parse(" HTTPS://TX.Example.cn:443/ ").unwrap();
    /// assert_eq!(origin.as_str(), "https://tx.example.cn");
    /// assert!(ServerOrigin::parse("https://tx.example.cn@evil.example").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<ServerOrigin, ServerRefused> {
        let refused = || ServerRefused::NotAnAddress(text.chars().take(200).collect());
        let lower = text.trim().to_ascii_lowercase();
        let lower = lower.strip_suffix('/').unwrap_or(&lower);
        let (scheme, authority) = lower.split_once("://").ok_or_else(refused)?;
        let default_port = match scheme {
            "https" => "443",
            "http" => "80",
            _ => return Err(refused()),
        };
        let (host, port) = split_port(authority).ok_or_else(refused)?;
        if !is_host(host) {
            return Err(refused());
        }
        let origin = match port {
            Some(port) if port != default_port => format!("{scheme}://{host}:{port}"),
            _ => format!("{scheme}://{host}"),
        };
        Ok(ServerOrigin(origin))
    }

    /// `https://tx.example.cn`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The host and port, as shown to people: `tx.example.cn`.
    pub fn host(&self) -> &str {
        self.0.split_once("://").map_or(self.0.as_str(), |(_, host)| host)
    }

    /// Whether it is reached over TLS.
    pub fn is_https(&self) -> bool {
        self.0.starts_with("https://")
    }

    /// Whether it is this machine (`localhost`, `127.x.x.x`, `[::1]`): a developer's or a
    /// test's server.
    pub fn is_loopback(&self) -> bool {
        let host = split_port(self.host()).map_or("", |(host, _)| host);
        host == "localhost"
            || host == "[::1]"
            || (host.starts_with("127.") && host.split('.').count() == 4 && host.split('.').all(is_octet))
    }
}

impl fmt::Display for ServerOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for ServerOrigin {
    type Error = ServerRefused;

    fn try_from(text: String) -> Result<ServerOrigin, ServerRefused> {
        ServerOrigin::parse(&text)
    }
}

impl From<ServerOrigin> for String {
    fn from(origin: ServerOrigin) -> String {
        origin.0
    }
}

/// `host[:port]` into the host and the port's digits (1–65535, no leading zero).
fn split_port(authority: &str) -> Option<(&str, Option<&str>)> {
    let (host, port) = match authority.rfind(':') {
        // A colon inside brackets belongs to an IPv6 address.
        Some(at) if !authority[at..].contains(']') => (&authority[..at], Some(&authority[at + 1..])),
        _ => (authority, None),
    };
    match port {
        Some(port) => {
            let fine = !port.starts_with('0')
                && port.parse::<u16>().is_ok_and(|p| p > 0)
                && port.bytes().all(|b| b.is_ascii_digit());
            fine.then_some((host, Some(port)))
        }
        None => Some((host, None)),
    }
}

/// A DNS name of letters, digits and inner hyphens, or a bracketed IPv6 address.
fn is_host(host: &str) -> bool {
    if let Some(inner) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        return inner.contains(':') && inner.bytes().all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.');
    }
    host.len() <= 253
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        })
}

fn is_octet(part: &str) -> bool {
    part.parse::<u8>().is_ok() && !(part.len() > 1 && part.starts_with('0'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin(text: &str) -> String {
        ServerOrigin::parse(text).map(String::from).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn origins_are_read_to_one_spelling() {
        assert_eq!(origin("https://tx.example.gov.cn"), "https://tx.example.gov.cn");
        assert_eq!(origin(" HTTPS://TX.Example.cn/ "), "https://tx.example.cn");
        assert_eq!(origin("https://tx.example.cn:443"), "https://tx.example.cn", "the default port is left out");
        assert_eq!(origin("http://127.0.0.1:8080"), "http://127.0.0.1:8080");
        assert_eq!(origin("http://localhost:80/"), "http://localhost");
        assert_eq!(origin("https://[::1]:9443"), "https://[::1]:9443");
        assert_eq!(origin("https://xn--fiqs8s.example"), "https://xn--fiqs8s.example");
    }

    #[test]
    fn anything_but_an_origin_is_refused() {
        for bad in [
            "",
            "tx.example.cn",
            "ftp://tx.example.cn",
            "javascript:alert(1)",
            "https://",
            "https://good.example@evil.example",
            "https://evil.example\\@good.example",
            "https://evil.example/path",
            "https://evil.example?x=1",
            "https://evil.example#x",
            "https://evil.example:0",
            "https://evil.example:65536",
            "https://evil.example:08080",
            "https://evil.example:",
            "https://ev il.example",
            "https://evil%2eexample",
            "https://-evil.example",
            "https://evil..example",
            "https://例子.中国",
            "https://[::1",
            "https://[evil]",
            "//evil.example",
        ] {
            assert!(ServerOrigin::parse(bad).is_err(), "{bad:?} was taken");
        }
    }

    #[test]
    fn loopback_is_this_machine_only() {
        for local in ["http://localhost:9", "http://127.0.0.1", "https://127.8.0.1:4000", "http://[::1]:80"] {
            assert!(ServerOrigin::parse(local).unwrap().is_loopback(), "{local}");
        }
        for remote in [
            "http://localhost.evil.example",
            "http://127.0.0.1.evil.example",
            "http://128.0.0.1",
            "https://tx.example.cn",
        ] {
            assert!(!ServerOrigin::parse(remote).unwrap().is_loopback(), "{remote}");
        }
    }

    #[test]
    fn it_reads_back_from_json_only_when_valid() {
        let origin = ServerOrigin::parse("https://tx.example.cn").unwrap();
        let json = serde_json::to_string(&origin).unwrap();
        assert_eq!(json, r#""https://tx.example.cn""#);
        assert_eq!(serde_json::from_str::<ServerOrigin>(&json).unwrap(), origin);
        assert!(serde_json::from_str::<ServerOrigin>(r#""https://a/b""#).is_err());
        assert_eq!(origin.host(), "tx.example.cn");
    }

    #[test]
    fn refusals_are_sentences_in_both_languages() {
        let refused = ServerRefused::NotTrusted { host: "evil.example".into() };
        assert!(refused.message(Lang::ZhCn).contains("evil.example"));
        assert!(refused.message(Lang::En).contains("evil.example") && refused.message(Lang::En).is_ascii());
        assert!(ServerRefused::NotAnAddress("x".into()).message(Lang::ZhCn).ends_with('。'));
    }
}
