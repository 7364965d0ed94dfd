// The member register, written once for both backends (see mod.rs for how this folder is
// compiled). The count ledger is kept here: every change to a member takes the member's
// contributions out of the ledger, makes the change, and puts them back; a move of a unit
// re-attributes the unit's subtree counts between its old and new ancestors.

use super::Backend;
use super::audit::{Change as AuditChange, append, now_text};
use super::common::{Conn, DbResult};
use async_trait::async_trait;
use chrono::NaiveDate;
use orgwork_domain::Error;
use orgwork_domain::members::{Record, Span, Status, check_status_change, contributions};
use orgwork_domain::profile::Profile;
use orgwork_domain::structure::UnitCode;
use orgwork_store::{
    Actor, Member, MemberFilter, MemberStore, MemberSummary, MembershipEntry, NewMember, Page, Paged, Result, Stats,
    StatusEntry, StoreError, StructureStore,
};
use sqlx::Row;
use std::collections::BTreeMap;

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

struct Parts {
    record: Record,
    memberships: Vec<(i64, Span, String, Option<String>)>,
    statuses: Vec<(Status, Span, Option<String>)>,
}

fn record_from_row(row: &<super::Db as sqlx::Database>::Row) -> Result<Record> {
    Ok(Record {
        full_name: row.try_get("full_name").db()?,
        other_names: row.try_get("other_names").db()?,
        sex: row.try_get("sex").db()?,
        birth_date: row.try_get("birth_date").db()?,
        ethnicity: row.try_get("ethnicity").db()?,
        religion: row.try_get("religion").db()?,
        hometown: row.try_get("hometown").db()?,
        national_id: row.try_get("national_id").db()?,
        education: row.try_get("education").db()?,
        theory_level: row.try_get("theory_level").db()?,
        occupation: row.try_get("occupation").db()?,
        workplace: row.try_get("workplace").db()?,
        phone: row.try_get("phone").db()?,
        email: row.try_get("email").db()?,
        admitted_on: row.try_get("admitted_on").db()?,
        official_on: row.try_get("official_on").db()?,
        card_number: row.try_get("card_number").db()?,
        record_number: row.try_get("record_number").db()?,
    })
}

const RECORD_COLUMNS: &str = "full_name, other_names, sex, birth_date, ethnicity, religion, hometown, national_id, education, \
     theory_level, occupation, workplace, phone, email, admitted_on, official_on, card_number, record_number";

/// Binds a record's fields in `RECORD_COLUMNS` order.
macro_rules! bind_record {
    ($q:expr, $r:expr) => {
        $q.bind(&$r.full_name)
            .bind(&$r.other_names)
            .bind(&$r.sex)
            .bind($r.birth_date)
            .bind(&$r.ethnicity)
            .bind(&$r.religion)
            .bind(&$r.hometown)
            .bind(&$r.national_id)
            .bind(&$r.education)
            .bind(&$r.theory_level)
            .bind(&$r.occupation)
            .bind(&$r.workplace)
            .bind(&$r.phone)
            .bind(&$r.email)
            .bind($r.admitted_on)
            .bind($r.official_on)
            .bind(&$r.card_number)
            .bind(&$r.record_number)
    };
}

/// The folded text a member is searched by.
fn name_fold(r: &Record) -> String {
    orgwork_domain::text::fold(&format!("{} {}", r.full_name, r.other_names.as_deref().unwrap_or("")))
}

/// The distinct words of a folded name: a member's entries in the word index.
fn name_words(fold: &str) -> Vec<&str> {
    let mut words: Vec<&str> = fold.split(' ').filter(|w| !w.is_empty()).collect();
    words.sort_unstable();
    words.dedup();
    words
}

/// Puts members' names into the word index (`sign` 1) or takes them out (`sign` -1): one
/// posting (word, name key, member, folded names) per distinct word of a member's folded names, and each
/// word's count of members in the vocabulary (a word nobody has any more leaves it). Each
/// member is given as (id, folded names, name key).
async fn index_words(conn: &mut Conn, members: &[(i64, &str, &[u8])], sign: i64) -> Result<()> {
    use super::common::{JsonCol, JsonCol::*, json_rows};
    use orgwork_store::copy::Hex;
    let mut counts: std::collections::BTreeMap<&str, i64> = std::collections::BTreeMap::new();
    let mut postings = Vec::with_capacity(members.len() * 3);
    for (id, fold, key) in members {
        for w in name_words(fold) {
            *counts.entry(w).or_default() += sign;
            postings.push((w, *key, *id, *fold));
        }
    }
    // In key order: the index's B-tree is then written region by region.
    postings.sort_unstable();
    let none = |_| {};
    if sign > 0 {
        let rows: Vec<(&str, Hex, i64, &str)> =
            postings.iter().map(|(w, k, id, fold)| (*w, Hex(to_hex(k)), *id, *fold)).collect();
        let columns = [("word", Text), ("name_key", JsonCol::Hex), ("member_id", Int), ("name_fold", Text)];
        super::dialect::insert_rows(conn, "member_word", &columns, &rows, &none).await?;
    } else {
        for (w, k, id, _) in &postings {
            sqlx::query("DELETE FROM member_word WHERE word = $1 AND name_key = $2 AND member_id = $3")
                .bind(*w)
                .bind(*k)
                .bind(*id)
                .execute(&mut *conn)
                .await
                .db()?;
        }
    }
    let rows: Vec<(&str, i64)> = counts.iter().map(|(w, n)| (*w, *n)).collect();
    let sql = format!(
        "INSERT INTO name_word (word, members) {} WHERE true \
         ON CONFLICT (word) DO UPDATE SET members = name_word.members + excluded.members",
        json_rows(&[Text, Int])
    );
    write_json(conn, &sql, &rows, &none).await?;
    if sign < 0 {
        sqlx::query("DELETE FROM name_word WHERE members <= 0").execute(&mut *conn).await.db()?;
    }
    Ok(())
}

/// A plain status history: probationary from admission, official from the day made official.
async fn insert_statuses(conn: &mut Conn, id: i64, r: &Record) -> Result<()> {
    let mut statuses = vec![(Status::Probationary, r.admitted_on, r.official_on)];
    if let Some(o) = r.official_on {
        statuses.push((Status::Official, o, None));
    }
    for (status, from, to) in statuses {
        sqlx::query("INSERT INTO member_status (member_id, valid_from, valid_to, status, document) VALUES ($1, $2, $3, $4, NULL)")
            .bind(id)
            .bind(from)
            .bind(to)
            .bind(status.as_str())
            .execute(&mut *conn)
            .await
            .db()?;
    }
    Ok(())
}

fn no_member(id: i64) -> StoreError {
    Error::not_found("member_not_found", format!("no member has the id {id}")).into()
}

async fn load(conn: &mut Conn, id: i64) -> Result<Parts> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {RECORD_COLUMNS} FROM member WHERE id = $1")))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
        .db()?
        .ok_or_else(|| no_member(id))?;
    let record = record_from_row(&row)?;
    let memberships = sqlx::query("SELECT unit_id, valid_from, valid_to, reason, document FROM membership WHERE member_id = $1 ORDER BY valid_from")
        .bind(id)
        .fetch_all(&mut *conn)
        .await
        .db()?
        .iter()
        .map(|r| {
            Ok((
                r.try_get("unit_id").db()?,
                Span { from: r.try_get("valid_from").db()?, to: r.try_get("valid_to").db()? },
                r.try_get("reason").db()?,
                r.try_get("document").db()?,
            ))
        })
        .collect::<Result<Vec<_>>>()?;
    let statuses = sqlx::query(
        "SELECT status, valid_from, valid_to, document FROM member_status WHERE member_id = $1 ORDER BY valid_from",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await
    .db()?
    .iter()
    .map(|r| {
        Ok((
            Status::parse(&r.try_get::<String, _>("status").db()?)?,
            Span { from: r.try_get("valid_from").db()?, to: r.try_get("valid_to").db()? },
            r.try_get("document").db()?,
        ))
    })
    .collect::<Result<Vec<_>>>()?;
    Ok(Parts { record, memberships, statuses })
}

/// Adds (`sign` = 1) or takes out (-1) a member's contributions to the ledger.
pub async fn apply_member(conn: &mut Conn, profile: &Profile, id: i64, sign: i64) -> Result<()> {
    let changes = ledger_changes(conn, profile, id, sign).await?;
    ledger_write(conn, changes).await
}

/// What adding (`sign` = 1) or taking out (-1) a member's contributions changes in the ledger,
/// read and not yet written: (unit, key, day) to delta, in the ledger's key order.
async fn ledger_changes(
    conn: &mut Conn,
    profile: &Profile,
    id: i64,
    sign: i64,
) -> Result<BTreeMap<(i64, String, NaiveDate), i64>> {
    let p = load(conn, id).await?;
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

/// Admits a member (within the caller's write transaction); the checks of a new member.
#[allow(clippy::too_many_arguments)]
pub async fn insert_member(
    tx: &mut Conn,
    store: &Backend,
    record: &Record,
    unit_id: i64,
    joined_on: NaiveDate,
    document: Option<String>,
    from_org: Option<String>,
) -> Result<(i64, Member)> {
    if joined_on < record.admitted_on {
        return Err(Error::rule(
            "date_before_admission",
            format!("joined_on: {} is before the admission ({})", joined_on, record.admitted_on),
        )
        .into());
    }
    if super::structure::unit_ends(tx, unit_id).await?.is_some() {
        return Err(Error::rule("unit_dissolved", "unit: the unit is dissolved; a member cannot join it").into());
    }
    check_unique(tx, record, None).await?;
    let id = store.ids.next_id();
    let r = record;
    let insert = sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO member (id, name_key, name_fold, recorded_at, {RECORD_COLUMNS}) VALUES ($1, $22, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)"
    )))
    .bind(id)
    .bind(name_fold(r))
    .bind(now_text());
    let key = orgwork_domain::text::sort_key(&r.full_name);
    if let Err(e) = bind_record!(insert, r).bind(&key).execute(&mut *tx).await {
        // Two admissions side by side with one number: the second meets the first's row
        // (`check_unique` above saw neither), and is told so as it would have been alone.
        if e.as_database_error().is_some_and(|d| d.is_unique_violation()) {
            return Err(Error::conflict(
                "duplicate_member",
                "card_number or national_id: held by another member already",
            )
            .into());
        }
        return Err(StoreError::Backend(e.to_string()));
    }
    let reason = match (&from_org, joined_on == r.admitted_on) {
        (Some(_), _) => "transfer_in",
        (None, true) => "admission",
        (None, false) => "entry",
    };
    if let Some(org) = &from_org {
        let org = org.trim();
        if org.is_empty() || org.chars().count() > 200 {
            return Err(Error::invalid(
                "invalid_organization",
                "from_org: the sending organization's name is needed (at most 200 characters)",
            )
            .into());
        }
        sqlx::query(
            "INSERT INTO transfer (id, member_id, from_unit_id, to_unit_id, from_org, to_org, issued_on, document, state, closed_on, close_document, recorded_at) \
             VALUES ($1, $2, NULL, $3, $4, NULL, $5, $6, 'accepted', $5, NULL, $7)",
        )
        .bind(store.ids.next_id())
        .bind(id)
        .bind(unit_id)
        .bind(org)
        .bind(joined_on)
        .bind(&document)
        .bind(now_text())
        .execute(&mut *tx)
        .await
        .db()?;
    }
    sqlx::query("INSERT INTO membership (member_id, valid_from, valid_to, unit_id, reason, document) VALUES ($1, $2, NULL, $3, $4, $5)")
        .bind(id)
        .bind(joined_on)
        .bind(unit_id)
        .bind(reason)
        .bind(&document)
        .execute(&mut *tx)
        .await
        .db()?;
    insert_statuses(tx, id, r).await?;
    // What admissions side by side share (`begin_shared_write`) is written last, after every
    // read, so that each holds it for as short a time as it can: the name index's words, then
    // the ledger's rows (both in key order), then, by the caller, the audit log's head.
    let member = view(tx, &store.profile, id, joined_on).await?;
    let changes = ledger_changes(tx, &store.profile, id, 1).await?;
    index_words(tx, &[(id, &name_fold(r), &key)], 1).await?;
    ledger_write(tx, changes).await?;
    Ok((id, member))
}

