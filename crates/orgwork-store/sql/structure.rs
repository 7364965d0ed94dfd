// The structure (units and their versions), written once for both backends (see mod.rs for
// how this folder is compiled into each).

use super::audit::{Change as AuditChange, append};
use super::{BACKEND_NAME, Backend, DbRow};
use async_trait::async_trait;
use chrono::NaiveDate;
use orgwork_domain::Error;
use orgwork_domain::profile::Profile;
use orgwork_domain::structure::{
    Change, HistoryEntry, Life, Names, SubtreeEntry, Unit, UnitCode, check_change_date, check_kind_placement,
    check_no_cycle, check_parent_life,
};
use orgwork_store::{Actor, Dated, NewUnit, Page, Paged, Result, Store, StoreError, StructureStore};
use sqlx::Row;

use super::common::{Conn, DbResult};

/// The columns of a unit as seen through one of its versions (`v`), with its identity (`u`)
/// and its parent's identity (`p`).
const UNIT_COLUMNS: &str =
    "u.code, v.name_vi, v.name_en, v.name_ar, v.kind, p.code AS parent_code, u.valid_from, u.valid_to";

/// A version live on the date `$D` (written as a placeholder and replaced per query).
const LIVE_V: &str = "v.valid_from <= $D AND (v.valid_to IS NULL OR v.valid_to > $D)";

/// A unit as seen on `on`: an end that comes after `on` is not yet a fact on that day, so that
/// the answer about a past day does not change when a later dissolution is recorded.
fn unit_from_row(row: &DbRow, on: NaiveDate) -> Result<Unit> {
    let valid_to: Option<NaiveDate> = row.try_get("valid_to").db()?;
    Ok(Unit {
        code: UnitCode::from_stored(row.try_get("code").db()?),
        name: Names {
            vi: row.try_get("name_vi").db()?,
            en: row.try_get("name_en").db()?,
            ar: row.try_get("name_ar").db()?,
        },
        kind: row.try_get("kind").db()?,
        parent: row.try_get::<Option<String>, _>("parent_code").db()?.map(UnitCode::from_stored),
        valid_from: row.try_get("valid_from").db()?,
        valid_to: valid_to.filter(|end| *end <= on),
    })
}

/// Builds a query text once per call site and keeps it for the life of the process
/// (sqlx takes `'static` SQL text; the date placeholder is filled in here).
macro_rules! sql {
    ($date:literal, $($part:expr),+ $(,)?) => {{
        static TEXT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        TEXT.get_or_init(|| [$($part),+].concat().replace("$D", $date)).as_str()
    }};
}

/// Every unit directly below the unit with internal id `parent` on `on`, in code order, with
/// its internal id.
pub(super) async fn children_with_ids(conn: &mut Conn, parent: i64, on: NaiveDate) -> Result<Vec<(i64, Unit)>> {
    let rows = sqlx::query(sql!(
        "$2",
        "SELECT v.unit_id, ",
        UNIT_COLUMNS,
        " FROM unit_version v JOIN unit u ON u.id = v.unit_id LEFT JOIN unit p ON p.id = v.parent_id \
         WHERE v.parent_id = $1 AND ",
        LIVE_V,
        " ORDER BY u.code"
    ))
    .bind(parent)
    .bind(on)
    .fetch_all(&mut *conn)
    .await
    .db()?;
    rows.iter().map(|r| Ok((r.try_get("unit_id").db()?, unit_from_row(r, on)?))).collect()
}

/// The identity and life of a unit, as the write rules need them.
#[derive(Debug, Clone)]
pub struct UnitRef {
    pub id: i64,
    pub code: UnitCode,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
}

/// The latest version of a unit.
#[derive(Debug, Clone)]
pub struct Latest {
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    pub parent_id: Option<i64>,
    pub kind: String,
    pub names: Names,
}

fn unit_ref_from_row(row: &DbRow) -> Result<UnitRef> {
    Ok(UnitRef {
        id: row.try_get("id").db()?,
        code: UnitCode::from_stored(row.try_get("code").db()?),
        valid_from: row.try_get("valid_from").db()?,
        valid_to: row.try_get("valid_to").db()?,
    })
}

/// The unit with `code` whose life contains `day`; or an error saying why there is none.
pub async fn live_unit(conn: &mut Conn, code: &UnitCode, day: NaiveDate, role: &str) -> Result<UnitRef> {
    let rows = sqlx::query("SELECT id, code, valid_from, valid_to FROM unit WHERE code = $1 ORDER BY valid_from")
        .bind(code.as_str())
        .fetch_all(&mut *conn)
        .await
        .db()?;
    let units = rows.iter().map(unit_ref_from_row).collect::<Result<Vec<_>>>()?;
    if let Some(u) = units.iter().find(|u| orgwork_domain::date::contains(u.valid_from, u.valid_to, day)) {
        return Ok(u.clone());
    }
    let not_found_code = if role == "parent" { "parent_not_found" } else { "unit_not_found" };
    match units.last() {
        None => Err(Error::not_found(not_found_code, format!("{role}: no unit has the code {code}")).into()),
        Some(u) => {
            let code_name = if role == "parent" { "parent_not_live" } else { "date_outside_unit" };
            let why = match u.valid_to {
                Some(end) if day >= end => {
                    format!("{role}: unit {code} was dissolved on {end}; it does not exist on {day}")
                }
                _ => format!("{role}: unit {code} starts on {}; it does not exist on {day}", u.valid_from),
            };
            Err(Error::rule(code_name, why).into())
        }
    }
}

