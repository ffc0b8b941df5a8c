//! The two kinds of record Tongxing keeps: home visits and children's files. One list, for
//! the outbox's keys, the server's paths, exports and the names of downloads.

use serde::{Deserialize, Serialize};

use crate::Lang;

/// A kind of record. Stored on phones (outbox keys) as `visit` and `child`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    Visit,
    Child,
}

impl RecordKind {
    /// Every kind.
    pub const ALL: [RecordKind; 2] = [RecordKind::Visit, RecordKind::Child];

    /// One record's name, as the outbox keys it: `visit`, `child`.
    pub fn code(self) -> &'static str {
        match self {
            RecordKind::Visit => "visit",
            RecordKind::Child => "child",
        }
    }

    /// The records' name in paths, on the command line and in the audit log: `visits`,
    /// `children`.
    pub fn collection(self) -> &'static str {
        match self {
            RecordKind::Visit => "visits",
            RecordKind::Child => "children",
        }
    }

    /// The kind a path or a flag names by its [`collection`](RecordKind::collection).
    pub fn from_collection(text: &str) -> Option<RecordKind> {
        RecordKind::ALL.into_iter().find(|kind| kind.collection() == text)
    }

    /// The records' name for people, as the exported sheets are named.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            RecordKind::Visit => lang.pick("走访记录", "visits"),
            RecordKind::Child => lang.pick("儿童信息", "children"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_reads_back_from_its_collection_and_its_code() {
        for kind in RecordKind::ALL {
            assert_eq!(RecordKind::from_collection(kind.collection()), Some(kind));
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.code()), "the outbox keeps this on phones");
        }
        assert_eq!(RecordKind::from_collection("photos"), None);
        assert_eq!(RecordKind::Child.label(Lang::ZhCn), "儿童信息");
    }
}