async fn open_membership_of(conn: &mut Conn, member_id: i64) -> Result<Option<(i64, NaiveDate)>> {
    let row = sqlx::query("SELECT unit_id, valid_from FROM membership WHERE member_id = $1 AND valid_to IS NULL")
        .bind(member_id)
        .fetch_optional(&mut *conn)
        .await
        .db()?;
    row.map(|r| Ok((r.try_get("unit_id").db()?, r.try_get("valid_from").db()?))).transpose()
}

/// Is the unit (id) within the subtree of `top` on `day`?
async fn within(conn: &mut Conn, unit_id: i64, top: &UnitCode, day: NaiveDate) -> Result<bool> {
    let path = path_on(conn, unit_id, day).await?;
    let top_id: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM unit WHERE code = $1 AND valid_from <= $2 AND (valid_to IS NULL OR valid_to > $2)",
    )
    .bind(top.as_str())
    .bind(day)
    .fetch_optional(&mut *conn)
    .await
    .db()?;
    Ok(top_id.is_some_and(|t| path.contains(&t)))
}

/// Does any member belong to the unit on or after `day`?
pub async fn has_members_from(conn: &mut Conn, unit_id: i64, day: NaiveDate) -> Result<bool> {
    let n: Option<i64> = sqlx::query_scalar(
        "SELECT member_id FROM membership WHERE unit_id = $1 AND (valid_to IS NULL OR valid_to > $2) LIMIT 1",
    )
    .bind(unit_id)
    .bind(day)
    .fetch_optional(&mut *conn)
    .await
    .db()?;
    Ok(n.is_some())
}

async fn unit_code(conn: &mut Conn, unit_id: i64) -> Result<UnitCode> {
    Ok(UnitCode::from_stored(
        sqlx::query_scalar("SELECT code FROM unit WHERE id = $1").bind(unit_id).fetch_one(&mut *conn).await.db()?,
    ))
}

async fn view(conn: &mut Conn, profile: &Profile, id: i64, on: NaiveDate) -> Result<Member> {
    let p = load(conn, id).await?;
    let mut memberships = vec![];
    let mut unit = None;
    for (u, span, reason, document) in &p.memberships {
        let code = unit_code(conn, *u).await?;
        if span.from <= on && span.to.is_none_or(|t| on < t) {
            unit = Some(code.clone());
        }
        memberships.push(MembershipEntry {
            unit: code,
            valid_from: span.from,
            valid_to: span.to,
            reason: reason.clone(),
            document: document.clone(),
        });
    }
    let status = p.statuses.iter().find(|(_, s, _)| s.from <= on && s.to.is_none_or(|t| on < t)).map(|(st, _, _)| *st);
    let categories = if unit.is_some() { p.record.categories_on(profile, on) } else { vec![] };
    Ok(Member {
        id: id.to_string(),
        badges: p.record.badges(profile),
        record: p.record,
        unit,
        status,
        categories,
        memberships,
        statuses: p
            .statuses
            .iter()
            .map(|(st, s, doc)| StatusEntry { status: *st, valid_from: s.from, valid_to: s.to, document: doc.clone() })
            .collect(),
    })
}

fn member_json(m: &Member) -> Option<serde_json::Value> {
    serde_json::to_value(m).ok()
}

async fn check_unique(conn: &mut Conn, record: &Record, except: Option<i64>) -> Result<()> {
    match unique_owner(conn, record, except).await? {
        Some((field, v, o)) => {
            Err(Error::conflict("duplicate_member", format!("{field}: '{v}' belongs to member {o} already")).into())
        }
        None => Ok(()),
    }
}

/// The first of the record's numbers (card, national ID) that another member than `except`
/// holds: the field, the value and that member.
async fn unique_owner(
    conn: &mut Conn,
    record: &Record,
    except: Option<i64>,
) -> Result<Option<(&'static str, String, i64)>> {
    for (field, value) in [("card_number", &record.card_number), ("national_id", &record.national_id)] {
        if let Some(v) = value {
            let other: Option<i64> =
                sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT id FROM member WHERE {field} = $1")))
                    .bind(v)
                    .fetch_optional(&mut *conn)
                    .await
                    .db()?;
            if let Some(o) = other.filter(|o| Some(*o) != except) {
                return Ok(Some((field, v.clone(), o)));
            }
        }
    }
    Ok(None)
}

/// What an import row is told when it meets a member the importer may not see: neither the
/// member nor their unit.
const HIDDEN_MEMBER: &str = "is a member's outside the units you may see: such a row cannot be imported here";

/// What an import row is told when it meets a member who belongs to no unit now.
const LEFT_MEMBER: &str =
    "is a member's who belongs to no unit now (transferred out, or no longer a member): an import cannot change them";

/// May the importer read the member (judged where they belong on `day`, or last belonged)?
async fn readable(conn: &mut Conn, scope: &orgwork_store::ImportScope, member: i64, day: NaiveDate) -> Result<bool> {
    let Some(tops) = &scope.readable else { return Ok(true) };
    let last: Option<(i64, NaiveDate, Option<NaiveDate>)> = sqlx::query_as(
        "SELECT unit_id, valid_from, valid_to FROM membership WHERE member_id = $1 ORDER BY valid_from DESC LIMIT 1",
    )
    .bind(member)
    .fetch_optional(&mut *conn)
    .await
    .db()?;
    let Some((unit, from, to)) = last else { return Ok(false) };
    let on = match to {
        Some(end) if end <= day => end.pred_opt().unwrap_or(end),
        _ => day.max(from),
    };
    let path = path_on(conn, unit, on).await?;
    Ok(path.iter().any(|p| tops.contains(p)))
}

fn to_hex(bytes: &[u8]) -> String {
    hex::encode(bytes)
}

fn from_hex(text: &str) -> Vec<u8> {
    (0..text.len() / 2).filter_map(|i| u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok()).collect()
}

/// Fills the name keys that are missing (rows from before keys were kept), in batches.
pub async fn backfill_name_keys(pool: &sqlx::Pool<super::Db>, writer: &sqlx::Pool<super::Db>) -> Result<u64> {
    let mut done = 0;
    loop {
        let rows = sqlx::query("SELECT id, full_name, name_fold FROM member WHERE name_key IS NULL LIMIT 1000")
            .fetch_all(pool)
            .await
            .db()?;
        if rows.is_empty() {
            return Ok(done);
        }
        let mut tx = writer.begin().await.db()?;
        for r in &rows {
            let id: i64 = r.try_get("id").db()?;
            let name: String = r.try_get("full_name").db()?;
            let fold: String = r.try_get("name_fold").db()?;
            let key = orgwork_domain::text::sort_key(&name);
            sqlx::query("UPDATE member SET name_key = $2 WHERE id = $1")
                .bind(id)
                .bind(&key)
                .execute(&mut *tx)
                .await
                .db()?;
            // The word index took the rows without a key with an empty one.
            index_words(&mut tx, &[(id, &fold, &[])], -1).await?;
            index_words(&mut tx, &[(id, &fold, &key)], 1).await?;
        }
        tx.commit().await.db()?; // at opening, before any read is cached
        done += rows.len() as u64;
    }
}

/// The subtree of a unit on a day, as a CTE named `sub(id)`, seeded by `$1` (the unit's id)
/// and dated by `$2`.
const SUBTREE: &str = "WITH RECURSIVE sub(id) AS (SELECT CAST($1 AS BIGINT) UNION ALL \
     SELECT v.unit_id FROM sub s JOIN unit_version v ON v.parent_id = s.id AND v.valid_from <= $2 AND (v.valid_to IS NULL OR v.valid_to > $2)) ";

async fn unit_id_on(store: &Backend, unit: &UnitCode, on: NaiveDate) -> Result<i64> {
    let path = store.path_ids(unit, on).await?;
    path.first()
        .copied()
        .ok_or_else(|| Error::not_found("unit_not_found", format!("no unit has the code {unit} on {on}")).into())
}

/// Writes a changed record; a change of the admission or official date rebuilds a plain status
/// history (probationary, then official), and is refused once the history holds more.
async fn write_record(conn: &mut Conn, profile: &Profile, id: i64, record: &Record) -> Result<bool> {
    let p = load(conn, id).await?;
    if &p.record == record {
        return Ok(false);
    }
    let dates_change = p.record.admitted_on != record.admitted_on || p.record.official_on != record.official_on;
    if dates_change {
        if p.statuses.iter().any(|(s, _, _)| !s.is_member()) {
            return Err(Error::rule(
                "status_history",
                "admitted_on: the member's status history holds more than admission; change it with a status change",
            )
            .into());
        }
        if p.memberships.first().is_some_and(|(_, m, _, _)| m.from < record.admitted_on) {
            return Err(Error::rule(
                "date_after_joining",
                format!("admitted_on: {} is after the member joined their first unit", record.admitted_on),
            )
            .into());
        }
    }
    check_unique(conn, record, Some(id)).await?;
    apply_member(conn, profile, id, -1).await?;
    // The name as stored (the index holds these), and as it will be.
    let stored = sqlx::query("SELECT name_fold, name_key FROM member WHERE id = $1")
        .bind(id)
        .fetch_one(&mut *conn)
        .await
        .db()?;
    let (old_fold, old_key): (String, Option<Vec<u8>>) =
        (stored.try_get("name_fold").db()?, stored.try_get("name_key").db()?);
    let old_key = old_key.unwrap_or_default();
    let (fold, key) = (name_fold(record), orgwork_domain::text::sort_key(&record.full_name));
    if (&old_fold, &old_key) != (&fold, &key) {
        index_words(conn, &[(id, &old_fold, &old_key)], -1).await?;
        index_words(conn, &[(id, &fold, &key)], 1).await?;
    }
    let r = record;
    let set: Vec<String> = RECORD_COLUMNS.split(", ").enumerate().map(|(i, c)| format!("{c} = ${}", i + 2)).collect();
    let update = sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE member SET {}, name_fold = $20, name_key = $21 WHERE id = $1",
        set.join(", ")
    )))
    .bind(id);
    bind_record!(update, r).bind(&fold).bind(&key).execute(&mut *conn).await.db()?;
    if dates_change {
        sqlx::query("DELETE FROM member_status WHERE member_id = $1").bind(id).execute(&mut *conn).await.db()?;
        insert_statuses(conn, id, r).await?;
    }
    apply_member(conn, profile, id, 1).await?;
    Ok(true)
}