/// The end of a unit's life, if it is dissolved (or to be).
pub async fn unit_ends(conn: &mut Conn, unit_id: i64) -> Result<Option<NaiveDate>> {
    sqlx::query_scalar("SELECT valid_to FROM unit WHERE id = $1").bind(unit_id).fetch_one(&mut *conn).await.db()
}

/// The store key of the unit with `code` live on `day`.
pub async fn live_unit_id(conn: &mut Conn, code: &UnitCode, day: NaiveDate) -> Result<i64> {
    Ok(live_unit(conn, code, day, "unit").await?.id)
}

pub async fn latest_version(conn: &mut Conn, unit_id: i64) -> Result<Latest> {
    let row = sqlx::query(
        "SELECT valid_from, valid_to, parent_id, kind, name_vi, name_en, name_ar FROM unit_version \
         WHERE unit_id = $1 ORDER BY valid_from DESC LIMIT 1",
    )
    .bind(unit_id)
    .fetch_one(&mut *conn)
    .await
    .db()?;
    Ok(Latest {
        valid_from: row.try_get("valid_from").db()?,
        valid_to: row.try_get("valid_to").db()?,
        parent_id: row.try_get("parent_id").db()?,
        kind: row.try_get("kind").db()?,
        names: Names {
            vi: row.try_get("name_vi").db()?,
            en: row.try_get("name_en").db()?,
            ar: row.try_get("name_ar").db()?,
        },
    })
}

/// The kind of a unit on `day` (the day lies in its life).
pub async fn kind_on(conn: &mut Conn, unit_id: i64, day: NaiveDate) -> Result<String> {
    sqlx::query_scalar(sql!("$2", "SELECT v.kind FROM unit_version v WHERE v.unit_id = $1 AND ", LIVE_V))
        .bind(unit_id)
        .bind(day)
        .fetch_one(&mut *conn)
        .await
        .db()
}

/// The codes of the ancestors of a unit on `day`, the unit itself excluded.
async fn ancestor_codes(conn: &mut Conn, unit_id: i64, day: NaiveDate) -> Result<Vec<UnitCode>> {
    let rows: Vec<String> = sqlx::query_scalar(sql!(
        "$2",
        "WITH RECURSIVE anc(id, parent_id, depth) AS ( \
           SELECT v.unit_id, v.parent_id, 0 FROM unit_version v WHERE v.unit_id = $1 AND ",
        LIVE_V,
        " UNION ALL \
           SELECT v.unit_id, v.parent_id, a.depth + 1 FROM anc a JOIN unit_version v ON v.unit_id = a.parent_id AND ",
        LIVE_V,
        " WHERE a.depth < 1000) \
         SELECT u.code FROM anc a JOIN unit u ON u.id = a.id WHERE a.depth > 0 ORDER BY a.depth DESC"
    ))
    .bind(unit_id)
    .bind(day)
    .fetch_all(&mut *conn)
    .await
    .db()?;
    Ok(rows.into_iter().map(UnitCode::from_stored).collect())
}

pub async fn unit_view(conn: &mut Conn, unit_id: i64, day: NaiveDate) -> Result<Unit> {
    let row = sqlx::query(sql!(
        "$2",
        "SELECT ",
        UNIT_COLUMNS,
        " FROM unit u JOIN unit_version v ON v.unit_id = u.id AND ",
        LIVE_V,
        " LEFT JOIN unit p ON p.id = v.parent_id WHERE u.id = $1"
    ))
    .bind(unit_id)
    .bind(day)
    .fetch_optional(&mut *conn)
    .await
    .db()?;
    match row {
        Some(row) => unit_from_row(&row, day),
        None => {
            // Dissolved before `day`: the unit as it last was.
            let row = sqlx::query(sql!(
                "$2",
                "SELECT ",
                UNIT_COLUMNS,
                " FROM unit u JOIN unit_version v ON v.unit_id = u.id \
                 LEFT JOIN unit p ON p.id = v.parent_id WHERE u.id = $1 AND v.valid_from <= $2 \
                 ORDER BY v.valid_from DESC LIMIT 1"
            ))
            .bind(unit_id)
            .bind(day)
            .fetch_one(&mut *conn)
            .await
            .db()?;
            unit_from_row(&row, day)
        }
    }
}

/// Resolves a code for reading as of `day`: the unit live then, else the latest one with that
/// code that had started by then (a dissolved unit), else not found.
pub async fn resolve_for_read(conn: &mut Conn, code: &UnitCode, day: NaiveDate) -> Result<UnitRef> {
    let rows = sqlx::query(
        "SELECT id, code, valid_from, valid_to FROM unit WHERE code = $1 AND valid_from <= $2 ORDER BY valid_from DESC",
    )
    .bind(code.as_str())
    .bind(day)
    .fetch_all(&mut *conn)
    .await
    .db()?;
    let units = rows.iter().map(unit_ref_from_row).collect::<Result<Vec<_>>>()?;
    if let Some(u) = units.iter().find(|u| orgwork_domain::date::contains(u.valid_from, u.valid_to, day)) {
        return Ok(u.clone());
    }
    units
        .into_iter()
        .next()
        .ok_or_else(|| Error::not_found("unit_not_found", format!("no unit has the code {code} on {day}")).into())
}

