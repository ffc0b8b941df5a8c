//! A statement put together piece by piece (a read's filters, a list of ids), its values
//! bound as `$1`, `$2`…, which SQLite and PostgreSQL both read.
//!
//! sqlx's own `QueryBuilder` would do, but for the `Any` driver it writes every placeholder
//! as `?`, which PostgreSQL does not read; this one numbers them.

use std::fmt::Write;

use sqlx::any::{AnyArguments, AnyRow};
use sqlx::error::BoxDynError;
use sqlx::query::{Query, QueryAs, QueryScalar};
use sqlx::{Any, Arguments, AssertSqlSafe, Encode, FromRow, Type};

use crate::store::db::StorageError;

/// The text of a statement and the values bound so far.
#[derive(Default)]
pub struct Statement {
    text: String,
    arguments: AnyArguments,
    /// The first value that could not be bound, reported when the statement runs.
    bad_value: Option<BoxDynError>,
}

impl Statement {
    /// A statement beginning with `text`.
    pub fn new(text: impl Into<String>) -> Statement {
        Statement { text: text.into(), ..Statement::default() }
    }

    /// Adds SQL text (never a value from outside: those are [`Statement::push_bind`]).
    pub fn push(&mut self, text: impl std::fmt::Display) -> &mut Statement {
        // Writing to a String does not fail.
        let _ = write!(self.text, "{text}");
        self
    }

    /// Binds `value` at this point of the text.
    pub fn push_bind<'t, T: Encode<'t, Any> + Type<Any>>(&mut self, value: T) -> &mut Statement {
        if let Err(error) = self.arguments.add(value) {
            self.bad_value.get_or_insert(error);
        }
        let _ = write!(self.text, "${}", self.arguments.len());
        self
    }

    /// Binds each of `values`, `separator` between them (`IN (…)`).
    pub fn push_binds<'t, T: Encode<'t, Any> + Type<Any>>(
        &mut self,
        values: impl IntoIterator<Item = T>,
        separator: &str,
    ) -> &mut Statement {
        for (n, value) in values.into_iter().enumerate() {
            if n > 0 {
                self.push(separator);
            }
            self.push_bind(value);
        }
        self
    }

    /// The statement as it reads so far.
    pub fn sql(&self) -> &str {
        &self.text
    }

    /// The statement, to execute; the error of a value that could not be bound.
    pub fn build(self) -> Result<Query<'static, Any, AnyArguments>, StorageError> {
        let (text, arguments) = self.parts()?;
        Ok(sqlx::query_with(AssertSqlSafe(text), arguments))
    }

    /// The statement, its rows read as `O`.
    pub fn build_query_as<O: for<'r> FromRow<'r, AnyRow>>(
        self,
    ) -> Result<QueryAs<'static, Any, O, AnyArguments>, StorageError> {
        let (text, arguments) = self.parts()?;
        Ok(sqlx::query_as_with(AssertSqlSafe(text), arguments))
    }

    /// The statement, the first column of its rows read as `O`.
    pub fn build_query_scalar<O>(self) -> Result<QueryScalar<'static, Any, O, AnyArguments>, StorageError>
    where
        (O,): for<'r> FromRow<'r, AnyRow>,
    {
        let (text, arguments) = self.parts()?;
        Ok(sqlx::query_scalar_with(AssertSqlSafe(text), arguments))
    }

    fn parts(self) -> Result<(String, AnyArguments), StorageError> {
        match self.bad_value {
            None => Ok((self.text, self.arguments)),
            Some(error) => Err(StorageError::Database(sqlx::Error::Encode(error))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_numbered_in_the_order_they_are_bound() {
        let mut statement = Statement::new("SELECT id FROM devices WHERE township = ");
        statement.push_bind("石门镇").push(" AND id IN (").push_binds(["a", "b", "c"], ", ").push(")");
        assert_eq!(statement.sql(), "SELECT id FROM devices WHERE township = $1 AND id IN ($2, $3, $4)");
    }

    #[tokio::test]
    async fn a_built_statement_reads_its_values_back() {
        let dir = tempfile::tempdir().unwrap();
        let pool = crate::store::db::open_for_test(dir.path()).await.unwrap();
        let mut statement = Statement::new("SELECT ");
        statement.push_bind(41_i64).push(" + 1, ").push_bind("桃源村");
        let (sum, village): (i64, String) = statement.build_query_as().unwrap().fetch_one(&pool).await.unwrap();
        assert_eq!((sum, village.as_str()), (42, "桃源村"));
    }
}
