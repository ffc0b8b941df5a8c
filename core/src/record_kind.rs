//! The kinds of record Tongxing keeps: home visits, children's files, pairings (结对) and
//! case plans (一人一策一案). One list, for the outbox's keys, the server's paths, exports
//! and the names of downloads. Every kind travels through the outbox; visits, children's
//! files and case plans are listed and exported ([`RecordKind::EXPORTED`]): a pairing says
//! who cares for a child, not what a visit found, and a supervisor reads it on the child's
//! file.

use serde::{Deserialize, Serialize};

use crate::Lang;

/// A kind of record. Stored on phones (outbox keys) as `visit`, `child`, `pairing` and
/// `case_plan`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    Visit,
    Child,
    Pairing,
    CasePlan,
}

impl RecordKind {
    /// Every kind.
    pub const ALL: [RecordKind; 4] = [RecordKind::Visit, RecordKind::Child, RecordKind::Pairing, RecordKind::CasePlan];

    /// The kinds a township lists and exports (`GET /api/v1/exports/{what}`): not pairings.
    pub const EXPORTED: [RecordKind; 3] = [RecordKind::Visit, RecordKind::Child, RecordKind::CasePlan];

    /// One record's name, as the outbox keys it: `visit`, `child`, `pairing`.
    pub fn code(self) -> &'static str {
        match self {
            RecordKind::Visit => "visit",
            RecordKind::Child => "child",
            RecordKind::Pairing => "pairing",
            RecordKind::CasePlan => "case_plan",
        }
    }

    /// The records' name in paths, on the command line and in the audit log: `visits`,
    /// `children`, `pairings`, `case-plans`.
    pub fn collection(self) -> &'static str {
        match self {
            RecordKind::Visit => "visits",
            RecordKind::Child => "children",
            RecordKind::Pairing => "pairings",
            RecordKind::CasePlan => "case-plans",
        }
    }

    /// Whether records of this kind are listed and exported ([`RecordKind::EXPORTED`]).
    pub fn is_exported(self) -> bool {
        RecordKind::EXPORTED.contains(&self)
    }

    /// The exported kind a path or a flag names by its [`collection`](RecordKind::collection);
    /// `None` for anything else, pairings included.
    pub fn exported_from_collection(text: &str) -> Option<RecordKind> {
        RecordKind::EXPORTED.into_iter().find(|kind| kind.collection() == text)
    }

    /// The records' name for people, as the exported sheets are named.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            RecordKind::Visit => lang.pick("走访记录", "visits"),
            RecordKind::Child => lang.pick("儿童信息", "children"),
            RecordKind::Pairing => lang.pick("结对", "pairings"),
            RecordKind::CasePlan => lang.pick("帮扶计划", "case plans"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_reads_back_from_its_collection_and_its_code() {
        for kind in RecordKind::ALL {
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.code()), "the outbox keeps this on phones");
        }
        for kind in RecordKind::EXPORTED {
            assert_eq!(RecordKind::exported_from_collection(kind.collection()), Some(kind));
        }
        assert_eq!(RecordKind::exported_from_collection("photos"), None);
        assert_eq!(RecordKind::Child.label(Lang::ZhCn), "儿童信息");
    }

    #[test]
    fn pairings_travel_but_are_neither_listed_nor_exported() {
        assert!(RecordKind::ALL.contains(&RecordKind::Pairing));
        assert!(!RecordKind::Pairing.is_exported());
        assert!(RecordKind::Visit.is_exported() && RecordKind::Child.is_exported());
        assert!(RecordKind::CasePlan.is_exported(), "case plans are a sheet of their own");
        assert_eq!(RecordKind::exported_from_collection("pairings"), None, "no export of pairings");
    }
}
