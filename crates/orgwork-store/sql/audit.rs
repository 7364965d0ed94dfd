// The audit log, written once for both backends (see mod.rs for how this folder is
// compiled). `append` is called by every write, inside the write's own transaction, which
// holds the write lock: entries are numbered and chained in commit order.

use super::{Backend, Db};
use async_trait::async_trait;
use chrono::NaiveDate;
use orgwork_domain::audit::{EntryFields, FORMAT, GENESIS, entry_hash, head_mac, head_signed};
use orgwork_domain::structure::UnitCode;
use orgwork_store::{
    Actor, AuditCheck, AuditEntry, AuditHead, AuditStore, Page, Paged, Result, StoreError, StructureStore,
};
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
    for lock in super::dialect::AUDIT_LOCK {
        sqlx::query(*lock).execute(&mut *conn).await.db()?;
    }
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
        unit_id: change.unit_id,
        format: FORMAT,
    };
    let hash = entry_hash(&prev_hash, &fields);
    sqlx::query(
        "INSERT INTO audit_log (seq, at, actor, action, target, unit_id, before_json, after_json, prev_hash, hash, hash_format) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
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
    .bind(FORMAT)
    .execute(&mut *conn)
    .await
    .db()?;
    Ok(())
}

/// The head as stored.
async fn stored_head(conn: &mut Conn) -> Result<Option<AuditHead>> {
    let row: Option<(i64, String, String)> =
        sqlx::query_as("SELECT seq, hash, mac FROM audit_head WHERE id = 1").fetch_optional(&mut *conn).await.db()?;
    Ok(row.map(|(seq, hash, mac)| AuditHead { seq, hash, mac }))
}