/// A new member's rows: the record, memberships (unit, from, to, reason) and statuses.
struct NewRows<'a> {
    record: &'a Record,
    units: Vec<(i64, NaiveDate, Option<NaiveDate>, &'static str)>,
    statuses: Vec<(Status, NaiveDate, Option<NaiveDate>)>,
}

/// Admits many new members at once (an import): each with one membership from the day they
/// joined and the statuses of their record.
async fn bulk_admit(
    tx: &mut Conn,
    store: &Backend,
    fresh: &[(&Record, i64, NaiveDate)],
    progress: &orgwork_store::Progress<'_>,
) -> Result<bool> {
    let items: Vec<NewRows> = fresh
        .iter()
        .map(|(r, unit, joined)| {
            let reason = if *joined == r.admitted_on { "admission" } else { "entry" };
            let mut statuses = vec![(Status::Probationary, r.admitted_on, r.official_on)];
            if let Some(o) = r.official_on {
                statuses.push((Status::Official, o, None));
            }
            NewRows { record: r, units: vec![(*unit, *joined, None, reason)], statuses }
        })
        .collect();
    write_new_members(tx, store, &items, progress).await
}

/// Rows per statement of a bulk write: one JSON text each (see `json_rows`).
const BULK_ROWS: usize = 4000;

/// Writes rows a chunk at a time (one JSON text per statement), saying how many are written.
/// A row is anything serialized as a JSON array: a `serde_json::Value`, or for the bulk paths a
/// tuple (struct), which is written straight to text without building a tree of values.
pub async fn write_json<T: serde::Serialize + Sync>(
    tx: &mut Conn,
    sql: &str,
    rows: &[T],
    written: &(dyn Fn(u64) + Send + Sync),
) -> Result<()> {
    let mut n = 0;
    for chunk in rows.chunks(BULK_ROWS) {
        let text = serde_json::to_string(chunk).map_err(|e| StoreError::Backend(e.to_string()))?;
        sqlx::query(sqlx::AssertSqlSafe(sql.to_string())).bind(text).execute(&mut *tx).await.db()?;
        n += chunk.len() as u64;
        written(n);
    }
    Ok(())
}

/// The whole tree over time, in memory, for bulk work and a long-lived process's searches.
/// The rows come as one text ("unit,parent,from,to;…"): a row at a time through the driver
/// took 1.3 s for the nation's 268,000 versions on SQLite, the text a small part of that.
async fn timeline(tx: &mut Conn) -> Result<orgwork_domain::timeline::Timeline> {
    let text: Option<String> = sqlx::query_scalar(super::dialect::TIMELINE).fetch_one(&mut *tx).await.db()?;
    let mut t = orgwork_domain::timeline::Timeline::default();
    let bad = |row: &str| StoreError::Backend(format!("unit_version row '{row}' read as text"));
    for row in text.as_deref().unwrap_or_default().split(';').filter(|r| !r.is_empty()) {
        let mut f = row.split(',');
        let mut next = || f.next().ok_or_else(|| bad(row));
        let unit: i64 = next()?.parse().map_err(|_| bad(row))?;
        let parent = match next()? {
            "" => None,
            p => Some(p.parse::<i64>().map_err(|_| bad(row))?),
        };
        let from: NaiveDate = next()?.parse().map_err(|_| bad(row))?;
        let to = match next()? {
            "" => None,
            d => Some(d.parse::<NaiveDate>().map_err(|_| bad(row))?),
        };
        t.add(unit, from, to, parent);
    }
    Ok(t)
}

/// Writes new members and their histories: the rows in bulk statements, and the count ledger
/// computed in memory (each unit's ancestry cut once, from the tree held in memory) and added
/// to the ledger a few hundred thousand members at a time. Every row has been checked; the
/// caller's transaction holds the write lock. A large load runs between `BULK_WRITE_BEGIN` and
/// `BULK_WRITE_END` (the second whatever the outcome).
async fn write_new_members(
    tx: &mut Conn,
    store: &Backend,
    items: &[NewRows<'_>],
    progress: &orgwork_store::Progress<'_>,
) -> Result<bool> {
    let large = items.len() >= store.bulk.large_load;
    let grow = large && store.bulk_cache.load(std::sync::atomic::Ordering::Relaxed);
    if grow {
        super::common::execute_all(tx, super::dialect::BULK_WRITE_BEGIN).await?;
    }
    let written = write_new_members_in(tx, store, items, large, progress).await;
    if grow {
        super::common::execute_all(tx, super::dialect::BULK_WRITE_END).await?;
    }
    written
}

async fn write_new_members_in(
    tx: &mut Conn,
    store: &Backend,
    items: &[NewRows<'_>],
    large: bool,
    progress: &orgwork_store::Progress<'_>,
) -> Result<bool> {
    use super::common::{JsonCol, JsonCol::*};
    use orgwork_store::ImportStage;
    use orgwork_store::copy::Hex;
    let total = items.len() as u64;
    let none = |_| {};
    let now = now_text();
    // A large load into a smaller register writes its rows without the secondary indexes and
    // builds them after (in this transaction, so a failure or a dry run leaves them).
    let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM member").fetch_one(&mut *tx).await.db()?;
    let rebuild = large && items.len() as i64 > existing;
    if rebuild {
        super::common::execute_all(tx, super::dialect::BULK_DROP).await?;
    }
    // The record's columns' types, in `RECORD_COLUMNS` order after the four of the row's own.
    #[rustfmt::skip]
    let member_cols = [
        Int, JsonCol::Hex, Text, Text, Text, Text, Text, Date, Text, Text, Text, Text, Text, Text, Text, Text, Text, Text, Date,
        Date, Text, Text,
    ];
    let member_columns: Vec<(&str, JsonCol)> = ["id", "name_key", "name_fold", "recorded_at"]
        .into_iter()
        .chain(RECORD_COLUMNS.split(',').map(str::trim))
        .zip(member_cols)
        .collect();
    let membership_columns =
        [("member_id", Int), ("valid_from", Date), ("valid_to", Date), ("unit_id", Int), ("reason", Text)];
    let status_columns = [("member_id", Int), ("valid_from", Date), ("valid_to", Date), ("status", Text)];
    /// A member's row in `member_columns`' order (a JSON array, or a `COPY` line).
    #[derive(serde::Serialize)]
    struct MemberRow<'a>(
        i64,
        Hex,
        String,
        &'a str,
        &'a str,
        &'a Option<String>,
        &'a str,
        NaiveDate,
        &'a Option<String>,
        &'a Option<String>,
        &'a Option<String>,
        &'a Option<String>,
        &'a Option<String>,
        &'a Option<String>,
        &'a Option<String>,
        &'a Option<String>,
        &'a Option<String>,
        &'a Option<String>,
        NaiveDate,
        Option<NaiveDate>,
        &'a Option<String>,
        &'a Option<String>,
    );
    impl orgwork_store::copy::CopyRow for MemberRow<'_> {
        fn copy_row(&self, out: &mut String) {
            let r = self;
            orgwork_store::copy::copy_fields(
                &[
                    &r.0, &r.1, &r.2, &r.3, &r.4, &r.5, &r.6, &r.7, &r.8, &r.9, &r.10, &r.11, &r.12, &r.13, &r.14,
                    &r.15, &r.16, &r.17, &r.18, &r.19, &r.20, &r.21,
                ],
                out,
            );
        }
    }
    let mut ids = Vec::with_capacity(items.len());
    let clock = std::time::Instant::now();
    // Milliseconds building the rows, writing members, histories, name words.
    let mut phases = [0u128; 4];
    // A slice at a time, so that the rows' JSON is never held for all of a nation at once.
    let orgwork_store::BulkSizes { slice: slice_size, ledger_held, .. } = store.bulk;
    let mut written = 0u64;
    for slice in items.chunks(slice_size) {
        let mut lap = std::time::Instant::now();
        let mut member_rows = Vec::with_capacity(slice.len());
        let mut membership_rows = Vec::with_capacity(slice.len());
        let mut status_rows = Vec::with_capacity(slice.len() * 2);
        let mut names = Vec::with_capacity(slice.len());
        for item in slice {
            let r = item.record;
            let id = store.ids.next_id();
            ids.push(id);
            let (fold, key) = (name_fold(r), orgwork_domain::text::sort_key(&r.full_name));
            member_rows.push(MemberRow(
                id,
                Hex(to_hex(&key)),
                fold.clone(),
                &now,
                &r.full_name,
                &r.other_names,
                &r.sex,
                r.birth_date,
                &r.ethnicity,
                &r.religion,
                &r.hometown,
                &r.national_id,
                &r.education,
                &r.theory_level,
                &r.occupation,
                &r.workplace,
                &r.phone,
                &r.email,
                r.admitted_on,
                r.official_on,
                &r.card_number,
                &r.record_number,
            ));
            for (unit, from, to, reason) in &item.units {
                membership_rows.push((id, *from, *to, *unit, *reason));
            }
            for (status, from, to) in &item.statuses {
                status_rows.push((id, *from, *to, status.as_str()));
            }
            names.push((id, fold, key));
        }
        let base = written;
        let mut phase = |k: usize| {
            phases[k] += lap.elapsed().as_millis();
            lap = std::time::Instant::now();
        };
        phase(0);
        let told = |n| progress(ImportStage::Writing, base + n, total);
        super::dialect::insert_rows(tx, "member", &member_columns, &member_rows, &told).await?;
        phase(1);
        super::dialect::insert_rows(tx, "membership", &membership_columns, &membership_rows, &none).await?;
        super::dialect::insert_rows(tx, "member_status", &status_columns, &status_rows, &none).await?;
        phase(2);
        let names: Vec<(i64, &str, &[u8])> = names.iter().map(|(id, f, k)| (*id, f.as_str(), k.as_slice())).collect();
        index_words(tx, &names, 1).await?;
        phase(3);
        written += slice.len() as u64;
    }
    let built = std::time::Instant::now();
    if rebuild {
        super::common::execute_all(tx, super::dialect::BULK_CREATE).await?;
    }
    tracing::debug!(
        rows = items.len(),
        rebuild,
        rows_ms = phases[0] as u64,
        members_ms = phases[1] as u64,
        histories_ms = phases[2] as u64,
        words_ms = phases[3] as u64,
        indexes_ms = built.elapsed().as_millis() as u64,
        ms = clock.elapsed().as_millis() as u64,
        "import: rows written"
    );
    progress(ImportStage::Counting, 0, total);
    // The ledger: every contribution, cut by its unit's ancestry, summed per (unit, key, day).
    let tree = timeline(tx).await?;
    let mut ancestry: std::collections::HashMap<i64, Vec<orgwork_domain::timeline::Segment>> =
        std::collections::HashMap::new();
    let mut keys: Vec<String> = vec![];
    let mut key_index: std::collections::HashMap<String, u16> = std::collections::HashMap::new();
    let mut counted = 0u64;
    // The sums are held across slices and written when they grow past `ledger_held` entries
    // (by default about 200 MB) and at the end: members spread over the same units meet the
    // same (unit, key, day) rows slice after slice, and each row is then written once rather
    // than once per slice and updated after (1,000,000 members into the demo's cells: ledger
    // rows written five times over, and on PostgreSQL each update leaves a dead row).
    let mut sums: std::collections::HashMap<(i64, u16, NaiveDate), i64> = std::collections::HashMap::new();
    // A load larger than the register: the ledger's rows before it (as many as the register's,
    // fewer than the load's), so that the first rows written can be plain inserts where none is
    // there to add to (`ledger_insert`); after that every row is added (`ledger_add`).
    let mut before: Option<std::collections::HashSet<(i64, u16, NaiveDate)>> = None;
    if rebuild {
        let rows: Vec<(i64, String, NaiveDate)> =
            sqlx::query_as("SELECT unit_id, key, day FROM member_ledger").fetch_all(&mut *tx).await.db()?;
        before = Some(rows.into_iter().map(|(u, key, day)| (u, intern(&mut keys, &mut key_index, key), day)).collect());
    }
    let slices = items.len().div_ceil(slice_size);
    for (i, slice) in items.chunks(slice_size).enumerate() {
        for item in slice {
            let memberships: Vec<(i64, Span)> =
                item.units.iter().map(|(u, f, t, _)| (*u, Span { from: *f, to: *t })).collect();
            let statuses: Vec<(Status, Span)> =
                item.statuses.iter().map(|(s, f, t)| (*s, Span { from: *f, to: *t })).collect();
            for c in contributions(&store.profile, item.record, &memberships, &statuses) {
                let k = intern(&mut keys, &mut key_index, c.key);
                let segs = ancestry.entry(c.unit_id).or_insert_with(|| tree.whole_life(c.unit_id));
                for (from, to, path) in segs.iter() {
                    let f = (*from).max(c.span.from);
                    let t = match (*to, c.span.to) {
                        (Some(a), Some(b)) => Some(a.min(b)),
                        (a, b) => a.or(b),
                    };
                    if t.is_some_and(|t| t <= f) {
                        continue;
                    }
                    for u in path {
                        *sums.entry((*u, k, f)).or_default() += 1;
                        if let Some(t) = t {
                            *sums.entry((*u, k, t)).or_default() -= 1;
                        }
                    }
                }
            }
        }
        counted += slice.len() as u64;
        if sums.len() < ledger_held && i + 1 < slices {
            progress(ImportStage::Counting, counted, total);
            continue;
        }
        // Each in key order (see `ledger_add`): the rows to add to one there, the others.
        let there = before.take();
        let (mut added, mut fresh) = (vec![], vec![]);
        for ((u, k, day), v) in std::mem::take(&mut sums) {
            if v == 0 {
                continue;
            }
            let row = (u, keys[k as usize].as_str(), day, v);
            match &there {
                Some(there) if !there.contains(&(u, k, day)) => fresh.push(row),
                _ => added.push(row),
            }
        }
        added.sort_unstable();
        fresh.sort_unstable();
        ledger_add(tx, &added).await?;
        ledger_insert(tx, &fresh).await?;
        progress(ImportStage::Counting, counted, total);
    }
    tracing::debug!(ms = clock.elapsed().as_millis() as u64, "import: ledger written");
    Ok(rebuild)
}

