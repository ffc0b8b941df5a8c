//! The supervisor's list of files that may be of one child: the pairs noted when files were
//! stored ([`crate::store::possible_duplicates`]), both files of her township, the newest
//! found first.

use sqlx::{AnyPool, AssertSqlSafe};
use tongxing_core::child::{Child, DuplicateReason};
use tongxing_core::wire::{DuplicateFile, PossibleDuplicate};

use super::rows::parse_body;
use super::sql::first_sender;
use crate::store::db::StorageError;
use crate::store::records::CHILDREN;

/// The pairs, each with its first file `a` and its second `b`.
pub(super) const PAIRS: &str = "possible_duplicates AS p \
     JOIN children AS a ON a.id = p.first_id JOIN children AS b ON b.id = p.second_id";
/// Both files of the township bound as `$1`.
pub(super) const PAIR_IN_TOWNSHIP: &str = "a.scope_township = $1 AND b.scope_township = $1";

/// The pairs of files of `township` that may be of one child.
pub async fn possible_duplicates(pool: &AnyPool, township: &str) -> Result<Vec<PossibleDuplicate>, StorageError> {
    // Both files are of the township, so both have their place (sent by an enrolled phone).
    let sql = format!(
        "SELECT p.reason, a.body, a.scope_village, da.name, b.body, b.scope_village, db.name \
         FROM {PAIRS} \
         LEFT JOIN devices AS da ON da.id = {a_sender} LEFT JOIN devices AS db ON db.id = {b_sender} \
         WHERE {PAIR_IN_TOWNSHIP} ORDER BY p.found_at DESC, p.first_id, p.second_id",
        a_sender = first_sender(CHILDREN.revisions, "a"),
        b_sender = first_sender(CHILDREN.revisions, "b"),
    );
    type Row = (String, String, String, Option<String>, String, String, Option<String>);
    let rows: Vec<Row> = sqlx::query_as(AssertSqlSafe(sql)).bind(township).fetch_all(pool).await?;
    rows.into_iter()
        .map(|(reason, a, a_village, a_by, b, b_village, b_by)| {
            let reason = DuplicateReason::from_code(&reason)
                .ok_or_else(|| StorageError::Corrupt { what: "a possible duplicate".into(), detail: reason })?;
            let file = |body: &str, village: String, registered_by: Option<String>| {
                parse_body::<Child>(body, CHILDREN.kind).map(|child| DuplicateFile {
                    id: child.id,
                    name: child.name,
                    village,
                    birth_date: child.birth_date,
                    registered_by,
                })
            };
            Ok(PossibleDuplicate { reason, first: file(&a, a_village, a_by)?, second: file(&b, b_village, b_by)? })
        })
        .collect()
}