/// The last entry's number and hash; (0, GENESIS) for an empty log.
async fn last_entry(conn: &mut Conn) -> Result<(i64, String)> {
    let row: Option<(i64, String)> = sqlx::query_as("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
        .fetch_optional(&mut *conn)
        .await
        .db()?;
    Ok(row.unwrap_or((0, GENESIS.to_string())))
}

async fn write_head(conn: &mut Conn, key: &[u8], seq: i64, hash: &str) -> Result<AuditHead> {
    let mac = head_mac(key, seq, hash);
    sqlx::query(
        "INSERT INTO audit_head (id, seq, hash, mac) VALUES (1, $1, $2, $3) \
         ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, mac = excluded.mac",
    )
    .bind(seq)
    .bind(hash)
    .bind(&mac)
    .execute(&mut *conn)
    .await
    .db()?;
    Ok(AuditHead { seq, hash: hash.to_string(), mac })
}

/// Signs the chain's new head, inside the write's transaction (`Backend::commit`): only over a
/// head that was signed with this key and still fits the chain (its entry still has its hash),
/// or the unsigned empty head of a new database. A head that no longer fits is left as it is,
/// for `audit verify` to report: the server does not sign over a cut or rehashed chain.
pub async fn sign_head(conn: &mut Conn, key: &[u8]) -> Result<()> {
    // On every write: the head, its entry's hash and the last entry, in one statement.
    type Row = (i64, String, String, Option<String>, Option<i64>, Option<String>);
    // The head's row locked by the same statement (`dialect::HEAD_LOCK`): held already if this
    // write appended; a write that did not must not sign beside one that did.
    let row: Option<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT h.seq, h.hash, h.mac, (SELECT a.hash FROM audit_log a WHERE a.seq = h.seq), l.seq, l.hash \
         FROM audit_head h LEFT JOIN (SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1) l ON 1 = 1 \
         WHERE h.id = 1{}",
        super::dialect::HEAD_LOCK
    )))
    .fetch_optional(&mut *conn)
    .await
    .db()?;
    let Some((head_seq, head_hash, mac, at_head, last_seq, last_hash)) = row else {
        tracing::error!("the audit log's signed head is missing: not signing a new one (run orgwork audit verify)");
        return Ok(());
    };
    let (seq, hash) = (last_seq.unwrap_or(0), last_hash.unwrap_or_else(|| GENESIS.to_string()));
    if head_seq == seq && head_hash == hash {
        return Ok(());
    }
    let fits = if mac.is_empty() {
        head_seq == 0
    } else {
        head_signed(key, head_seq, &head_hash, &mac) && (head_seq == 0 || at_head.as_deref() == Some(&head_hash))
    };
    if fits {
        write_head(conn, key, seq, &hash).await?;
    } else {
        tracing::error!(head = head_seq, "the audit log no longer fits its signed head: not signing a new one");
    }
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
        let after = super::common::number_cursor(page.after.as_deref())?.unwrap_or(0);
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
        let items = rows.iter().map(entry_from_row).collect::<Result<Vec<_>>>()?;
        Ok(super::common::paged(items, limit, |e| e.seq.to_string()))
    }

    async fn latest_audit(&self, unit: Option<&UnitCode>, page: Page) -> Result<Paged<AuditEntry>> {
        let limit = page.effective_limit();
        let before = super::common::number_cursor(page.after.as_deref())?.unwrap_or(i64::MAX);
        let rows = match unit {
            None => sqlx::query(
                "SELECT seq, at, actor, action, target, before_json, after_json, hash FROM audit_log \
                 WHERE seq < $1 ORDER BY seq DESC LIMIT $2",
            )
            .bind(before)
            .bind(i64::from(limit) + 1)
            .fetch_all(self.reader())
            .await
            .db()?,
            Some(code) => {
                let top = self.path_ids(code, chrono::Local::now().date_naive()).await?;
                let top = top.first().copied().unwrap_or_default();
                sqlx::query(
                    "WITH RECURSIVE sub(id) AS (SELECT CAST($3 AS BIGINT) UNION \
                       SELECT v.unit_id FROM unit_version v JOIN sub s ON v.parent_id = s.id) \
                     SELECT seq, at, actor, action, target, before_json, after_json, hash FROM audit_log \
                     WHERE seq < $1 AND unit_id IN (SELECT id FROM sub) ORDER BY seq DESC LIMIT $2",
                )
                .bind(before)
                .bind(i64::from(limit) + 1)
                .bind(top)
                .fetch_all(self.reader())
                .await
                .db()?
            }
        };
        let items = rows.iter().map(entry_from_row).collect::<Result<Vec<_>>>()?;
        Ok(super::common::paged(items, limit, |e| e.seq.to_string()))
    }

    async fn audit_head(&self) -> Result<AuditHead> {
        let mut conn = self.reader().acquire().await.db()?;
        stored_head(&mut conn).await?.ok_or_else(|| StoreError::Backend("the audit log's head is missing".into()))
    }

    async fn sign_audit_head(&self) -> Result<AuditHead> {
        let Some(key) = self.audit_key.get() else {
            return Err(orgwork_domain::Error::invalid(
                "no_audit_key",
                "no audit key: set ORGWORK_AUDIT_KEY or ORGWORK_AUDIT_KEY_FILE (SQLite keeps one beside the database)",
            )
            .into());
        };
        let mut tx = self.begin_write().await?;
        let (seq, hash) = last_entry(&mut tx).await?;
        let head = write_head(&mut tx, key, seq, &hash).await?;
        tx.commit().await.db()?;
        Ok(head)
    }

    async fn verify_audit(&self) -> Result<AuditCheck> {
        use futures_util::TryStreamExt;
        let mut conn = self.reader().acquire().await.db()?;
        let head = stored_head(&mut conn).await?;
        drop(conn);
        let mut rows = sqlx::query(
            "SELECT seq, at, actor, action, target, unit_id, before_json, after_json, prev_hash, hash, hash_format \
             FROM audit_log ORDER BY seq",
        )
        .fetch(self.reader());
        let mut hash_at_head: Option<String> = None;
        let mut last_format = 1i64;
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
            let unit_id: Option<i64> = row.try_get("unit_id").db()?;
            let format: i64 = row.try_get::<i64, _>("hash_format").db()?;
            let broken = if seq != expected_seq {
                Some(format!("entry {expected_seq} is missing (the next entry is {seq})"))
            } else if format != 1 && format != FORMAT || format < last_format {
                Some(format!("its hash format ({format}) is not one orgwork wrote there"))
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
                    unit_id,
                    format,
                };
                (entry_hash(&prev_hash, &fields) != hash)
                    .then(|| "its content does not match its hash (altered)".to_string())
            };
            if let Some(why) = broken {
                return Ok(AuditCheck {
                    entries,
                    first_broken: Some((seq.min(expected_seq), why)),
                    signed_head: None,
                    unanchored: None,
                });
            }
            if head.as_ref().is_some_and(|h| h.seq == seq) {
                hash_at_head = Some(hash.clone());
            }
            last_format = format;
            expected_prev = hash;
            expected_seq = seq + 1;
        }
        let last = expected_seq - 1;
        let check = |first_broken, signed_head, unanchored: Option<&str>| AuditCheck {
            entries,
            first_broken,
            signed_head,
            unanchored: unanchored.map(str::to_string),
        };
        let Some(key) = self.audit_key.get() else {
            return Ok(check(None, None, Some("no audit key is set, so the head's signature cannot be checked")));
        };
        let Some(head) = head else {
            return Ok(check(Some((last + 1, "the signed head of the log is missing".into())), None, None));
        };
        if head.mac.is_empty() {
            if head.seq == 0 && last == 0 {
                return Ok(check(None, None, Some("the log is empty")));
            }
            let why = "the head is not signed yet (a log written before orgwork signed its head): once this check \
                       has found the chain intact, sign it with orgwork audit sign-head";
            return Ok(check(None, None, Some(why)));
        }
        if !head_signed(key, head.seq, &head.hash, &head.mac) {
            let why = "the signed head's signature does not fit (forged, or signed with another key)";
            return Ok(check(Some((head.seq, why.into())), None, None));
        }
        let broken = if head.seq > last {
            Some((
                last + 1,
                format!("entries {} to {} were removed (the signed head is entry {})", last + 1, head.seq, head.seq),
            ))
        } else if head.seq > 0 && hash_at_head.as_deref() != Some(head.hash.as_str()) {
            Some((head.seq, "its hash is not the signed head's (the chain was rewritten and rehashed)".into()))
        } else if head.seq < last {
            Some((
                head.seq + 1,
                format!("entries {} to {last} come after the signed head (written without the key)", head.seq + 1),
            ))
        } else {
            None
        };
        let signed = broken.is_none().then_some(head);
        Ok(check(broken, signed, None))
    }
}