/// The index of `key` in `keys`, added if new.
fn intern(keys: &mut Vec<String>, index: &mut std::collections::HashMap<String, u16>, key: String) -> u16 {
    if let Some(k) = index.get(&key) {
        return *k;
    }
    keys.push(key.clone());
    index.insert(key, (keys.len() - 1) as u16);
    (keys.len() - 1) as u16
}

impl Backend {
    /// After a large load has committed: the default ledger checkpoints, if missing (in a
    /// transaction of their own: without them counts are the same, only slower); then, on
    /// SQLite, the write-ahead log folded into the database and truncated (its planner does well
    /// without statistics); on PostgreSQL, fresh statistics and a `VACUUM` of the tables the load
    /// rewrote (a ledger row written before may be updated by the load, and until a vacuum every
    /// read of a unit's counts visits the dead versions too).
    async fn after_large_load(&self) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let mut days = checkpoints_in(&mut tx).await?;
        days.extend(orgwork_store::default_checkpoints(chrono::Local::now().date_naive()));
        set_checkpoints_in(&mut tx, &days).await?;
        self.commit(tx).await?;
        let mut conn = self.upkeep().acquire().await.db()?;
        super::common::execute_all(&mut conn, super::dialect::AFTER_BULK_COMMIT).await
    }
}

/// Most members a search narrows to through the name index before it reads them one by one.
const NAME_HITS: usize = 2000;

/// The members a query can match, from SQLite's trigram index over folded names (with those
/// whose card number or national ID it is), when they are few; `None` when the index cannot
/// narrow the search (words shorter than three letters, many matches, or a dialect without the
/// index, `dialect::NAME_HITS`: PostgreSQL's planner uses its trigram index for the LIKE itself).
async fn name_hits(store: &Backend, query: &str) -> Result<Option<Vec<i64>>> {
    if !super::dialect::NAME_HITS {
        return Ok(None);
    }
    let folded = orgwork_domain::text::fold(query);
    let words: Vec<&str> = folded.split(' ').filter(|w| w.chars().count() >= 3).collect();
    if words.is_empty() {
        return Ok(None);
    }
    // Each word as an FTS5 string (quotes doubled): every word must occur.
    let matching = words.iter().map(|w| format!("\"{}\"", w.replace('"', "\"\""))).collect::<Vec<_>>().join(" AND ");
    let mut ids: Vec<i64> =
        sqlx::query_scalar("SELECT rowid FROM member_name_fts WHERE member_name_fts MATCH $1 LIMIT $2")
            .bind(matching)
            .bind((NAME_HITS + 1) as i64)
            .fetch_all(store.reader())
            .await
            .db()?;
    if ids.len() > NAME_HITS {
        return Ok(None);
    }
    ids.extend(numbers_match(store, query).await?);
    Ok(Some(ids))
}

/// The members whose `field` (card_number or national_id) is one of `values`: value → id.
async fn ids_by(conn: &mut Conn, field: &str, values: &[&String]) -> Result<std::collections::HashMap<String, i64>> {
    let mut out = std::collections::HashMap::new();
    for chunk in values.chunks(500) {
        let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        // `field` is one of two column names fixed by the callers; the values are bound.
        let mut q = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {field} AS v, id FROM member WHERE {field} IN ({})",
            marks.join(", ")
        )));
        for v in chunk {
            q = q.bind(v.as_str());
        }
        for r in q.fetch_all(&mut *conn).await.db()? {
            out.insert(r.try_get::<String, _>("v").db()?, r.try_get::<i64, _>("id").db()?);
        }
    }
    Ok(out)
}

fn row_error(row: usize, column: &str, value: &str, reason: impl Into<String>) -> orgwork_domain::import::RowError {
    orgwork_domain::import::RowError { row, column: column.into(), value: value.into(), reason: reason.into() }
}

