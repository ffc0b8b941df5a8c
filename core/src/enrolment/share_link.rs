//! The link a supervisor shares after making an invite in the app: built from the app's own
//! address, as [`InviteLink::parse`] reads it back on the invited phone.

use super::{InviteLink, ServerOrigin};

impl InviteLink {
    /// The invite of `code` to `server` (`None`: the server that serves the app, which the
    /// link then need not name; see [`super::TrustedServers::link_server`]).
    pub fn of_code(code: &str, server: Option<ServerOrigin>) -> InviteLink {
        InviteLink { code: code.trim().to_owned(), server }
    }

    /// The whole link to share: `<app_root>/join?code=<code>[&server=<server>]`, where
    /// `app_root` is where the app is served (its origin and base path, such as
    /// `https://tx.example.cn` or `https://example.cn/tongxing/`).
    ///
    /// ```
    /// use tongxing_core::enrolment::InviteLink;
    /// use tongxing_core::enrolment::ServerOrigin;
    /// let link = InviteLink::of_code("k3x9", ServerOrigin::parse("https://api.example.cn/").ok());
    /// let shared = link.share_url("https://tx.example.cn/");
    /// assert_eq!(shared, "https://tx.example.cn/join?code=k3x9&server=https%3A%2F%2Fapi.example.cn");
    /// assert_eq!(InviteLink::parse(&shared), Ok(link));
    /// ```
    pub fn share_url(&self, app_root: &str) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        query.append_pair("code", &self.code);
        if let Some(server) = &self.server {
            query.append_pair("server", server.as_str());
        }
        format!("{}/join?{}", app_root.trim().trim_end_matches('/'), query.finish())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enrolment::JoinProblem;

    fn server(text: &str) -> Option<ServerOrigin> {
        Some(ServerOrigin::parse(text).unwrap())
    }

    #[test]
    fn a_link_to_the_apps_own_server_names_no_server() {
        let link = InviteLink::of_code("Ab3-x_9", None);
        assert_eq!(link.server, None);
        let shared = link.share_url("http://127.0.0.1:8080");
        assert_eq!(shared, "http://127.0.0.1:8080/join?code=Ab3-x_9");
        assert_eq!(InviteLink::parse(&shared), Ok(link));
    }

    #[test]
    fn a_link_from_an_app_hosted_apart_names_its_server() {
        let link = InviteLink::of_code("q7", server("https://api.example.cn:8443/"));
        assert_eq!(link.server, server("https://api.example.cn:8443"));
        let shared = link.share_url("https://cdn.example.cn/tongxing/");
        assert_eq!(shared, "https://cdn.example.cn/tongxing/join?code=q7&server=https%3A%2F%2Fapi.example.cn%3A8443");
        assert_eq!(InviteLink::parse(&shared), Ok(link));
    }

    #[test]
    fn codes_with_any_characters_read_back_whole() {
        for code in ["桃源-1", "a+b", "x&server=http://evil", "%41", "a=b#c"] {
            let link = InviteLink::of_code(code, server("http://127.0.0.1:9000"));
            let shared = link.share_url("http://127.0.0.1:8080/");
            assert!(!shared.contains(' ') && shared.matches('?').count() == 1, "{shared}");
            assert_eq!(InviteLink::parse(&shared), Ok(link), "{code}");
        }
    }

    #[test]
    fn the_server_and_the_app_make_the_same_link() {
        // As `tongxing-ingest invite --app-url http://127.0.0.1:8080 --server-url https://api.example.org/`
        // prints it (ingest/src/store/workers/invites.rs).
        let shared = InviteLink::of_code("c", server("https://api.example.org/")).share_url("http://127.0.0.1:8080");
        assert_eq!(shared, "http://127.0.0.1:8080/join?code=c&server=https%3A%2F%2Fapi.example.org");
        assert_eq!(InviteLink::parse(&InviteLink::of_code("", None).share_url("http://a")), Err(JoinProblem::NoCode));
    }
}
