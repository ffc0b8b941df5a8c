//! The standard home-visit form (走访记录), built in: what DOMAIN.md's "What one home visit
//! records" lists, in the workers' words. Counties may later be served their own
//! definitions; this one is the default and the reference for risk rules and exports.
//!
//! Who the child and the visitor are is part of the record around the answers, not a
//! question. Field ids by section (codes in brackets; `?` marks a show-if):
//!
//! 1. `visit`: `visit_date`, `visit_type` [home, phone, school, other],
//!    `visit_type_other`?, `present` (multiple) [child, father, mother, grandparent,
//!    other_relative, entrusted_carer, teacher, other]
//! 2. `life`: `food_clothing_adequate` (yes/no), `housing_safety` [safe, some_hazards,
//!    dangerous], `income_source` [parents_working_away, local_work, farming,
//!    government_support, relatives, none, other], `benefits_received` (multiple)
//!    [basic_living_allowance, dibao, extreme_poverty_support, medical_assistance,
//!    study_grant, disability_allowances, other]
//! 3. `guardianship`: `carer_relation` [father, mother, grandparent, other_relative,
//!    entrusted_non_relative, none], `main_carer`? and `carer_capacity`? [able, weak,
//!    none] (both hidden when `carer_relation` is `none`), `guardianship_letter_signed`
//!    (yes/no), `guardianship_letter_signed_by`?, `father_whereabouts` and
//!    `mother_whereabouts` [at_home, away_in_province, away_out_of_province, in_custody,
//!    deceased, unknown], `parent_contact_frequency`? [weekly, monthly, rarely, never]
//!    (when a parent works away)
//! 4. `health`: `health_status` [good, fair, poor], `seriously_ill` (yes/no), `illness`?,
//!    `disabled` (yes/no), `disability_type`? [visual, hearing, speech, physical,
//!    intellectual, mental, multiple], `disability_grade`? [grade_1 … grade_4,
//!    not_certified], `medical_insurance` (yes/no)
//! 5. `study`: `in_school` (yes/no), `not_in_school_reason`? [below_school_age,
//!    dropped_out, home_teaching, finished, other], `school_name`?, `school_grade`?,
//!    `attendance`? [regular, sometimes_absent, often_absent], `dropout_risk`? (yes/no;
//!    these four when in school)
//! 6. `mind_and_safety`: `mood` [stable, low, anxious, withdrawn, irritable],
//!    `behaviour_concerns` (multiple) [truancy, fighting, running_away, self_harm,
//!    smoking_drinking, other], `online_habits` [rarely, moderate, excessive, unknown],
//!    `seasonal_dangers` (multiple) [drowning, traffic, fire_electricity, heat_cold,
//!    other], `safety_education_given` (yes/no), `harm_signs`, `serious_neglect`,
//!    `abandonment` (yes/no each), `harm_details`? (when any of the three is yes)
//! 7. `needs_and_actions`: `needs_found`, `policies_linked` (multiple)
//!    [basic_living_allowance, dibao, medical_assistance, study_grant,
//!    disability_allowances, legal_aid, household_registration, counselling, other],
//!    `referrals_made` (multiple) [township_supervisor, protection_centre, police, school,
//!    social_work_station], `actions_taken`
//! 8. `risk`: `risk_colour` [red, yellow, blue, green], `risk_colour_reason`
//! 9. `mandatory_report` (all when `harm_signs`, `serious_neglect` or `abandonment` is
//!    yes): `mandatory_report_made` (yes/no), then if yes `mandatory_report_date`,
//!    `mandatory_report_to`, `mandatory_report_receipt`, if no
//!    `mandatory_report_not_made_reason`
//! 10. `photos`: `photo_consent` (yes/no), `photos`? (photo slot, when consent is yes)
//! 11. `next_visit`: `next_visit_date`
//!
//! Rules should read [`FormDefinition::visible_answers`], so that a stale answer to a
//! hidden field (say `carer_capacity` after `carer_relation` became `none`) counts for
//! nothing.

use super::field_ids::{
    ABANDONMENT, CARER_CAPACITY, CARER_RELATION, DROPOUT_RISK, HARM_SIGNS, HOUSING_SAFETY, IN_SCHOOL, NEXT_VISIT_DATE,
    NOT_IN_SCHOOL_REASON, POLICIES_LINKED, RISK_COLOUR, RISK_COLOUR_REASON, SERIOUSLY_ILL, SERIOUS_NEGLECT, VISIT_DATE,
    VISIT_TYPE,
};
use super::{Choice, Condition, Constraint, ConstraintRule, Field, FieldKind, FormDefinition, Section, Text};
use crate::{Lang, RiskColour, VisitType};

