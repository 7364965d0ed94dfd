// What the shared SQL modules have in common (see mod.rs for how this folder is
// compiled into each backend).

use super::Db;
use orgwork_store::{Result, StoreError};

pub type Conn = <Db as sqlx::Database>::Connection;

/// Store keys written into a statement's text as an `IN (…)` list (integers from the database
/// or the run, never user text).
/// A page of a list read with one row more than `limit`: the extra row says there is a next
/// page, whose cursor is `key` of the page's last item.
pub fn paged<T>(mut items: Vec<T>, limit: u32, key: impl Fn(&T) -> String) -> orgwork_store::Paged<T> {
    let next = if items.len() > limit as usize {
        items.truncate(limit as usize);
        items.last().map(key)
    } else {
        None
    };
    orgwork_store::Paged { items, next }
}

/// A cursor that is a row's number (the audit log's `seq`); `None` for the first page.
pub fn number_cursor(after: Option<&str>) -> Result<Option<i64>> {
    after
        .map(|c| {
            c.parse().map_err(|_| {
                StoreError::from(orgwork_domain::Error::invalid(
                    "invalid_cursor",
                    format!("after: '{c}' is not a cursor of this list"),
                ))
            })
        })
        .transpose()
}

pub fn id_list(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

impl super::Backend {
    /// Commits a write transaction, then moves the read cache's generation (see
    /// `orgwork_store::cache`): every write of the store ends here.
    /// Refuses a write dated past the profile's horizon (`horizon_years` from today): a change
    /// dated far ahead would block every later change of its record. The web layer checks it
    /// first; this holds for every caller, the command line too.
    pub(crate) fn horizon(&self, field: &str, day: chrono::NaiveDate) -> Result<()> {
        let today = chrono::Local::now().date_naive();
        Ok(orgwork_domain::date::check_horizon(field, day, today, self.profile.horizon_years)?)
    }

    pub(crate) async fn commit(&self, mut tx: sqlx::Transaction<'static, Db>) -> Result<()> {
        if let Some(key) = self.audit_key.get() {
            super::audit::sign_head(&mut tx, key).await?;
        }
        tx.commit().await.db()?;
        self.cache.committed();
        Ok(())
    }

    /// The read cache's generation, to take before reading what will be shelved under it;
    /// compares the audit log's head first when it is due (another process may have written).
    /// The answer shelved for `key`, or `read`'s (awaited only then), shelved under the
    /// generation taken before it ran; `read`'s alone when the cache is off.
    pub(crate) async fn through_cache<K, V>(
        &self,
        shelf: &orgwork_store::cache::Shelf<K, V>,
        key: K,
        read: impl std::future::Future<Output = Result<V>> + Send,
    ) -> Result<V>
    where
        K: Eq + std::hash::Hash + Send,
        V: Clone + Send,
    {
        let Some(generation) = self.generation().await? else { return read.await };
        if let Some(value) = shelf.get(generation, &key) {
            return Ok(value);
        }
        let value = read.await?;
        shelf.put(generation, key, value.clone());
        Ok(value)
    }

    /// `None` when the cache is off.
    pub(crate) async fn generation(&self) -> Result<Option<u64>> {
        if !self.cache.enabled() {
            return Ok(None);
        }
        if self.cache.begin_check() {
            let head: std::result::Result<Option<i64>, sqlx::Error> =
                sqlx::query_scalar("SELECT MAX(seq) FROM audit_log").fetch_one(self.reader()).await;
            match head {
                Ok(head) => self.cache.observe_head(head.unwrap_or(0)),
                Err(e) => {
                    self.cache.check_failed();
                    return Err(from_db(e));
                }
            }
        }
        Ok(Some(self.cache.generation()))
    }
}

/// `.db()?` turns a database error into a `StoreError` (`from_db`).
pub trait DbResult<T> {
    fn db(self) -> Result<T>;
}

impl<T> DbResult<T> for std::result::Result<T, sqlx::Error> {
    fn db(self) -> Result<T> {
        self.map_err(from_db)
    }
}

/// A database error as the store reports it: the violations of a constraint that a user's
/// input can reach (two writes taking one number at once; a period that would end on or before
/// the day it began) become the domain's errors, a 409 or a 422 that says why; every other
/// error is kept whole as `StoreError::Database`, its kind and source intact. Both backends'
/// forms are read: PostgreSQL names the constraint, SQLite its table and column or its text.
pub fn from_db(e: sqlx::Error) -> StoreError {
    use orgwork_domain::Error;
    use sqlx::error::ErrorKind;
    if let Some(d) = e.as_database_error() {
        let said = format!("{} {}", d.constraint().unwrap_or(""), d.message());
        match d.kind() {
            ErrorKind::UniqueViolation => {
                for (column, field) in [("card_number", "card_number"), ("national_id", "national_id")] {
                    if said.contains(column) {
                        let message = format!("{field}: held by another member already");
                        return Error::conflict("duplicate_member", message).into();
                    }
                }
            }
            ErrorKind::CheckViolation if said.contains("valid_to") || said.contains("_check") => {
                return Error::rule(
                    "empty_period",
                    "the change would end a period on or before the day it began: choose a later date",
                )
                .into();
            }
            _ => {}
        }
    }
    StoreError::Database(Box::new(e))
}

/// The type of a column fed from JSON rows (see `json_rows`).
#[derive(Clone, Copy)]
pub enum JsonCol {
    Int,
    /// A floating-point number.
    Real,
    Text,
    Date,
    /// Bytes written as hexadecimal text.
    Hex,
    /// A JSON `true` or `false` (SQLite keeps 1 or 0).
    Bool,
}

/// `SELECT <columns> FROM <the rows of the JSON array bound as $1>`: each row a JSON array of
/// the columns in order. Bulk writes bind one text per few thousand rows instead of one
/// parameter per value, whose cost in the driver grows faster than the rows (measured: the
/// binding was the largest single cost of an import).
pub fn json_rows(cols: &[JsonCol]) -> String {
    let exprs: Vec<String> = cols.iter().enumerate().map(|(k, c)| super::dialect::json_value(*c, k)).collect();
    format!("SELECT {} FROM {}", exprs.join(", "), super::dialect::JSON_ROWS_FROM)
}

/// The names of a bulk write's columns, for its statement (`insert_rows`).
pub fn column_list(columns: &[(&str, JsonCol)]) -> String {
    columns.iter().map(|(name, _)| *name).collect::<Vec<_>>().join(", ")
}

/// A value bound to `read_rows`' statement.
pub enum Arg {
    Date(chrono::NaiveDate),
    Text(String),
}

/// The rows of `select` (whose result columns are `columns`, by name, in `T`'s order), with
/// `args` bound as $1, $2…; their order is not kept (sort them after). Where the dialect says so
/// (`dialect::ROWS_AS_JSON`, SQLite) they cross the driver as one JSON text
/// (`json_group_array`), decoded here; elsewhere they are read as rows.
pub async fn read_rows<T>(conn: &mut Conn, select: &str, columns: &[&str], args: &[Arg]) -> Result<Vec<T>>
where
    T: serde::de::DeserializeOwned + for<'r> sqlx::FromRow<'r, <Db as sqlx::Database>::Row> + Send + Unpin,
{
    if !super::dialect::ROWS_AS_JSON {
        return bind(sqlx::query_as::<_, T>(sqlx::AssertSqlSafe(select.to_string())), args)
            .fetch_all(&mut *conn)
            .await
            .db();
    }
    let columns = columns.iter().map(|c| format!("rows.{c}")).collect::<Vec<_>>().join(", ");
    let sql = format!("SELECT json_group_array(json_array({columns})) FROM ({select}) AS rows");
    let (text,): (String,) = bind(sqlx::query_as(sqlx::AssertSqlSafe(sql)), args).fetch_one(&mut *conn).await.db()?;
    serde_json::from_str(&text).map_err(|e| StoreError::Backend(format!("rows read as JSON: {e}")))
}

/// `args` bound to `query` in order.
fn bind<'q, O>(
    mut query: sqlx::query::QueryAs<'q, Db, O, <Db as sqlx::Database>::Arguments>,
    args: &'q [Arg],
) -> sqlx::query::QueryAs<'q, Db, O, <Db as sqlx::Database>::Arguments> {
    for a in args {
        query = match a {
            Arg::Date(d) => query.bind(*d),
            Arg::Text(t) => query.bind(t.as_str()),
        };
    }
    query
}

/// Runs each of `statements` (a backend's fixed list, such as `BULK_DROP`) in order.
pub async fn execute_all(conn: &mut Conn, statements: &[&str]) -> Result<()> {
    for statement in statements {
        sqlx::query(sqlx::AssertSqlSafe(*statement)).execute(&mut *conn).await.db()?;
    }
    Ok(())
}
