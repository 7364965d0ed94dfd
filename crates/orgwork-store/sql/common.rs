// What the shared SQL modules have in common (see structure.rs for how these files are
// compiled into each backend).

use super::Db;
use orgwork_store::{Result, StoreError};

pub type Conn = <Db as sqlx::Database>::Connection;

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
    let from = if pg { "jsonb_array_elements($1::jsonb) AS j(value)" } else { "json_each($1)" };
    format!("SELECT {} FROM {from}", exprs.join(", "))
}
