//! One child, not two (一童一档): two files that may be of the same child, because their ID
//! numbers match, or, without one, their names, birth dates and villages do. The server
//! flags such pairs for the township supervisor; the phone can warn with the same rule as
//! a file is typed.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::Child;
use crate::Lang;

/// Why two files may be of one child.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DuplicateReason {
    /// The same resident identity number.
    SameIdNumber,
    /// The same name, birth date and village.
    SameNameBirthDateVillage,
}

impl DuplicateReason {
    /// The reason's code, as stored.
    pub fn code(self) -> &'static str {
        match self {
            DuplicateReason::SameIdNumber => "same_id_number",
            DuplicateReason::SameNameBirthDateVillage => "same_name_birth_date_village",
        }
    }

    /// Why, in words, for the supervisor.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            DuplicateReason::SameIdNumber => lang.pick("身份证号相同", "The same ID number"),
            DuplicateReason::SameNameBirthDateVillage => {
                lang.pick("姓名、出生日期和村相同", "The same name, date of birth and village")
            }
        }
    }

    /// The reason read back from its code.
    pub fn from_code(code: &str) -> Option<DuplicateReason> {
        [DuplicateReason::SameIdNumber, DuplicateReason::SameNameBirthDateVillage]
            .into_iter()
            .find(|reason| reason.code() == code)
    }
}

/// A file's ID number as files are compared: trimmed, with an upper-case `X`; none when
/// blank.
pub fn id_number_key(child: &Child) -> Option<String> {
    number_key(child.id_number.as_deref())
}

fn number_key(id_number: Option<&str>) -> Option<String> {
    id_number.map(str::trim).filter(|n| !n.is_empty()).map(str::to_ascii_uppercase)
}

/// What tells one child's file from another's: a saved file's, or a form's as typed so
/// far (where the birth date may not be readable yet).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChildIdentity<'a> {
    pub id: Uuid,
    pub id_number: Option<&'a str>,
    pub name: &'a str,
    pub birth_date: Option<NaiveDate>,
    pub village: &'a str,
}

impl<'a> ChildIdentity<'a> {
    /// A saved file's.
    pub fn of(child: &'a Child) -> ChildIdentity<'a> {
        ChildIdentity {
            id: child.id,
            id_number: child.id_number.as_deref(),
            name: &child.name,
            birth_date: Some(child.birth_date),
            village: &child.village,
        }
    }

    /// Why this and `other` may be files of one child, if they may.
    pub fn may_be(&self, other: &ChildIdentity<'_>) -> Option<DuplicateReason> {
        if self.id == other.id {
            return None;
        }
        match (number_key(self.id_number), number_key(other.id_number)) {
            (Some(x), Some(y)) if x == y => return Some(DuplicateReason::SameIdNumber),
            // Two different numbers are two children, whatever their names.
            (Some(_), Some(_)) => return None,
            _ => {}
        }
        let same = self.birth_date.is_some()
            && self.birth_date == other.birth_date
            && self.name.trim() == other.name.trim()
            && self.village.trim() == other.village.trim();
        same.then_some(DuplicateReason::SameNameBirthDateVillage)
    }
}

/// Why `a` and `b` may be files of one child, if they may.
pub fn possibly_the_same(a: &Child, b: &Child) -> Option<DuplicateReason> {
    ChildIdentity::of(a).may_be(&ChildIdentity::of(b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::sample_child;

    fn other(change: impl FnOnce(&mut Child)) -> Child {
        let mut child = Child { id: Uuid::from_u128(2), ..sample_child() };
        change(&mut child);
        child
    }

    #[test]
    fn the_same_id_number_is_one_child_whatever_else_differs() {
        let b = other(|c| {
            c.name = "王晓明".into();
            c.id_number = c.id_number.as_deref().map(|n| format!(" {} ", n.to_lowercase()));
        });
        assert_eq!(possibly_the_same(&sample_child(), &b), Some(DuplicateReason::SameIdNumber));
        assert_eq!(possibly_the_same(&sample_child(), &sample_child()), None, "a file is not its own duplicate");
    }

    #[test]
    fn without_one_number_the_name_birth_date_and_village_decide() {
        let no_number = other(|c| c.id_number = None);
        assert_eq!(possibly_the_same(&sample_child(), &no_number), Some(DuplicateReason::SameNameBirthDateVillage));
        let blank = Child { id: Uuid::from_u128(3), ..other(|c| c.id_number = Some("  ".into())) };
        assert_eq!(possibly_the_same(&blank, &no_number), Some(DuplicateReason::SameNameBirthDateVillage));
        let other_village = other(|c| {
            c.id_number = None;
            c.village = "河口村".into();
        });
        assert_eq!(possibly_the_same(&sample_child(), &other_village), None);
        let twin = other(|c| {
            c.id_number = None;
            c.name = "王小亮".into();
        });
        assert_eq!(possibly_the_same(&sample_child(), &twin), None, "a twin has another name");
    }

    #[test]
    fn two_different_numbers_are_two_children() {
        let b = other(|c| c.id_number = Some("110105201603140023".into()));
        assert_eq!(possibly_the_same(&sample_child(), &b), None, "same name, birth date and village");
    }

    #[test]
    fn reasons_read_back_from_their_codes() {
        for reason in [DuplicateReason::SameIdNumber, DuplicateReason::SameNameBirthDateVillage] {
            assert_eq!(DuplicateReason::from_code(reason.code()), Some(reason));
            assert_eq!(serde_json::to_value(reason).unwrap(), reason.code());
        }
        assert_eq!(DuplicateReason::from_code("same_face"), None);
    }
}
