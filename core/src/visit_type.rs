//! How a visit was made: at home (入户), by phone (电话), at school (到校) or otherwise.

use serde::{Deserialize, Serialize};

use crate::Lang;

/// The kind of visit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum VisitType {
    /// A home visit, 入户走访.
    Home,
    /// A phone call, 电话回访.
    Phone,
    /// A visit at school, 到校走访.
    School,
    /// Anything else.
    Other,
}

impl VisitType {
    /// Every visit type, in the order the form offers them.
    pub const ALL: [VisitType; 4] = [VisitType::Home, VisitType::Phone, VisitType::School, VisitType::Other];

    /// The wire and storage code.
    pub fn code(self) -> &'static str {
        match self {
            VisitType::Home => "home",
            VisitType::Phone => "phone",
            VisitType::School => "school",
            VisitType::Other => "other",
        }
    }

    /// Parses a wire code.
    pub fn from_code(code: &str) -> Option<VisitType> {
        VisitType::ALL.into_iter().find(|t| t.code() == code)
    }

    /// The name people use.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            VisitType::Home => lang.pick("入户走访", "Home visit"),
            VisitType::Phone => lang.pick("电话回访", "Phone call"),
            VisitType::School => lang.pick("到校走访", "At school"),
            VisitType::Other => lang.pick("其他", "Other"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for t in VisitType::ALL {
            assert_eq!(serde_json::to_string(&t).unwrap(), format!("\"{}\"", t.code()));
            assert_eq!(VisitType::from_code(t.code()), Some(t));
        }
        assert_eq!(VisitType::from_code("HOME"), None);
    }
}