/// A version to write.
pub struct NewVersion<'a> {
    pub unit_id: i64,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    pub parent_id: Option<i64>,
    pub kind: &'a str,
    pub names: &'a Names,
    pub change: Change,
    pub decision: Option<&'a str>,
}

/// Closes the unit's latest version at the new version's start and writes the new one, which
/// ends where the latest ended (at a recorded dissolution, or never).
pub async fn replace_latest(conn: &mut Conn, latest: &Latest, next: NewVersion<'_>) -> Result<()> {
    sqlx::query("UPDATE unit_version SET valid_to = $3 WHERE unit_id = $1 AND valid_from = $2")
        .bind(next.unit_id)
        .bind(latest.valid_from)
        .bind(next.valid_from)
        .execute(&mut *conn)
        .await
        .db()?;
    insert_version(conn, NewVersion { valid_to: latest.valid_to, ..next }).await
}

/// A new unit's identity row (its first version is written by `insert_version`).
pub async fn insert_unit(conn: &mut Conn, id: i64, code: &UnitCode, valid_from: NaiveDate) -> Result<()> {
    sqlx::query("INSERT INTO unit (id, code, valid_from, valid_to, end_decision) VALUES ($1, $2, $3, NULL, NULL)")
        .bind(id)
        .bind(code.as_str())
        .bind(valid_from)
        .execute(&mut *conn)
        .await
        .db()?;
    Ok(())
}

pub async fn insert_version(conn: &mut Conn, v: NewVersion<'_>) -> Result<()> {
    sqlx::query(
        "INSERT INTO unit_version (unit_id, valid_from, valid_to, parent_id, kind, name_vi, name_en, name_ar, name_fold, change, decision) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(v.unit_id)
    .bind(v.valid_from)
    .bind(v.valid_to)
    .bind(v.parent_id)
    .bind(v.kind)
    .bind(&v.names.vi)
    .bind(v.names.en.as_deref())
    .bind(v.names.ar.as_deref())
    .bind(v.names.folded())
    .bind(v.change.as_str())
    .bind(v.decision)
    .execute(&mut *conn)
    .await
    .db()?;
    Ok(())
}

/// The live unit to change and its latest version, after the date rules.
async fn unit_to_change(conn: &mut Conn, change: &Dated) -> Result<(UnitRef, Latest)> {
    let unit = live_unit(conn, &change.code, change.effective, "unit").await?;
    let latest = latest_version(conn, unit.id).await?;
    let life = Life { valid_from: unit.valid_from, valid_to: unit.valid_to, last_change: latest.valid_from };
    check_change_date(&unit.code, life, change.effective)?;
    Ok((unit, latest))
}

impl Store for Backend {
    fn backend(&self) -> &'static str {
        BACKEND_NAME
    }

    fn profile(&self) -> &Profile {
        &self.profile
    }

    fn cache_reads(&self, on: bool) {
        self.cache.set_enabled(on);
    }

    fn set_audit_key(&self, key: Vec<u8>) {
        // Set once, when the store is opened; a second key is ignored.
        let _ = self.audit_key.set(key);
    }

    fn large_load_cache(&self, on: bool) {
        self.bulk_cache.store(on, std::sync::atomic::Ordering::Relaxed);
    }

    fn load_tree_after(&self, units: u64) {
        self.tree.set_load_after(units);
    }
}

fn unit_json(u: &Unit) -> Option<serde_json::Value> {
    serde_json::to_value(u).ok()
}

/// A dated change of one unit (rename, move, dissolve) under way: its transaction, the unit and
/// its latest version after the date rules, and the unit as it stood before.
struct UnitChange {
    tx: sqlx::Transaction<'static, super::Db>,
    unit: UnitRef,
    latest: Latest,
    before: Unit,
}

impl Backend {
    /// Opens a dated change of a unit: the horizon, the write transaction, the date rules.
    async fn open_change(&self, change: &Dated) -> Result<UnitChange> {
        self.horizon("effective", change.effective)?;
        let mut tx = self.begin_write().await?;
        let (unit, latest) = unit_to_change(&mut tx, change).await?;
        let before = unit_view(&mut tx, unit.id, latest.valid_from).await?;
        Ok(UnitChange { tx, unit, latest, before })
    }

    /// Ends a dated change of a unit: the unit as it is from the change's day, its audit entry
    /// (`action`, before and after), the commit.
    async fn close_change(&self, actor: &Actor, c: UnitChange, action: &'static str, day: NaiveDate) -> Result<Unit> {
        let UnitChange { mut tx, unit, before, .. } = c;
        let view = unit_view(&mut tx, unit.id, day).await?;
        let entry = AuditChange {
            action,
            target: unit.code.as_str(),
            unit_id: Some(unit.id),
            before: unit_json(&before),
            after: unit_json(&view),
        };
        append(&mut tx, actor, entry).await?;
        self.commit(tx).await?;
        Ok(view)
    }
}

