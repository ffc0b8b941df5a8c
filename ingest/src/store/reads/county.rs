//! What the county's console is built from: its townships (each read as its supervisor's
//! "today" is, [`super::today_sources`]) and what the statistics count, through the same
//! SQL as every list and export ([`super::sql`]).

use chrono::NaiveDate;
use sqlx::{AnyPool, AssertSqlSafe};
use tongxing_core::child::ChildCategory;
use tongxing_core::form::field_ids::POLICIES_LINKED;
use tongxing_core::form::standard_home_visit;
use tongxing_core::record_filter::RecordFilter;
use tongxing_core::supervision::{first_month, StatisticsChild, StatisticsSources, StatisticsVisit, StatisticsWorker};
use tongxing_core::worker::Role;
use tongxing_core::Lang;

use super::selection::Selection;
use super::sql::{self, Order, Select};
use super::today::{child_status, StatusColumns};
use crate::store::db::Flag;
use crate::store::db::StorageError;
use crate::store::records::{CHILDREN, VISITS};
use crate::store::workers;

/// Every township of the county, by name: those of the children's files and visits kept
/// for a place, and those of the phones that joined for one.
pub async fn townships(pool: &AnyPool) -> Result<Vec<String>, StorageError> {
    let names: Vec<String> = sqlx::query_scalar(AssertSqlSafe(format!(
        "SELECT scope_township FROM {children} WHERE scope_township <> '' AND merged_into IS NULL \
         UNION SELECT scope_township FROM {visits} WHERE scope_township <> '' \
         UNION SELECT township FROM devices WHERE township <> '' AND role <> $1 \
         ORDER BY 1",
        children = CHILDREN.current,
        visits = VISITS.current,
    )))
    .bind(Role::County.code())
    .fetch_all(pool)
    .await?;
    Ok(names)
}

/// Every child's file of the county (not merged), the visits dated from the first month
/// counted to `today` with the form's policies, and the field workers (phones not revoked)
/// with their certification.
pub async fn statistics_sources(pool: &AnyPool, today: NaiveDate) -> Result<StatisticsSources, StorageError> {
    type ChildRow = (String, String, String, Option<String>, String, Option<String>, Option<String>, Option<String>);
    let rows: Vec<ChildRow> =
        sql::children(&Selection::all(), Select::Statistics, Order::None).build_query_as()?.fetch_all(pool).await?;
    let children = rows
        .into_iter()
        .map(|(id, name, township, categories, birth_date, colour, visit_date, next_visit)| {
            let codes: Vec<String> = match categories {
                Some(json) => serde_json::from_str(&json).map_err(|e| StorageError::Corrupt {
                    what: format!("child {id} categories"),
                    detail: e.to_string(),
                })?,
                None => Vec::new(),
            };
            Ok(StatisticsChild {
                township,
                categories: codes.iter().filter_map(|code| ChildCategory::from_code(code)).collect(),
                status: child_status(StatusColumns { id, name, birth_date, colour, visit_date, next_visit })?,
            })
        })
        .collect::<Result<Vec<_>, StorageError>>()?;

    let months = RecordFilter { from: Some(first_month(today)), to: Some(today), ..RecordFilter::default() };
    let selection = Selection { records: months, ..Selection::all() };
    let rows: Vec<(String, Flag, Option<String>)> =
        sql::visits(&selection, Select::Statistics, Order::None).build_query_as()?.fetch_all(pool).await?;
    let visits = rows
        .into_iter()
        .filter_map(|(visit_date, mandatory_report, policies)| {
            let visit_date = visit_date.parse::<NaiveDate>().ok()?;
            // An answer that is not a list of codes links nothing.
            let policies =
                policies.and_then(|json| serde_json::from_str::<Vec<String>>(&json).ok()).unwrap_or_default();
            Some(StatisticsVisit { visit_date, mandatory_report: mandatory_report.0, policies })
        })
        .collect();

    let form = standard_home_visit();
    let policies = form
        .field(POLICIES_LINKED)
        .map(|field| {
            field
                .kind
                .choices()
                .iter()
                .map(|choice| {
                    (
                        choice.code.clone(),
                        choice.label.get(Lang::ZhCn).to_owned(),
                        choice.label.get(Lang::En).to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let workers = workers::devices::list_in_township(pool, None)
        .await?
        .into_iter()
        .filter(|phone| !phone.revoked && phone.role.sends_records())
        .map(|phone| StatisticsWorker { township: phone.township, certified: phone.certification.is_certified() })
        .collect();
    Ok(StatisticsSources { children, visits, policies, workers })
}
