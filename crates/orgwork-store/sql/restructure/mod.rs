//! Restructurings, written once for both backends (see `sql/mod.rs`).
//!
//! A draft is run inside one write transaction: its operations in order, each recording in a
//! journal what it changed, then the continuity check's rules as set queries over the units
//! the draft touched. `check` rolls the transaction back; `apply` commits it when nothing
//! failed, with the journal (which `undo` replays backwards), the lineage and one audit entry.
//! Units are re-parented, not copied: members move only where their own unit is taken apart,
//! and the count ledger follows each moved unit (members::reattribute) without reading members.
//!
//! The phases are this folder's files, in the order a run goes through them: `load`, `ops`,
//! `flush`, `rules`, `impact`, with `carry` (the ledger) and `undo`; they see each other's
//! items through this module (`use super::*`).

use super::audit::{Change as AuditChange, append, now_text};
use super::common::{Arg, Conn, DbResult, id_list, read_rows};
use super::members::apply_member;
use super::structure::live_unit;
use super::{Backend, Db, common, dialect, members};
use async_trait::async_trait;
use chrono::NaiveDate;
use orgwork_domain::Error;
use orgwork_domain::restructure::{Draft, Failure, ItemDestination, Operation, Rule, ValidDraft};
use orgwork_domain::structure::{Change, Names, UnitCode, check_kind_placement};
use orgwork_store::{
    Actor, CheckReport, DraftId, Impact, ImpactUnit, LineageEntry, RestructureStore, Restructuring, Result, StoreError,
    TreeChange,
};
use serde::{Deserialize, Serialize};
use sqlx::Row;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

mod carry;
mod flush;
mod impact;
mod inspection;
mod load;
mod ops;
mod plan;
mod rules;
mod undo;
use carry::*;
use impact::*;
use load::*;
use undo::*;

const COLUMNS: &str =
    "id, title, effective, decision, draft_json, state, created_by, created_at, applied_by, applied_at, undone_at";

/// The most recent applied restructuring: the last one applied and not undone.
const LATEST_APPLIED: &str = "WHERE state = 'applied' ORDER BY applied_seq DESC LIMIT 1";

fn from_row(row: &<super::Db as sqlx::Database>::Row) -> Result<Restructuring> {
    let json: String = row.try_get("draft_json").db()?;
    let draft: Draft =
        serde_json::from_str(&json).map_err(|e| StoreError::Backend(format!("restructuring.draft_json: {e}")))?;
    Ok(Restructuring {
        id: DraftId::new(row.try_get("id").db()?),
        title: row.try_get("title").db()?,
        effective: row.try_get("effective").db()?,
        decision: row.try_get("decision").db()?,
        state: row.try_get("state").db()?,
        operations: draft.operations,
        plan_items: draft.plan_items,
        follow_ups: draft.follow_ups,
        created_by: row.try_get("created_by").db()?,
        created_at: row.try_get("created_at").db()?,
        applied_by: row.try_get("applied_by").db()?,
        applied_at: row.try_get("applied_at").db()?,
        undone_at: row.try_get("undone_at").db()?,
    })
}

async fn load(conn: &mut Conn, id: i64) -> Result<Restructuring> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM restructuring WHERE id = $1")))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
        .db()?
        .ok_or_else(|| StoreError::from(DraftId::not_found(id)))?;
    from_row(&row)
}

impl Backend {
    /// After a run rolled back (a check, an apply that failed its rules) or an undo committed,
    /// outside their transactions: the backend's upkeep of the tree's tables
    /// (`AFTER_TREE_WRITES`), so that the next run does not visit the row versions they left
    /// dead.
    async fn after_tree_writes(&self) -> Result<()> {
        if super::dialect::AFTER_TREE_WRITES.is_empty() {
            return Ok(());
        }
        let mut conn = self.upkeep().acquire().await.db()?;
        super::common::execute_all(&mut conn, super::dialect::AFTER_TREE_WRITES).await
    }