impl Backend {
    /// The ids of a unit's ancestors on a date, read from the database (uncached).
    async fn ancestors_uncached(&self, code: &UnitCode, as_of: NaiveDate) -> Result<Vec<Unit>> {
        let mut conn = self.reader().acquire().await.db()?;
        let unit = resolve_for_read(&mut conn, code, as_of).await?;
        let rows = sqlx::query(sql!(
            "$2",
            "WITH RECURSIVE anc(id, parent_id, depth) AS ( \
               SELECT v.unit_id, v.parent_id, 0 FROM unit_version v WHERE v.unit_id = $1 AND ",
            LIVE_V,
            " UNION ALL \
               SELECT v.unit_id, v.parent_id, a.depth + 1 FROM anc a JOIN unit_version v ON v.unit_id = a.parent_id AND ",
            LIVE_V,
            " WHERE a.depth < 1000) \
             SELECT ",
            UNIT_COLUMNS,
            " FROM anc a JOIN unit u ON u.id = a.id JOIN unit_version v ON v.unit_id = u.id AND ",
            LIVE_V,
            " LEFT JOIN unit p ON p.id = v.parent_id WHERE a.depth > 0 ORDER BY a.depth DESC"
        ))
        .bind(unit.id)
        .bind(as_of)
        .fetch_all(&mut *conn)
        .await
        .db()?;
        rows.iter().map(|r| unit_from_row(r, as_of)).collect()
    }

    async fn path_ids_uncached(&self, code: &UnitCode, as_of: NaiveDate) -> Result<Vec<i64>> {
        let mut conn = self.reader().acquire().await.db()?;
        let unit = resolve_for_read(&mut conn, code, as_of).await?;
        // A unit dissolved by then is placed where it was on its last day.
        let day = match unit.valid_to {
            Some(end) if end <= as_of => end.pred_opt().unwrap_or(end),
            _ => as_of,
        };
        let rows: Vec<i64> = sqlx::query_scalar(sql!(
            "$2",
            "WITH RECURSIVE anc(id, parent_id, depth) AS ( \
               SELECT v.unit_id, v.parent_id, 0 FROM unit_version v WHERE v.unit_id = $1 AND ",
            LIVE_V,
            " UNION ALL \
               SELECT v.unit_id, v.parent_id, a.depth + 1 FROM anc a JOIN unit_version v ON v.unit_id = a.parent_id AND ",
            LIVE_V,
            " WHERE a.depth < 1000) SELECT id FROM anc ORDER BY depth"
        ))
        .bind(unit.id)
        .bind(day)
        .fetch_all(&mut *conn)
        .await
        .db()?;
        Ok(rows)
    }
}

#[async_trait]
impl StructureStore for Backend {
    async fn create_unit(&self, actor: &Actor, new: NewUnit) -> Result<Unit> {
        self.horizon("valid_from", new.valid_from)?;
        let mut tx = self.begin_write().await?;
        let parent = match &new.parent {
            Some(code) => {
                let p = live_unit(&mut tx, code, new.valid_from, "parent").await?;
                check_parent_life(&p.code, p.valid_from, p.valid_to, new.valid_from)?;
                let kind = kind_on(&mut tx, p.id, new.valid_from).await?;
                Some((p, kind))
            }
            None => None,
        };
        check_kind_placement(&self.profile, &new.code, &new.kind, parent.as_ref().map(|(p, k)| (&p.code, k.as_str())))?;
        let clash: Option<NaiveDate> = sqlx::query_scalar(
            "SELECT valid_from FROM unit WHERE code = $1 AND (valid_to IS NULL OR valid_to > $2) LIMIT 1",
        )
        .bind(new.code.as_str())
        .bind(new.valid_from)
        .fetch_optional(&mut *tx)
        .await
        .db()?;
        if let Some(from) = clash {
            return Err(Error::conflict(
                "duplicate_code",
                format!("code: a unit with the code {} already exists (live from {from})", new.code),
            )
            .into());
        }
        let id = self.ids.next_id();
        insert_unit(&mut tx, id, &new.code, new.valid_from).await?;
        let parent_id = parent.as_ref().map(|(p, _)| p.id);
        let version = NewVersion {
            unit_id: id,
            valid_from: new.valid_from,
            valid_to: None,
            parent_id,
            kind: &new.kind,
            names: &new.names,
            change: Change::Created,
            decision: new.decision.as_deref(),
        };
        insert_version(&mut tx, version).await?;
        let unit = unit_view(&mut tx, id, new.valid_from).await?;
        let change = AuditChange {
            action: "unit.create",
            target: unit.code.as_str(),
            unit_id: Some(id),
            before: None,
            after: unit_json(&unit),
        };
        append(&mut tx, actor, change).await?;
        self.commit(tx).await?;
        Ok(unit)
    }

    async fn rename_unit(&self, actor: &Actor, change: Dated, names: Names) -> Result<Unit> {
        let mut c = self.open_change(&change).await?;
        let (unit, latest) = (c.unit.clone(), c.latest.clone());
        let tx: &mut Conn = &mut c.tx;
        if latest.names == names {
            return Err(Error::rule("no_change", format!("name: unit {} already has these names", unit.code)).into());
        }
        let version = NewVersion {
            unit_id: unit.id,
            valid_from: change.effective,
            valid_to: None,
            parent_id: latest.parent_id,
            kind: &latest.kind,
            names: &names,
            change: Change::Renamed,
            decision: change.decision.as_deref(),
        };
        replace_latest(tx, &latest, version).await?;
        self.close_change(actor, c, "unit.rename", change.effective).await
    }

