//! The count ledger: a unit's ancestry over time (`segments`), a member's contributions
//! added and taken out (`apply_member`), a moved unit's counts re-attributed, the checkpoints
//! and the sums read from them.

use super::*;

/// A span of days in which a unit's ancestors (itself first) stay the same.
pub type Segment = (NaiveDate, Option<NaiveDate>, Vec<i64>);

/// The unit and its ancestors (ids) on `day`; empty when the unit is not live then.
pub async fn path_on(conn: &mut Conn, unit_id: i64, day: NaiveDate) -> Result<Vec<i64>> {
    sqlx::query_scalar(
        "WITH RECURSIVE anc(id, parent_id, depth) AS ( \
           SELECT v.unit_id, v.parent_id, 0 FROM unit_version v WHERE v.unit_id = $1 AND v.valid_from <= $2 AND (v.valid_to IS NULL OR v.valid_to > $2) \
         UNION ALL \
           SELECT v.unit_id, v.parent_id, a.depth + 1 FROM anc a JOIN unit_version v ON v.unit_id = a.parent_id \
             AND v.valid_from <= $2 AND (v.valid_to IS NULL OR v.valid_to > $2) WHERE a.depth < 1000) \
         SELECT id FROM anc ORDER BY depth",
    )
    .bind(unit_id)
    .bind(day)
    .fetch_all(&mut *conn)
    .await
    .db()
}

/// The ancestry of a unit over a span, cut where it changes.
pub async fn segments(conn: &mut Conn, unit_id: i64, span: Span) -> Result<Vec<Segment>> {
    let mut out = vec![];
    let mut cur = span.from;
    loop {
        let path = path_on(conn, unit_id, cur).await?;
        let ids = super::common::id_list(&path);
        let next: Option<NaiveDate> = if path.is_empty() {
            None
        } else {
            // Ids are integers from the database, written into the text as numbers.
            sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                "SELECT MIN(valid_from) FROM unit_version WHERE unit_id IN ({ids}) AND valid_from > $1"
            )))
            .bind(cur)
            .fetch_one(&mut *conn)
            .await
            .db()?
        };
        let end = match (next, span.to) {
            (Some(n), Some(t)) => Some(n.min(t)),
            (n, t) => n.or(t),
        };
        if !path.is_empty() {
            out.push((cur, end, path));
        }
        match end {
            Some(e) if span.to.is_none_or(|t| e < t) && next.is_some() => cur = e,
            _ => break,
        }
    }
    Ok(out)
}

/// Recomputes the whole ledger from the membership records, in the caller's transaction. Its
/// checkpoints are dropped first (so that the triggers have nothing to keep) and taken again.
pub async fn rebuild_ledger_in(conn: &mut Conn, profile: &orgwork_domain::profile::Profile) -> Result<()> {
    let checkpoints = checkpoints_in(conn).await?;
    set_checkpoints_in(conn, &[]).await?;
    sqlx::query("DELETE FROM member_ledger").execute(&mut *conn).await.db()?;
    let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM member ORDER BY id").fetch_all(&mut *conn).await.db()?;
    for id in ids {
        apply_member(conn, profile, id, 1).await?;
    }
    set_checkpoints_in(conn, &checkpoints).await
}

/// The day before every ledger row: where a sum starts when no checkpoint precedes its day.
pub fn ledger_floor() -> NaiveDate {
    NaiveDate::from_ymd_opt(1, 1, 1).expect("a valid date")
}

/// The SQL of the latest ledger checkpoint on or before the day bound as `$day` (or the floor,
/// bound as `$floor`): a unit's sum under a key on that day is its balance on the checkpoint
/// (`member_ledger_balance`, zero when missing) plus its rows from the checkpoint to the day.
/// One scalar subquery, so that a read outside a transaction sees the checkpoint and its
/// balances in one snapshot.
pub fn checkpoint_sql(day: &str, floor: &str) -> String {
    format!("(SELECT COALESCE(MAX(day), {floor}) FROM ledger_checkpoint WHERE day <= {day})")
}