impl Backend {
    /// A subtree's counts on a date, summed from the ledger (uncached).
    async fn stats_from_ledger(&self, unit: &UnitCode, as_of: NaiveDate) -> Result<Stats> {
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

/// How a search by name finds its candidates (see ARCHITECTURE.md, "Search").
enum NamePlan {
    /// A word of the query is in no member's name: only a card number or national ID can match.
    Nobody,
    /// Read the members of these words (those of the vocabulary containing the query's rarest
    /// word) from the word index in list order, until the page is full; `spread` is how many
    /// members there are in all for one under the searched unit.
    Walk { words: Vec<String>, spread: i64 },
    /// Read the members of the subtree (narrowed by SQLite's trigram index when few match).
    Scan,
}

/// Most vocabulary words a query word may stand for before it is not worth walking ("an"
/// is in hundreds of words; the list read in name order finds its matches soon anyway).
const WALK_WORDS: usize = 64;

/// The LIKE pattern of a query over folded names: every word, in the order typed (`dang mai`
/// finds "Đặng Thị Mai").
fn name_pattern(query: &str) -> String {
    format!("%{}%", like_escape(&orgwork_domain::text::fold(query)).replace(' ', "%"))
}

/// The members whose card number or national ID the query is.
async fn numbers_match(store: &Backend, query: &str) -> Result<Vec<i64>> {
    sqlx::query_scalar("SELECT id FROM member WHERE card_number = $1 OR national_id = $1")
        .bind(query.trim())
        .fetch_all(store.reader())
        .await
        .db()
}

/// `text` with LIKE's special characters escaped (for `ESCAPE '\\'`).
fn like_escape(text: &str) -> String {
    text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

impl Backend {
    /// The members of a subtree on a day (`top`, or everyone), on a page after `after` (name
    /// key, id), filtered, and among `hits` when given: the summaries and their paging keys.
    #[allow(clippy::too_many_arguments)]
    async fn select_members(
        &self,
        top: Option<i64>,
        as_of: NaiveDate,
        filter: &MemberFilter,
        query: Option<&str>,
        hits: Option<&[i64]>,
        after: (&[u8], i64),
        want: i64,
    ) -> Result<Found> {
        let (after_key, after_id) = after;
        // Few members have this name: those under the unit are found by climbing from their
        // units, instead of walking its whole subtree (30,000 units under a province).
        let under_top;
        let (top, hits) = match (top, hits) {
            (Some(t), Some(ids)) => {
                under_top = self.members_under_top(&mut Under::new(Some(t)), ids, as_of).await?;
                (None, Some(under_top.as_slice()))
            }
            other => other,
        };
        let hit_list = hits.map(|ids| if ids.is_empty() { "0".to_string() } else { super::common::id_list(ids) });
        let mut sql = String::new();
        if top.is_some() {
            sql.push_str(SUBTREE);
        }
        sql.push_str(
            "SELECT m.id, m.full_name, m.name_key, m.birth_date, m.sex, m.card_number, u.code, ms.unit_id, st.status \
             FROM membership ms JOIN member m ON m.id = ms.member_id JOIN unit u ON u.id = ms.unit_id \
             JOIN member_status st ON st.member_id = m.id AND st.valid_from <= $2 AND (st.valid_to IS NULL OR st.valid_to > $2) ",
        );
        if top.is_some() {
            sql.push_str("JOIN sub ON sub.id = ms.unit_id ");
        }
        // $1 (the subtree's top) and $6 (born after, for an age category) are always bound and
        // always used, so that both databases see the same parameters.
        sql.push_str(
            "WHERE ms.valid_from <= $2 AND (ms.valid_to IS NULL OR ms.valid_to > $2) AND (m.name_key > $3 OR (m.name_key = $3 AND m.id > $4)) \
             AND CAST($1 AS BIGINT) IS NOT NULL AND m.birth_date > $6 ",
        );
        let mut binds: Vec<String> = vec![];
        if let Some(list) = &hit_list {
            // Few members have this name: read those, not the whole subtree.
            sql.push_str(&format!("AND m.id IN ({list}) "));
        }
        if let Some(q) = query {
            binds.push(name_pattern(q));
            binds.push(q.to_string());
            let n = binds.len() + 6;
            sql.push_str(&format!(
                "AND (m.name_fold LIKE ${} ESCAPE '\\' OR m.card_number = ${n} OR m.national_id = ${n}) ",
                n - 1
            ));
        }
        if let Some(s) = filter.status {
            binds.push(s.as_str().to_string());
            sql.push_str(&format!("AND st.status = ${} ", binds.len() + 6));
        }
        let mut born_after = None;
        if let Some(c) = &filter.category {
            let rule = self.profile.members.categories.iter().find(|r| &r.id == c).ok_or_else(|| {
                StoreError::from(Error::invalid(
                    "invalid_category",
                    format!("category: '{c}' is not a category of the profile"),
                ))
            })?;
            if let Some(age) = rule.age_under {
                born_after = Some(as_of - chrono::Months::new(age * 12));
            } else if let Some(field) =
                rule.field.as_deref().filter(|f| orgwork_domain::members::CATEGORY_FIELDS.contains(f))
            {
                let (list, negate) = match (&rule.field_in, &rule.field_not_in) {
                    (Some(l), _) => (l, false),
                    (None, Some(l)) => (l, true),
                    _ => return Ok(Found::default()),
                };
                let mut marks = vec![];
                for v in list {
                    binds.push(v.clone());
                    marks.push(format!("${}", binds.len() + 6));
                }
                let inside = format!("COALESCE(m.{field}, '') IN ({})", marks.join(", "));
                // As in the domain's rule: an unknown value is not "another value".
                sql.push_str(&if negate {
                    format!("AND COALESCE(m.{field}, '') <> '' AND NOT {inside} ")
                } else {
                    format!("AND {inside} ")
                });
            }
        }
        sql.push_str("ORDER BY m.name_key, m.id LIMIT $5");
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(top.unwrap_or(0))
            .bind(as_of)
            .bind(after_key)
            .bind(after_id)
            .bind(want)
            .bind(born_after.unwrap_or(NaiveDate::from_ymd_opt(1, 1, 1).unwrap_or_default()));
        for b in binds {
            q = q.bind(b);
        }
        let rows = q.fetch_all(self.reader()).await.db()?;
        let mut found = Found::default();
        for r in &rows {
            let id: i64 = r.try_get("id").db()?;
            found.keys.push(format!("{}|{id}", to_hex(&r.try_get::<Vec<u8>, _>("name_key").db()?)));
            found.units.push(r.try_get("unit_id").db()?);
            found.items.push(MemberSummary {
                id: id.to_string(),
                full_name: r.try_get("full_name").db()?,
                birth_date: r.try_get("birth_date").db()?,
                sex: r.try_get("sex").db()?,
                unit: UnitCode::from_stored(r.try_get("code").db()?),
                status: Status::parse(&r.try_get::<String, _>("status").db()?)?,
                card_number: r.try_get("card_number").db()?,
            });
        }
        Ok(found)
    }

    /// How to search for `query` under `top` (everyone when `None`) on a day, for a page of
    /// `want` rows. The walk reads at most the postings of the query's rarest word, and about
    /// `want` × (everyone / the subtree's members) of them before the page is full when the
    /// matches are spread evenly; the scan reads every member of the subtree. The walk is taken
    /// when it should read fewer.
    async fn name_plan(
        &self,
        query: &str,
        top: Option<i64>,
        root: Option<i64>,
        as_of: NaiveDate,
        want: i64,
    ) -> Result<NamePlan> {
        let folded = orgwork_domain::text::fold(query);
        let mut best: Option<(i64, Vec<String>)> = None;
        for word in folded.split(' ').filter(|w| !w.is_empty()) {
            let rows = sqlx::query("SELECT word, members FROM name_word WHERE word LIKE $1 ESCAPE '\\' LIMIT $2")
                .bind(format!("%{}%", like_escape(word)))
                .bind(WALK_WORDS as i64 + 1)
                .fetch_all(self.reader())
                .await
                .db()?;
            if rows.is_empty() {
                return Ok(NamePlan::Nobody);
            }
            if rows.len() > WALK_WORDS {
                continue;
            }
            let mut cost = 0i64;
            let mut words = Vec::with_capacity(rows.len());
            for r in &rows {
                words.push(r.try_get::<String, _>("word").db()?);
                cost += r.try_get::<i64, _>("members").db()?;
            }
            if best.as_ref().is_none_or(|(c, _)| cost < *c) {
                best = Some((cost, words));
            }
        }
        let Some((cost, words)) = best else {
            return Ok(NamePlan::Scan);
        };
        // A query that is both a name and someone's card number is searched the plain way.
        if !numbers_match(self, query).await?.is_empty() {
            return Ok(NamePlan::Scan);
        }
        let Some(top) = top else {
            return Ok(NamePlan::Walk { words, spread: 1 });
        };
        let Some(root) = root else {
            return Ok(NamePlan::Scan);
        };
        let everyone = self.members_under(root, as_of).await?;
        let scope = self.members_under(top, as_of).await?.max(1);
        let expected = cost.min(WALK_SPREAD * want * everyone / scope);
        tracing::debug!(cost, expected, scope, everyone, words = words.len(), "search: plan");
        Ok(if expected < scope { NamePlan::Walk { words, spread: ceil_div(everyone, scope) } } else { NamePlan::Scan })
    }

    /// How to list the members under `top` without a name: the walk of every member in list
    /// order when the unit holds so many that the page fills soon (a province of a nation:
    /// reading its whole subtree to sort it takes seconds), else the scan of its subtree.
    async fn list_plan(&self, top: Option<i64>, root: Option<i64>, as_of: NaiveDate, want: i64) -> Result<NamePlan> {
        let (Some(top), Some(root)) = (top, root) else {
            return Ok(NamePlan::Scan);
        };
        let everyone = self.members_under(root, as_of).await?;
        let scope = self.members_under(top, as_of).await?.max(1);
        let expected = WALK_SPREAD * want * everyone / scope;
        tracing::debug!(expected, scope, everyone, "list: plan");
        Ok(if expected < scope {
            NamePlan::Walk { words: vec![], spread: ceil_div(everyone, scope) }
        } else {
            NamePlan::Scan
        })
    }

    /// Members counted under a unit on a day, from the ledger.
    async fn members_under(&self, unit: i64, as_of: NaiveDate) -> Result<i64> {
        let sums = ledger_sums(&mut *self.reader().acquire().await.db()?, &[unit], as_of, Some("total")).await?;
        Ok(sums.first().map_or(0, |(_, _, n)| *n))
    }

    /// The search through the word index (or, without `words`, through the members in list
    /// order): the postings of `words` whose folded names match,
    /// after the page's cursor, in list order, a batch at a time (growing); each batch's
    /// members are then read and judged by the other filters and by their unit, until `want`
    /// rows are found or the postings end.
    #[allow(clippy::too_many_arguments)]
    async fn walk_words(
        &self,
        top: Option<i64>,
        as_of: NaiveDate,
        filter: &MemberFilter,
        query: Option<&str>,
        words: &[String],
        after: (&[u8], i64),
        want: i64,
        spread: i64,
    ) -> Result<Found> {
        // Each word's next postings in order, merged; a member with two of the words once.
        let parts: Vec<String> = (0..words.len())
            .map(|i| {
                format!(
                    "SELECT * FROM (SELECT name_key, member_id FROM member_word WHERE word = ${} AND name_key >= $1 \
                     AND (name_key > $1 OR member_id > $2) AND name_fold LIKE $4 ESCAPE '\\' \
                     ORDER BY name_key, member_id LIMIT $3) AS w{i}",
                    i + 5
                )
            })
            .collect();
        let sql = if words.is_empty() {
            // No name: every member, in list order (the pattern, bound all the same, is '%').
            "SELECT name_key, id AS member_id FROM member WHERE name_key >= $1 AND (name_key > $1 OR id > $2) \
             AND CAST($4 AS TEXT) IS NOT NULL ORDER BY name_key, id LIMIT $3"
                .to_string()
        } else {
            format!(
                "SELECT DISTINCT name_key, member_id FROM ({}) AS p ORDER BY name_key, member_id LIMIT $3",
                parts.join(" UNION ALL ")
            )
        };
        // Names are judged in the index: only the members whose names match are read.
        let pattern = name_pattern(query.unwrap_or_default());
        let mut found = Found::default();
        let mut under = Under::new(top);
        let mut cursor = (after.0.to_vec(), after.1);
        // Small first (a common word under the root fills the page from its first postings;
        // under a unit, one member in `spread` is expected to be under it, and half as many
        // again are read so that an unlucky batch seldom needs a second); the next batches are
        // sized below from what the earlier ones found.
        let mut batch = (2 * want).max(want * spread * 3 / 2).min(WALK_BATCH_MOST);
        let clock = std::time::Instant::now();
        let (mut read, mut rounds) = (0, 0);
        loop {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                .bind(&cursor.0)
                .bind(cursor.1)
                .bind(batch)
                .bind(&pattern);
            for w in words {
                q = q.bind(w);
            }
            let postings = q.fetch_all(self.reader()).await.db()?;
            let Some(last) = postings.last() else { break };
            (read, rounds) = (read + postings.len(), rounds + 1);
            let next = (last.try_get::<Vec<u8>, _>("name_key").db()?, last.try_get::<i64, _>("member_id").db()?);
            let mut ids =
                postings.iter().map(|r| r.try_get::<i64, _>("member_id")).collect::<sqlx::Result<Vec<_>>>().db()?;
            if top.is_some() {
                // Under a unit: the members' units first (one read each), so that only those
                // under it are read whole.
                ids = self.members_under_top(&mut under, &ids, as_of).await?;
            }
            // The batch's members (their names matched in the index, their units under the
            // searched one) that pass the other filters, in order. Without the name's
            // condition, the planner reads the members by id (with it, PostgreSQL may prefer
            // the trigram index).
            let matching = self.select_members(None, as_of, filter, None, Some(&ids), after, batch).await?;
            let room = (want as usize).saturating_sub(found.items.len());
            found.items.extend(matching.items.into_iter().take(room));
            found.keys.extend(matching.keys.into_iter().take(room));
            found.units.extend(matching.units.into_iter().take(room));
            if found.items.len() as i64 >= want || (postings.len() as i64) < batch {
                break;
            }
            cursor = next;
            // The next batch from the share found so far (half as many again), or twice this
            // one when none was: a second batch reads about what the page still lacks.
            let (got, lacking) = (found.items.len() as i64, want - found.items.len() as i64);
            batch = if got > 0 { ((lacking * read as i64 * 3 + 2 * got - 1) / (2 * got)).max(want) } else { batch * 2 }
                .min(WALK_BATCH_MOST);
        }
        tracing::debug!(
            read,
            rounds,
            found = found.items.len(),
            ms = clock.elapsed().as_millis() as u64,
            "search: walked"
        );
        Ok(found)
    }

    /// (`key`, `value`) of the rows of a dated table (`membership`, `unit_version`) whose `key`
    /// is one of `ids` and that hold on a day.
    async fn rows_on(
        &self,
        table: &str,
        key: &str,
        value: &str,
        ids: &[i64],
        as_of: NaiveDate,
    ) -> Result<Vec<(i64, Option<i64>)>> {
        if ids.is_empty() {
            return Ok(vec![]);
        }
        let list = super::common::id_list(ids);
        // Table and column names fixed by the callers; ids from the database, written as numbers.
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {key} AS k, {value} AS v FROM {table} WHERE {key} IN ({list}) \
             AND valid_from <= $1 AND (valid_to IS NULL OR valid_to > $1)"
        )))
        .bind(as_of)
        .fetch_all(self.reader())
        .await
        .db()?;
        rows.iter().map(|r| Ok((r.try_get::<i64, _>("k").db()?, r.try_get::<Option<i64>, _>("v").db()?))).collect()
    }