    async fn move_unit(&self, actor: &Actor, change: Dated, new_parent: UnitCode) -> Result<Unit> {
        let mut c = self.open_change(&change).await?;
        let (unit, latest) = (c.unit.clone(), c.latest.clone());
        let tx: &mut Conn = &mut c.tx;
        let parent = live_unit(tx, &new_parent, change.effective, "parent").await?;
        check_no_cycle(&unit.code, &parent.code, &[])?;
        check_parent_life(&parent.code, parent.valid_from, parent.valid_to, change.effective)?;
        if latest.parent_id == Some(parent.id) {
            return Err(Error::rule(
                "no_change",
                format!("parent: unit {} is already under {}", unit.code, parent.code),
            )
            .into());
        }
        // The new parent's ancestry must not pass through the unit on the move's date, nor on
        // any later date on which some unit has a recorded change.
        let mut days: Vec<NaiveDate> = sqlx::query_scalar(
            "SELECT DISTINCT valid_from FROM unit_version WHERE valid_from > $1 ORDER BY valid_from",
        )
        .bind(change.effective)
        .fetch_all(&mut *tx)
        .await
        .db()?;
        days.insert(0, change.effective);
        for day in days {
            if parent.valid_to.is_some_and(|end| day >= end) {
                break;
            }
            let ancestors = ancestor_codes(tx, parent.id, day).await?;
            check_no_cycle(&unit.code, &parent.code, &ancestors)?;
        }
        let parent_kind = kind_on(tx, parent.id, change.effective).await?;
        check_kind_placement(&self.profile, &unit.code, &latest.kind, Some((&parent.code, &parent_kind)))?;
        // The subtree's member counts follow the unit: its ancestry before and after the move.
        let span = orgwork_domain::members::Span { from: change.effective, to: unit.valid_to };
        let old = super::members::segments(tx, unit.id, span).await?;
        let version = NewVersion {
            unit_id: unit.id,
            valid_from: change.effective,
            valid_to: None,
            parent_id: Some(parent.id),
            kind: &latest.kind,
            names: &latest.names,
            change: Change::Moved,
            decision: change.decision.as_deref(),
        };
        replace_latest(tx, &latest, version).await?;
        let new = super::members::segments(tx, unit.id, span).await?;
        super::members::reattribute(tx, unit.id, &old, &new).await?;
        self.close_change(actor, c, "unit.move", change.effective).await
    }

    async fn dissolve_unit(&self, actor: &Actor, change: Dated) -> Result<Unit> {
        let mut c = self.open_change(&change).await?;
        let (unit, latest) = (c.unit.clone(), c.latest.clone());
        let tx: &mut Conn = &mut c.tx;
        let children: Vec<String> = sqlx::query_scalar(
            "SELECT c.code FROM unit_version v JOIN unit c ON c.id = v.unit_id \
             WHERE v.parent_id = $1 AND (v.valid_to IS NULL OR v.valid_to > $2) ORDER BY c.code LIMIT 6",
        )
        .bind(unit.id)
        .bind(change.effective)
        .fetch_all(&mut *tx)
        .await
        .db()?;
        if super::members::has_members_from(tx, unit.id, change.effective).await? {
            return Err(Error::rule(
                "has_members",
                format!("unit {} still has members on or after {}; transfer them first", unit.code, change.effective),
            )
            .into());
        }
        if !children.is_empty() {
            let more = if children.len() > 5 { ", …" } else { "" };
            let list = children.iter().take(5).cloned().collect::<Vec<_>>().join(", ");
            return Err(Error::rule(
                "has_live_children",
                format!(
                    "unit {} still has live children on or after {} ({list}{more}); move or dissolve them first",
                    unit.code, change.effective
                ),
            )
            .into());
        }
        sqlx::query("UPDATE unit SET valid_to = $2, end_decision = $3 WHERE id = $1")
            .bind(unit.id)
            .bind(change.effective)
            .bind(change.decision.as_deref())
            .execute(&mut *tx)
            .await
            .db()?;
        sqlx::query("UPDATE unit_version SET valid_to = $3 WHERE unit_id = $1 AND valid_from = $2")
            .bind(unit.id)
            .bind(latest.valid_from)
            .bind(change.effective)
            .execute(&mut *tx)
            .await
            .db()?;
        self.close_change(actor, c, "unit.dissolve", change.effective).await
    }

