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
