//! The invite link a supervisor shares in a messaging group:
//! `<app>/join?code=<code>[&server=<server>]`.

use super::{JoinProblem, ServerOrigin, ServerRefused, TrustedServers};
use crate::wire::INVITE_CODE_MAX;

/// What a link to `/join` carries: the invite code, and the server to join when the app is
/// hosted apart from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InviteLink {
    pub code: String,
    /// The server to join; `None`: the server that serves the app. Whether the app may
    /// talk to it is [`InviteLink::server_in`]'s to say.
    pub server: Option<ServerOrigin>,
}

impl InviteLink {
    /// From the `/join` page's query parameters (already decoded by the browser).
    ///
    /// ```
    /// use tongxing_core::enrolment::{InviteLink, JoinProblem};
    /// let link = InviteLink::from_query(Some("k3x9"), Some("https://tx.example.cn/")).unwrap();
    /// assert_eq!(link.server.unwrap().as_str(), "https://tx.example.cn");
    /// assert_eq!(InviteLink::from_query(None, None), Err(JoinProblem::NoCode));
    /// ```
    pub fn from_query(code: Option<&str>, server: Option<&str>) -> Result<InviteLink, JoinProblem> {
        let code = code.map(str::trim).unwrap_or_default();
        if code.is_empty() || code.chars().count() > INVITE_CODE_MAX || code.contains(char::is_whitespace) {
            return Err(JoinProblem::NoCode);
        }
        let server = match server.map(str::trim) {
            None | Some("") => None,
            Some(server) => Some(ServerOrigin::parse(server).map_err(|_| JoinProblem::BadServer)?),
        };
        Ok(InviteLink { code: code.to_owned(), server })
    }

    /// The server this link would join, if the app may talk to it: a link naming any other
    /// server is refused before a single request is made to it.
    pub fn server_in(&self, trusted: &TrustedServers) -> Result<ServerOrigin, JoinProblem> {
        let address = self.server.as_ref().map_or("", ServerOrigin::as_str);
        trusted.check(address).map_err(|refused| match refused {
            ServerRefused::NotTrusted { host } => JoinProblem::UntrustedServer(host),
            ServerRefused::NotAnAddress(_) => JoinProblem::BadServer,
        })
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
            Some(server) => format!("/join?code={}&server={}", encode(&self.code), encode(server.as_str())),
            None => format!("/join?code={}", encode(&self.code)),
        }
    }

    /// The path of `GET` for the invite's details, below the server's base URL.
    pub fn info_path(&self) -> String {
        format!("{}/invites/{}", crate::wire::API_PREFIX, encode(&self.code))
    }
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

    fn origin(text: &str) -> ServerOrigin {
        ServerOrigin::parse(text).unwrap()
    }

    #[test]
    fn a_link_from_the_command_line_reads_back() {
        let link = InviteLink::parse("https://tx.example.cn/join?code=Ab3-x_9&server=https%3A%2F%2Fapi.example.cn%2F")
            .unwrap();
        assert_eq!(link, InviteLink { code: "Ab3-x_9".into(), server: Some(origin("https://api.example.cn")) });
        let plain = InviteLink::parse("  http://127.0.0.1:8080/join?code=Q7#top \n").unwrap();
        assert_eq!(plain, InviteLink { code: "Q7".into(), server: None });
        // Copied with the server unencoded, as some chat apps rewrite links.
        let raw = InviteLink::parse("http://a/join?server=http://b:9000&code=z").unwrap();
        assert_eq!(raw.server, Some(origin("http://b:9000")));
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
        assert_eq!(
            InviteLink::from_query(Some("a"), Some("https://good.example@evil.example")),
            Err(JoinProblem::BadServer)
        );
        assert_eq!(InviteLink::from_query(Some("a"), Some("https://evil.example/api")), Err(JoinProblem::BadServer));
        assert_eq!(InviteLink::from_query(Some("a"), Some("  ")).map(|l| l.server), Ok(None));
    }

    #[test]
    fn the_app_path_and_the_info_path_encode_the_code() {
        let link = InviteLink { code: "a b/c".into(), server: Some(origin("http://127.0.0.1:9000")) };
        assert_eq!(link.app_path(), "/join?code=a%20b%2Fc&server=http%3A%2F%2F127.0.0.1%3A9000");
        assert_eq!(link.info_path(), "/api/v1/invites/a%20b%2Fc");
        assert_eq!(InviteLink::parse(&link.app_path()), Err(JoinProblem::NoCode), "a code with a space is refused");
        let fine = InviteLink { code: "桃源-1".into(), server: link.server };
        assert_eq!(InviteLink::parse(&fine.app_path()), Ok(fine));
    }

    #[test]
    fn a_link_joins_only_a_server_the_app_trusts() {
        let trusted = TrustedServers::new(origin("https://tx.example.cn"), "https://api.example.cn");
        let read = |query: &str| InviteLink::parse(query).and_then(|link| link.server_in(&trusted));
        assert_eq!(
            read("https://tx.example.cn/join?code=k"),
            Ok(origin("https://tx.example.cn")),
            "no server: the app's own"
        );
        assert_eq!(read("/join?code=k&server=https%3A%2F%2Fapi.example.cn"), Ok(origin("https://api.example.cn")));
        assert_eq!(
            read("/join?code=k&server=https%3A%2F%2Fevil.example"),
            Err(JoinProblem::UntrustedServer("evil.example".into()))
        );
        assert_eq!(
            read("/join?code=k&server=http%3A%2F%2Fapi.example.cn"),
            Err(JoinProblem::UntrustedServer("api.example.cn".into()))
        );
        assert_eq!(
            read("/join?code=k&server=https://tx.example.cn.evil.example"),
            Err(JoinProblem::UntrustedServer("tx.example.cn.evil.example".into()))
        );
    }
}