    /// Those of `members` whose unit on a day lies under the search's unit, in their order.
    async fn members_under_top(&self, under: &mut Under, members: &[i64], as_of: NaiveDate) -> Result<Vec<i64>> {
        if members.is_empty() {
            return Ok(vec![]);
        }
        let unit_of: std::collections::HashMap<i64, Option<i64>> =
            self.rows_on("membership", "member_id", "unit_id", members, as_of).await?.into_iter().collect();
        let placed: Vec<(i64, i64)> = members.iter().filter_map(|m| Some((*m, (*unit_of.get(m)?)?))).collect();
        let units: Vec<i64> = placed.iter().map(|(_, u)| *u).collect();
        let inside = self.under_top(under, &units, as_of).await?;
        Ok(placed.into_iter().zip(inside).filter(|(_, inside)| *inside).map(|((m, _), _)| m).collect())
    }

    /// Whether each of `units` lies under the search's unit on a day: each unit's ancestry is
    /// climbed a level at a time for all units at once, and every unit passed on the way is
    /// remembered for the rest of the search.
    async fn under_top(&self, under: &mut Under, units: &[i64], as_of: NaiveDate) -> Result<Vec<bool>> {
        let Some(top) = under.top else {
            return Ok(vec![true; units.len()]);
        };
        let mut frontier: Vec<i64> = units.iter().copied().filter(|u| !under.known.contains_key(u)).collect();
        frontier.sort_unstable();
        frontier.dedup();
        if !frontier.is_empty()
            && let Some(tree) = self.tree_in_memory().await?
        {
            for u in frontier {
                under.known.insert(u, tree.timeline.under(u, top, as_of));
            }
            return Ok(units.iter().map(|u| under.known.get(u).copied().unwrap_or(false)).collect());
        }
        let mut climbed: Vec<i64> = vec![];
        while !frontier.is_empty() {
            let mut next = vec![];
            for (unit, parent) in self.rows_on("unit_version", "unit_id", "parent_id", &frontier, as_of).await? {
                under.parent.insert(unit, parent);
                if let Some(p) = parent
                    && p != top
                    && !under.known.contains_key(&p)
                    && !under.parent.contains_key(&p)
                {
                    next.push(p);
                }
            }
            climbed.extend(frontier);
            next.sort_unstable();
            next.dedup();
            frontier = next;
        }
        self.tree.climbed(climbed.len() as u64);
        // Settle every unit climbed through, from its ancestors down.
        for u in climbed {
            let mut chain = vec![];
            let mut at = Some(u);
            let verdict = loop {
                match at {
                    None => break false,
                    Some(a) if a == top => break true,
                    Some(a) => {
                        if let Some(v) = under.known.get(&a) {
                            break *v;
                        }
                        chain.push(a);
                        // A unit with no version on the day is under nothing.
                        at = under.parent.get(&a).copied().flatten();
                    }
                }
            };
            for c in chain {
                under.known.insert(c, verdict);
            }
        }
        Ok(units.iter().map(|u| under.known.get(u).copied().unwrap_or(false)).collect())
    }
}

impl Backend {
    /// The unit tree in memory (`orgwork_store::tree`), when searches have climbed enough to
    /// make reading it pay: the kept one if the database's stamp is still the one it was read
    /// under, else read now. `None` while climbing in the database is still cheaper.
    async fn tree_in_memory(&self) -> Result<Option<std::sync::Arc<orgwork_store::tree::Tree>>> {
        if !self.tree.worth_reading() {
            return Ok(None);
        }
        if self.tree.needs_size() {
            let rows: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM unit_version").fetch_one(self.reader()).await.db()?;
            self.tree.size(rows.max(0) as u64);
            if !self.tree.worth_reading() {
                return Ok(None);
            }
        }
        let stamp = self.structure_stamp().await?;
        if let Some(tree) = self.tree.current(stamp) {
            return Ok(Some(tree));
        }
        if !self.tree.worth_reading() {
            // The structure changed since the tree was read: climb in the database again.
            return Ok(None);
        }
        let Some(_reading) = self.tree.begin_reading() else {
            // Another search is reading it: climb in the database meanwhile.
            return Ok(None);
        };
        let clock = std::time::Instant::now();
        let timeline = timeline(&mut *self.reader().acquire().await.db()?).await?;
        // Read between two equal stamps, the rows are the tree of that stamp (every write of
        // unit_version moves it in its own transaction); otherwise they may mix two trees.
        if self.structure_stamp().await? != stamp {
            return Ok(None);
        }
        let tree = std::sync::Arc::new(orgwork_store::tree::Tree { stamp, timeline });
        tracing::debug!(
            versions = tree.timeline.len(),
            climbed = self.tree.climbed_so_far(),
            ms = clock.elapsed().as_millis() as u64,
            "search: tree read"
        );
        self.tree.keep(tree.clone());
        Ok(Some(tree))
    }

    async fn structure_stamp(&self) -> Result<i64> {
        sqlx::query_scalar("SELECT n FROM structure_clock WHERE id = 1").fetch_one(self.reader()).await.db()
    }
}

/// Members found by a search: their summaries, paging keys and units, in list order.
#[derive(Default)]
struct Found {
    items: Vec<MemberSummary>,
    keys: Vec<String>,
    units: Vec<i64>,
}

/// What a search has learnt of the tree: for each unit passed, whether it lies under the
/// search's unit (`top`; everything does when there is none), and the parents read.
struct Under {
    top: Option<i64>,
    known: std::collections::HashMap<i64, bool>,
    parent: std::collections::HashMap<i64, Option<i64>>,
}

impl Under {
    fn new(top: Option<i64>) -> Under {
        let mut known = std::collections::HashMap::new();
        if let Some(t) = top {
            known.insert(t, true);
        }
        Under { top, known, parent: std::collections::HashMap::new() }
    }
}

/// How many members in all for one under the unit, rounded up (at least 1).
fn ceil_div(everyone: i64, scope: i64) -> i64 {
    ((everyone + scope.max(1) - 1) / scope.max(1)).max(1)
}

/// The walk's first batch is this many times the page (see `Backend::name_plan`).
const WALK_SPREAD: i64 = 8;
/// The walk's largest batch of postings.
const WALK_BATCH_MOST: i64 = 8192;

