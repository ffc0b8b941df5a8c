//! The ids of the standard home-visit form's fields that code reads by name: the visit's
//! date, type, colour and next date, and the questions the risk rules and the duty to report
//! read. One spelling for the form, the rules, the visit, the app and the exports.

/// The visit's date, in every visit form.
pub const VISIT_DATE: &str = "visit_date";
/// How the visit was made (入户, 电话, 到校…).
pub const VISIT_TYPE: &str = "visit_type";
/// The risk colour set at the visit.
pub const RISK_COLOUR: &str = "risk_colour";
/// Why the worker chose another colour than the rules suggest.
pub const RISK_COLOUR_REASON: &str = "risk_colour_reason";
/// The next visit date the worker set.
pub const NEXT_VISIT_DATE: &str = "next_visit_date";

/// Signs of abuse or violence (yes/no).
pub const HARM_SIGNS: &str = "harm_signs";
/// Abandoned (yes/no).
pub const ABANDONMENT: &str = "abandonment";
/// Seriously neglected (yes/no).
pub const SERIOUS_NEGLECT: &str = "serious_neglect";
/// How able the carer is: `able`, `weak`, `none`.
pub const CARER_CAPACITY: &str = "carer_capacity";
/// Who cares for the child; `none` when nobody does.
pub const CARER_RELATION: &str = "carer_relation";
/// How safe the home is: `safe`, `some_hazards`, `dangerous`.
pub const HOUSING_SAFETY: &str = "housing_safety";
/// At risk of dropping out of school (yes/no).
pub const DROPOUT_RISK: &str = "dropout_risk";
/// Seriously ill (yes/no).
pub const SERIOUSLY_ILL: &str = "seriously_ill";
/// In school (yes/no).
pub const IN_SCHOOL: &str = "in_school";
/// Why not in school: `below_school_age`, `dropped_out`, ….
pub const NOT_IN_SCHOOL_REASON: &str = "not_in_school_reason";

/// The policies a visit linked the family to (政策链接), several of a choice list.
pub const POLICIES_LINKED: &str = "policies_linked";