    async fn load_units(
        &self,
        actor: &Actor,
        units: &[NewUnit],
        progress: &orgwork_store::Progress<'_>,
    ) -> Result<u64> {
        use super::common::{JsonCol::*, json_rows};
        use serde_json::json;
        let mut tx = self.begin_write().await?;
        // The units already there: live codes, and the store keys and kinds of possible parents.
        let rows = sqlx::query(
            "SELECT u.id, u.code, u.valid_from, u.valid_to, v.kind FROM unit u JOIN unit_version v ON v.unit_id = u.id \
             WHERE v.valid_to IS NULL OR v.valid_to = u.valid_to",
        )
        .fetch_all(&mut *tx)
        .await
        .db()?;
        let mut known: std::collections::HashMap<String, (i64, String, NaiveDate, Option<NaiveDate>)> =
            std::collections::HashMap::new();
        for r in rows {
            let to: Option<NaiveDate> = r.try_get("valid_to").db()?;
            let code: String = r.try_get("code").db()?;
            if to.is_none() || !known.contains_key(&code) {
                known.insert(code, (r.try_get("id").db()?, r.try_get("kind").db()?, r.try_get("valid_from").db()?, to));
            }
        }
        let mut unit_rows = Vec::with_capacity(units.len());
        let mut version_rows = Vec::with_capacity(units.len());
        for (i, u) in units.iter().enumerate() {
            let at = |e: Error| -> StoreError {
                Error { message: format!("unit {} (number {} of the load): {}", u.code, i + 1, e.message), ..e }.into()
            };
            if let Some((_, _, from, to)) = known.get(u.code.as_str())
                && to.is_none_or(|t| t > u.valid_from)
            {
                return Err(at(Error::conflict(
                    "duplicate_code",
                    format!("code: a unit with the code {} already exists (live from {from})", u.code),
                )));
            }
            let parent = match &u.parent {
                Some(p) => {
                    let Some((pid, pkind, pfrom, pto)) = known.get(p.as_str()).cloned() else {
                        return Err(at(Error::not_found(
                            "parent_not_found",
                            format!("parent: no unit has the code {p} (parents come before their children)"),
                        )));
                    };
                    check_parent_life(p, pfrom, pto, u.valid_from).map_err(at)?;
                    Some((p, pid, pkind))
                }
                None => None,
            };
            check_kind_placement(&self.profile, &u.code, &u.kind, parent.as_ref().map(|(p, _, k)| (*p, k.as_str())))
                .map_err(at)?;
            let id = self.ids.next_id();
            known.insert(u.code.as_str().to_string(), (id, u.kind.clone(), u.valid_from, None));
            unit_rows.push(json!([id, u.code.as_str(), u.valid_from.to_string()]));
            version_rows.push(json!([
                id,
                u.valid_from.to_string(),
                parent.map(|(_, pid, _)| pid),
                u.kind,
                u.names.vi,
                u.names.en,
                u.names.ar,
                u.names.folded(),
                "created",
                u.decision
            ]));
        }
        let unit_sql = format!("INSERT INTO unit (id, code, valid_from) {}", json_rows(&[Int, Text, Date]));
        let version_sql = format!(
            "INSERT INTO unit_version (unit_id, valid_from, parent_id, kind, name_vi, name_en, name_ar, name_fold, change, decision) {}",
            json_rows(&[Int, Date, Int, Text, Text, Text, Text, Text, Text, Text])
        );
        let total = units.len() as u64;
        let none = |_| {};
        super::members::write_json(&mut tx, &unit_sql, &unit_rows, &none).await?;
        super::members::write_json(&mut tx, &version_sql, &version_rows, &|n| {
            progress(orgwork_store::ImportStage::Writing, n, total)
        })
        .await?;
        let after = serde_json::json!({"units": total});
        append(
            &mut tx,
            actor,
            AuditChange {
                action: "unit.load",
                target: &format!("{total} units"),
                unit_id: None,
                before: None,
                after: Some(after),
            },
        )
        .await?;
        self.commit(tx).await?;
        Ok(total)
    }

    async fn unit(&self, code: &UnitCode, as_of: NaiveDate) -> Result<Unit> {
        let mut conn = self.reader().acquire().await.db()?;
        let u = resolve_for_read(&mut conn, code, as_of).await?;
        unit_view(&mut conn, u.id, as_of).await
    }

    async fn roots(&self, as_of: NaiveDate, page: Page) -> Result<Paged<Unit>> {
        let limit = page.effective_limit();
        let rows = sqlx::query(sql!(
            "$1",
            "SELECT ",
            UNIT_COLUMNS,
            " FROM unit_version v JOIN unit u ON u.id = v.unit_id LEFT JOIN unit p ON p.id = v.parent_id \
             WHERE v.parent_id IS NULL AND ",
            LIVE_V,
            " AND u.code > $2 ORDER BY u.code LIMIT $3"
        ))
        .bind(as_of)
        .bind(page.after.unwrap_or_default())
        .bind(i64::from(limit) + 1)
        .fetch_all(self.reader())
        .await
        .db()?;
        let items = rows.iter().map(|r| unit_from_row(r, as_of)).collect::<Result<Vec<_>>>()?;
        Ok(super::common::paged(items, limit, |u| u.code.to_string()))
    }

