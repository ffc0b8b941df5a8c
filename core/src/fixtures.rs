//! Records for tests, shared by core's, the server's and the app's tests so that each does
//! not keep its own copy of a complete visit. Built only for tests (`cfg(test)` here, the
//! `fixtures` feature for the other crates' tests).

use chrono::{DateTime, FixedOffset, NaiveDate};
use uuid::Uuid;

use crate::child::{Child, ChildCategory, Guardian};
use crate::form::{Answers, HOME_VISIT};
use crate::sex::Sex;
use crate::Visit;

/// 2026-11-20 10:15 in Beijing time: when the sample records were saved.
pub fn saved_at() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-11-20T10:15:00+08:00").unwrap_or_default()
}

/// 2026-11-23, the tests' today.
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default()
}

/// Complete answers to the standard home-visit form: a left-behind child living with a
/// grandmother of weak health, nothing alarming, colour yellow as the rules suggest.
pub fn ordinary_visit_answers() -> Answers {
    let json = serde_json::json!({
        "visit_date": "2026-11-20", "visit_type": "home", "present": ["child", "grandparent"],
        "food_clothing_adequate": true, "housing_safety": "safe", "income_source": "parents_working_away",
        "benefits_received": ["dibao"],
        "carer_relation": "grandparent", "main_carer": "李秀英", "carer_capacity": "weak",
        "guardianship_letter_signed": true, "guardianship_letter_signed_by": "李秀英（祖母）",
        "father_whereabouts": "away_out_of_province", "mother_whereabouts": "away_in_province",
        "parent_contact_frequency": "weekly",
        "health_status": "good", "seriously_ill": false, "disabled": false, "medical_insurance": true,
        "in_school": true, "school_name": "城关镇中心小学", "school_grade": "三年级", "attendance": "regular",
        "dropout_risk": false,
        "mood": "stable", "online_habits": "moderate", "seasonal_dangers": ["drowning"], "safety_education_given": true,
        "harm_signs": false, "serious_neglect": false, "abandonment": false,
        "policies_linked": ["study_grant"], "referrals_made": [],
        "risk_colour": "yellow",
        "photo_consent": false,
        "next_visit_date": "2026-12-04"
    });
    serde_json::from_value(json).unwrap_or_default()
}

/// A child's complete file.
pub fn sample_child() -> Child {
    Child {
        id: Uuid::from_u128(0x0b7d2f3c_4e5a_4a57_9a51_6f1c2b1e8d3a),
        name: "王小明".into(),
        sex: Sex::Male,
        birth_date: NaiveDate::from_ymd_opt(2016, 3, 14).unwrap_or_default(),
        id_number: Some("110105201603140015".into()),
        village: "石桥村".into(),
        categories: vec![ChildCategory::LeftBehind, ChildCategory::LowIncomeFamily],
        guardians: vec![Guardian {
            name: "王秀英".into(),
            relation: "grandparent".into(),
            phone: "13800138000".into(),
        }],
        school: "石桥镇中心小学".into(),
        notes: "父母在广东打工".into(),
        revision: 1,
        updated_at: saved_at(),
    }
}

/// A complete first revision of a visit to [`sample_child`].
pub fn sample_visit() -> Visit {
    Visit {
        id: Uuid::from_u128(0x6f1c2b1e_8d3a_4a57_9a51_0b7d2f3c4e5a),
        child_id: sample_child().id,
        form_id: HOME_VISIT.into(),
        form_version: 1,
        answers: ordinary_visit_answers(),
        revision: 1,
        updated_at: saved_at(),
    }
}

/// The director of the sample child's village (石桥村 of 石门镇).
pub fn sample_director() -> crate::Worker {
    use crate::worker::{Place, Role, Worker};
    Worker {
        id: Uuid::from_u128(0xd1),
        name: "李芳".into(),
        role: Role::Director,
        place: Place { township: "石门镇".into(), village: sample_child().village },
    }
}