/// Units' counts on a day from the ledger, as (unit, key, n), all keys or one: each unit's
/// balance on the latest checkpoint on or before the day plus its rows since. Nothing for a unit
/// ended by the day: a unit is dissolved or merged only when no member is left in it, so its
/// counts from its end on are nil, whatever ledger rows it keeps after that day (a
/// restructuring leaves an ended unit's rows from its end on as they were). One statement per
/// 500 units, the checkpoint read inside it (`checkpoint_sql`).
pub async fn ledger_sums(
    conn: &mut Conn,
    units: &[i64],
    day: NaiveDate,
    key: Option<&str>,
) -> Result<Vec<(i64, String, i64)>> {
    let since = checkpoint_sql("$1", "$2");
    let key_filter = if key.is_some() { "AND key = $3" } else { "" };
    let mut out = vec![];
    for chunk in units.chunks(500) {
        let live = format!(
            "unit_id IN (SELECT unit_id FROM unit_version WHERE unit_id IN ({}) AND (valid_to IS NULL OR valid_to > $1))",
            super::common::id_list(chunk)
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT unit_id, key, CAST(SUM(n) AS BIGINT) AS n FROM ( \
               SELECT unit_id, key, total AS n FROM member_ledger_balance WHERE day = {since} AND {live} {key_filter} \
               UNION ALL \
               SELECT unit_id, key, delta AS n FROM member_ledger WHERE {live} {key_filter} AND day >= {since} AND day <= $1 \
             ) s GROUP BY unit_id, key"
        )))
        .bind(day)
        .bind(ledger_floor());
        if let Some(k) = key {
            query = query.bind(k);
        }
        for r in query.fetch_all(&mut *conn).await.db()? {
            out.push((r.try_get("unit_id").db()?, r.try_get("key").db()?, r.try_get("n").db()?));
        }
    }
    Ok(out)
}

/// The latest ledger checkpoint on or before `day`, or the floor (read in a transaction).
pub async fn checkpoint_on(conn: &mut Conn, day: NaiveDate) -> Result<NaiveDate> {
    let found: Option<NaiveDate> = sqlx::query_scalar("SELECT MAX(day) FROM ledger_checkpoint WHERE day <= $1")
        .bind(day)
        .fetch_one(&mut *conn)
        .await
        .db()?;
    Ok(found.unwrap_or_else(ledger_floor))
}

/// The ledger's checkpoints, in order.
pub async fn checkpoints_in(conn: &mut Conn) -> Result<Vec<NaiveDate>> {
    sqlx::query_scalar("SELECT day FROM ledger_checkpoint ORDER BY day").fetch_all(&mut *conn).await.db()
}

/// Keeps checkpoints on exactly `days`, in the caller's transaction: the others' balances are
/// deleted; each new one is summed from the ledger in one pass (the rows before its day, by
/// unit and key, in the ledger's key order) before its day is listed, so the triggers never see
/// a checkpoint without its balances; with the dialect's statements before and after
/// (`dialect::BEFORE_CHECKPOINTS`, `AFTER_CHECKPOINTS`).
pub async fn set_checkpoints_in(conn: &mut Conn, days: &[NaiveDate]) -> Result<()> {
    super::common::execute_all(conn, super::dialect::BEFORE_CHECKPOINTS).await?;
    let kept = checkpoints_in(conn).await?;
    for day in kept.iter().filter(|d| !days.contains(d)) {
        sqlx::query("DELETE FROM ledger_checkpoint WHERE day = $1").bind(day).execute(&mut *conn).await.db()?;
        sqlx::query("DELETE FROM member_ledger_balance WHERE day = $1").bind(day).execute(&mut *conn).await.db()?;
    }
    let new: std::collections::BTreeSet<NaiveDate> = days.iter().filter(|d| !kept.contains(d)).copied().collect();
    for day in new {
        let clock = std::time::Instant::now();
        let n = sqlx::query(
            "INSERT INTO member_ledger_balance (day, unit_id, key, total) \
             SELECT $1, unit_id, key, CAST(SUM(delta) AS BIGINT) FROM member_ledger WHERE day < $1 \
             GROUP BY unit_id, key HAVING SUM(delta) <> 0",
        )
        .bind(day)
        .execute(&mut *conn)
        .await
        .db()?
        .rows_affected();
        sqlx::query("INSERT INTO ledger_checkpoint (day) VALUES ($1)").bind(day).execute(&mut *conn).await.db()?;
        tracing::debug!(%day, balances = n, ms = clock.elapsed().as_millis() as u64, "ledger: checkpoint taken");
    }
    super::common::execute_all(conn, super::dialect::AFTER_CHECKPOINTS).await
}

/// Adds many changes to the ledger in one statement per few thousand rows.
pub async fn ledger_write(conn: &mut Conn, changes: BTreeMap<(i64, String, NaiveDate), i64>) -> Result<()> {
    let rows: Vec<(i64, String, NaiveDate, i64)> =
        changes.into_iter().filter(|(_, v)| *v != 0).map(|((unit, key, day), delta)| (unit, key, day, delta)).collect();
    ledger_add(conn, &rows).await
}

