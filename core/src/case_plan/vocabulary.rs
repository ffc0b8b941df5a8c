//! The words of a case plan (一人一策一案), as data: the needs a visit finds, the actions a
//! plan takes (policy linkage by benefit, referral by agency, guardianship steps, and the
//! fixed first steps after a mandatory report, with their deadlines in hours), and why a
//! case is closed. Codes are what records store and exports use; labels are what people see.

use crate::form::{Choice, Text};
use crate::Lang;

/// What an action is to the case: the group it is listed under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ActionGroup {
    /// Policy linkage (政策链接): a benefit applied for.
    Benefit,
    /// Referral (转介) to an agency.
    Referral,
    /// Guardianship (监护干预).
    Guardianship,
    /// The fixed first steps after a mandatory report (报告后处置).
    ReportStep,
    /// Anything else, said in the action's note.
    Other,
}

impl ActionGroup {
    /// The groups a worker picks an action from, in the order shown (not the report steps,
    /// which a report's follow-up carries from the start).
    pub const PICKED: [ActionGroup; 4] =
        [ActionGroup::Benefit, ActionGroup::Referral, ActionGroup::Guardianship, ActionGroup::Other];

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            ActionGroup::Benefit => lang.pick("政策链接", "Benefits"),
            ActionGroup::Referral => lang.pick("转介", "Referral"),
            ActionGroup::Guardianship => lang.pick("监护干预", "Guardianship"),
            ActionGroup::ReportStep => lang.pick("报告后处置", "After the report"),
            ActionGroup::Other => lang.pick("其他", "Other"),
        }
    }
}

/// One kind of action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionKind {
    pub code: &'static str,
    pub label: Text,
    pub group: ActionGroup,
    /// For a report step: hours from the report within which it must be done.
    pub within_hours: Option<u32>,
}

/// The code of the action whose note says what it is.
pub const OTHER_ACTION: &str = "other";

fn kind(code: &'static str, zh: &str, en: &str, group: ActionGroup, within_hours: Option<u32>) -> ActionKind {
    ActionKind { code, label: Text::new(zh, en), group, within_hours }
}

/// Every kind of action, in the order listed.
pub fn action_kinds() -> &'static [ActionKind] {
    static KINDS: std::sync::OnceLock<Vec<ActionKind>> = std::sync::OnceLock::new();
    KINDS.get_or_init(|| {
        use ActionGroup::*;
        vec![
            kind("child_safe", "确认儿童当前安全", "Child's safety today confirmed", ReportStep, Some(4)),
            kind("police_receipt", "取得公安回执或接警编号", "Police receipt or report number", ReportStep, Some(24)),
            kind("guardian_contacted", "联系监护人", "Guardian contacted", ReportStep, Some(24)),
            kind("county_notified", "报告县民政部门", "County civil affairs notified", ReportStep, Some(24)),
            kind("dibao", "申请低保", "Minimum living allowance (低保)", Benefit, None),
            kind(
                "orphan_allowance",
                "孤儿或事实无人抚养儿童基本生活费",
                "Orphan / de facto unattended child allowance",
                Benefit,
                None,
            ),
            kind("school_aid", "助学", "School aid", Benefit, None),
            kind("medical_aid", "医疗救助", "Medical assistance", Benefit, None),
            kind("hukou", "户籍登记", "Household registration", Benefit, None),
            kind("home_teaching", "送教上门", "Home teaching", Benefit, None),
            kind("social_work_station", "转介社工站", "Referral to the social work station", Referral, None),
            kind(
                "protection_centre",
                "转介未成年人救助保护中心",
                "Referral to the minors' protection centre",
                Referral,
                None,
            ),
            kind("counselling", "心理辅导", "Counselling", Referral, None),
            kind("entrusted_guardianship", "委托监护确认", "Entrusted guardianship confirmed", Guardianship, None),
            kind("temporary_guardianship", "临时监护", "Temporary guardianship", Guardianship, None),
            kind("guardian_guidance", "监护指导", "Guidance for the guardian", Guardianship, None),
            kind(
                "guardianship_revocation",
                "申请撤销监护资格",
                "Revocation of guardianship applied for",
                Guardianship,
                None,
            ),
            kind(OTHER_ACTION, "其他", "Other", Other, None),
        ]
    })
}

/// The kind of action `code`, if there is one.
pub fn action_kind(code: &str) -> Option<&'static ActionKind> {
    action_kinds().iter().find(|kind| kind.code == code)
}