    /// Runs a draft in the caller's transaction: its operations, written (with the count
    /// ledger when `keep_ledger`: apply), then the rules and the impact.
    async fn run_draft<'a>(&'a self, conn: &mut Conn, draft: &Draft, keep_ledger: bool) -> Result<(Run<'a>, Impact)> {
        let mut run = Run {
            store: self,
            day: draft.effective,
            decision: draft.decision.clone(),
            steps: vec![],
            failures: vec![],
            touched: BTreeMap::new(),
            ended: BTreeSet::new(),
            created: BTreeSet::new(),
            moved_units: BTreeSet::new(),
            moved_members: BTreeMap::new(),
            parents: BTreeSet::new(),
            lineage: vec![],
            redirected: 0,
            op: 0,
            work: Work::default(),
            keep_ledger,
            totals_before: HashMap::new(),
            successor: BTreeMap::new(),
            destinations: draft.plan_items.clone(),
            follow_destinations: draft.follow_ups.clone(),
            plan_moves: vec![],
            plan_found: vec![],
            follow_moves: vec![],
            follow_found: vec![],
        };
        run.run(conn, draft).await?;
        let dated = run.failures.iter().all(|f| f.rule != Rule::DateOrder);
        // Beside the writer, on connections of their own: the impact's totals and tree the day
        // before, and on PostgreSQL the ledger's blocks (`carried_beside`). Nothing the run
        // writes is dated before the day (the date rule; the ledger is carried from the day on,
        // and a moved member's counts are taken out and put back whole), so the database as
        // committed answers as the run's transaction would. Meanwhile the writer writes the tree
        // and checks the rules (which read no ledger row); the blocks are written last, and only
        // when the rules passed. The connections share the machine's cores (PostgreSQL: server
        // processes; SQLite: the writer's thread and readers').
        let clock = std::time::Instant::now();
        let reader = self.reader();
        let (known, parents) = run.tree_before_known();
        tracing::debug!(parents_read = parents.len(), "restructure: the tree the day before, as the run loaded it");
        let before = run.day_before();
        // A unit the run created had no members the day before: nothing to read.
        let touched: Vec<i64> = run.touched.keys().copied().filter(|id| !run.created.contains(id)).collect();
        let totals = async {
            let mut conn = reader.acquire().await.db()?;
            super::members::ledger_sums(&mut conn, &touched, before, Some("total")).await
        };
        let tree_before = known.read(reader, &parents, before);
        let beside = if dated { run.carried_beside() } else { None };
        let (day, units) = (run.day, beside.as_ref().map_or(0, BTreeMap::len));
        let sums = async {
            let Some(by_unit) = &beside else { return Ok(None) };
            let mut rtx = reader.begin().await.db()?;
            let sums = carried(&mut rtx, day, by_unit).await?;
            rtx.rollback().await.db()?;
            tracing::debug!(ms = clock.elapsed().as_millis() as u64, "restructure: ledger summed beside the writes");
            Ok::<_, StoreError>(Some(sums))
        };
        let writer = async {
            if dated {
                run.flush(conn).await?;
                tracing::debug!(ms = clock.elapsed().as_millis() as u64, "restructure: written");
                run.rules(conn).await?;
                tracing::debug!(ms = clock.elapsed().as_millis() as u64, "restructure: rules");
            }
            Ok::<_, StoreError>(())
        };
        let (written, totals, tree_before, sums) = futures_util::future::join4(writer, totals, tree_before, sums).await;
        written?;
        run.totals_before = totals?.into_iter().map(|(unit, _, n)| (unit, n)).collect();
        let tree_before = tree_before?;
        if let Some(sums) = sums?
            && run.failures.is_empty()
        {
            run.write_carried(conn, units, sums).await?;
        }
        tracing::debug!(ms = clock.elapsed().as_millis() as u64, "restructure: written and ruled");
        let clock = std::time::Instant::now();
        let impact = run.impact(conn, tree_before).await?;
        tracing::debug!(ms = clock.elapsed().as_millis() as u64, "restructure: impact");
        Ok((run, impact))
    }
}

