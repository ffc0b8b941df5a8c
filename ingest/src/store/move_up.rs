//! Moving a county's records up into a province's PostgreSQL (`tongxing-ingest migrate-to`):
//! every table the PostgreSQL schema has, copied row by row from the county's SQLite with
//! its ids, revisions, sequence numbers and audit history as they are, then checked by a
//! count and a digest of its rows on both sides.
//!
//! It can run again and again (after a cut, or once more after the county's server stopped,
//! for what came meanwhile): a row already there is brought up to date by its primary key,
//! a row the county no longer has (removed by the retention or a cleanup since the last
//! copy) is removed, and a table whose digest already matches is not copied at all. A
//! province database holding rows of another county fails the check, and says which table.
//!
//! Uploads in pieces under way (`photo_uploads`) are not moved: their bytes stay in the
//! county's folder, and a phone asking the province about one is told `absent` and sends
//! the photo again.

use std::collections::{HashMap, HashSet};

use futures_util::TryStreamExt;
use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;
use sqlx::{AnyPool, AssertSqlSafe, Row};

use crate::store::db::{Engine, StorageError};
use crate::store::statement::Statement;

/// Tables that are not copied: each database's own migrations, and uploads under way.
const NOT_MOVED: [&str; 2] = ["_sqlx_migrations", "photo_uploads"];
/// Rows written in one statement (PostgreSQL takes up to 65,535 values a statement).
const ROWS_PER_STATEMENT: usize = 400;

/// Why the records could not be moved up.
#[derive(Debug, thiserror::Error)]
pub enum MoveUpError {
    #[error("the province's database must be PostgreSQL")]
    NotPostgres,
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error("the table {table} differs after the copy: the county has {source_rows} rows, the province {target_rows}; is the province's database another county's?")]
    Differs { table: String, source_rows: u64, target_rows: u64 },
}

impl From<sqlx::Error> for MoveUpError {
    fn from(error: sqlx::Error) -> MoveUpError {
        MoveUpError::Storage(error.into())
    }
}

/// What moving one table did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableMoved {
    pub table: String,
    /// Its rows, on both sides now.
    pub rows: u64,
    /// Whether its digest matched before anything was copied (a run again).
    pub already_there: bool,
    /// Rows of the province's that the county no longer has, removed.
    pub removed: u64,
}

/// A column as PostgreSQL's schema has it: its name and how its values are read.
#[derive(Debug, Clone)]
struct Column {
    name: String,
    kind: ColumnKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ColumnKind {
    Integer,
    Text,
    Bytes,
}

/// One value of a row, as both engines give it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Value {
    Null,
    Integer(i64),
    Text(String),
    Bytes(Vec<u8>),
}

/// A table to move: its columns and its primary key's.
#[derive(Debug, Clone)]
struct Table {
    name: String,
    columns: Vec<Column>,
    key: Vec<String>,
}

/// The count and digest of a table's rows, whatever their order: the sum of each row's
/// SHA-256, as four 64-bit lanes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Digest256 {
    rows: u64,
    lanes: [u64; 4],
}

impl Digest256 {
    fn add(&mut self, row: &[Value]) {
        let hash = row_hash(row);
        for (lane, chunk) in self.lanes.iter_mut().zip(hash.chunks_exact(8)) {
            let mut bytes = [0; 8];
            bytes.copy_from_slice(chunk);
            *lane = lane.wrapping_add(u64::from_le_bytes(bytes));
        }
        self.rows += 1;
    }
}

