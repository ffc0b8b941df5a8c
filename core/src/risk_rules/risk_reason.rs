//! Why a risk colour is suggested, in words fit to show the worker.

use serde::{Deserialize, Serialize};

use crate::Lang;

/// One finding of a visit that raises the child's risk. Rules name their reason; the
/// suggestion lists the reasons of every rule that matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskReason {
    /// Signs of harm or abuse were seen.
    HarmSuspected,
    /// The child is seriously neglected.
    SeriousNeglect,
    /// The child has been abandoned.
    Abandoned,
    /// Nobody looks after the child.
    NoCarer,
    /// Whoever looks after the child is not able to.
    NoCapableCarer,
    /// The carer's capacity is weak.
    WeakCarer,
    /// The housing is dangerous.
    DangerousHousing,
    /// The housing has some hazards.
    SomeHousingHazards,
    /// The child risks dropping out of school (辍学).
    DropoutRisk,
    /// The child is not in school.
    OutOfSchool,
    /// The child is seriously ill.
    SeriouslyIll,
}

impl RiskReason {
    /// Every reason.
    pub const ALL: [RiskReason; 11] = [
        RiskReason::HarmSuspected,
        RiskReason::SeriousNeglect,
        RiskReason::Abandoned,
        RiskReason::NoCarer,
        RiskReason::NoCapableCarer,
        RiskReason::WeakCarer,
        RiskReason::DangerousHousing,
        RiskReason::SomeHousingHazards,
        RiskReason::DropoutRisk,
        RiskReason::OutOfSchool,
        RiskReason::SeriouslyIll,
    ];

    /// A short sentence for the worker.
    pub fn message(self, lang: Lang) -> &'static str {
        match self {
            RiskReason::HarmSuspected => lang.pick("发现疑似伤害或虐待迹象", "Signs of harm or abuse"),
            RiskReason::SeriousNeglect => lang.pick("严重疏于照料", "Seriously neglected"),
            RiskReason::Abandoned => lang.pick("被遗弃", "Abandoned"),
            RiskReason::NoCarer => lang.pick("无人照料", "Nobody looks after the child"),
            RiskReason::NoCapableCarer => {
                lang.pick("监护人无监护能力", "The carer is not able to look after the child")
            }
            RiskReason::WeakCarer => lang.pick("监护人监护能力弱", "The carer's capacity is weak"),
            RiskReason::DangerousHousing => lang.pick("住房存在危险", "The housing is dangerous"),
            RiskReason::SomeHousingHazards => lang.pick("住房存在安全隐患", "The housing has some hazards"),
            RiskReason::DropoutRisk => lang.pick("有辍学风险", "At risk of dropping out of school"),
            RiskReason::OutOfSchool => lang.pick("未在校就读", "Not in school"),
            RiskReason::SeriouslyIll => lang.pick("患有重病", "Seriously ill"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reason_has_a_code_and_both_messages() {
        let mut codes = Vec::new();
        for reason in RiskReason::ALL {
            let code = serde_json::to_string(&reason).unwrap();
            assert_eq!(serde_json::from_str::<RiskReason>(&code).unwrap(), reason);
            codes.push(code);
            assert!(!reason.message(Lang::ZhCn).is_empty());
            assert!(reason.message(Lang::En).is_ascii(), "{reason:?}");
        }
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), RiskReason::ALL.len());
        assert_eq!(serde_json::to_string(&RiskReason::HarmSuspected).unwrap(), "\"harm_suspected\"");
        assert_eq!(RiskReason::DropoutRisk.message(Lang::ZhCn), "有辍学风险");
        assert_eq!(RiskReason::OutOfSchool.message(Lang::En), "Not in school");
    }
}