#[async_trait]
impl MemberStore for Backend {
    async fn import_members_with_progress(
        &self,
        actor: &Actor,
        rows: &[orgwork_domain::import::ImportRow],
        default_unit: Option<&UnitCode>,
        dry_run: bool,
        scope: &orgwork_store::ImportScope,
        progress: &orgwork_store::Progress<'_>,
    ) -> Result<orgwork_store::ImportReport> {
        use orgwork_store::ImportStage;
        let total = rows.len() as u64;
        let mut report = orgwork_store::ImportReport { dry_run, ..Default::default() };
        let clock = std::time::Instant::now();
        let mut tx = self.begin_write().await?;
        let mut seen: std::collections::HashMap<(&str, &str), usize> = std::collections::HashMap::new();
        for r in rows {
            for (field, value) in [("card_number", &r.record.card_number), ("national_id", &r.record.national_id)] {
                if let Some(v) = value
                    && let Some(first) = seen.insert((field, v.as_str()), r.row)
                {
                    report.fault(row_error(r.row, field, v, format!("is on row {first} too")));
                }
            }
        }
        if !report.errors.is_empty() {
            return Ok(report);
        }
        let today = chrono::Local::now().date_naive();
        let mut fresh: Vec<(&Record, i64, NaiveDate)> = vec![];
        let mut units: std::collections::HashMap<UnitCode, std::result::Result<i64, String>> =
            std::collections::HashMap::new();
        // The members the rows name, looked up in batches rather than row by row.
        let cards: Vec<&String> = rows.iter().filter_map(|r| r.record.card_number.as_ref()).collect();
        let national_ids: Vec<&String> = rows.iter().filter_map(|r| r.record.national_id.as_ref()).collect();
        let by_card = ids_by(&mut tx, "card_number", &cards).await?;
        let by_national_id = ids_by(&mut tx, "national_id", &national_ids).await?;
        let mut unit_starts: std::collections::HashMap<i64, NaiveDate> = std::collections::HashMap::new();
        for (i, r) in rows.iter().enumerate() {
            if i % 2000 == 0 {
                progress(ImportStage::Checking, i as u64, total);
            }
            // The member this row is: by card number, else by national ID.
            let existing = r
                .record
                .card_number
                .as_ref()
                .and_then(|c| by_card.get(c))
                .or_else(|| r.record.national_id.as_ref().and_then(|n| by_national_id.get(n)))
                .copied();
            let unit = r.unit.as_ref().or(default_unit);
            let Some(unit) = unit else {
                report.fault(row_error(r.row, "unit", "", "no unit: give a unit column or a default unit"));
                continue;
            };
            match existing {
                Some(id) => {
                    let key = match &r.record.card_number {
                        Some(c) if by_card.contains_key(c) => ("card_number", c.as_str()),
                        _ => ("national_id", r.record.national_id.as_deref().unwrap_or("")),
                    };
                    let Some((current, _)) = open_membership_of(&mut tx, id).await? else {
                        // Who has left the register (transferred out of the tree, deceased,
                        // expelled) is no import's to change.
                        if !readable(&mut tx, scope, id, today).await? {
                            report.hidden_matches += 1;
                        }
                        report.fault(row_error(r.row, key.0, key.1, LEFT_MEMBER));
                        continue;
                    };
                    let code = unit_code(&mut tx, current).await?;
                    let explicit = r.unit.is_some();
                    let inside = if explicit { code == *unit } else { within(&mut tx, current, unit, today).await? };
                    if !inside {
                        if readable(&mut tx, scope, id, today).await? {
                            report.fault(row_error(
                                r.row,
                                "unit",
                                unit.as_str(),
                                format!("member {id} belongs to {code}: a transfer moves members, an import does not"),
                            ));
                        } else {
                            report.hidden_matches += 1;
                            report.fault(row_error(r.row, key.0, key.1, HIDDEN_MEMBER));
                        }
                        continue;
                    }
                    match write_record(&mut tx, &self.profile, id, &r.record).await {
                        Ok(true) => report.updated += 1,
                        Ok(false) => report.unchanged += 1,
                        // The row's other number is another member's: named only to who may see them.
                        Err(StoreError::Domain(e)) if e.code == "duplicate_member" => {
                            let Some((field, value, other)) = unique_owner(&mut tx, &r.record, Some(id)).await? else {
                                return Err(StoreError::Domain(e));
                            };
                            if readable(&mut tx, scope, other, today).await? {
                                report.fault(row_error(
                                    r.row,
                                    field,
                                    &value,
                                    format!("belongs to member {other} already"),
                                ));
                            } else {
                                report.hidden_matches += 1;
                                report.fault(row_error(r.row, field, &value, HIDDEN_MEMBER));
                            }
                        }
                        Err(StoreError::Domain(e)) => report.fault(row_error(
                            r.row,
                            e.message.split(':').next().unwrap_or(""),
                            "",
                            e.message.clone(),
                        )),
                        Err(e) => return Err(e),
                    }
                }
                None => {
                    // Units are few and rows many: each unit is looked up once.
                    if !units.contains_key(unit) {
                        let found = match super::structure::live_unit_id(&mut tx, unit, today).await {
                            Ok(u) if super::structure::unit_ends(&mut tx, u).await?.is_some() => {
                                Err("is dissolved; a member cannot join it".to_string())
                            }
                            Ok(u) => Ok(u),
                            Err(StoreError::Domain(e)) => Err(e.message),
                            Err(e) => return Err(e),
                        };
                        units.insert(unit.clone(), found);
                    }
                    let unit_id = match &units[unit] {
                        Ok(u) => *u,
                        Err(why) => {
                            report.fault(row_error(r.row, "unit", unit.as_str(), why.clone()));
                            continue;
                        }
                    };
                    let starts = match unit_starts.get(&unit_id) {
                        Some(d) => *d,
                        None => {
                            let d: NaiveDate = sqlx::query_scalar("SELECT valid_from FROM unit WHERE id = $1")
                                .bind(unit_id)
                                .fetch_one(&mut *tx)
                                .await
                                .db()?;
                            unit_starts.insert(unit_id, d);
                            d
                        }
                    };
                    let joins = r.record.admitted_on.max(starts);
                    if let Some(writable) = &scope.writable_from {
                        match writable.get(unit) {
                            Some(from) if joins >= *from => {}
                            Some(from) => {
                                report.fault(row_error(
                                    r.row,
                                    "admitted_on",
                                    &r.record.admitted_on.to_string(),
                                    format!(
                                        "the member would be counted in {unit} from {joins}, but {unit} is yours to change only from {from} (it lay outside your units before)"
                                    ),
                                ));
                                continue;
                            }
                            None => {
                                report.fault(row_error(r.row, "unit", unit.as_str(), "is not a unit you may change"));
                                continue;
                            }
                        }
                    }
                    // New members are written together once every row has passed.
                    fresh.push((&r.record, unit_id, joins));
                    report.created += 1;
                }
            }
        }
        tracing::debug!(rows = rows.len(), ms = clock.elapsed().as_millis() as u64, "import: rows checked");
        let mut large = false;
        if report.errors.is_empty() && !fresh.is_empty() {
            progress(ImportStage::Writing, 0, fresh.len() as u64);
            large = bulk_admit(&mut tx, self, &fresh, progress).await?;
        }
        if report.errors.is_empty() && !dry_run {
            let target = format!("import:{}", rows.len());
            let summary = serde_json::json!({"created": report.created, "updated": report.updated, "unchanged": report.unchanged});
            append(
                &mut tx,
                actor,
                AuditChange {
                    action: "member.import",
                    target: &target,
                    unit_id: None,
                    before: None,
                    after: Some(summary),
                },
            )
            .await?;
            self.commit(tx).await?;
            tracing::debug!(ms = clock.elapsed().as_millis() as u64, "import: committed");
            if large {
                self.after_large_load().await?;
            }
        } else {
            tx.rollback().await.db()?;
        }
        Ok(report)
    }

    async fn load_members(
        &self,
        actor: &Actor,
        members: &[orgwork_store::MemberHistory],
        progress: &orgwork_store::Progress<'_>,
    ) -> Result<u64> {
        let mut tx = self.begin_write().await?;
        // Every unit by code: (store key, life).
        let rows = sqlx::query("SELECT id, code, valid_from, valid_to FROM unit").fetch_all(&mut *tx).await.db()?;
        let mut lives: std::collections::HashMap<String, Vec<(i64, NaiveDate, Option<NaiveDate>)>> =
            std::collections::HashMap::new();
        for r in rows {
            lives.entry(r.try_get("code").db()?).or_default().push((
                r.try_get("id").db()?,
                r.try_get("valid_from").db()?,
                r.try_get("valid_to").db()?,
            ));
        }
        let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        let mut items = Vec::with_capacity(members.len());
        for (i, m) in members.iter().enumerate() {
            let who = match &m.record.card_number {
                Some(c) => format!("member {} (card {c})", i + 1),
                None => format!("member {} ({})", i + 1, m.record.full_name),
            };
            let bad = |why: String| -> StoreError { Error::invalid("invalid_history", format!("{who}: {why}")).into() };
            if m.units.is_empty() || m.statuses.is_empty() {
                return Err(bad("a member needs at least one unit and one status".into()));
            }
            let mut units = Vec::with_capacity(m.units.len());
            for (k, (code, from, to)) in m.units.iter().enumerate() {
                if to.is_some_and(|t| t <= *from) || (k + 1 < m.units.len() && to.is_none_or(|t| t > m.units[k + 1].1))
                {
                    return Err(bad(format!(
                        "unit {code} from {from}: memberships must follow one another without overlap"
                    )));
                }
                let unit = lives.get(code.as_str()).and_then(|l| {
                    l.iter().find(|(_, uf, ut)| *uf <= *from && ut.is_none_or(|ut| to.is_some_and(|t| t <= ut)))
                });
                let Some((id, _, _)) = unit else {
                    return Err(bad(format!("unit {code} does not exist over the membership from {from}")));
                };
                let reason = if k > 0 {
                    "transfer"
                } else if *from == m.record.admitted_on {
                    "admission"
                } else {
                    "entry"
                };
                units.push((*id, *from, *to, reason));
            }
            for (k, (status, from, to)) in m.statuses.iter().enumerate() {
                if to.is_some_and(|t| t <= *from) || (k + 1 < m.statuses.len() && *to != Some(m.statuses[k + 1].1)) {
                    return Err(bad(format!(
                        "status {} from {from}: statuses must follow one another",
                        status.as_str()
                    )));
                }
            }
            // Membership ends when the member leaves (dies, resigns…): the last unit's end is the
            // day of the first status that is not a member's.
            let left = m.statuses.iter().find(|(s, _, _)| !s.is_member()).map(|(_, f, _)| *f);
            let last_end = m.units.last().and_then(|(_, _, t)| *t);
            if left != last_end {
                return Err(bad(match left {
                    Some(l) => format!("the member leaves on {l}, so the last membership must end then"),
                    None => "the member has not left, so the last membership must stay open".into(),
                }));
            }
            for (field, value) in [("card_number", &m.record.card_number), ("national_id", &m.record.national_id)] {
                if let Some(v) = value
                    && let Some(first) = seen.insert(format!("{field}:{v}"), i + 1)
                {
                    return Err(bad(format!("{field} {v} is also member {first}'s")));
                }
            }
            items.push(NewRows { record: &m.record, units, statuses: m.statuses.clone() });
        }
        for field in ["card_number", "national_id"] {
            let values: Vec<&String> = members
                .iter()
                .filter_map(|m| {
                    if field == "card_number" { m.record.card_number.as_ref() } else { m.record.national_id.as_ref() }
                })
                .collect();
            if let Some((v, id)) = ids_by(&mut tx, field, &values).await?.into_iter().next() {
                return Err(
                    Error::conflict("duplicate_member", format!("{field}: {v} is already member {id}'s")).into()
                );
            }
        }
        let large = write_new_members(&mut tx, self, &items, progress).await?;
        let total = members.len() as u64;
        let after = serde_json::json!({"members": total});
        append(
            &mut tx,
            actor,
            AuditChange {
                action: "member.load",
                target: &format!("{total} members"),
                unit_id: None,
                before: None,
                after: Some(after),
            },
        )
        .await?;
        self.commit(tx).await?;
        if large {
            self.after_large_load().await?;
        }
        Ok(total)
    }

