//! A page of a selection: what a supervisor's list shows.

use sqlx::AnyPool;
use tongxing_core::wire::ListFilter;
use tongxing_core::wire::Page;

use super::rows::{ChildColumns, ChildRow, VisitColumns, VisitRow};
use super::selection::Selection;
use super::sql::{self, Order, Select};
use crate::store::db::{self, StorageError};

/// A page of the visits `selection` takes, the latest visit date first.
pub async fn visit_page(
    pool: &AnyPool,
    selection: &Selection,
    page: &ListFilter,
) -> Result<Page<VisitRow>, StorageError> {
    let total: i64 = sql::visits(selection, Select::Count, Order::None).build_query_scalar()?.fetch_one(pool).await?;
    let mut query = sql::visits(selection, Select::Rows, Order::LatestFirst);
    sql::push_page(&mut query, page.per_page(), page.offset());
    let rows: Vec<VisitColumns> = query.build_query_as()?.fetch_all(pool).await?;
    let items = rows.into_iter().map(VisitRow::try_from).collect::<Result<_, _>>()?;
    Ok(Page { items, page: page.page(), per_page: page.per_page(), total: db::count(total, || "visits".into())? })
}

/// A page of the children's files `selection` takes, by village then name.
pub async fn child_page(
    pool: &AnyPool,
    selection: &Selection,
    page: &ListFilter,
) -> Result<Page<ChildRow>, StorageError> {
    let total: i64 = sql::children(selection, Select::Count, Order::None).build_query_scalar()?.fetch_one(pool).await?;
    let mut query = sql::children(selection, Select::Rows, Order::ByPlace);
    sql::push_page(&mut query, page.per_page(), page.offset());
    let rows: Vec<ChildColumns> = query.build_query_as()?.fetch_all(pool).await?;
    let items = rows.into_iter().map(ChildRow::try_from).collect::<Result<_, _>>()?;
    Ok(Page { items, page: page.page(), per_page: page.per_page(), total: db::count(total, || "children".into())? })
}