/// Copies every table of `target`'s schema from `source` (a county's SQLite) to `target`
/// (PostgreSQL, its schema made already), then checks each; `moved` is told of each table
/// as it is done.
pub async fn move_records(
    source: &AnyPool,
    target: &AnyPool,
    mut moved: impl FnMut(&TableMoved),
) -> Result<Vec<TableMoved>, MoveUpError> {
    if Engine::of_pool(target) != Engine::Postgres {
        return Err(MoveUpError::NotPostgres);
    }
    let tables = tables_in_order(target).await?;
    let mut already_there = HashMap::new();
    let mut copied: Vec<(usize, Copied)> = Vec::new();
    for (at, table) in tables.iter().enumerate() {
        let (source_digest, target_digest) = (digest(source, table).await?, digest(target, table).await?);
        if source_digest == target_digest {
            already_there.insert(at, source_digest.rows);
        } else {
            copied.push((at, copy_rows(source, target, table).await?));
        }
    }
    // Rows are removed children first, so that no reference is left dangling.
    let mut removed = HashMap::new();
    for (at, copy) in copied.iter().rev() {
        removed.insert(*at, remove_rows_not_in(target, &tables[*at], &copy.keys).await?);
    }
    let copied: HashMap<usize, Copied> = copied.into_iter().collect();
    let mut report = Vec::new();
    for (at, table) in tables.iter().enumerate() {
        let done = match (already_there.get(&at), copied.get(&at)) {
            (Some(&rows), _) => TableMoved { table: table.name.clone(), rows, already_there: true, removed: 0 },
            (None, copy) => {
                // The province's rows are now exactly the rows copied: checked against their digest.
                let copied_digest = copy.map_or_else(Digest256::default, |copy| copy.digest);
                let target_digest = digest(target, table).await?;
                if copied_digest != target_digest {
                    return Err(MoveUpError::Differs {
                        table: table.name.clone(),
                        source_rows: copied_digest.rows,
                        target_rows: target_digest.rows,
                    });
                }
                let removed = removed.get(&at).copied().unwrap_or(0);
                TableMoved { table: table.name.clone(), rows: copied_digest.rows, already_there: false, removed }
            }
        };
        moved(&done);
        report.push(done);
    }
    advance_sequences(target).await?;
    Ok(report)
}

/// The tables of `target`'s schema, parents before the tables that refer to them.
async fn tables_in_order(target: &AnyPool) -> Result<Vec<Table>, MoveUpError> {
    let columns: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text, data_type::text FROM information_schema.columns \
         WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position",
    )
    .fetch_all(target)
    .await?;
    let keys: Vec<(String, String)> = sqlx::query_as(
        "SELECT c.relname::text, a.attname::text FROM pg_index AS i \
         JOIN pg_class AS c ON c.oid = i.indrelid \
         JOIN pg_attribute AS a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) \
         JOIN pg_namespace AS n ON n.oid = c.relnamespace \
         WHERE i.indisprimary AND n.nspname = current_schema() ORDER BY c.relname, a.attnum",
    )
    .fetch_all(target)
    .await?;
    let references: Vec<(String, String)> = sqlx::query_as(
        "SELECT c.relname::text, p.relname::text FROM pg_constraint AS k \
         JOIN pg_class AS c ON c.oid = k.conrelid JOIN pg_class AS p ON p.oid = k.confrelid \
         JOIN pg_namespace AS n ON n.oid = c.relnamespace \
         WHERE k.contype = 'f' AND n.nspname = current_schema()",
    )
    .fetch_all(target)
    .await?;

    let mut tables: Vec<Table> = Vec::new();
    for (table, column, data_type) in columns {
        if NOT_MOVED.contains(&table.as_str()) {
            continue;
        }
        let kind = match data_type.as_str() {
            "bigint" | "integer" | "smallint" => ColumnKind::Integer,
            "bytea" => ColumnKind::Bytes,
            _ => ColumnKind::Text,
        };
        match tables.last_mut() {
            Some(last) if last.name == table => last.columns.push(Column { name: column, kind }),
            _ => tables.push(Table { name: table, columns: vec![Column { name: column, kind }], key: Vec::new() }),
        }
    }
    for (table, column) in keys {
        if let Some(table) = tables.iter_mut().find(|t| t.name == table) {
            table.key.push(column);
        }
    }
    // Depth first: a table after every table it refers to.
    let parents: HashMap<&str, Vec<&str>> = references.iter().fold(HashMap::new(), |mut parents, (child, parent)| {
        parents.entry(child.as_str()).or_default().push(parent.as_str());
        parents
    });
    let mut ordered: Vec<Table> = Vec::new();
    let mut placed: HashSet<String> = HashSet::new();
    fn place(
        name: &str,
        tables: &[Table],
        parents: &HashMap<&str, Vec<&str>>,
        placed: &mut HashSet<String>,
        ordered: &mut Vec<Table>,
    ) {
        if !placed.insert(name.to_owned()) {
            return;
        }
        for parent in parents.get(name).into_iter().flatten() {
            if *parent != name {
                place(parent, tables, parents, placed, ordered);
            }
        }
        if let Some(table) = tables.iter().find(|table| table.name == name) {
            ordered.push(table.clone());
        }
    }
    for table in &tables {
        place(&table.name, &tables, &parents, &mut placed, &mut ordered);
    }
    Ok(ordered)
}

