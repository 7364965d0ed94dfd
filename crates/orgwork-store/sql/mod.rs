//! The SQL both backends share, written once. Each backend crate mounts this folder as its
//! `sql` module (`#[path = "../../orgwork-store/sql/mod.rs"] mod sql;`), so the code below is
//! compiled, formatted and linted in each, against that backend's sqlx types. From its parent
//! it takes what differs, nothing else:
//!
//! - `Db` (the sqlx database), `DbRow`, `Backend` (the store type, with `reader()`,
//!   `begin_write()`, `begin_shared_write()`, `profile` and `ids`), `BACKEND_NAME`;
//! - `dialect`: every statement, setting and choice that one backend needs and the other
//!   does not, its bulk insert (`insert_rows`: `COPY` on PostgreSQL) among them.
//!
//! The SQL here is the dialect both SQLite and PostgreSQL accept: `$n` parameters, `||`,
//! recursive CTEs, ISO dates compared as dates.

use super::{BACKEND_NAME, Backend, Db, DbRow, dialect};

pub mod admissions;
pub mod audit;
pub mod common;
pub mod congress;
pub mod inspection;
pub mod members;
pub mod plan;
pub mod restructure;
pub mod structure;
pub mod transfers;
pub mod users;