    async fn search_units(
        &self,
        query: &str,
        as_of: NaiveDate,
        within: Option<&[i64]>,
        page: Page,
    ) -> Result<Paged<Unit>> {
        orgwork_domain::text::check_query("q", query)?;
        let limit = page.effective_limit();
        let escape = |s: &str| s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        let folded = orgwork_domain::text::fold(query);
        if folded.is_empty() || within.is_some_and(<[i64]>::is_empty) {
            return Ok(Paged { items: vec![], next: None });
        }
        let code_pattern = format!("%{}%", escape(&query.trim().to_ascii_uppercase()));
        let name_pattern = format!("%{}%", escape(&folded));
        const MATCH: &str = " AND (u.code LIKE $2 ESCAPE '\\' OR v.name_fold LIKE $3 ESCAPE '\\') AND u.code > $4 ORDER BY u.code LIMIT $5";
        let rows = match within {
            None => sqlx::query(sql!(
                "$1",
                "SELECT ",
                UNIT_COLUMNS,
                " FROM unit_version v JOIN unit u ON u.id = v.unit_id LEFT JOIN unit p ON p.id = v.parent_id WHERE ",
                LIVE_V,
                MATCH
            ))
            .bind(as_of)
            .bind(code_pattern)
            .bind(name_pattern)
            .bind(page.after.unwrap_or_default())
            .bind(i64::from(limit) + 1)
            .fetch_all(self.reader())
            .await
            .db()?,
            Some(tops) => {
                // The tops are store keys (integers), written into the text as numbers.
                let ids = super::common::id_list(tops);
                let text = [
                    "WITH RECURSIVE sub(id) AS (SELECT u.id FROM unit u WHERE u.id IN (",
                    &ids,
                    ") UNION SELECT v.unit_id FROM sub s JOIN unit_version v ON v.parent_id = s.id AND ",
                    LIVE_V,
                    ") SELECT ",
                    UNIT_COLUMNS,
                    " FROM sub s JOIN unit_version v ON v.unit_id = s.id JOIN unit u ON u.id = v.unit_id \
                     LEFT JOIN unit p ON p.id = v.parent_id WHERE ",
                    LIVE_V,
                    MATCH,
                ]
                .concat()
                .replace("$D", "$1");
                sqlx::query(sqlx::AssertSqlSafe(text))
                    .bind(as_of)
                    .bind(code_pattern)
                    .bind(name_pattern)
                    .bind(page.after.unwrap_or_default())
                    .bind(i64::from(limit) + 1)
                    .fetch_all(self.reader())
                    .await
                    .db()?
            }
        };
        let items = rows.iter().map(|r| unit_from_row(r, as_of)).collect::<Result<Vec<_>>>()?;
        Ok(super::common::paged(items, limit, |u| u.code.to_string()))
    }

    async fn path_ids(&self, code: &UnitCode, as_of: NaiveDate) -> Result<Vec<i64>> {
        let key = (code.as_str().to_string(), as_of);
        self.through_cache(&self.cache.paths, key, self.path_ids_uncached(code, as_of)).await
    }

    async fn paths_over(&self, code: &UnitCode, from: NaiveDate, to: NaiveDate) -> Result<Vec<(NaiveDate, Vec<i64>)>> {
        let (from, to) = (from.min(to), from.max(to));
        let mut conn = self.reader().acquire().await.db()?;
        let rows = sqlx::query(
            "SELECT id, code, valid_from, valid_to FROM unit \
             WHERE code = $1 AND valid_from <= $3 AND (valid_to IS NULL OR valid_to > $2) ORDER BY valid_from",
        )
        .bind(code.as_str())
        .bind(from)
        .bind(to)
        .fetch_all(&mut *conn)
        .await
        .db()?;
        let units = rows.iter().map(unit_ref_from_row).collect::<Result<Vec<_>>>()?;
        if units.is_empty() {
            drop(conn);
            return Ok(vec![(from, self.path_ids(code, from).await?)]);
        }
        let mut out = vec![];
        for u in units {
            // The days of the range the unit lives, as a half-open span.
            let end = u.valid_to.map_or(to.succ_opt(), |t| Some(t.min(to.succ_opt().unwrap_or(t))));
            let span = orgwork_domain::members::Span { from: u.valid_from.max(from), to: end };
            for (day, _, path) in super::members::segments(&mut conn, u.id, span).await? {
                out.push((day, path));
            }
        }
        Ok(out)
    }

    async fn children(&self, code: &UnitCode, as_of: NaiveDate, page: Page) -> Result<Paged<Unit>> {
        let limit = page.effective_limit();
        let mut conn = self.reader().acquire().await.db()?;
        let parent = resolve_for_read(&mut conn, code, as_of).await?;
        let rows = sqlx::query(sql!(
            "$2",
            "SELECT ",
            UNIT_COLUMNS,
            " FROM unit_version v JOIN unit u ON u.id = v.unit_id LEFT JOIN unit p ON p.id = v.parent_id \
             WHERE v.parent_id = $1 AND ",
            LIVE_V,
            " AND u.code > $3 ORDER BY u.code LIMIT $4"
        ))
        .bind(parent.id)
        .bind(as_of)
        .bind(page.after.unwrap_or_default())
        .bind(i64::from(limit) + 1)
        .fetch_all(&mut *conn)
        .await
        .db()?;
        let items = rows.iter().map(|r| unit_from_row(r, as_of)).collect::<Result<Vec<_>>>()?;
        Ok(super::common::paged(items, limit, |u| u.code.to_string()))
    }

    async fn ancestors(&self, code: &UnitCode, as_of: NaiveDate) -> Result<Vec<Unit>> {
        let key = (code.as_str().to_string(), as_of);
        self.through_cache(&self.cache.ancestors, key, self.ancestors_uncached(code, as_of)).await
    }