    async fn member_records(
        &self,
        unit: &UnitCode,
        as_of: NaiveDate,
        page: Page,
    ) -> Result<Paged<(Record, Status, UnitCode)>> {
        let limit = page.effective_limit();
        let top = unit_id_on(self, unit, as_of).await?;
        let (after_key, after_id) = match page.after.as_deref().and_then(|a| a.rsplit_once('|')) {
            Some((k, i)) => (from_hex(k), i.parse::<i64>().unwrap_or(0)),
            None => (Vec::new(), 0),
        };
        let cols = RECORD_COLUMNS.split(", ").map(|c| format!("m.{c}")).collect::<Vec<_>>().join(", ");
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "{SUBTREE} SELECT {cols}, m.id, m.name_key, u.code, st.status FROM membership ms JOIN sub ON sub.id = ms.unit_id \
             JOIN member m ON m.id = ms.member_id JOIN unit u ON u.id = ms.unit_id \
             JOIN member_status st ON st.member_id = m.id AND st.valid_from <= $2 AND (st.valid_to IS NULL OR st.valid_to > $2) \
             WHERE ms.valid_from <= $2 AND (ms.valid_to IS NULL OR ms.valid_to > $2) \
             AND (m.name_key > $3 OR (m.name_key = $3 AND m.id > $4)) ORDER BY m.name_key, m.id LIMIT $5"
        )))
        .bind(top)
        .bind(as_of)
        .bind(after_key)
        .bind(after_id)
        .bind(i64::from(limit) + 1)
        .fetch_all(self.reader())
        .await
        .db()?;
        let mut items = Vec::with_capacity(rows.len());
        let mut keys = Vec::with_capacity(rows.len());
        for r in &rows {
            keys.push(format!(
                "{}|{}",
                to_hex(&r.try_get::<Vec<u8>, _>("name_key").db()?),
                r.try_get::<i64, _>("id").db()?
            ));
            items.push((
                record_from_row(r)?,
                Status::parse(&r.try_get::<String, _>("status").db()?)?,
                UnitCode::from_stored(r.try_get("code").db()?),
            ));
        }
        let next = if items.len() > limit as usize {
            items.truncate(limit as usize);
            keys.get(limit as usize - 1).cloned()
        } else {
            None
        };
        Ok(Paged { items, next })
    }

    async fn edit_member(&self, actor: &Actor, id: i64, record: Record) -> Result<Member> {
        let mut tx = self.begin_write().await?;
        let today = chrono::Local::now().date_naive();
        let before = view(&mut tx, &self.profile, id, today).await?;
        if !write_record(&mut tx, &self.profile, id, &record).await? {
            return Err(Error::rule("no_change", "record: nothing would change").into());
        }
        let after = view(&mut tx, &self.profile, id, today).await?;
        let target = format!("member:{id}");
        let unit = open_membership_of(&mut tx, id).await?.map(|(u, _)| u);
        append(
            &mut tx,
            actor,
            AuditChange {
                action: "member.edit",
                target: &target,
                unit_id: unit,
                before: member_json(&before),
                after: member_json(&after),
            },
        )
        .await?;
        self.commit(tx).await?;
        Ok(after)
    }

    async fn create_member(&self, actor: &Actor, new: NewMember) -> Result<Member> {
        // A new member touches no other member's rows: admissions may run side by side.
        let mut tx = self.begin_shared_write().await?;
        let unit_id = super::structure::live_unit_id(&mut tx, &new.unit, new.joined_on).await?;
        let (id, m) = insert_member(
            &mut tx,
            self,
            &new.record,
            unit_id,
            new.joined_on,
            new.document.clone(),
            new.from_org.clone(),
        )
        .await?;
        let target = format!("member:{id}");
        append(
            &mut tx,
            actor,
            AuditChange {
                action: "member.create",
                target: &target,
                unit_id: Some(unit_id),
                before: None,
                after: member_json(&m),
            },
        )
        .await?;
        self.commit(tx).await?;
        Ok(m)
    }

    async fn member(&self, id: i64, as_of: NaiveDate) -> Result<Member> {
        let mut conn = self.reader().acquire().await.db()?;
        view(&mut conn, &self.profile, id, as_of).await
    }

    async fn members(
        &self,
        unit: Option<&UnitCode>,
        as_of: NaiveDate,
        filter: &MemberFilter,
        page: Page,
    ) -> Result<Paged<MemberSummary>> {
        if let Some(q) = &filter.query {
            orgwork_domain::text::check_query("q", q)?;
        }
        let limit = page.effective_limit();
        let top = match unit {
            Some(u) => Some(unit_id_on(self, u, as_of).await?),
            None => None,
        };
        // The only root of the tree on that day holds every member: no subtree to walk (at
        // national scale the walk alone costs half a second).
        // The root, read once: a plan weighs the unit's members against everyone's.
        let mut root = None;
        let top = match top {
            Some(t) => {
                let roots: Vec<i64> = sqlx::query_scalar(
                    "SELECT unit_id FROM unit_version WHERE parent_id IS NULL AND valid_from <= $1 AND (valid_to IS NULL OR valid_to > $1) LIMIT 2",
                )
                .bind(as_of)
                .fetch_all(self.reader())
                .await
                .db()?;
                root = roots.first().copied().filter(|_| roots.len() == 1);
                if roots == [t] { None } else { Some(t) }
            }
            None => None,
        };
        // The cursor is the last row's name key (hex) and id.
        let (after_key, after_id) = match page.after.as_deref().and_then(|a| a.rsplit_once('|')) {
            Some((k, i)) => (from_hex(k), i.parse::<i64>().unwrap_or(0)),
            None => (Vec::new(), 0),
        };
        // The text is assembled from fixed pieces and whitelisted field names; every value is bound.
        let query = filter.query.as_deref().map(str::trim).filter(|q| !q.is_empty());
        let want = i64::from(limit) + 1;
        let plan = match query {
            Some(q) => self.name_plan(q, top, root, as_of, want).await?,
            None => self.list_plan(top, root, as_of, want).await?,
        };
        let Found { mut items, mut keys, .. } = match plan {
            NamePlan::Walk { words, spread } => {
                self.walk_words(top, as_of, filter, query, &words, (&after_key, after_id), want, spread).await?
            }
            NamePlan::Nobody => {
                let hits = numbers_match(self, query.unwrap_or_default()).await?;
                self.select_members(top, as_of, filter, query, Some(&hits), (&after_key, after_id), want).await?
            }
            NamePlan::Scan => {
                let hits = match query {
                    Some(q) => name_hits(self, q).await?,
                    None => None,
                };
                self.select_members(top, as_of, filter, query, hits.as_deref(), (&after_key, after_id), want).await?
            }
        };
        let next = if items.len() > limit as usize {
            items.truncate(limit as usize);
            keys.truncate(limit as usize);
            keys.pop()
        } else {
            None
        };
        Ok(Paged { items, next })
    }

    async fn change_status(
        &self,
        actor: &Actor,
        id: i64,
        status: Status,
        on: NaiveDate,
        document: Option<String>,
    ) -> Result<Member> {
        let mut tx = self.begin_write().await?;
        let parts = load(&mut tx, id).await?;
        let (current, span, _) = parts.statuses.last().cloned().ok_or_else(|| no_member(id))?;
        check_status_change(current, span.from, status, on)?;
        let before = view(&mut tx, &self.profile, id, on).await?;
        if before.unit.is_none() {
            return Err(Error::rule("not_a_member", format!("effective: the member belongs to no unit on {on}")).into());
        }
        // An end of membership closes the open membership on `on`: it must have begun before
        // (a member transferred after `on` left the unit they were in then already).
        if !status.is_member()
            && let Some((unit, from)) = open_membership_of(&mut tx, id).await?
            && from >= on
        {
            let code = unit_code(&mut tx, unit).await?;
            return Err(Error::rule(
                "invalid_status_change",
                format!("effective: {on} is not after the member joined {code} on {from}; date the change after it"),
            )
            .into());
        }
        apply_member(&mut tx, &self.profile, id, -1).await?;
        sqlx::query("UPDATE member_status SET valid_to = $3 WHERE member_id = $1 AND valid_from = $2")
            .bind(id)
            .bind(span.from)
            .bind(on)
            .execute(&mut *tx)
            .await
            .db()?;
        sqlx::query("INSERT INTO member_status (member_id, valid_from, valid_to, status, document) VALUES ($1, $2, NULL, $3, $4)")
            .bind(id)
            .bind(on)
            .bind(status.as_str())
            .bind(&document)
            .execute(&mut *tx)
            .await
            .db()?;
        if status == Status::Official {
            sqlx::query("UPDATE member SET official_on = $2 WHERE id = $1")
                .bind(id)
                .bind(on)
                .execute(&mut *tx)
                .await
                .db()?;
        }
        if !status.is_member() {
            sqlx::query("UPDATE membership SET valid_to = $2 WHERE member_id = $1 AND valid_to IS NULL")
                .bind(id)
                .bind(on)
                .execute(&mut *tx)
                .await
                .db()?;
        }
        apply_member(&mut tx, &self.profile, id, 1).await?;
        let after = view(&mut tx, &self.profile, id, on).await?;
        let target = format!("member:{id}");
        let last_unit = parts.memberships.last().map(|(u, _, _, _)| *u);
        let entry = AuditChange {
            action: "member.status",
            target: &target,
            unit_id: last_unit,
            before: member_json(&before),
            after: member_json(&after),
        };
        append(&mut tx, actor, entry).await?;
        self.commit(tx).await?;
        Ok(after)
    }

    async fn stats(&self, unit: &UnitCode, as_of: NaiveDate) -> Result<Stats> {
        let key = (unit.as_str().to_string(), as_of);
        self.through_cache(&self.cache.stats, key, self.stats_from_ledger(unit, as_of)).await
    }

    async fn recount(&self, unit: &UnitCode, as_of: NaiveDate) -> Result<Stats> {
        let top = unit_id_on(self, unit, as_of).await?;
        let mut conn = self.reader().acquire().await.db()?;
        let ids: Vec<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "{SUBTREE} SELECT ms.member_id FROM membership ms JOIN sub ON sub.id = ms.unit_id \
             WHERE ms.valid_from <= $2 AND (ms.valid_to IS NULL OR ms.valid_to > $2)"
        )))
        .bind(top)
        .bind(as_of)
        .fetch_all(&mut *conn)
        .await
        .db()?;
        let mut stats = Stats::default();
        for id in ids {
            let m = view(&mut conn, &self.profile, id, as_of).await?;
            stats.total += 1;
            if let Some(s) = m.status {
                *stats.by_status.entry(s.as_str().to_string()).or_default() += 1;
            }
            for c in m.categories {
                *stats.by_category.entry(c).or_default() += 1;
            }
        }
        Ok(stats)
    }

    async fn count_by_query(&self, unit: &UnitCode, as_of: NaiveDate) -> Result<Stats> {
        let top = unit_id_on(self, unit, as_of).await?;
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "{SUBTREE} SELECT st.status, COUNT(*) AS n FROM sub CROSS JOIN membership ms CROSS JOIN member_status st \
             WHERE ms.unit_id = sub.id AND ms.valid_from <= $2 AND (ms.valid_to IS NULL OR ms.valid_to > $2) \
               AND st.member_id = ms.member_id AND st.valid_from <= $2 AND (st.valid_to IS NULL OR st.valid_to > $2) \
             GROUP BY st.status"
        )))
        .bind(top)
        .bind(as_of)
        .fetch_all(self.reader())
        .await
        .db()?;
        let mut out = Stats::default();
        for r in rows {
            let status: String = r.try_get("status").db()?;
            let n: i64 = r.try_get("n").db()?;
            out.total += n;
            out.by_status.insert(status, n);
        }
        Ok(out)
    }

    async fn rebuild_ledger(&self) -> Result<()> {
        let mut tx = self.begin_write().await?;
        rebuild_ledger_in(&mut tx, &self.profile).await?;
        self.commit(tx).await?;
        Ok(())
    }

    async fn ledger_checkpoints(&self) -> Result<Vec<NaiveDate>> {
        let mut conn = self.reader().acquire().await.db()?;
        checkpoints_in(&mut conn).await
    }

    async fn set_ledger_checkpoints(&self, days: &[NaiveDate]) -> Result<()> {
        let mut tx = self.begin_write().await?;
        set_checkpoints_in(&mut tx, days).await?;
        self.commit(tx).await?;
        Ok(())
    }
}