/// The most characters of a name or other short text.
const SHORT: usize = 50;
/// The most characters of a one-line description.
const LINE: usize = 200;
/// The most characters of a long text.
const LONG: usize = 2000;

/// The standard home-visit form, `home_visit` version 1. It passes
/// [`FormDefinition::check`].
pub fn standard_home_visit() -> FormDefinition {
    FormDefinition {
        id: super::HOME_VISIT.to_owned(),
        version: 1,
        title: Text::new("儿童走访记录", "Home visit record"),
        sections: vec![
            visit(),
            life(),
            guardianship(),
            health(),
            study(),
            mind_and_safety(),
            needs_and_actions(),
            risk(),
            mandatory_report(),
            photos(),
            next_visit(),
        ],
    }
}

fn visit() -> Section {
    let types = VisitType::ALL.map(|t| Choice::new(t.code(), t.label(Lang::ZhCn), t.label(Lang::En)));
    Section::new(
        "visit",
        "走访信息",
        "The visit",
        vec![
            Field::new(VISIT_DATE, t("走访日期", "Visit date"), FieldKind::Date { not_in_future: true }).required(),
            Field::new(VISIT_TYPE, t("走访方式", "Visit type"), FieldKind::SingleChoice { choices: types.to_vec() })
                .required(),
            text("visit_type_other", "其他方式说明", "Describe how", SHORT)
                .required()
                .shown_if(Condition::is(VISIT_TYPE, "other")),
            multiple(
                "present",
                "在场人员",
                "Who was present",
                &[
                    ("child", "儿童本人", "The child"),
                    ("father", "父亲", "Father"),
                    ("mother", "母亲", "Mother"),
                    ("grandparent", "祖父母/外祖父母", "Grandparent"),
                    ("other_relative", "其他亲属", "Other relative"),
                    ("entrusted_carer", "受委托监护人", "Entrusted carer"),
                    ("teacher", "老师", "Teacher"),
                    ("other", "其他", "Other"),
                ],
            )
            .required()
            .with_hint("电话回访时选通话的人", "For a phone call, who was on the call"),
        ],
    )
}

fn life() -> Section {
    Section::new(
        "life",
        "生活",
        "Daily life",
        vec![
            yes_no("food_clothing_adequate", "吃穿是否有保障", "Enough food and clothing").required(),
            single(
                HOUSING_SAFETY,
                "住房安全",
                "Housing safety",
                &[
                    ("safe", "安全", "Safe"),
                    ("some_hazards", "有安全隐患", "Some hazards"),
                    ("dangerous", "危房或严重危险", "Dangerous"),
                ],
            )
            .required(),
            single(
                "income_source",
                "家庭主要收入来源",
                "Main family income",
                &[
                    ("parents_working_away", "父母外出务工", "Parents working away"),
                    ("local_work", "本地务工或经营", "Work or business locally"),
                    ("farming", "务农", "Farming"),
                    ("government_support", "政府救助", "Government support"),
                    ("relatives", "亲友接济", "Help from relatives"),
                    ("none", "无稳定收入", "No steady income"),
                    ("other", "其他", "Other"),
                ],
            )
            .required(),
            multiple(
                "benefits_received",
                "已享受的保障",
                "Benefits received",
                &[
                    ("basic_living_allowance", "基本生活费", "Basic living allowance"),
                    ("dibao", "低保", "Minimum living allowance"),
                    ("extreme_poverty_support", "特困供养", "Extreme-poverty support"),
                    ("medical_assistance", "医疗救助", "Medical assistance"),
                    ("study_grant", "助学金/学费减免", "Study grant or fee waiver"),
                    ("disability_allowances", "残疾人两补", "Disability allowances"),
                    ("other", "其他", "Other"),
                ],
            )
            .with_hint("没有则不选", "Leave empty if none"),
        ],
    )
}

