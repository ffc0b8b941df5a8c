//! The changes feed's reading side: a page of what a worker's phone receives
//! ([`ReadScope`]) after a cursor, each record as it now stands, in feed order.

use sqlx::AnyPool;
use tongxing_core::child::Child;
use tongxing_core::read_scope::ReadScope;
use tongxing_core::schedule::VisitSummary;
use tongxing_core::wire::{ChangesPage, ChangesQuery, ChildMerge, Registrant, VillageWorker};
use uuid::Uuid;

use super::rows::parse_body;
use super::sql::first_sender;
use crate::store::db::StorageError;
use crate::store::records::{CASE_PLANS, CHILDREN, PAIRINGS, VISITS};
use crate::store::statement::Statement;
use crate::store::workers::pairable;

/// The page of changes after `query`'s cursor that reaches a phone of `scope` (a
/// supervisor's scope reaches nothing: she reads her lists).
pub async fn changes_page(
    pool: &AnyPool,
    scope: &ReadScope,
    query: &ChangesQuery,
) -> Result<ChangesPage, StorageError> {
    let cursor = query.cursor();
    let limit = query.limit();
    let (place, paired_with) = match scope {
        ReadScope::Village(place) => (place, None),
        ReadScope::Paired { worker, place } => (place, Some(worker.to_string())),
        ReadScope::Township(_) | ReadScope::County => {
            return Ok(ChangesPage { next: cursor, ..ChangesPage::default() })
        }
    };
    let mut sql: Statement = Statement::new(format!(
        "SELECT c.seq, c.kind, COALESCE(ch.body, v.body, p.body, cp.body), COALESCE(reg.name, vis.name), \
         ch.merged_into \
         FROM changes AS c \
         LEFT JOIN {children} AS ch ON c.kind = '{child}' AND ch.id = c.record_id \
         LEFT JOIN devices AS reg ON c.kind = '{child}' AND reg.id = {registrant} \
         LEFT JOIN {visits} AS v ON c.kind = '{visit}' AND v.id = c.record_id \
         LEFT JOIN devices AS vis ON c.kind = '{visit}' AND vis.id = {visitor} \
         LEFT JOIN {pairings} AS p ON c.kind = '{pairing}' AND p.id = c.record_id \
         LEFT JOIN {case_plans} AS cp ON c.kind = '{case_plan}' AND cp.id = c.record_id \
         WHERE c.seq > ",
        case_plans = CASE_PLANS.current,
        case_plan = CASE_PLANS.kind,
        children = CHILDREN.current,
        visits = VISITS.current,
        pairings = PAIRINGS.current,
        child = CHILDREN.kind,
        visit = VISITS.kind,
        pairing = PAIRINGS.kind,
        registrant = first_sender(CHILDREN.revisions, "ch"),
        visitor = first_sender(VISITS.revisions, "v"),
    ));
    sql.push_bind(i64::try_from(cursor).unwrap_or(i64::MAX));
    sql.push(" AND c.scope_township = ").push_bind(&place.township);
    sql.push(" AND c.scope_village = ").push_bind(&place.village);
    if let Some(worker) = &paired_with {
        // Her own pairings, ended ones too (her phone then drops the child); the files and
        // visits of the children paired with her now.
        sql.push(format!(" AND ((c.kind = '{}' AND p.worker_id = ", PAIRINGS.kind)).push_bind(worker);
        sql.push(format!(
            ") OR (c.kind <> '{}' AND c.child_id IN (SELECT child_id FROM {} WHERE active = 1 AND worker_id = ",
            PAIRINGS.kind, PAIRINGS.current
        ))
        .push_bind(worker);
        sql.push(")))");
    }
    sql.push(" ORDER BY c.seq LIMIT ").push_bind(i64::from(limit) + 1);

    type Row = (i64, String, Option<String>, Option<String>, Option<String>);
    let rows: Vec<Row> = sql.build_query_as()?.fetch_all(pool).await?;
    let more = rows.len() > limit as usize;
    let mut page = ChangesPage { next: cursor, more, ..ChangesPage::default() };
    // `made_by`: who first sent the record (registered the file, made the visit).
    for (seq, kind, body, made_by, merged_into) in rows.into_iter().take(limit as usize) {
        let seq = u64::try_from(seq).unwrap_or_default();
        let body = body.ok_or_else(|| StorageError::Corrupt {
            what: format!("change {seq}"),
            detail: format!("no {kind} is held for it"),
        })?;
        match kind.as_str() {
            k if k == CHILDREN.kind => {
                let child: Child = parse_body(&body, k)?;
                match merged_into {
                    // A file merged into another: the phone drops it.
                    Some(into) => {
                        let into = Uuid::parse_str(&into).map_err(|e| StorageError::Corrupt {
                            what: format!("change {seq} merged_into"),
                            detail: e.to_string(),
                        })?;
                        page.merges.push(ChildMerge { from: child.id, into });
                    }
                    None => {
                        if let Some(name) = made_by {
                            page.registrants.push(Registrant { child_id: child.id, name });
                        }
                        page.children.push(child);
                    }
                }
            }
            k if k == VISITS.kind => {
                page.visits.push(VisitSummary { visitor: made_by, ..VisitSummary::of(&parse_body(&body, k)?) })
            }
            k if k == PAIRINGS.kind => page.pairings.push(parse_body(&body, k)?),
            k if k == CASE_PLANS.kind => page.case_plans.push(parse_body(&body, k)?),
            other => {
                return Err(StorageError::Corrupt { what: format!("change {seq}"), detail: format!("kind `{other}`") })
            }
        }
        page.next = seq;
    }
    page.paired_workers = paired_workers(pool, &page).await?;
    Ok(page)
}

/// The workers the page's pairings name, each once, so that a phone shows whom a child is
/// paired with.
async fn paired_workers(pool: &AnyPool, page: &ChangesPage) -> Result<Vec<VillageWorker>, StorageError> {
    let mut ids: Vec<Uuid> = page.pairings.iter().map(|pairing| pairing.worker_id).collect();
    ids.sort();
    ids.dedup();
    pairable::named(pool, &ids).await
}
