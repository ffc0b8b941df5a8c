//! Chat apps' built-in browsers (WeChat's, WeCom's), where links to the app are opened from
//! a messaging group, and what they get in the way of: they do not save downloads, they may
//! clear what the page stores, and they cannot install the app. Recognised by the user agent
//! they send (`MicroMessenger/…`, with `wxwork/…` for WeCom); the way out is one line.

use crate::Lang;

/// A chat app's built-in browser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InAppBrowser {
    /// WeChat (微信).
    WeChat,
    /// WeCom (企业微信), WeChat's sibling for organisations.
    WeCom,
}

impl InAppBrowser {
    /// The chat app whose browser sent `user_agent`, if any.
    pub fn of(user_agent: &str) -> Option<InAppBrowser> {
        let agent = user_agent.to_ascii_lowercase();
        if agent.contains("wxwork") {
            Some(InAppBrowser::WeCom)
        } else if agent.contains("micromessenger") {
            Some(InAppBrowser::WeChat)
        } else {
            None
        }
    }

    fn app_name(self, lang: Lang) -> &'static str {
        match self {
            InAppBrowser::WeChat => lang.pick("微信", "WeChat"),
            InAppBrowser::WeCom => lang.pick("企业微信", "WeCom"),
        }
    }

    /// Under a download button: the file will not be saved here, and how to get it.
    pub fn download_hint(self, lang: Lang) -> String {
        match lang {
            Lang::ZhCn => {
                format!("{}里不能保存文件：点右上角 ··· 选择「在浏览器打开」，再点这个按钮。", self.app_name(lang))
            }
            Lang::En => format!(
                "{} does not save files: tap ··· at the top right, choose \"Open in browser\", then tap this button.",
                self.app_name(lang)
            ),
        }
    }

    /// On a worker's phone: what she keeps here may be cleared, and how to keep it safe.
    pub fn storage_hint(self, lang: Lang) -> String {
        match lang {
            Lang::ZhCn => format!(
                "在{}里，未发送的记录可能被清理：请有网络时及时同步，或点右上角 ··· 选择「在浏览器打开」。",
                self.app_name(lang)
            ),
            Lang::En => format!(
                "Inside {}, records not yet sent may be cleared: sync as soon as you have a connection, or tap ··· at the top right and choose \"Open in browser\".",
                self.app_name(lang)
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chat_apps_are_recognised_by_their_user_agents() {
        let wechat = "Mozilla/5.0 (Linux; Android 10; V2001A Build/QP1A.190711.020; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/86.0.4240.99 XWEB/4317 MMWEBSDK/20220903 Mobile Safari/537.36 MMWEBID/6533 MicroMessenger/8.0.28.2240(0x28001C57) WeChat/arm64 Weixin NetType/4G Language/zh_CN ABI/arm64";
        let wecom = "Mozilla/5.0 (Linux; Android 11; M2012K11AC) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/89.0.4389.72 MQQBrowser/6.2 TBS/046011 Mobile Safari/537.36 wxwork/4.0.16 MicroMessenger/7.0.1 NetType/WIFI Language/zh ColorScheme/Light";
        let huawei = "Mozilla/5.0 (Linux; Android 10; HarmonyOS; ELS-AN00; HMSCore 6.6.0.312) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/99.0.4844.88 HuaweiBrowser/12.1.3.303 Mobile Safari/537.36";
        assert_eq!(InAppBrowser::of(wechat), Some(InAppBrowser::WeChat));
        assert_eq!(InAppBrowser::of(wecom), Some(InAppBrowser::WeCom));
        assert_eq!(InAppBrowser::of(huawei), None);
        assert_eq!(InAppBrowser::of(""), None);
        assert!(InAppBrowser::WeChat.download_hint(Lang::ZhCn).starts_with("微信里不能保存文件"));
        assert!(InAppBrowser::WeCom.storage_hint(Lang::En).contains("WeCom"));
    }
}