fn guardianship() -> Section {
    let has_carer = || !Condition::is(CARER_RELATION, "none");
    let whereabouts = [
        ("at_home", "在家", "At home"),
        ("away_in_province", "省内务工", "Working away in the province"),
        ("away_out_of_province", "省外务工", "Working outside the province"),
        ("in_custody", "服刑或强制隔离戒毒", "In prison or compulsory rehabilitation"),
        ("deceased", "已故", "Deceased"),
        ("unknown", "下落不明", "Whereabouts unknown"),
    ];
    let parent_away = Condition::Any(vec![
        Condition::is("father_whereabouts", "away_in_province"),
        Condition::is("father_whereabouts", "away_out_of_province"),
        Condition::is("mother_whereabouts", "away_in_province"),
        Condition::is("mother_whereabouts", "away_out_of_province"),
    ]);
    Section::new(
        "guardianship",
        "监护",
        "Guardianship",
        vec![
            single(
                CARER_RELATION,
                "主要照料人与儿童关系",
                "Main carer's relation to the child",
                &[
                    ("father", "父亲", "Father"),
                    ("mother", "母亲", "Mother"),
                    ("grandparent", "祖父母/外祖父母", "Grandparent"),
                    ("other_relative", "其他亲属", "Other relative"),
                    ("entrusted_non_relative", "受委托的非亲属", "Entrusted non-relative"),
                    ("none", "无人照料", "No one"),
                ],
            )
            .required(),
            text("main_carer", "主要照料人姓名", "Main carer's name", SHORT).required().shown_if(has_carer()),
            single(
                CARER_CAPACITY,
                "监护能力",
                "Carer's capacity",
                &[("able", "有监护能力", "Able"), ("weak", "监护能力弱", "Weak"), ("none", "无监护能力", "None")],
            )
            .required()
            .shown_if(has_carer())
            .with_hint(
                "年老体弱、患病或残疾以致照料困难，选“监护能力弱”",
                "Choose Weak if age, illness or disability make caring hard",
            ),
            yes_no(
                "guardianship_letter_signed",
                "是否签订《农村留守儿童临时监护责任书》",
                "Temporary guardianship letter signed",
            )
            .required()
            .with_hint("含委托监护协议", "Including an entrusted-guardianship agreement"),
            text("guardianship_letter_signed_by", "责任书签订人", "Signed by", SHORT)
                .required()
                .shown_if(Condition::yes("guardianship_letter_signed"))
                .with_hint("受委托人姓名及与儿童关系", "Name of the entrusted person and relation to the child"),
            single("father_whereabouts", "父亲去向", "Father's whereabouts", &whereabouts).required(),
            single("mother_whereabouts", "母亲去向", "Mother's whereabouts", &whereabouts).required(),
            single(
                "parent_contact_frequency",
                "父母与孩子联系频率",
                "How often the parents call",
                &[
                    ("weekly", "每周至少一次", "At least weekly"),
                    ("monthly", "每月至少一次", "At least monthly"),
                    ("rarely", "很少联系（少于每月一次）", "Less than monthly"),
                    ("never", "从不联系", "Never"),
                ],
            )
            .required()
            .shown_if(parent_away),
        ],
    )
}

fn health() -> Section {
    Section::new(
        "health",
        "健康",
        "Health",
        vec![
            single(
                "health_status",
                "健康状况",
                "Health",
                &[("good", "良好", "Good"), ("fair", "一般", "Fair"), ("poor", "较差", "Poor")],
            )
            .required(),
            yes_no(SERIOUSLY_ILL, "是否患有重病或长期慢性病", "Serious or long-term illness").required(),
            text("illness", "所患疾病", "Illness", LINE).required().shown_if(Condition::yes(SERIOUSLY_ILL)),
            yes_no("disabled", "是否残疾", "Disability").required(),
            single(
                "disability_type",
                "残疾类别",
                "Type of disability",
                &[
                    ("visual", "视力残疾", "Visual"),
                    ("hearing", "听力残疾", "Hearing"),
                    ("speech", "言语残疾", "Speech"),
                    ("physical", "肢体残疾", "Physical"),
                    ("intellectual", "智力残疾", "Intellectual"),
                    ("mental", "精神残疾", "Mental"),
                    ("multiple", "多重残疾", "Multiple"),
                ],
            )
            .required()
            .shown_if(Condition::yes("disabled")),
            single(
                "disability_grade",
                "残疾等级",
                "Disability grade",
                &[
                    ("grade_1", "一级", "Grade 1"),
                    ("grade_2", "二级", "Grade 2"),
                    ("grade_3", "三级", "Grade 3"),
                    ("grade_4", "四级", "Grade 4"),
                    ("not_certified", "未办理残疾证", "No disability certificate"),
                ],
            )
            .required()
            .shown_if(Condition::yes("disabled")),
            yes_no("medical_insurance", "是否参加城乡居民基本医疗保险", "Has basic medical insurance").required(),
        ],
    )
}

