//! Every record of a selection, one at a time, for an export: read from one statement (one
//! consistent snapshot of the database) and handed on as it comes, so that no export holds
//! every record in memory.

use futures_util::TryStreamExt;
use sqlx::any::AnyRow;
use sqlx::AnyPool;
use tokio::sync::mpsc;

use super::rows::{CasePlanColumns, CasePlanRow, ChildColumns, ChildRow, VisitColumns, VisitRow};
use super::selection::Selection;
use super::sql::{self, Order, Select};
use crate::store::db::StorageError;
use crate::store::statement::Statement;

/// Sends each visit `selection` takes to `rows`, by place then visit date, and returns how
/// many it sent. Stops early, without an error, when nobody receives any more.
pub async fn each_visit(
    pool: &AnyPool,
    selection: &Selection,
    rows: mpsc::Sender<VisitRow>,
) -> Result<usize, StorageError> {
    send_rows::<VisitColumns, _>(pool, sql::visits(selection, Select::Rows, Order::ByPlace), rows).await
}

/// Sends each child's file `selection` takes to `rows`, by place then name, and returns how
/// many it sent. Stops early, without an error, when nobody receives any more.
pub async fn each_child(
    pool: &AnyPool,
    selection: &Selection,
    rows: mpsc::Sender<ChildRow>,
) -> Result<usize, StorageError> {
    send_rows::<ChildColumns, _>(pool, sql::children(selection, Select::Rows, Order::ByPlace), rows).await
}

/// Sends each case plan `selection` takes to `rows`, by place then child's name, and returns
/// how many it sent. Stops early, without an error, when nobody receives any more.
pub async fn each_case_plan(
    pool: &AnyPool,
    selection: &Selection,
    rows: mpsc::Sender<CasePlanRow>,
) -> Result<usize, StorageError> {
    send_rows::<CasePlanColumns, _>(pool, sql::case_plans(selection, Order::ByPlace), rows).await
}

/// Runs `query` and sends each row it gives, made into `R`, to `rows`.
async fn send_rows<C, R>(pool: &AnyPool, query: Statement, rows: mpsc::Sender<R>) -> Result<usize, StorageError>
where
    C: for<'r> sqlx::FromRow<'r, AnyRow> + Send + Unpin,
    R: TryFrom<C, Error = StorageError>,
{
    let mut stream = query.build_query_as::<C>()?.fetch(pool);
    let mut sent = 0;
    while let Some(row) = stream.try_next().await? {
        if rows.send(R::try_from(row)?).await.is_err() {
            break;
        }
        sent += 1;
    }
    Ok(sent)
}

/// The forms (id, version) the visits `selection` takes answered: a sheet's columns are
/// known before its first row.
pub async fn visit_forms(pool: &AnyPool, selection: &Selection) -> Result<Vec<(String, u32)>, StorageError> {
    let forms: Vec<(String, i64)> =
        sql::visits(selection, Select::Forms, Order::None).build_query_as()?.fetch_all(pool).await?;
    Ok(forms.into_iter().filter_map(|(id, version)| Some((id, u32::try_from(version).ok()?))).collect())
}

/// The most guardians one child's file `selection` takes names: how many guardians' columns
/// a sheet has.
pub async fn most_guardians(pool: &AnyPool, selection: &Selection) -> Result<usize, StorageError> {
    let most: i64 =
        sql::children(selection, Select::MostGuardians, Order::None).build_query_scalar()?.fetch_one(pool).await?;
    Ok(usize::try_from(most).unwrap_or(0))
}

/// Every visit `selection` takes, in memory: only for a selection known to be small (one
/// child's visits, for the child's archive).
pub async fn visits_of_one_child(pool: &AnyPool, selection: &Selection) -> Result<Vec<VisitRow>, StorageError> {
    let rows: Vec<VisitColumns> =
        sql::visits(selection, Select::Rows, Order::ByPlace).build_query_as()?.fetch_all(pool).await?;
    rows.into_iter().map(VisitRow::try_from).collect()
}

/// Every case plan `selection` takes (its newest revisions, or every revision), in memory:
/// only for a selection known to be small (one child, for the child's archive).
pub async fn case_plans_of_one_child(pool: &AnyPool, selection: &Selection) -> Result<Vec<CasePlanRow>, StorageError> {
    let rows: Vec<CasePlanColumns> =
        sql::case_plans(selection, Order::ByPlace).build_query_as()?.fetch_all(pool).await?;
    rows.into_iter().map(CasePlanRow::try_from).collect()
}

/// Every revision of a child's file `selection` takes, in memory: only for a selection known
/// to be small (one child, for the child's archive).
pub async fn files_of_one_child(pool: &AnyPool, selection: &Selection) -> Result<Vec<ChildRow>, StorageError> {
    let rows: Vec<ChildColumns> =
        sql::children(selection, Select::Rows, Order::ByPlace).build_query_as()?.fetch_all(pool).await?;
    rows.into_iter().map(ChildRow::try_from).collect()
}