/// The kinds of action in `group`, in the order listed.
pub fn kinds_in(group: ActionGroup) -> impl Iterator<Item = &'static ActionKind> {
    action_kinds().iter().filter(move |kind| kind.group == group)
}

/// The needs a visit may find (需求评估).
pub fn needs() -> &'static [Choice] {
    static NEEDS: std::sync::OnceLock<Vec<Choice>> = std::sync::OnceLock::new();
    NEEDS.get_or_init(|| {
        vec![
            Choice::new("living", "基本生活", "Basic living"),
            Choice::new("guardianship", "监护照料", "Care and guardianship"),
            Choice::new("health", "医疗健康", "Health"),
            Choice::new("study", "教育学习", "Schooling"),
            Choice::new("safety", "人身安全", "Safety"),
            Choice::new("wellbeing", "心理情绪", "Emotional wellbeing"),
            Choice::new("documents", "户籍证件", "Documents"),
        ]
    })
}

/// The code of a closing reason whose note says what it is.
pub const OTHER_REASON: &str = "other";

/// Why a case plan is closed.
pub fn closing_reasons() -> &'static [Choice] {
    static REASONS: std::sync::OnceLock<Vec<Choice>> = std::sync::OnceLock::new();
    REASONS.get_or_init(|| {
        vec![
            Choice::new("risk_resolved", "困难已解决，风险已消除", "Difficulty resolved, no risk left"),
            Choice::new("placed", "已妥善安置", "Placed in safe care"),
            Choice::new("moved_away", "已迁出本地", "Moved away"),
            Choice::new("turned_adult", "已年满十八周岁", "Turned 18"),
            Choice::new(OTHER_REASON, "其他（请说明）", "Other (say why)"),
        ]
    })
}

/// How a mandatory report's follow-up ends: its outcome.
pub fn report_outcomes() -> &'static [Choice] {
    static OUTCOMES: std::sync::OnceLock<Vec<Choice>> = std::sync::OnceLock::new();
    OUTCOMES.get_or_init(|| {
        vec![
            Choice::new("police_case", "公安已立案处理", "Police opened a case"),
            Choice::new("no_case", "经核查未立案", "Checked, no case opened"),
            Choice::new("guardianship_intervened", "已开展监护干预", "Guardianship intervention made"),
            Choice::new("guardian_replaced", "已撤销监护资格或另行指定监护人", "Guardian removed or replaced"),
            Choice::new("child_safe", "儿童已安全，家庭已整改", "Child safe, family changed"),
            Choice::new(OTHER_REASON, "其他（请说明）", "Other (say why)"),
        ]
    })
}

/// The label of `code` among `choices`, or the code itself when unknown (an older build's
/// record read by a newer one keeps its words).
pub fn label_of<'a>(choices: &'a [Choice], code: &'a str, lang: Lang) -> &'a str {
    choices.iter().find(|choice| choice.code == code).map_or(code, |choice| choice.label.get(lang))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_are_unique_and_every_report_step_has_a_deadline() {
        let codes: HashSet<&str> = action_kinds().iter().map(|kind| kind.code).collect();
        assert_eq!(codes.len(), action_kinds().len());
        for kind in action_kinds() {
            assert_eq!(kind.within_hours.is_some(), kind.group == ActionGroup::ReportStep, "{}", kind.code);
        }
        assert_eq!(kinds_in(ActionGroup::ReportStep).count(), 4);
        for list in [needs(), closing_reasons(), report_outcomes()] {
            let codes: HashSet<&str> = list.iter().map(|c| c.code.as_str()).collect();
            assert_eq!(codes.len(), list.len());
        }
    }

    #[test]
    fn the_seeds_benefits_referrals_and_guardianship_steps_are_offered() {
        let benefits: Vec<&str> = kinds_in(ActionGroup::Benefit).map(|k| k.label.zh.as_str()).collect();
        assert!(benefits.contains(&"申请低保") && benefits.contains(&"送教上门"));
        assert_eq!(action_kind("temporary_guardianship").map(|k| k.group), Some(ActionGroup::Guardianship));
        assert_eq!(action_kind("nonsense"), None);
        assert_eq!(label_of(needs(), "health", Lang::ZhCn), "医疗健康");
        assert_eq!(label_of(needs(), "from_a_newer_build", Lang::ZhCn), "from_a_newer_build");
    }
}