fn study() -> Section {
    let in_school = || Condition::yes(IN_SCHOOL);
    Section::new(
        "study",
        "学习",
        "Study",
        vec![
            yes_no(IN_SCHOOL, "是否在校就读", "In school").required(),
            single(
                NOT_IN_SCHOOL_REASON,
                "未在校原因",
                "Why not in school",
                &[
                    ("below_school_age", "未到入学年龄", "Not yet of school age"),
                    ("dropped_out", "辍学", "Dropped out"),
                    ("home_teaching", "送教上门", "Taught at home by a visiting teacher"),
                    ("finished", "已完成义务教育", "Finished compulsory schooling"),
                    ("other", "其他", "Other"),
                ],
            )
            .required()
            .shown_if(Condition::no(IN_SCHOOL)),
            text("school_name", "就读学校", "School", SHORT * 2).required().shown_if(in_school()),
            text("school_grade", "年级", "Grade", 20)
                .required()
                .shown_if(in_school())
                .with_hint("如：三年级", "e.g. Year 3"),
            single(
                "attendance",
                "出勤情况",
                "Attendance",
                &[
                    ("regular", "正常上学", "Attends regularly"),
                    ("sometimes_absent", "偶有缺课", "Sometimes absent"),
                    ("often_absent", "经常缺课", "Often absent"),
                ],
            )
            .required()
            .shown_if(in_school()),
            yes_no(DROPOUT_RISK, "是否有辍学风险", "Risk of dropping out").required().shown_if(in_school()),
        ],
    )
}

fn mind_and_safety() -> Section {
    Section::new(
        "mind_and_safety",
        "心理与安全",
        "Mind and safety",
        vec![
            single(
                "mood",
                "情绪状况",
                "Mood",
                &[
                    ("stable", "情绪稳定", "Stable"),
                    ("low", "情绪低落", "Low"),
                    ("anxious", "焦虑不安", "Anxious"),
                    ("withdrawn", "孤僻少语", "Withdrawn"),
                    ("irritable", "易怒冲动", "Irritable"),
                ],
            )
            .required(),
            multiple(
                "behaviour_concerns",
                "行为问题",
                "Behaviour concerns",
                &[
                    ("truancy", "逃学旷课", "Skipping school"),
                    ("fighting", "打架", "Fighting"),
                    ("running_away", "离家出走", "Running away"),
                    ("self_harm", "自伤倾向", "Signs of self-harm"),
                    ("smoking_drinking", "抽烟喝酒", "Smoking or drinking"),
                    ("other", "其他", "Other"),
                ],
            )
            .with_hint("没有则不选", "Leave empty if none"),
            single(
                "online_habits",
                "上网情况",
                "Online habits",
                &[
                    ("rarely", "很少上网", "Rarely online"),
                    ("moderate", "适度", "Moderate"),
                    ("excessive", "沉迷网络或游戏", "Too much (games, videos)"),
                    ("unknown", "不清楚", "Not known"),
                ],
            ),
            multiple(
                "seasonal_dangers",
                "季节性安全风险",
                "Seasonal dangers",
                &[
                    ("drowning", "溺水", "Drowning"),
                    ("traffic", "交通", "Traffic"),
                    ("fire_electricity", "用火用电", "Fire and electricity"),
                    ("heat_cold", "高温或寒冷", "Heat or cold"),
                    ("other", "其他", "Other"),
                ],
            )
            .with_hint("没有则不选", "Leave empty if none"),
            yes_no("safety_education_given", "是否进行了安全教育（如防溺水）", "Safety talk given (e.g. on drowning)"),
            yes_no(HARM_SIGNS, "是否有遭受侵害的迹象（虐待、暴力等）", "Signs of abuse or violence").required(),
            yes_no(SERIOUS_NEGLECT, "是否存在严重忽视", "Serious neglect")
                .required()
                .with_hint("如长期无人照料、挨饿、患病不医", "e.g. left alone for long, hungry, ill without care"),
            yes_no(ABANDONMENT, "是否被遗弃", "Abandoned").required(),
            long_text("harm_details", "具体情况", "What was seen", LONG)
                .required()
                .shown_if(harm_found())
                .with_hint("只写看到、听到的事实", "Only facts seen or heard"),
        ],
    )
}

