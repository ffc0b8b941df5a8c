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

    /// Under a supervisor's download: it will not be saved here; a one-time link will.
    pub fn export_hint(self, lang: Lang) -> String {
        match lang {
            Lang::ZhCn => {
                format!("{}里不能保存文件：请点「生成下载链接」，复制后粘贴到手机浏览器里打开。", self.app_name(lang))
            }
            Lang::En => format!(
                "{} does not save files: tap \"Make a download link\", copy it and open it in the phone's browser.",
                self.app_name(lang)
            ),
        }
    }

    /// Under the unsent-records file: it may not be saved here (nor does the phone's browser
    /// hold this app's records), so sending them is the way.
    pub fn save_file_hint(self, lang: Lang) -> String {
        match lang {
            Lang::ZhCn => {
                format!("{}里可能保存不了文件。保存不了时，请到有网络的地方点「立即同步」。", self.app_name(lang))
            }
            Lang::En => format!(
                "{} may not save the file. If it does not, go where there is a connection and tap \"Sync now\".",
                self.app_name(lang)
            ),
        }
    }

    /// On a worker's phone: what she keeps here may be cleared, and how to keep it safe. The
    /// phone's browser does not see what she keeps here: she moves there only once all is sent.
    pub fn storage_hint(self, lang: Lang) -> String {
        match lang {
            Lang::ZhCn => format!(
                "在{}里，未上传的记录可能被清理：有网络时请及时点「立即同步」。要改用手机浏览器，请先全部上传，再在浏览器里打开新的邀请链接加入。",
                self.app_name(lang)
            ),
            Lang::En => format!(
                "Inside {}, records not yet sent may be cleared: tap \"Sync now\" whenever you have a connection. To use the phone's browser instead, send everything first, then join there with a new invite link.",
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
        assert!(InAppBrowser::WeChat.export_hint(Lang::ZhCn).starts_with("微信里不能保存文件"));
        assert!(InAppBrowser::WeChat.save_file_hint(Lang::ZhCn).starts_with("微信里可能保存不了文件"));
        assert!(InAppBrowser::WeCom.storage_hint(Lang::En).contains("WeCom"));
    }
}
