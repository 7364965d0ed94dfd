// What the shared SQL modules have in common (see structure.rs for how these files are
// compiled into each backend).

use super::Db;
use orgwork_store::{Result, StoreError};

pub type Conn = <Db as sqlx::Database>::Connection;

/// Store keys written into a statement's text as an `IN (…)` list (integers from the database
/// or the run, never user text).
pub fn id_list(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

impl super::Backend {
    /// Commits a write transaction, then moves the read cache's generation (see
    /// `orgwork_store::cache`): every write of the store ends here.
    pub(crate) async fn commit(&self, tx: sqlx::Transaction<'static, Db>) -> Result<()> {
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
                    return Err(StoreError::Backend(e.to_string()));
                }
            }
        }
        Ok(Some(self.cache.generation()))
    }
}

/// `.db()?` turns a database error into a `StoreError::Backend`.
pub trait DbResult<T> {
    fn db(self) -> Result<T>;
}

impl<T> DbResult<T> for std::result::Result<T, sqlx::Error> {
    fn db(self) -> Result<T> {
        self.map_err(|e| StoreError::Backend(e.to_string()))
    }
}

/// The type of a column fed from JSON rows (see `json_rows`).
#[derive(Clone, Copy)]
pub enum JsonCol {
    Int,
    Text,
    Date,
    /// Bytes written as hexadecimal text.
    Hex,
}

/// `SELECT <columns> FROM <the rows of the JSON array bound as $1>`: each row a JSON array of
/// the columns in order. Bulk writes bind one text per few thousand rows instead of one
/// parameter per value, whose cost in the driver grows faster than the rows (measured: the
/// binding was the largest single cost of an import).
pub fn json_rows(cols: &[JsonCol]) -> String {
    let pg = super::BACKEND_NAME == "postgres";
    let exprs: Vec<String> = cols
        .iter()
        .enumerate()
        .map(|(k, c)| match (c, pg) {
            (JsonCol::Int, true) => format!("(value ->> {k})::bigint"),
            (JsonCol::Date, true) => format!("(value ->> {k})::date"),
            (JsonCol::Hex, true) => format!("decode(value ->> {k}, 'hex')"),
            (JsonCol::Hex, false) => format!("unhex(value ->> {k})"),
            (_, _) => format!("value ->> {k}"),
        })
        .collect();
    let from = if pg { "jsonb_array_elements($1::jsonb) AS j(value)" } else { "jsonb_each($1)" };
    format!("SELECT {} FROM {from}", exprs.join(", "))
}

/// `select` (a `SELECT` whose result columns are `columns`, by name) read back as one JSON text:
/// an array of rows, each an array of the columns in order (`[]` when there is none). Taken
/// with `query_scalar` and `from_json_rows`, many rows cross the driver as one value: through
/// sqlx's SQLite driver each row costs several microseconds of its own (the children of the
/// 2025 reform's 13,973 parents, 200,000 rows: about 3 s row by row against a quarter of a
/// second in the database). The order of the rows is not kept: sort them after.
pub fn json_agg(select: &str, columns: &[&str]) -> String {
    let columns = columns.iter().map(|c| format!("rows.{c}")).collect::<Vec<_>>().join(", ");
    if super::BACKEND_NAME == "postgres" {
        format!("SELECT CAST(COALESCE(json_agg(json_build_array({columns})), '[]') AS TEXT) FROM ({select}) AS rows")
    } else {
        format!("SELECT json_group_array(json_array({columns})) FROM ({select}) AS rows")
    }
}

/// The rows of a `json_agg` text, each as `T` (a tuple of the columns' types).
pub fn from_json_rows<T: serde::de::DeserializeOwned>(text: &str) -> Result<Vec<T>> {
    serde_json::from_str(text).map_err(|e| StoreError::Backend(format!("rows read as JSON: {e}")))
}