fn needs_and_actions() -> Section {
    Section::new(
        "needs_and_actions",
        "需求与帮扶",
        "Needs and actions",
        vec![
            long_text("needs_found", "发现的需求", "Needs found", LONG),
            multiple(
                POLICIES_LINKED,
                "链接的政策",
                "Policies linked",
                &[
                    ("basic_living_allowance", "基本生活费", "Basic living allowance"),
                    ("dibao", "低保", "Minimum living allowance"),
                    ("medical_assistance", "医疗救助", "Medical assistance"),
                    ("study_grant", "助学金/学费减免", "Study grant or fee waiver"),
                    ("disability_allowances", "残疾人两补", "Disability allowances"),
                    ("legal_aid", "法律援助", "Legal aid"),
                    ("household_registration", "户籍登记", "Household registration"),
                    ("counselling", "心理疏导", "Psychological counselling"),
                    ("other", "其他", "Other"),
                ],
            ),
            multiple(
                "referrals_made",
                "转介",
                "Referrals made",
                &[
                    ("township_supervisor", "乡镇儿童督导员", "Township child supervisor"),
                    ("protection_centre", "未成年人救助保护中心", "Minor protection centre"),
                    ("police", "公安机关", "Police"),
                    ("school", "学校", "School"),
                    ("social_work_station", "社工站", "Social-work station"),
                ],
            ),
            long_text("actions_taken", "采取的措施", "Actions taken", LONG),
        ],
    )
}

fn risk() -> Section {
    let colours = RiskColour::ALL.map(|c| Choice::new(c.code(), c.label(Lang::ZhCn), c.label(Lang::En)));
    Section::new(
        "risk",
        "风险等级",
        "Risk colour",
        vec![
            Field::new(
                RISK_COLOUR,
                t("风险等级（红黄蓝绿）", "Risk colour"),
                FieldKind::SingleChoice { choices: colours.to_vec() },
            )
            .required()
            .with_hint(
                "红色：监护缺失或疑似受侵害，需立即处置；绿色：稳定",
                "Red: guardianship missing or harm suspected, act now; green: stable",
            ),
            long_text(RISK_COLOUR_REASON, "定级理由", "Reason for the colour", LONG)
                .with_hint("与系统建议不同时须填写", "Needed when it differs from the suggestion"),
        ],
    )
}

fn mandatory_report() -> Section {
    let made = || Condition::All(vec![harm_found(), Condition::yes("mandatory_report_made")]);
    Section::new(
        "mandatory_report",
        "强制报告",
        "Mandatory report",
        vec![
            yes_no("mandatory_report_made", "是否已向公安机关报告", "Reported to the police")
                .required()
                .shown_if(harm_found())
                .with_hint(
                    "发现侵害、严重忽视或遗弃，须立即向公安机关（110）报告",
                    "Abuse, serious neglect or abandonment must be reported to the police (110) at once",
                ),
            Field::new(
                "mandatory_report_date",
                t("报告日期", "Date reported"),
                FieldKind::Date { not_in_future: true },
            )
            .required()
            .shown_if(made()),
            text("mandatory_report_to", "报告对象", "Reported to", SHORT * 2)
                .required()
                .shown_if(made())
                .with_hint("如：某某派出所", "e.g. the local police station"),
            text("mandatory_report_receipt", "回执或接警编号", "Receipt number", SHORT).shown_if(made()),
            long_text("mandatory_report_not_made_reason", "未报告原因", "Why no report was made", LONG)
                .required()
                .shown_if(Condition::All(vec![harm_found(), Condition::no("mandatory_report_made")])),
        ],
    )
}

fn photos() -> Section {
    Section::new(
        "photos",
        "照片",
        "Photos",
        vec![
            yes_no("photo_consent", "监护人是否同意拍照", "Guardian agrees to photos")
                .with_hint("未经同意不得拍照", "Take no photos without consent"),
            Field::new(
                "photos",
                t("照片（居住环境、证件等）", "Photos (living conditions, documents)"),
                FieldKind::PhotoSlot { max_photos: 6 },
            )
            .shown_if(Condition::yes("photo_consent")),
        ],
    )
}

