//! A piece of form wording in both languages the app speaks.

use serde::{Deserialize, Serialize};

use crate::Lang;

/// Wording in Simplified Chinese and English: `{"zh": "监护人", "en": "Guardian"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    /// Simplified Chinese, the words the workers use. Never empty in a checked definition.
    pub zh: String,
    /// English. May be empty, in which case the Chinese is shown.
    pub en: String,
}

impl Text {
    /// Wording from its Chinese and English.
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Text {
        Text { zh: zh.into(), en: en.into() }
    }

    /// The wording in `lang`, falling back to Chinese when the English is missing.
    pub fn get(&self, lang: Lang) -> &str {
        if self.en.trim().is_empty() {
            &self.zh
        } else {
            lang.pick(&self.zh, &self.en)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_the_language_and_falls_back_to_chinese() {
        let text = Text::new("监护人", "Guardian");
        assert_eq!(text.get(Lang::ZhCn), "监护人");
        assert_eq!(text.get(Lang::En), "Guardian");
        assert_eq!(Text::new("低保", "").get(Lang::En), "低保");
    }

    #[test]
    fn wire_form_is_zh_and_en() {
        let json = serde_json::to_value(Text::new("是", "Yes")).unwrap();
        assert_eq!(json, serde_json::json!({"zh": "是", "en": "Yes"}));
        assert!(serde_json::from_value::<Text>(serde_json::json!({"zh": "是", "en": "Yes", "fr": "Oui"})).is_err());
    }
}
