// The audit log, written once for both backends (see structure.rs for how this file is
// compiled). `append` is called by every write, inside the write's own transaction, which
// holds the write lock: entries are numbered and chained in commit order.

use super::{Backend, Db};
use async_trait::async_trait;
use chrono::NaiveDate;
use orgwork_domain::audit::{EntryFields, GENESIS, entry_hash};
use orgwork_domain::structure::UnitCode;
use orgwork_store::{Actor, AuditCheck, AuditEntry, AuditStore, Page, Paged, Result, StoreError, StructureStore};
use sqlx::Row;

use super::common::{Conn, DbResult};

/// Now, as the audit log and the user tables keep it: RFC 3339 in UTC, milliseconds.
pub fn now_text() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// What one change appends.
pub struct Change<'a> {
    pub action: &'a str,
    pub target: &'a str,
    pub unit_id: Option<i64>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

/// Appends an entry to the chain. Must run inside the change's write transaction.
pub async fn append(conn: &mut Conn, actor: &Actor, change: Change<'_>) -> Result<()> {
    let last = sqlx::query("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
        .fetch_optional(&mut *conn)
        .await
        .db()?;
    let (seq, prev_hash) = match last {
        Some(row) => (row.try_get::<i64, _>("seq").db()? + 1, row.try_get::<String, _>("hash").db()?),
        None => (1, GENESIS.to_string()),
    };
    let at = now_text();
    let before = change.before.map(|v| v.to_string());
    let after = change.after.map(|v| v.to_string());
    let fields = EntryFields {
        seq,
        at: &at,
        actor: &actor.name,
        action: change.action,
        target: change.target,
        before: before.as_deref(),
        after: after.as_deref(),
    };
    let hash = entry_hash(&prev_hash, &fields);
    sqlx::query(
        "INSERT INTO audit_log (seq, at, actor, action, target, unit_id, before_json, after_json, prev_hash, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(seq)
    .bind(&at)
    .bind(&actor.name)
    .bind(change.action)
    .bind(change.target)
    .bind(change.unit_id)
    .bind(before)
    .bind(after)
    .bind(&prev_hash)
    .bind(&hash)
    .execute(&mut *conn)
    .await
    .db()?;
    Ok(())
}

fn entry_from_row(row: &<Db as sqlx::Database>::Row) -> Result<AuditEntry> {
    let json = |col: &str| -> Result<Option<serde_json::Value>> {
        let text: Option<String> = row.try_get(col).db()?;
        text.map(|t| serde_json::from_str(&t).map_err(|e| StoreError::Backend(format!("audit_log.{col}: {e}"))))
            .transpose()
    };
    Ok(AuditEntry {
        seq: row.try_get("seq").db()?,
        at: row.try_get("at").db()?,
        actor: row.try_get("actor").db()?,
        action: row.try_get("action").db()?,
        target: row.try_get("target").db()?,
        before: json("before_json")?,
        after: json("after_json")?,
        hash: row.try_get("hash").db()?,
    })
}

#[async_trait]
impl AuditStore for Backend {
    async fn audit(&self, unit: Option<&UnitCode>, since: Option<NaiveDate>, page: Page) -> Result<Paged<AuditEntry>> {
        let limit = page.effective_limit();
        let after: i64 = match page.after.as_deref() {
            None => 0,
            Some(c) => c.parse().map_err(|_| {
                StoreError::from(orgwork_domain::Error::invalid(
                    "invalid_cursor",
                    format!("after: '{c}' is not a cursor of this list"),
                ))
            })?,
        };
        let since = since.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default();
        let rows = match unit {
            None => sqlx::query(
                "SELECT seq, at, actor, action, target, before_json, after_json, hash FROM audit_log \
                     WHERE seq > $1 AND at >= $2 ORDER BY seq LIMIT $3",
            )
            .bind(after)
            .bind(&since)
            .bind(i64::from(limit) + 1)
            .fetch_all(self.reader())
            .await
            .db()?,
            Some(code) => {
                // The units that are or ever were in the subtree (through any version).
                let top = self.path_ids(code, chrono::Local::now().date_naive()).await?;
                let top = top.first().copied().unwrap_or_default();
                sqlx::query(
                    "WITH RECURSIVE sub(id) AS (SELECT CAST($4 AS BIGINT) UNION \
                       SELECT v.unit_id FROM unit_version v JOIN sub s ON v.parent_id = s.id) \
                     SELECT seq, at, actor, action, target, before_json, after_json, hash FROM audit_log \
                     WHERE seq > $1 AND at >= $2 AND unit_id IN (SELECT id FROM sub) ORDER BY seq LIMIT $3",
                )
                .bind(after)
                .bind(&since)
                .bind(i64::from(limit) + 1)
                .bind(top)
                .fetch_all(self.reader())
                .await
                .db()?
            }
        };
        let mut items = rows.iter().map(entry_from_row).collect::<Result<Vec<_>>>()?;
        let next = if items.len() > limit as usize {
            items.truncate(limit as usize);
            items.last().map(|e| e.seq.to_string())
        } else {
            None
        };
        Ok(Paged { items, next })
    }

    async fn verify_audit(&self) -> Result<AuditCheck> {
        use futures_util::TryStreamExt;
        let mut rows = sqlx::query(
            "SELECT seq, at, actor, action, target, before_json, after_json, prev_hash, hash FROM audit_log ORDER BY seq",
        )
        .fetch(self.reader());
        let mut expected_prev = GENESIS.to_string();
        let mut expected_seq = 1i64;
        let mut entries = 0i64;
        while let Some(row) = rows.try_next().await.db()? {
            entries += 1;
            let seq: i64 = row.try_get("seq").db()?;
            let text = |c: &str| -> Result<String> { row.try_get::<String, _>(c).db() };
            let opt = |c: &str| -> Result<Option<String>> { row.try_get::<Option<String>, _>(c).db() };
            let (at, actor, action, target) = (text("at")?, text("actor")?, text("action")?, text("target")?);
            let (before, after) = (opt("before_json")?, opt("after_json")?);
            let (prev_hash, hash) = (text("prev_hash")?, text("hash")?);
            let broken = if seq != expected_seq {
                Some(format!("entry {expected_seq} is missing (the next entry is {seq})"))
            } else if prev_hash != expected_prev {
                Some("its link to the previous entry does not match that entry's hash".to_string())
            } else {
                let fields = EntryFields {
                    seq,
                    at: &at,
                    actor: &actor,
                    action: &action,
                    target: &target,
                    before: before.as_deref(),
                    after: after.as_deref(),
                };
                (entry_hash(&prev_hash, &fields) != hash)
                    .then(|| "its content does not match its hash (altered)".to_string())
            };
            if let Some(why) = broken {
                return Ok(AuditCheck { entries, first_broken: Some((seq.min(expected_seq), why)) });
            }
            expected_prev = hash;
            expected_seq = seq + 1;
        }
        Ok(AuditCheck { entries, first_broken: None })
    }
}