fn next_visit() -> Section {
    Section::new(
        "next_visit",
        "下次走访",
        "Next visit",
        vec![Field::new(
            NEXT_VISIT_DATE,
            t("下次走访日期", "Next visit date"),
            FieldKind::Date { not_in_future: false },
        )
        .required()
        .with_hint("一般为一个月后；红色儿童应更早", "Usually a month on; sooner for red")
        .with_constraint(
            Constraint::new(ConstraintRule::DateNotAfter { days_from_today: 366 })
                .with_message("下次走访日期应在一年之内", "The next visit should be within a year"),
        )],
    )
}

/// Any harm indicator is yes: the mandatory-report questions apply.
fn harm_found() -> Condition {
    Condition::Any(vec![Condition::yes(HARM_SIGNS), Condition::yes(SERIOUS_NEGLECT), Condition::yes(ABANDONMENT)])
}

fn t(zh: &str, en: &str) -> Text {
    Text::new(zh, en)
}

fn yes_no(id: &str, zh: &str, en: &str) -> Field {
    Field::new(id, t(zh, en), FieldKind::YesNo)
}

fn text(id: &str, zh: &str, en: &str, max_chars: usize) -> Field {
    Field::new(id, t(zh, en), FieldKind::Text { max_chars })
}

fn long_text(id: &str, zh: &str, en: &str, max_chars: usize) -> Field {
    Field::new(id, t(zh, en), FieldKind::LongText { max_chars })
}

fn choices(list: &[(&str, &str, &str)]) -> Vec<Choice> {
    list.iter().map(|(code, zh, en)| Choice::new(code, zh, en)).collect()
}

fn single(id: &str, zh: &str, en: &str, list: &[(&str, &str, &str)]) -> Field {
    Field::new(id, t(zh, en), FieldKind::SingleChoice { choices: choices(list) })
}