/// Adds rows (unit, key, day, delta) to the ledger, each to the row already there for its
/// (unit, key, day) if any, in one statement per few thousand rows; best in the ledger's key
/// order (its B-tree then grows at its end rather than at random places).
pub async fn ledger_add<K: serde::Serialize + Sync>(conn: &mut Conn, rows: &[(i64, K, NaiveDate, i64)]) -> Result<()> {
    use super::common::{JsonCol::*, json_rows};
    let sql = format!(
        "INSERT INTO member_ledger (unit_id, key, day, delta) {} WHERE true \
         ON CONFLICT (unit_id, key, day) DO UPDATE SET delta = member_ledger.delta + excluded.delta",
        json_rows(&[Int, Text, Date, Int])
    );
    write_json(conn, &sql, rows, &|_| {}).await
}

/// Inserts rows (unit, key, day, delta) that meet no row already in the ledger (those of
/// units with no rows yet, a unit created in the same transaction), by the backend's bulk
/// insert (`insert_rows`: `COPY` on PostgreSQL), without `ledger_add`'s look for a row to add
/// to (on PostgreSQL `ON CONFLICT` costs as much again as the insert: 380,000 rows 1.6–2.0 s
/// plain, 3.0–3.1 s with it, 1.1–1.2 s by `COPY`). A row already there fails the statement,
/// so a wrong caller is refused rather than miscounting.
pub async fn ledger_insert<K>(conn: &mut Conn, rows: &[(i64, K, NaiveDate, i64)]) -> Result<()>
where
    K: serde::Serialize + orgwork_store::copy::CopyField + Sync,
{
    use super::common::JsonCol::*;
    let columns = [("unit_id", Int), ("key", Text), ("day", Date), ("delta", Int)];
    super::dialect::insert_rows(conn, "member_ledger", &columns, rows, &|_| {}).await
}

/// Adds (`sign` = 1) or takes out (-1) a member's contributions to the ledger.
pub async fn apply_member(conn: &mut Conn, profile: &Profile, id: i64, sign: i64) -> Result<()> {
    let changes = ledger_changes(conn, profile, id, sign).await?;
    ledger_write(conn, changes).await
}

/// What adding (`sign` = 1) or taking out (-1) a member's contributions changes in the ledger,
/// read and not yet written: (unit, key, day) to delta, in the ledger's key order.
pub(super) async fn ledger_changes(
    conn: &mut Conn,
    profile: &Profile,
    id: i64,
    sign: i64,
) -> Result<BTreeMap<(i64, String, NaiveDate), i64>> {
    let p = load(conn, id).await?;
    changes_of(conn, profile, &p, sign).await
}

/// `ledger_changes` of a member whose rows are loaded already.
pub(super) async fn changes_of(
    conn: &mut Conn,
    profile: &Profile,
    p: &Parts,
    sign: i64,
) -> Result<BTreeMap<(i64, String, NaiveDate), i64>> {
    let memberships: Vec<(i64, Span)> = p.memberships.iter().map(|(u, s, _, _)| (*u, *s)).collect();
    let statuses: Vec<(Status, Span)> = p.statuses.iter().map(|(st, s, _)| (*st, *s)).collect();
    // Contributions of one unit share its ancestry: cut it once per membership.
    let mut cache: BTreeMap<(i64, NaiveDate, Option<NaiveDate>), Vec<Segment>> = BTreeMap::new();
    for (unit_id, span) in &memberships {
        cache.insert((*unit_id, span.from, span.to), segments(conn, *unit_id, *span).await?);
    }
    let mut out: BTreeMap<(i64, String, NaiveDate), i64> = BTreeMap::new();
    for c in contributions(profile, &p.record, &memberships, &statuses) {
        let whole = memberships.iter().find(|(u, s)| {
            *u == c.unit_id && s.from <= c.span.from && s.to.is_none_or(|t| c.span.to.is_some_and(|ct| ct <= t))
        });
        let segs = match whole.and_then(|(u, s)| cache.get(&(*u, s.from, s.to))) {
            Some(segs) => segs.clone(),
            None => segments(conn, c.unit_id, c.span).await?,
        };
        for (from, to, path) in segs {
            // Clip the segment to the contribution.
            let f = from.max(c.span.from);
            let t = match (to, c.span.to) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            if t.is_some_and(|t| t <= f) {
                continue;
            }
            for unit in &path {
                *out.entry((*unit, c.key.clone(), f)).or_default() += sign;
                if let Some(t) = t {
                    *out.entry((*unit, c.key.clone(), t)).or_default() -= sign;
                }
            }
        }
    }
    Ok(out)
}

