//! The invite link a supervisor shares in a messaging group:
//! `<app>/join?code=<code>[&server=<server>]`.

use super::JoinProblem;
use crate::worker::INVITE_CODE_MAX;

/// What a link to `/join` carries: the invite code, and the server to join when the app is
/// hosted apart from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InviteLink {
    pub code: String,
    /// The server's base URL (no trailing `/`); `None`: the server the app uses already.
    pub server: Option<String>,
}

impl InviteLink {
    /// From the `/join` page's query parameters (already decoded by the browser).
    ///
    /// ```
    /// use tongxing_core::enrolment::{InviteLink, JoinProblem};
    /// let link = InviteLink::from_query(Some("k3x9"), Some("https://tx.example.cn/")).unwrap();
    /// assert_eq!(link.server.as_deref(), Some("https://tx.example.cn"));
    /// assert_eq!(InviteLink::from_query(None, None), Err(JoinProblem::NoCode));
    /// ```
    pub fn from_query(code: Option<&str>, server: Option<&str>) -> Result<InviteLink, JoinProblem> {
        let code = code.map(str::trim).unwrap_or_default();
        if code.is_empty() || code.chars().count() > INVITE_CODE_MAX || code.contains(char::is_whitespace) {
            return Err(JoinProblem::NoCode);
        }
        let server = match server.map(|s| s.trim().trim_end_matches('/')) {
            None | Some("") => None,
            Some(server) if is_server_address(server) => Some(server.to_owned()),
            Some(_) => return Err(JoinProblem::BadServer),
        };
        Ok(InviteLink { code: code.to_owned(), server })
    }

    /// From what the worker pasted: the whole link (as copied from a chat), or the code alone.
    pub fn parse(text: &str) -> Result<InviteLink, JoinProblem> {
        let text = text.trim();
        if !text.contains("code=") {
            // A bare code has no URL punctuation; a link without a code is no use.
            if text.contains(['/', '?', '&', '=']) {
                return Err(JoinProblem::NoCode);
            }
            return InviteLink::from_query(Some(text), None);
        }
        let query = text.split_once('?').map_or(text, |(_, query)| query);
        let query = query.split('#').next().unwrap_or_default();
        let (mut code, mut server) = (None, None);
        for pair in query.split('&') {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            match key {
                "code" => code = Some(decode(value).ok_or(JoinProblem::NoCode)?),
                "server" => server = Some(decode(value).ok_or(JoinProblem::BadServer)?),
                _ => {}
            }
        }
        InviteLink::from_query(code.as_deref(), server.as_deref())
    }

    /// The app's own address for this link: `/join?code=…[&server=…]`.
    pub fn app_path(&self) -> String {
        match &self.server {
            Some(server) => format!("/join?code={}&server={}", encode(&self.code), encode(server)),
            None => format!("/join?code={}", encode(&self.code)),
        }
    }

    /// The path of `GET` for the invite's details, below the server's base URL.
    pub fn info_path(&self) -> String {
        format!("{}/invites/{}", crate::wire::API_PREFIX, encode(&self.code))
    }
}

/// Whether `text` is an acceptable server address: empty (the server that served the app),
/// or an `http(s)://` URL without spaces.
pub fn is_server_address(text: &str) -> bool {
    let text = text.trim();
    text.is_empty() || ((text.starts_with("https://") || text.starts_with("http://")) && !text.contains(char::is_whitespace))
}

/// Percent-encodes everything but the unreserved characters of RFC 3986.
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Percent-decodes a query value (`+` is a space, as in a form); `None` if the bytes are
/// not UTF-8 or an escape is cut.
fn decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            byte => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_from_the_command_line_reads_back() {
        let link = InviteLink::parse("https://tx.example.cn/join?code=Ab3-x_9&server=https%3A%2F%2Fapi.example.cn%2F").unwrap();
        assert_eq!(link, InviteLink { code: "Ab3-x_9".into(), server: Some("https://api.example.cn".into()) });
        let plain = InviteLink::parse("  http://127.0.0.1:8080/join?code=Q7#top \n").unwrap();
        assert_eq!(plain, InviteLink { code: "Q7".into(), server: None });
        // Copied with the server unencoded, as some chat apps rewrite links.
        let raw = InviteLink::parse("http://a/join?server=http://b:9000&code=z").unwrap();
        assert_eq!(raw.server.as_deref(), Some("http://b:9000"));
    }

    #[test]
    fn a_bare_code_is_a_link_to_this_server() {
        assert_eq!(InviteLink::parse(" k3x9 ").unwrap(), InviteLink { code: "k3x9".into(), server: None });
    }

    #[test]
    fn links_without_a_usable_code_or_server_are_refused() {
        assert_eq!(InviteLink::parse(""), Err(JoinProblem::NoCode));
        assert_eq!(InviteLink::parse("https://tx.example.cn/join"), Err(JoinProblem::NoCode));
        assert_eq!(InviteLink::parse("https://tx.example.cn/join?code="), Err(JoinProblem::NoCode));
        assert_eq!(InviteLink::parse("two words"), Err(JoinProblem::NoCode));
        assert_eq!(InviteLink::parse(&"c".repeat(INVITE_CODE_MAX + 1)), Err(JoinProblem::NoCode));
        assert_eq!(InviteLink::parse("/join?code=%E4%B8"), Err(JoinProblem::NoCode), "a cut escape");
        assert_eq!(InviteLink::parse("/join?code=a&server=ftp%3A%2F%2Fx"), Err(JoinProblem::BadServer));
        assert_eq!(InviteLink::from_query(Some("a"), Some("javascript:alert(1)")), Err(JoinProblem::BadServer));
        assert_eq!(InviteLink::from_query(Some("a"), Some("  ")).map(|l| l.server), Ok(None));
    }

    #[test]
    fn the_app_path_and_the_info_path_encode_the_code() {
        let link = InviteLink { code: "a b/c".into(), server: Some("http://127.0.0.1:9000".into()) };
        assert_eq!(link.app_path(), "/join?code=a%20b%2Fc&server=http%3A%2F%2F127.0.0.1%3A9000");
        assert_eq!(link.info_path(), "/api/v1/invites/a%20b%2Fc");
        assert_eq!(InviteLink::parse(&link.app_path()), Err(JoinProblem::NoCode), "a code with a space is refused");
        let fine = InviteLink { code: "桃源-1".into(), server: link.server };
        assert_eq!(InviteLink::parse(&fine.app_path()), Ok(fine));
    }

    #[test]
    fn server_addresses() {
        assert!(is_server_address(""));
        assert!(is_server_address("https://tx.example.cn"));
        assert!(is_server_address("http://127.0.0.1:8080"));
        assert!(!is_server_address("ftp://x"));
        assert!(!is_server_address("https://a b"));
        assert!(!is_server_address("tx.example.cn"));
    }
}
