//! Two phones, one record: when a revision arrives that was made from an older one than
//! the server holds (two workers edited the same child's file, each from the revision her
//! phone had), the two are merged field by field against the revision both began from.
//! A field changed on one side only takes that side's value; a field changed on both sides
//! to different values is a conflict for a person (the worker who sent second sees it on her
//! phone, the supervisor reconciles it). The server reads the revisions from its history;
//! the rule needs no database.

use serde_json::{Map, Value};

/// The fields of a record that say which save it is, not what it holds: never merged.
const SAVE_FIELDS: [&str; 2] = ["revision", "updated_at"];

/// What merging two edits of one record gives.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldMerge {
    /// Every field changed on at most one side (or to the same value on both): the held
    /// record with the sent side's changes, its save fields those of the held record.
    Merged(Value),
    /// These fields were changed on both sides, to different values.
    Clash(Vec<String>),
}

/// Merges `sent` (made from `base`) into `held` (also made from `base`, by another phone),
/// field by field (a record's top-level fields: a list such as the guardians is one field).
/// `None` when the three are not records (JSON objects).
pub fn merge(base: &Value, held: &Value, sent: &Value) -> Option<FieldMerge> {
    let (base, held, sent) = (base.as_object()?, held.as_object()?, sent.as_object()?);
    let mut merged: Map<String, Value> = held.clone();
    let mut clashes = Vec::new();
    let fields = held.keys().chain(sent.keys()).chain(base.keys());
    let mut seen: Vec<&String> = Vec::new();
    for field in fields {
        if seen.contains(&field) || SAVE_FIELDS.contains(&field.as_str()) {
            continue;
        }
        seen.push(field);
        let (was, theirs, mine) = (base.get(field), held.get(field), sent.get(field));
        if theirs == mine || mine == was {
            continue; // the held value stands
        }
        if theirs == was {
            match mine {
                Some(value) => merged.insert(field.clone(), value.clone()),
                None => merged.remove(field),
            };
        } else {
            clashes.push(field.clone());
        }
    }
    Some(if clashes.is_empty() { FieldMerge::Merged(Value::Object(merged)) } else { FieldMerge::Clash(clashes) })
}

/// The fields in which two versions of a record differ (not the save fields), in the
/// order of `a`'s fields, then those only `b` has; empty when either is not a record.
pub fn differing_fields(a: &Value, b: &Value) -> Vec<String> {
    let (Some(a), Some(b)) = (a.as_object(), b.as_object()) else { return Vec::new() };
    let mut fields: Vec<String> = Vec::new();
    for field in a.keys().chain(b.keys()) {
        if !SAVE_FIELDS.contains(&field.as_str()) && a.get(field) != b.get(field) && !fields.contains(field) {
            fields.push(field.clone());
        }
    }
    fields
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn base() -> Value {
        json!({"id": "c1", "name": "王小花", "school": "中心小学", "notes": "", "guardians": [{"name": "李秀英"}], "revision": 1, "updated_at": "2026-11-01T09:00:00+08:00"})
    }

    #[test]
    fn fields_changed_on_one_side_each_are_merged() {
        let mut held = base();
        held["school"] = json!("城关中学");
        held["revision"] = json!(2);
        let mut sent = base();
        sent["notes"] = json!("父亲已返乡");
        sent["guardians"] = json!([{"name": "李秀英"}, {"name": "王强"}]);
        sent["revision"] = json!(2);
        sent["updated_at"] = json!("2026-11-02T10:00:00+08:00");

        let Some(FieldMerge::Merged(merged)) = merge(&base(), &held, &sent) else { panic!("merged") };
        assert_eq!(merged["school"], json!("城关中学"), "the held side's change");
        assert_eq!(merged["notes"], json!("父亲已返乡"), "the sent side's change");
        assert_eq!(merged["guardians"].as_array().map(Vec::len), Some(2), "a list is one field");
        assert_eq!(merged["name"], json!("王小花"));
        assert_eq!(
            (merged["revision"].clone(), merged["updated_at"].clone()),
            (held["revision"].clone(), held["updated_at"].clone())
        );
    }

    #[test]
    fn the_same_field_changed_on_both_sides_is_a_clash_unless_to_the_same_value() {
        let mut held = base();
        held["school"] = json!("城关中学");
        held["name"] = json!("王晓花");
        let mut sent = base();
        sent["school"] = json!("石门小学");
        sent["name"] = json!("王晓花");
        assert_eq!(merge(&base(), &held, &sent), Some(FieldMerge::Clash(vec!["school".to_owned()])));
    }

    #[test]
    fn a_field_added_or_removed_on_one_side_follows_that_side() {
        let held = base();
        let mut sent = base();
        sent.as_object_mut().unwrap().insert("id_number".into(), json!("110101201605010029"));
        sent.as_object_mut().unwrap().remove("notes");
        let Some(FieldMerge::Merged(merged)) = merge(&base(), &held, &sent) else { panic!("merged") };
        assert_eq!(merged["id_number"], json!("110101201605010029"));
        assert!(merged.get("notes").is_none());
    }

    #[test]
    fn the_fields_two_versions_differ_in_are_named_once() {
        let mut other = base();
        other["school"] = json!("城关中学");
        other["revision"] = json!(5);
        other.as_object_mut().unwrap().insert("id_number".into(), json!("x"));
        assert_eq!(differing_fields(&base(), &other), ["school", "id_number"]);
        assert!(differing_fields(&base(), &base()).is_empty());
        assert!(differing_fields(&json!(1), &base()).is_empty());
    }

    #[test]
    fn nothing_changed_on_the_sent_side_gives_the_held_record() {
        let mut held = base();
        held["school"] = json!("城关中学");
        let mut sent = base();
        sent["updated_at"] = json!("2026-12-01T08:00:00+08:00");
        assert_eq!(merge(&base(), &held, &sent), Some(FieldMerge::Merged(held.clone())));
        assert_eq!(merge(&json!([1]), &held, &sent), None, "not records");
    }
}
