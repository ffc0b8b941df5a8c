//! The workers a director may pair with a child of her village (结对): the enrolled phones
//! of its love mothers and volunteers (core's [`Role::PAIRED`]), not revoked. One `WHERE`
//! for the check of a pairing sent, the director's list, and the names the changes feed
//! gives the workers its pairings name.

use sqlx::AnyPool;
use tongxing_core::wire::VillageWorker;
use tongxing_core::worker::{Place, Role, UnknownRole};
use uuid::Uuid;

use crate::store::db::StorageError;
use crate::store::statement::Statement;

/// `SELECT id, name, role FROM devices WHERE` a pairable phone of `place`.
fn pairable_in(place: &Place) -> Statement {
    let mut sql = Statement::new("SELECT id, name, role FROM devices WHERE revoked_at IS NULL AND township = ");
    sql.push_bind(&place.township).push(" AND village = ").push_bind(&place.village).push(" AND role IN (");
    sql.push_binds(Role::PAIRED.iter().map(|role| role.code()), ", ").push(")");
    sql
}

/// Whether `worker` may be paired with a child of `place`: an enrolled love mother's or
/// volunteer's phone of that village, not revoked.
pub async fn pairable(pool: &AnyPool, worker: Uuid, place: &Place) -> Result<bool, StorageError> {
    let mut sql = pairable_in(place);
    sql.push(" AND id = ").push_bind(worker.to_string());
    let found: Option<(String, String, String)> = sql.build_query_as()?.fetch_optional(pool).await?;
    Ok(found.is_some())
}

/// The love mothers and volunteers of `place` a director may pair, by name: her phone's
/// id, her name as she joined and her role; nothing else.
pub async fn pairable_workers(pool: &AnyPool, place: &Place) -> Result<Vec<VillageWorker>, StorageError> {
    let mut sql = pairable_in(place);
    sql.push(" ORDER BY name, enrolled_at, id");
    let rows: Vec<(String, String, String)> = sql.build_query_as()?.fetch_all(pool).await?;
    rows.into_iter().map(village_worker).collect()
}

/// The workers `ids` name (those a page of pairings names), as [`pairable_workers`] lists
/// them, revoked or not: a pairing kept with a phone since revoked still shows whose it was.
pub async fn named(pool: &AnyPool, ids: &[Uuid]) -> Result<Vec<VillageWorker>, StorageError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql: Statement = Statement::new("SELECT id, name, role FROM devices WHERE id IN (");
    sql.push_binds(ids.iter().map(Uuid::to_string), ", ").push(") ORDER BY id");
    let rows: Vec<(String, String, String)> = sql.build_query_as()?.fetch_all(pool).await?;
    rows.into_iter().map(village_worker).collect()
}

fn village_worker((id, name, role): (String, String, String)) -> Result<VillageWorker, StorageError> {
    let corrupt = |detail: String| StorageError::Corrupt { what: format!("device {id}"), detail };
    let role: Role = role.parse().map_err(|e: UnknownRole| corrupt(e.to_string()))?;
    let id = Uuid::parse_str(&id).map_err(|e| corrupt(e.to_string()))?;
    Ok(VillageWorker { id, name, role })
}
