//! A person's sex as the household register records it (性别): a child's file says it, and an
//! ID number encodes it.

use serde::{Deserialize, Serialize};

use crate::Lang;

/// Male or female, as on the household register.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    /// 男.
    Male,
    /// 女.
    Female,
}

impl Sex {
    /// Both, in the order the form offers them.
    pub const ALL: [Sex; 2] = [Sex::Male, Sex::Female];

    /// The wire and storage code: `male`, `female`.
    pub fn code(self) -> &'static str {
        match self {
            Sex::Male => "male",
            Sex::Female => "female",
        }
    }

    /// Parses a wire code.
    pub fn from_code(code: &str) -> Option<Sex> {
        Sex::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The word people use.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Sex::Male => lang.pick("男", "Male"),
            Sex::Female => lang.pick("女", "Female"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for sex in Sex::ALL {
            assert_eq!(serde_json::to_string(&sex).unwrap(), format!("\"{}\"", sex.code()));
            assert_eq!(Sex::from_code(sex.code()), Some(sex));
        }
        assert_eq!(Sex::from_code("m"), None);
        assert_eq!(Sex::Female.label(Lang::ZhCn), "女");
    }
}
