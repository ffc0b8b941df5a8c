//! Case plans as the server holds them: one by id (to check a new revision's approval), a
//! child's (her file), and a township's (the supervisor's "today").

use sqlx::{AnyPool, AssertSqlSafe};
use tongxing_core::case_plan::CasePlan;
use tongxing_core::supervision::VillagePlan;
use uuid::Uuid;

use super::rows::parse_body;
use crate::store::db::StorageError;
use crate::store::records::CASE_PLANS;

/// The current revision of the plan `id`, if the server holds it.
pub async fn held_case_plan(pool: &AnyPool, id: Uuid) -> Result<Option<CasePlan>, StorageError> {
    let body: Option<String> =
        sqlx::query_scalar(AssertSqlSafe(format!("SELECT body FROM {} WHERE id = $1", CASE_PLANS.current)))
            .bind(id.to_string())
            .fetch_optional(pool)
            .await?;
    body.map(|body| parse_body(&body, CASE_PLANS.kind)).transpose()
}

/// The plans of the child `child`, open and closed, the newest first.
pub async fn case_plans_of_child(pool: &AnyPool, child: Uuid) -> Result<Vec<CasePlan>, StorageError> {
    let bodies: Vec<String> = sqlx::query_scalar(AssertSqlSafe(format!(
        "SELECT body FROM {} WHERE child_id = $1 ORDER BY updated_at DESC, id",
        CASE_PLANS.current
    )))
    .bind(child.to_string())
    .fetch_all(pool)
    .await?;
    bodies.iter().map(|body| parse_body(body, CASE_PLANS.kind)).collect()
}

/// Every plan of `township`, open and closed, each with its village.
pub async fn case_plans_in_township(pool: &AnyPool, township: &str) -> Result<Vec<VillagePlan>, StorageError> {
    let rows: Vec<(String, String)> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT scope_village, body FROM {} WHERE scope_township = $1 ORDER BY id",
        CASE_PLANS.current
    )))
    .bind(township)
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|(village, body)| Ok(VillagePlan { village, plan: parse_body(&body, CASE_PLANS.kind)? }))
        .collect()
}
