//! One visit, whole, for a worker's phone that receives it (core's [`ReadScope`]): the
//! changes feed sends a phone visit summaries, and the full answers of one come on demand.

use sqlx::{AnyPool, AssertSqlSafe};
use tongxing_core::read_scope::ReadScope;
use tongxing_core::worker::Place;
use tongxing_core::Visit;
use uuid::Uuid;

use super::rows::parse_body;
use crate::store::db::Flag;
use crate::store::db::StorageError;
use crate::store::records::{PAIRINGS, VISITS};

/// The visit `id` as it now stands, if a phone of `scope` receives it (its place is hers,
/// and for a love mother or volunteer its child is paired with her now); `None` for a visit
/// that does not exist and for one she may not read alike.
pub async fn visit_for_phone(pool: &AnyPool, scope: &ReadScope, id: Uuid) -> Result<Option<Visit>, StorageError> {
    if !scope.is_a_feed() {
        return Ok(None);
    }
    let worker = match scope {
        ReadScope::Paired { worker, .. } => worker.to_string(),
        ReadScope::Village(_) | ReadScope::Township(_) | ReadScope::County => String::new(),
    };
    let row: Option<(String, String, String, Flag)> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT v.body, v.scope_township, v.scope_village, \
         EXISTS (SELECT 1 FROM {pairings} AS p WHERE p.child_id = v.child_id AND p.active = 1 AND p.worker_id = $1) \
         FROM {visits} AS v WHERE v.id = $2",
        pairings = PAIRINGS.current,
        visits = VISITS.current,
    )))
    .bind(worker)
    .bind(id.to_string())
    .fetch_optional(pool)
    .await?;
    let Some((body, township, village, paired_with_her)) = row else { return Ok(None) };
    if !scope.receives(&Place { township, village }, paired_with_her.0) {
        return Ok(None);
    }
    parse_body(&body, VISITS.kind).map(Some)
}