    async fn subtree(
        &self,
        code: &UnitCode,
        as_of: NaiveDate,
        depth: Option<u32>,
        page: Page,
    ) -> Result<Paged<SubtreeEntry>> {
        let limit = page.effective_limit();
        let mut conn = self.reader().acquire().await.db()?;
        let top = resolve_for_read(&mut conn, code, as_of).await?;
        // The path (codes joined by a space, which no code contains and which sorts before
        // every code character) orders the subtree depth-first and is the paging cursor.
        let max_depth = i32::try_from(depth.unwrap_or(1000).min(1000)).unwrap_or(1000);
        let rows = sqlx::query(sql!(
            "$2",
            "WITH RECURSIVE sub(id, depth, path) AS ( \
               SELECT u.id, 0, u.code FROM unit u WHERE u.id = $1 \
             UNION ALL \
               SELECT v.unit_id, s.depth + 1, s.path || ' ' || c.code FROM sub s \
               JOIN unit_version v ON v.parent_id = s.id AND ",
            LIVE_V,
            " JOIN unit c ON c.id = v.unit_id WHERE s.depth < $3) \
             SELECT s.depth, s.path, ",
            UNIT_COLUMNS,
            " FROM sub s JOIN unit u ON u.id = s.id JOIN unit_version v ON v.unit_id = u.id AND ",
            LIVE_V,
            " LEFT JOIN unit p ON p.id = v.parent_id WHERE s.path > $4 ORDER BY s.path LIMIT $5"
        ))
        .bind(top.id)
        .bind(as_of)
        .bind(max_depth)
        .bind(page.after.unwrap_or_default())
        .bind(i64::from(limit) + 1)
        .fetch_all(&mut *conn)
        .await
        .db()?;
        let mut items = Vec::with_capacity(rows.len());
        let mut paths = Vec::with_capacity(rows.len());
        for row in &rows {
            let depth: i32 = row.try_get("depth").db()?;
            paths.push(row.try_get::<String, _>("path").db()?);
            items.push(SubtreeEntry { depth: depth as u32, unit: unit_from_row(row, as_of)? });
        }
        let mut page = super::common::paged(items, limit, |_| String::new());
        if page.next.is_some() {
            page.next = paths.get(limit as usize - 1).cloned();
        }
        Ok(page)
    }

    async fn history(&self, code: &UnitCode) -> Result<Vec<HistoryEntry>> {
        let mut conn = self.reader().acquire().await.db()?;
        let today = chrono::Local::now().date_naive();
        // The unit live today, else the latest with that code (dissolved, or starting later).
        let rows =
            sqlx::query("SELECT id, code, valid_from, valid_to FROM unit WHERE code = $1 ORDER BY valid_from DESC")
                .bind(code.as_str())
                .fetch_all(&mut *conn)
                .await
                .db()?;
        let units = rows.iter().map(unit_ref_from_row).collect::<Result<Vec<_>>>()?;
        let unit = units
            .iter()
            .find(|u| orgwork_domain::date::contains(u.valid_from, u.valid_to, today))
            .or(units.first())
            .cloned()
            .ok_or_else(|| {
                StoreError::from(Error::not_found("unit_not_found", format!("no unit has the code {code}")))
            })?;
        let versions = sqlx::query(
            "SELECT v.valid_from, v.kind, v.name_vi, v.name_en, v.name_ar, v.change, v.decision, p.code AS parent_code \
             FROM unit_version v LEFT JOIN unit p ON p.id = v.parent_id WHERE v.unit_id = $1 ORDER BY v.valid_from",
        )
        .bind(unit.id)
        .fetch_all(&mut *conn)
        .await
        .db()?;
        let mut out: Vec<HistoryEntry> = Vec::with_capacity(versions.len() + 1);
        for row in &versions {
            let change: String = row.try_get("change").db()?;
            let change = Change::parse(&change)
                .ok_or_else(|| StoreError::Backend(format!("unit_version.change holds '{change}'")))?;
            let entry = HistoryEntry {
                change,
                effective: row.try_get("valid_from").db()?,
                name: Names {
                    vi: row.try_get("name_vi").db()?,
                    en: row.try_get("name_en").db()?,
                    ar: row.try_get("name_ar").db()?,
                },
                kind: row.try_get("kind").db()?,
                parent: row.try_get::<Option<String>, _>("parent_code").db()?.map(UnitCode::from_stored),
                previous_name: None,
                previous_parent: None,
                decision: row.try_get("decision").db()?,
            };
            let entry = match out.last() {
                Some(prev) if change == Change::Renamed => {
                    HistoryEntry { previous_name: Some(prev.name.clone()), ..entry }
                }
                Some(prev) if change == Change::Moved => HistoryEntry { previous_parent: prev.parent.clone(), ..entry },
                _ => entry,
            };
            out.push(entry);
        }
        if let (Some(end), Some(last)) = (unit.valid_to, out.last().cloned()) {
            let decision: Option<String> = sqlx::query_scalar("SELECT end_decision FROM unit WHERE id = $1")
                .bind(unit.id)
                .fetch_one(&mut *conn)
                .await
                .db()?;
            out.push(HistoryEntry {
                change: Change::Dissolved,
                effective: end,
                previous_name: None,
                previous_parent: None,
                decision,
                ..last
            });
        }
        Ok(out)
    }
}