fn multiple(id: &str, zh: &str, en: &str, list: &[(&str, &str, &str)]) -> Field {
    Field::new(id, t(zh, en), FieldKind::MultipleChoice { choices: choices(list), min: None, max: None })
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::fixtures::ordinary_visit_answers;
    use crate::form::{AnswerValue, Answers};
    use crate::FieldError;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    #[test]
    fn passes_its_own_check() {
        assert_eq!(standard_home_visit().check(), Ok(()));
    }

    #[test]
    fn round_trips_through_json() {
        let form = standard_home_visit();
        let json = serde_json::to_string(&form).unwrap();
        let back: FormDefinition = serde_json::from_str(&json).unwrap();
        assert_eq!(back, form);
        assert_eq!(serde_json::to_string(&back).unwrap(), json);
    }

    #[test]
    fn covers_every_part_of_a_visit_record() {
        let form = standard_home_visit();
        let sections: Vec<&str> = form.sections.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(
            sections,
            [
                "visit",
                "life",
                "guardianship",
                "health",
                "study",
                "mind_and_safety",
                "needs_and_actions",
                "risk",
                "mandatory_report",
                "photos",
                "next_visit"
            ]
        );
        assert_eq!((form.id.as_str(), form.version), ("home_visit", 1));
    }

    #[test]
    fn the_ids_and_codes_risk_rules_use_are_there() {
        let form = standard_home_visit();
        let codes = |id: &str| -> Vec<String> {
            let field = form.field(id).unwrap_or_else(|| panic!("{id} missing"));
            field.kind.choices().iter().map(|c| c.code.clone()).collect()
        };
        assert_eq!(codes("carer_capacity"), ["able", "weak", "none"]);
        assert!(codes("carer_relation").contains(&"none".to_owned()));
        assert_eq!(codes("housing_safety"), ["safe", "some_hazards", "dangerous"]);
        assert_eq!(codes("risk_colour"), ["red", "yellow", "blue", "green"]);
        assert_eq!(codes("visit_type"), ["home", "phone", "school", "other"]);
        for id in ["harm_signs", "serious_neglect", "abandonment", "in_school", "dropout_risk", "seriously_ill"] {
            assert_eq!(form.field(id).map(|f| &f.kind), Some(&FieldKind::YesNo), "{id}");
        }
        for id in ["visit_date", "next_visit_date"] {
            assert!(matches!(form.field(id).map(|f| &f.kind), Some(FieldKind::Date { .. })), "{id}");
        }
    }

    #[test]
    fn an_ordinary_visit_is_valid() {
        assert_eq!(standard_home_visit().validate(&ordinary_visit_answers(), today()), Ok(()));
    }

    #[test]
    fn an_empty_visit_lists_what_is_required() {
        let errors = standard_home_visit().validate(&Answers::new(), today()).unwrap_err();
        for id in [
            "visit_date",
            "visit_type",
            "present",
            "carer_relation",
            "main_carer",
            "carer_capacity",
            "harm_signs",
            "risk_colour",
            "next_visit_date",
        ] {
            assert_eq!(errors.get(id), Some(&FieldError::Required), "{id}");
        }
        for hidden in ["mandatory_report_made", "illness", "school_name", "parent_contact_frequency", "photos"] {
            assert_eq!(errors.get(hidden), None, "{hidden} is hidden");
        }
    }

    #[test]
    fn harm_found_asks_for_the_mandatory_report() {
        let form = standard_home_visit();
        let mut a = ordinary_visit_answers();
        a.set("serious_neglect", AnswerValue::Bool(true));
        let errors = form.validate(&a, today()).unwrap_err();
        assert_eq!(errors.get("mandatory_report_made"), Some(&FieldError::Required));
        assert_eq!(errors.get("harm_details"), Some(&FieldError::Required));
        assert_eq!(errors.len(), 2);

        a.set("harm_details", AnswerValue::Text("孩子独自在家三天，无人做饭".into()));
        a.set("mandatory_report_made", AnswerValue::Bool(true));
        let errors = form.validate(&a, today()).unwrap_err();
        assert_eq!(errors.get("mandatory_report_date"), Some(&FieldError::Required));
        assert_eq!(errors.get("mandatory_report_to"), Some(&FieldError::Required));
        assert_eq!(errors.get("mandatory_report_receipt"), None, "the receipt number is optional");
        assert_eq!(errors.get("mandatory_report_not_made_reason"), None);

        a.set("mandatory_report_date", AnswerValue::Text("2026-11-20".into()));
        a.set("mandatory_report_to", AnswerValue::Text("城关派出所".into()));
        assert_eq!(form.validate(&a, today()), Ok(()));

        a.set("mandatory_report_made", AnswerValue::Bool(false));
        let errors = form.validate(&a, today()).unwrap_err();
        assert_eq!(errors.get("mandatory_report_not_made_reason"), Some(&FieldError::Required));
        assert_eq!(errors.len(), 1, "the report's date and recipient are now hidden and ignored");
    }

    #[test]
    fn stale_report_answers_do_not_count_once_harm_is_cleared() {
        let form = standard_home_visit();
        let mut a = ordinary_visit_answers();
        a.set("mandatory_report_made", AnswerValue::Bool(false));
        assert_eq!(form.validate(&a, today()), Ok(()));
        assert!(!form.is_visible("mandatory_report_not_made_reason", &a));
        assert_eq!(form.visible_answers(&a).get("mandatory_report_made"), None);
    }

    #[test]
    fn the_next_visit_must_be_within_a_year() {
        let form = standard_home_visit();
        let mut a = ordinary_visit_answers();
        a.set("next_visit_date", AnswerValue::Text("2028-01-01".into()));
        let errors = form.validate(&a, today()).unwrap_err();
        assert_eq!(errors.get("next_visit_date"), Some(&FieldError::TooLate));
        assert_eq!(form.error_message("next_visit_date", &FieldError::TooLate, Lang::ZhCn), "下次走访日期应在一年之内");
    }

    #[test]
    fn photos_need_consent() {
        let form = standard_home_visit();
        let mut a = ordinary_visit_answers();
        let note = crate::photo::PhotoNote::new(
            crate::photo::PhotoHash::of_bytes(b"jpeg"),
            crate::fixtures::saved_at().into(),
        );
        a.set("photos", AnswerValue::Photos(vec![note]));
        assert!(!form.is_visible("photos", &a));
        assert_eq!(form.visible_answers(&a).get("photos"), None, "photos without consent count for nothing");
        a.set("photo_consent", AnswerValue::Bool(true));
        assert!(form.is_visible("photos", &a));
        assert_eq!(form.validate(&a, today()), Ok(()));
    }
}
