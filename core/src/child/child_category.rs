//! The categories a child is looked after under (DOMAIN.md "The children"); several may apply.

use serde::{Deserialize, Serialize};

use crate::Lang;

/// Why the child is in the village director's care. The codes are the storage and wire words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ChildCategory {
    /// 农村留守儿童: both parents work away, or one away and the other unable to care; under 16.
    LeftBehind,
    /// 散居孤儿: an orphan living with relatives or others.
    OrphanDispersed,
    /// 机构养育孤儿: an orphan raised in a welfare institution.
    OrphanInstitution,
    /// 事实无人抚养儿童: parents alive but in fact nobody supports the child.
    Unsupported,
    /// 残疾儿童.
    Disabled,
    /// 重病儿童.
    SeriouslyIll,
    /// 低保/特困家庭儿童: the family receives minimum living allowance or extreme-poverty support.
    LowIncomeFamily,
    /// 遭受监护侵害: harmed by a guardian.
    GuardianHarm,
    /// 流浪儿童.
    Street,
    /// 流动儿童: moved with the family away from their registered home.
    Migrant,
}

impl ChildCategory {
    /// Every category, in the order the form offers them.
    pub const ALL: [ChildCategory; 10] = [
        ChildCategory::LeftBehind,
        ChildCategory::OrphanDispersed,
        ChildCategory::OrphanInstitution,
        ChildCategory::Unsupported,
        ChildCategory::Disabled,
        ChildCategory::SeriouslyIll,
        ChildCategory::LowIncomeFamily,
        ChildCategory::GuardianHarm,
        ChildCategory::Street,
        ChildCategory::Migrant,
    ];

    /// The wire and storage code, e.g. `left_behind`.
    pub fn code(self) -> &'static str {
        match self {
            ChildCategory::LeftBehind => "left_behind",
            ChildCategory::OrphanDispersed => "orphan_dispersed",
            ChildCategory::OrphanInstitution => "orphan_institution",
            ChildCategory::Unsupported => "unsupported",
            ChildCategory::Disabled => "disabled",
            ChildCategory::SeriouslyIll => "seriously_ill",
            ChildCategory::LowIncomeFamily => "low_income_family",
            ChildCategory::GuardianHarm => "guardian_harm",
            ChildCategory::Street => "street",
            ChildCategory::Migrant => "migrant",
        }
    }

    /// Parses a wire code.
    pub fn from_code(code: &str) -> Option<ChildCategory> {
        ChildCategory::ALL.into_iter().find(|c| c.code() == code)
    }

    /// The name the workers and the national system use.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            ChildCategory::LeftBehind => lang.pick("农村留守儿童", "Rural left-behind child"),
            ChildCategory::OrphanDispersed => lang.pick("散居孤儿", "Orphan living dispersed"),
            ChildCategory::OrphanInstitution => lang.pick("机构养育孤儿", "Orphan in an institution"),
            ChildCategory::Unsupported => lang.pick("事实无人抚养儿童", "De facto unsupported child"),
            ChildCategory::Disabled => lang.pick("残疾儿童", "Disabled child"),
            ChildCategory::SeriouslyIll => lang.pick("重病儿童", "Seriously ill child"),
            ChildCategory::LowIncomeFamily => {
                lang.pick("低保/特困家庭儿童", "Child of a family on minimum living allowance or in extreme poverty")
            }
            ChildCategory::GuardianHarm => lang.pick("遭受监护侵害儿童", "Child harmed by a guardian"),
            ChildCategory::Street => lang.pick("流浪儿童", "Street child"),
            ChildCategory::Migrant => lang.pick("流动儿童", "Migrant child"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_are_distinct() {
        let mut codes: Vec<&str> = ChildCategory::ALL.iter().map(|c| c.code()).collect();
        for category in ChildCategory::ALL {
            assert_eq!(serde_json::to_string(&category).unwrap(), format!("\"{}\"", category.code()));
            assert_eq!(ChildCategory::from_code(category.code()), Some(category));
            assert!(!category.label(Lang::ZhCn).is_empty() && !category.label(Lang::En).is_empty());
        }
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), ChildCategory::ALL.len());
        assert_eq!(ChildCategory::from_code("orphan"), None);
    }

    #[test]
    fn labels_use_the_workers_words() {
        assert_eq!(ChildCategory::LeftBehind.label(Lang::ZhCn), "农村留守儿童");
        assert_eq!(ChildCategory::LowIncomeFamily.label(Lang::ZhCn), "低保/特困家庭儿童");
        assert_eq!(ChildCategory::Unsupported.label(Lang::En), "De facto unsupported child");
    }
}