/// `SELECT` of every column of `table`, in the schema's order.
fn select_all(table: &Table) -> String {
    let columns: Vec<String> = table.columns.iter().map(|column| quoted(&column.name)).collect();
    format!("SELECT {} FROM {}", columns.join(", "), quoted(&table.name))
}

fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn read_row(row: &AnyRow, table: &Table) -> Result<Vec<Value>, sqlx::Error> {
    table
        .columns
        .iter()
        .enumerate()
        .map(|(n, column)| {
            Ok(match column.kind {
                ColumnKind::Integer => row.try_get::<Option<i64>, _>(n)?.map_or(Value::Null, Value::Integer),
                ColumnKind::Text => row.try_get::<Option<String>, _>(n)?.map_or(Value::Null, Value::Text),
                ColumnKind::Bytes => row.try_get::<Option<Vec<u8>>, _>(n)?.map_or(Value::Null, Value::Bytes),
            })
        })
        .collect()
}

fn row_hash(row: &[Value]) -> [u8; 32] {
    let mut hasher = Sha256::new();
    for value in row {
        match value {
            Value::Null => hasher.update([0]),
            Value::Integer(n) => {
                hasher.update([1]);
                hasher.update(n.to_le_bytes());
            }
            Value::Text(text) => {
                hasher.update([2]);
                hasher.update((text.len() as u64).to_le_bytes());
                hasher.update(text.as_bytes());
            }
            Value::Bytes(bytes) => {
                hasher.update([3]);
                hasher.update((bytes.len() as u64).to_le_bytes());
                hasher.update(bytes);
            }
        }
    }
    hasher.finalize().into()
}

/// The count and digest of `table`'s rows in `pool`.
async fn digest(pool: &AnyPool, table: &Table) -> Result<Digest256, MoveUpError> {
    let select = select_all(table);
    let mut rows = sqlx::query(AssertSqlSafe(select)).fetch(pool);
    let mut digest = Digest256::default();
    while let Some(row) = rows.try_next().await? {
        digest.add(&read_row(&row, table)?);
    }
    Ok(digest)
}

/// The values of `row` that are `table`'s key (all of them when it has no primary key).
fn key_of(table: &Table, row: &[Value]) -> Vec<Value> {
    if table.key.is_empty() {
        return row.to_vec();
    }
    table
        .columns
        .iter()
        .zip(row)
        .filter(|(column, _)| table.key.contains(&column.name))
        .map(|(_, v)| v.clone())
        .collect()
}

/// The rows of a table copied: the hashes of their keys, and their count and digest.
struct Copied {
    keys: HashSet<[u8; 32]>,
    digest: Digest256,
}

/// Writes every row of `table` from `source` to `target`, a row already there brought up to
/// date by its primary key.
async fn copy_rows(source: &AnyPool, target: &AnyPool, table: &Table) -> Result<Copied, MoveUpError> {
    let select = select_all(table);
    let mut rows = sqlx::query(AssertSqlSafe(select)).fetch(source);
    let mut copied = Copied { keys: HashSet::new(), digest: Digest256::default() };
    let mut batch: Vec<Vec<Value>> = Vec::with_capacity(ROWS_PER_STATEMENT);
    while let Some(row) = rows.try_next().await? {
        let row = read_row(&row, table)?;
        copied.keys.insert(row_hash(&key_of(table, &row)));
        copied.digest.add(&row);
        batch.push(row);
        if batch.len() == ROWS_PER_STATEMENT {
            write_rows(target, table, &batch).await?;
            batch.clear();
        }
    }
    if !batch.is_empty() {
        write_rows(target, table, &batch).await?;
    }
    Ok(copied)
}