/// After a unit's ancestry changed from `from` on (old and new segments of its *ancestors*,
/// the unit itself left out), moves its subtree's counts from the ancestors it lost to those
/// it gained, segment by segment: cost in ancestors and ledger rows, not in members.
pub async fn reattribute(conn: &mut Conn, unit_id: i64, old: &[Segment], new: &[Segment]) -> Result<()> {
    let mut cuts: Vec<NaiveDate> = old.iter().chain(new).flat_map(|(f, t, _)| std::iter::once(*f).chain(*t)).collect();
    cuts.sort();
    cuts.dedup();
    let set_at = |segs: &[Segment], day: NaiveDate| -> Vec<i64> {
        segs.iter()
            .find(|(f, t, _)| *f <= day && t.is_none_or(|t| day < t))
            .map(|(_, _, p)| p.iter().copied().filter(|u| *u != unit_id).collect())
            .unwrap_or_default()
    };
    let rows = sqlx::query("SELECT key, day, delta FROM member_ledger WHERE unit_id = $1 ORDER BY day")
        .bind(unit_id)
        .fetch_all(&mut *conn)
        .await
        .db()?;
    let deltas: Vec<(String, NaiveDate, i64)> = rows
        .iter()
        .map(|r| Ok((r.try_get("key").db()?, r.try_get("day").db()?, r.try_get("delta").db()?)))
        .collect::<Result<Vec<_>>>()?;
    let count = |key: &str, through: NaiveDate, inclusive: bool| -> i64 {
        deltas
            .iter()
            .filter(|(k, d, _)| k == key && (if inclusive { *d <= through } else { *d < through }))
            .map(|(_, _, v)| v)
            .sum()
    };
    let keys: std::collections::BTreeSet<String> = deltas.iter().map(|(k, _, _)| k.clone()).collect();
    // The changes, summed, then written in one statement (one round trip, not one per row).
    let mut out: BTreeMap<(i64, String, NaiveDate), i64> = BTreeMap::new();
    for (i, s) in cuts.iter().enumerate() {
        let e = cuts.get(i + 1).copied();
        let o = set_at(old, *s);
        let n = set_at(new, *s);
        let lost: Vec<i64> = o.iter().copied().filter(|x| !n.contains(x)).collect();
        let gained: Vec<i64> = n.iter().copied().filter(|x| !o.contains(x)).collect();
        if lost.is_empty() && gained.is_empty() {
            continue;
        }
        for key in &keys {
            let at_s = count(key, *s, true);
            let before_e = e.map(|e| count(key, e, false));
            let inside: Vec<(NaiveDate, i64)> = deltas
                .iter()
                .filter(|(k, d, _)| k == key && *d > *s && e.is_none_or(|e| *d < e))
                .map(|(_, d, v)| (*d, *v))
                .collect();
            for (units, sign) in [(&lost, -1i64), (&gained, 1i64)] {
                for x in units {
                    *out.entry((*x, key.clone(), *s)).or_default() += sign * at_s;
                    for (d, v) in &inside {
                        *out.entry((*x, key.clone(), *d)).or_default() += sign * v;
                    }
                    if let (Some(e), Some(b)) = (e, before_e) {
                        *out.entry((*x, key.clone(), e)).or_default() += -sign * b;
                    }
                }
            }
        }
    }
    ledger_write(conn, out).await
}

impl Backend {
    /// A subtree's counts on a date, summed from the ledger (uncached).
    pub(super) async fn stats_from_ledger(&self, unit: &UnitCode, as_of: NaiveDate) -> Result<Stats> {
        let id = unit_id_on(self, unit, as_of).await?;
        let rows = ledger_sums(&mut *self.reader().acquire().await.db()?, &[id], as_of, None).await?;
        let mut stats = Stats::default();
        for (_, key, n) in rows {
            if n == 0 {
                continue;
            }
            if key == "total" {
                stats.total = n;
            } else if let Some(s) = key.strip_prefix("status:") {
                stats.by_status.insert(s.to_string(), n);
            } else if let Some(c) = key.strip_prefix("category:") {
                stats.by_category.insert(c.to_string(), n);
            }
        }
        Ok(stats)
    }
}