#[async_trait]
impl RestructureStore for Backend {
    async fn create_restructuring(&self, actor: &Actor, draft: ValidDraft) -> Result<Restructuring> {
        self.horizon("effective", draft.effective)?;
        let mut tx = self.begin_write().await?;
        let id = self.ids.next_id();
        let json = serde_json::to_string(&draft).map_err(|e| StoreError::Backend(e.to_string()))?;
        sqlx::query(
            "INSERT INTO restructuring (id, title, effective, decision, draft_json, state, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, 'draft', $6, $7)",
        )
        .bind(id)
        .bind(&draft.title)
        .bind(draft.effective)
        .bind(draft.decision.as_deref())
        .bind(&json)
        .bind(&actor.name)
        .bind(now_text())
        .execute(&mut *tx)
        .await
        .db()?;
        let r = load(&mut tx, id).await?;
        let target = id.to_string();
        let after = serde_json::to_value(&draft).ok();
        append(
            &mut tx,
            actor,
            AuditChange { action: "restructure.plan", target: &target, unit_id: None, before: None, after },
        )
        .await?;
        self.commit(tx).await?;
        Ok(r)
    }

    async fn restructurings(&self) -> Result<Vec<Restructuring>> {
        let mut conn = self.reader().acquire().await.db()?;
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM restructuring ORDER BY created_at DESC, id DESC"
        )))
        .fetch_all(&mut *conn)
        .await
        .db()?;
        rows.iter().map(from_row).collect()
    }

    async fn restructuring(&self, id: DraftId) -> Result<Restructuring> {
        let mut conn = self.reader().acquire().await.db()?;
        load(&mut conn, id.get()).await
    }

    async fn check_restructuring(&self, id: DraftId) -> Result<CheckReport> {
        let id = id.get();
        let mut tx = self.begin_write().await?;
        let r = load(&mut tx, id).await?;
        if r.state != "draft" {
            return Err(Error::rule(
                "not_a_draft",
                format!("restructuring {id} is {}; only a draft is checked", r.state),
            )
            .into());
        }
        let (run, impact) = self.run_draft(&mut tx, &r.draft(), false).await?;
        tx.rollback().await.db()?;
        self.after_tree_writes().await?;
        Ok(CheckReport {
            restructuring: r.id,
            passed: run.failures.is_empty(),
            applied: false,
            rules: Rule::ALL.to_vec(),
            failures: run.failures,
            impact,
        })
    }

    async fn apply_restructuring(&self, actor: &Actor, id: DraftId) -> Result<CheckReport> {
        let id = id.get();
        let mut tx = self.begin_write().await?;
        let r = load(&mut tx, id).await?;
        if r.state != "draft" {
            return Err(Error::rule(
                "not_a_draft",
                format!("restructuring {id} is {}; only a draft is applied", r.state),
            )
            .into());
        }
        let (run, impact) = self.run_draft(&mut tx, &r.draft(), true).await?;
        if !run.failures.is_empty() {
            tx.rollback().await.db()?;
            self.after_tree_writes().await?;
            return Ok(CheckReport {
                restructuring: r.id,
                passed: false,
                applied: false,
                rules: Rule::ALL.to_vec(),
                failures: run.failures,
                impact,
            });
        }
        let clock = std::time::Instant::now();
        let reason = match &r.decision {
            Some(d) => format!("{} ({d})", r.title),
            None => r.title.clone(),
        };
        run.move_plan_items(&mut tx, actor, id, &reason).await?;
        run.move_follow_ups(&mut tx, actor, id, &reason).await?;
        // The lineage in bulk statements (9,714 rows for the 2025 reform).
        let lineage: Vec<(i64, i64, i64, NaiveDate, &str)> =
            run.lineage.iter().map(|(from, to, relation)| (id, *from, *to, r.effective, *relation)).collect();
        let sql = {
            use super::common::{JsonCol::*, json_rows};
            format!(
                "INSERT INTO unit_lineage (restructuring_id, from_unit_id, to_unit_id, day, relation) {}",
                json_rows(&[Int, Int, Int, Date, Text])
            )
        };
        super::members::write_json(&mut tx, &sql, &lineage, &|_| {}).await?;
        let undo = serde_json::to_string(&run.steps).map_err(|e| StoreError::Backend(e.to_string()))?;
        let after = serde_json::json!({
            "title": r.title, "effective": r.effective, "decision": r.decision,
            "operations": r.operations, "impact": {"units": impact.units.len(), "members_moved": impact.members_moved,
            "transfers_redirected": impact.transfers_redirected, "plan_items_moved": impact.plan_items.len(),
            "follow_ups_moved": impact.follow_ups.len()}
        });
        let target = id.to_string();
        append(
            &mut tx,
            actor,
            AuditChange {
                action: "restructure.apply",
                target: &target,
                unit_id: None,
                before: None,
                after: Some(after),
            },
        )
        .await?;
        let seq: i64 = sqlx::query_scalar("SELECT MAX(seq) FROM audit_log").fetch_one(&mut *tx).await.db()?;
        sqlx::query("UPDATE restructuring SET state = 'applied', applied_by = $2, applied_at = $3, applied_seq = $4, undo_json = $5 WHERE id = $1")
            .bind(id)
            .bind(&actor.name)
            .bind(now_text())
            .bind(seq)
            .bind(&undo)
            .execute(&mut *tx)
            .await
            .db()?;
        let recorded_ms = clock.elapsed().as_millis() as u64;
        self.commit(tx).await?;
        tracing::debug!(
            lineage = run.lineage.len(),
            journal_bytes = undo.len(),
            recorded_ms,
            ms = clock.elapsed().as_millis() as u64,
            "restructure: recorded and committed"
        );
        Ok(CheckReport {
            restructuring: r.id,
            passed: true,
            applied: true,
            rules: Rule::ALL.to_vec(),
            failures: vec![],
            impact,
        })
    }

    async fn latest_applied(&self) -> Result<Option<Restructuring>> {
        let mut conn = self.reader().acquire().await.db()?;
        let row = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM restructuring {LATEST_APPLIED}")))
            .fetch_optional(&mut *conn)
            .await
            .db()?;
        row.as_ref().map(from_row).transpose()
    }

    async fn undo_restructuring(&self, actor: &Actor) -> Result<Restructuring> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT id, applied_seq, undo_json FROM restructuring {LATEST_APPLIED}"
        )))
        .fetch_optional(&mut *tx)
        .await
        .db()?
        .ok_or_else(|| StoreError::from(Error::rule("nothing_to_undo", "no applied restructuring to undo")))?;
        let id: i64 = row.try_get("id").db()?;
        let seq: i64 = row.try_get("applied_seq").db()?;
        let json: String = row.try_get("undo_json").db()?;
        let steps: Vec<Step> =
            serde_json::from_str(&json).map_err(|e| StoreError::Backend(format!("restructuring.undo_json: {e}")))?;
        let r = load(&mut tx, id).await?;
        // Nothing recorded after it on the units it touched (or on their members).
        let mut units: BTreeSet<i64> = BTreeSet::new();
        for s in &steps {
            match s {
                Step::Created { unit }
                | Step::Replaced { unit, .. }
                | Step::Updated { unit, .. }
                | Step::Ended { unit, .. } => {
                    units.insert(*unit);
                }
                Step::MemberMoved { unit, .. } => {
                    units.insert(*unit);
                }
                Step::Redirected { from_unit, to_unit, .. } => units.extend(from_unit.iter().chain(to_unit)),
            }
        }
        let lineage_targets: Vec<i64> =
            sqlx::query_scalar("SELECT to_unit_id FROM unit_lineage WHERE restructuring_id = $1")
                .bind(id)
                .fetch_all(&mut *tx)
                .await
                .db()?;
        units.extend(lineage_targets);
        let ids: Vec<i64> = units.into_iter().collect();
        for chunk in ids.chunks(500) {
            let later = sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT a.seq, a.action, a.target, a.at, u.code FROM audit_log a JOIN unit u ON u.id = a.unit_id \
                 WHERE a.seq > $1 AND a.unit_id IN ({}) ORDER BY a.seq LIMIT 1",
                id_list(chunk)
            )))
            .bind(seq)
            .fetch_optional(&mut *tx)
            .await
            .db()?;
            if let Some(l) = later {
                let (action, target, at, code): (String, String, String, String) = (
                    l.try_get("action").db()?,
                    l.try_get("target").db()?,
                    l.try_get("at").db()?,
                    l.try_get("code").db()?,
                );
                return Err(Error::rule(
                    "recorded_after",
                    format!("restructuring {id} cannot be undone: {action} of {target} was recorded on unit {code} after it (at {at}); undo that first"),
                )
                .into());
            }
        }
        sqlx::query("DELETE FROM unit_lineage WHERE restructuring_id = $1").bind(id).execute(&mut *tx).await.db()?;
        undo_replay(&mut tx, &self.profile, r.effective, &steps).await?;
        plan::undo_plan_moves(&mut tx, self, actor, id, r.effective).await?;
        inspection::undo_follow_up_moves(&mut tx, self, actor, id, r.effective).await?;
        sqlx::query("UPDATE restructuring SET state = 'undone', undone_at = $2 WHERE id = $1")
            .bind(id)
            .bind(now_text())
            .execute(&mut *tx)
            .await
            .db()?;
        let target = id.to_string();
        let before = serde_json::json!({"title": r.title, "effective": r.effective});
        append(
            &mut tx,
            actor,
            AuditChange {
                action: "restructure.undo",
                target: &target,
                unit_id: None,
                before: Some(before),
                after: None,
            },
        )
        .await?;
        let out = load(&mut tx, id).await?;
        self.commit(tx).await?;
        self.after_tree_writes().await?;
        Ok(out)
    }

    async fn lineage(&self, code: &UnitCode) -> Result<Vec<LineageEntry>> {
        let mut conn = self.reader().acquire().await.db()?;
        let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM unit WHERE code = $1")
            .bind(code.as_str())
            .fetch_all(&mut *conn)
            .await
            .db()?;
        if ids.is_empty() {
            return Err(Error::not_found("unit_not_found", format!("no unit has the code {code}")).into());
        }
        let list = id_list(&ids);
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT l.restructuring_id, l.day, l.relation, f.code AS from_code, t.code AS to_code, \
               (SELECT name_vi FROM unit_version WHERE unit_id = f.id ORDER BY valid_from DESC LIMIT 1) AS from_name, \
               (SELECT name_vi FROM unit_version WHERE unit_id = t.id ORDER BY valid_from DESC LIMIT 1) AS to_name \
             FROM unit_lineage l JOIN unit f ON f.id = l.from_unit_id JOIN unit t ON t.id = l.to_unit_id \
             WHERE l.from_unit_id IN ({list}) OR l.to_unit_id IN ({list}) ORDER BY l.day, f.code, t.code"
        )))
        .fetch_all(&mut *conn)
        .await
        .db()?;
        rows.iter()
            .map(|r| {
                Ok(LineageEntry {
                    restructuring: DraftId::new(r.try_get("restructuring_id").db()?),
                    day: r.try_get("day").db()?,
                    relation: r.try_get("relation").db()?,
                    from: UnitCode::from_stored(r.try_get("from_code").db()?),
                    from_name: r.try_get("from_name").db()?,
                    to: UnitCode::from_stored(r.try_get("to_code").db()?),
                    to_name: r.try_get("to_name").db()?,
                })
            })
            .collect()
    }

    async fn predecessors(&self, code: &UnitCode, day: NaiveDate) -> Result<Vec<UnitCode>> {
        let mut conn = self.reader().acquire().await.db()?;
        let today = chrono::Local::now().date_naive().max(day);
        let start = super::structure::resolve_for_read(&mut conn, code, today).await?;
        // Walk back through merges and absorptions dated after `day`.
        let mut out: Vec<(i64, UnitCode)> = vec![];
        let mut queue = vec![(start.id, start.code.clone())];
        let mut seen = BTreeSet::new();
        while let Some((id, code)) = queue.pop() {
            if !seen.insert(id) {
                continue;
            }
            let rows = sqlx::query(
                "SELECT f.id, f.code FROM unit_lineage l JOIN unit f ON f.id = l.from_unit_id \
                 WHERE l.to_unit_id = $1 AND l.day > $2 AND l.relation IN ('merged', 'absorbed') ORDER BY f.code",
            )
            .bind(id)
            .bind(day)
            .fetch_all(&mut *conn)
            .await
            .db()?;
            let valid_from: NaiveDate = sqlx::query_scalar("SELECT valid_from FROM unit WHERE id = $1")
                .bind(id)
                .fetch_one(&mut *conn)
                .await
                .db()?;
            if valid_from <= day {
                out.push((id, code));
            }
            for r in rows {
                queue.push((r.try_get("id").db()?, UnitCode::from_stored(r.try_get("code").db()?)));
            }
        }
        Ok(out.into_iter().map(|(_, c)| c).collect())
    }
}