async fn write_rows(target: &AnyPool, table: &Table, rows: &[Vec<Value>]) -> Result<(), MoveUpError> {
    let names: Vec<String> = table.columns.iter().map(|column| quoted(&column.name)).collect();
    let mut statement = Statement::new(format!("INSERT INTO {} ({}) VALUES ", quoted(&table.name), names.join(", ")));
    for (n, row) in rows.iter().enumerate() {
        statement.push(if n == 0 { "(" } else { ", (" });
        for (m, value) in row.iter().enumerate() {
            if m > 0 {
                statement.push(", ");
            }
            bind(&mut statement, value);
        }
        statement.push(")");
    }
    let others: Vec<String> = table
        .columns
        .iter()
        .filter(|column| !table.key.contains(&column.name))
        .map(|column| format!("{0} = excluded.{0}", quoted(&column.name)))
        .collect();
    if table.key.is_empty() || others.is_empty() {
        statement.push(" ON CONFLICT DO NOTHING");
    } else {
        // Only rows that differ are written: a row the same on both sides is left alone (no
        // update, no trigger: the audit log refuses any update).
        let key: Vec<String> = table.key.iter().map(|column| quoted(column)).collect();
        let (mine, theirs): (Vec<String>, Vec<String>) = table
            .columns
            .iter()
            .filter(|column| !table.key.contains(&column.name))
            .map(|column| {
                (
                    format!("{}.{}", quoted(&table.name), quoted(&column.name)),
                    format!("excluded.{}", quoted(&column.name)),
                )
            })
            .unzip();
        statement.push(format!(
            " ON CONFLICT ({}) DO UPDATE SET {} WHERE ({}) IS DISTINCT FROM ({})",
            key.join(", "),
            others.join(", "),
            mine.join(", "),
            theirs.join(", ")
        ));
    }
    statement.build()?.execute(target).await?;
    Ok(())
}

fn bind(statement: &mut Statement, value: &Value) {
    match value {
        Value::Null => statement.push("NULL"),
        Value::Integer(n) => statement.push_bind(*n),
        Value::Text(text) => statement.push_bind(text.clone()),
        Value::Bytes(bytes) => statement.push_bind(bytes.clone()),
    };
}

/// Removes the rows of `table` in `target` whose key is none of `keys` (the county no longer
/// has them); returns how many.
async fn remove_rows_not_in(target: &AnyPool, table: &Table, keys: &HashSet<[u8; 32]>) -> Result<u64, MoveUpError> {
    let select = select_all(table);
    let stale: Vec<Vec<Value>> = {
        let mut rows = sqlx::query(AssertSqlSafe(select)).fetch(target);
        let mut stale = Vec::new();
        while let Some(row) = rows.try_next().await? {
            let row = read_row(&row, table)?;
            if !keys.contains(&row_hash(&key_of(table, &row))) {
                stale.push(row);
            }
        }
        stale
    };
    for row in &stale {
        let mut statement = Statement::new(format!("DELETE FROM {} WHERE ", quoted(&table.name)));
        let key_columns: Vec<&Column> = if table.key.is_empty() {
            table.columns.iter().collect()
        } else {
            table.columns.iter().filter(|column| table.key.contains(&column.name)).collect()
        };
        for (n, column) in key_columns.iter().enumerate() {
            if n > 0 {
                statement.push(" AND ");
            }
            let value = table.columns.iter().position(|c| c.name == column.name).and_then(|at| row.get(at));
            match value {
                None | Some(Value::Null) => {
                    statement.push(format!("{} IS NULL", quoted(&column.name)));
                }
                Some(value) => {
                    statement.push(format!("{} = ", quoted(&column.name)));
                    bind(&mut statement, value);
                }
            }
        }
        statement.build()?.execute(target).await?;
    }
    Ok(stale.len() as u64)
}

/// Sets each identity column's sequence past the largest value copied, so that the
/// province numbers its next audit entry, change and conflict after the county's.
async fn advance_sequences(target: &AnyPool) -> Result<(), MoveUpError> {
    let identities: Vec<(String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text FROM information_schema.columns \
         WHERE table_schema = current_schema() AND is_identity = 'YES'",
    )
    .fetch_all(target)
    .await?;
    for (table, column) in identities {
        let statement = format!(
            "SELECT setval(pg_get_serial_sequence('{table}', '{column}'), \
             COALESCE((SELECT MAX({c}) FROM {t}), 0) + 1, false)",
            c = quoted(&column),
            t = quoted(&table),
        );
        sqlx::query(AssertSqlSafe(statement)).execute(target).await?;
    }
    Ok(())
}
