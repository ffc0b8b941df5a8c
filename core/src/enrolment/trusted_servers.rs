//! Which servers the app talks to: the origin it was served from, and the servers named when
//! it was built (`TONGXING_ALLOWED_SERVERS`). Nothing that arrives later, a link in a chat or
//! a setting, can add one. Other servers must be `https`; a server on this machine is
//! trusted only by an app itself served from this machine (a developer's or a test's).

use super::{ServerOrigin, ServerRefused};

/// The servers this build of the app may send to and read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustedServers {
    own: ServerOrigin,
    listed: Vec<ServerOrigin>,
}

impl TrustedServers {
    /// The app served from `own` and built with `build_list`, a comma-separated list of
    /// origins (the value of `TONGXING_ALLOWED_SERVERS` at build time; empty: none). An entry
    /// that is not an origin, or not `https` and not this machine, is left out: the server
    /// that serves the app refuses to start with such a list, so a deployment sees it.
    ///
    /// ```
    /// use tongxing_core::enrolment::{ServerOrigin, TrustedServers};
    /// let trusted = TrustedServers::new(ServerOrigin::parse("https://tx.example.cn").unwrap(), "https://api.example.cn");
    /// assert_eq!(trusted.check("").unwrap().as_str(), "https://tx.example.cn");
    /// assert!(trusted.check("https://api.example.cn/").is_ok());
    /// assert!(trusted.check("https://evil.example").is_err());
    /// ```
    pub fn new(own: ServerOrigin, build_list: &str) -> TrustedServers {
        let listed = build_list
            .split(',')
            .filter_map(|entry| ServerOrigin::parse(entry).ok())
            .filter(|origin| origin.is_https() || origin.is_loopback())
            .collect();
        TrustedServers { own, listed }
    }

    /// The origin the app was served from.
    pub fn own(&self) -> &ServerOrigin {
        &self.own
    }

    /// The server named by `address` (empty: the app's own), if the app may talk to it.
    pub fn check(&self, address: &str) -> Result<ServerOrigin, ServerRefused> {
        if address.trim().is_empty() {
            return Ok(self.own.clone());
        }
        let origin = ServerOrigin::parse(address)?;
        if self.trusts(&origin) {
            Ok(origin)
        } else {
            Err(ServerRefused::NotTrusted { host: origin.host().to_owned() })
        }
    }

    /// Whether the app may talk to `origin`.
    pub fn trusts(&self, origin: &ServerOrigin) -> bool {
        *origin == self.own || self.listed.contains(origin) || (self.own.is_loopback() && origin.is_loopback())
    }

    /// The address to name in an invite link for `server`: none when it is the app's own.
    pub fn link_server(&self, server: &ServerOrigin) -> Option<ServerOrigin> {
        (*server != self.own).then(|| server.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn served_from(own: &str, list: &str) -> TrustedServers {
        TrustedServers::new(ServerOrigin::parse(own).unwrap(), list)
    }

    #[test]
    fn the_apps_own_origin_is_trusted_and_the_default() {
        let trusted = served_from("https://tx.example.cn", "");
        assert_eq!(trusted.check("  ").unwrap(), *trusted.own());
        assert_eq!(trusted.check("HTTPS://tx.example.cn/").unwrap(), *trusted.own());
        assert_eq!(trusted.link_server(trusted.own()), None);
    }

    #[test]
    fn a_link_naming_any_other_server_is_refused() {
        let trusted = served_from("https://tx.example.cn", "https://api.example.cn, https://backup.example.cn:8443");
        assert!(trusted.check("https://api.example.cn").is_ok());
        assert!(trusted.check("https://backup.example.cn:8443").is_ok());
        for evil in [
            "https://evil.example",
            "https://api.example.cn:444",
            "http://api.example.cn",
            "https://tx.example.cn.evil.example",
        ] {
            assert_eq!(
                trusted.check(evil),
                Err(ServerRefused::NotTrusted { host: ServerOrigin::parse(evil).unwrap().host().to_owned() }),
                "{evil}"
            );
        }
        assert!(matches!(trusted.check("javascript:alert(1)"), Err(ServerRefused::NotAnAddress(_))));
        assert_eq!(
            trusted.link_server(&ServerOrigin::parse("https://api.example.cn").unwrap()).unwrap().as_str(),
            "https://api.example.cn"
        );
    }

    #[test]
    fn listed_servers_must_be_https_unless_on_this_machine() {
        let trusted = served_from(
            "https://tx.example.cn",
            "http://plain.example.cn,not a server,https://ok.example.cn,http://127.0.0.1:9000",
        );
        assert!(trusted.check("http://plain.example.cn").is_err());
        assert!(trusted.check("https://ok.example.cn").is_ok());
        assert!(trusted.check("http://127.0.0.1:9000").is_ok(), "listed on purpose");
        assert!(
            trusted.check("http://127.0.0.1:9001").is_err(),
            "an app served from afar trusts no other loopback server"
        );
    }

    #[test]
    fn an_app_served_from_this_machine_trusts_servers_on_this_machine() {
        let trusted = served_from("http://127.0.0.1:8080", "");
        assert!(trusted.check("http://localhost:9000").is_ok());
        assert!(trusted.check("http://[::1]:9000").is_ok());
        assert!(trusted.check("https://evil.example").is_err());
        assert!(trusted.check("http://localhost.evil.example").is_err());
    }
}
