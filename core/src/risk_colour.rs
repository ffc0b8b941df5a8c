//! The four-colour risk level (红黄蓝绿四色管理) every child carries.

use serde::{Deserialize, Serialize};

use crate::Lang;

/// A child's risk colour, red the highest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RiskColour {
    /// Guardianship missing or harm suspected: act now.
    Red,
    /// Serious concerns that need close follow-up.
    Yellow,
    /// Some concerns.
    Blue,
    /// Stable.
    Green,
}

impl RiskColour {
    /// Every colour, highest risk first.
    pub const ALL: [RiskColour; 4] = [RiskColour::Red, RiskColour::Yellow, RiskColour::Blue, RiskColour::Green];

    /// The wire and storage code: `red`, `yellow`, `blue`, `green`.
    pub fn code(self) -> &'static str {
        match self {
            RiskColour::Red => "red",
            RiskColour::Yellow => "yellow",
            RiskColour::Blue => "blue",
            RiskColour::Green => "green",
        }
    }

    /// Parses a wire code.
    pub fn from_code(code: &str) -> Option<RiskColour> {
        RiskColour::ALL.into_iter().find(|c| c.code() == code)
    }

    /// The name people use.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            RiskColour::Red => lang.pick("红色", "Red"),
            RiskColour::Yellow => lang.pick("黄色", "Yellow"),
            RiskColour::Blue => lang.pick("蓝色", "Blue"),
            RiskColour::Green => lang.pick("绿色", "Green"),
        }
    }

    /// What the colour means, in a few words.
    pub fn meaning(self, lang: Lang) -> &'static str {
        match self {
            RiskColour::Red => lang.pick("高风险，立即处置", "High risk: act now"),
            RiskColour::Yellow => lang.pick("较高风险，重点关注", "Elevated risk: follow closely"),
            RiskColour::Blue => lang.pick("一般风险，持续关注", "Some risk: keep watching"),
            RiskColour::Green => lang.pick("情况稳定", "Stable"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_through_serde_and_from_code() {
        for colour in RiskColour::ALL {
            let json = serde_json::to_string(&colour).unwrap();
            assert_eq!(json, format!("\"{}\"", colour.code()));
            assert_eq!(RiskColour::from_code(colour.code()), Some(colour));
        }
        assert_eq!(RiskColour::from_code("purple"), None);
    }

    #[test]
    fn red_orders_first() {
        let mut colours = vec![RiskColour::Green, RiskColour::Red, RiskColour::Blue, RiskColour::Yellow];
        colours.sort();
        assert_eq!(colours, RiskColour::ALL.to_vec());
    }
}
