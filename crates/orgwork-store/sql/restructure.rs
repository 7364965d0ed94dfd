// Restructurings, written once for both backends (see mod.rs for how this folder is
// compiled).
//
// A draft is run inside one write transaction: its operations in order, each recording in a
// journal what it changed, then the continuity check's rules as set queries over the units
// the draft touched. `check` rolls the transaction back; `apply` commits it when nothing
// failed, with the journal (which `undo` replays backwards), the lineage and one audit entry.
// Units are re-parented, not copied: members move only where their own unit is taken apart,
// and the count ledger follows each moved unit (members::reattribute) without reading members.

use super::Backend;
use super::audit::{Change as AuditChange, append, now_text};
use super::common::{Arg, Conn, DbResult, id_list, read_rows};
use super::members::apply_member;
use super::structure::live_unit;
use async_trait::async_trait;
use chrono::NaiveDate;
use orgwork_domain::Error;
use orgwork_domain::restructure::{Draft, Failure, Operation, Rule};
use orgwork_domain::structure::{Change, Names, UnitCode, check_kind_placement};
use orgwork_store::{
    Actor, CheckReport, Impact, ImpactUnit, LineageEntry, RestructureStore, Restructuring, Result, StoreError,
    TreeChange,
};
use serde::{Deserialize, Serialize};
use sqlx::Row;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// One change the draft made, with what undoing it needs.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
enum Step {
    /// A unit created by the draft.
    Created { unit: i64 },
    /// The unit's latest version (from `closed_from`, ending at `closed_to`) was closed on the
    /// effective date and a new one written; `moved` when the parent changed.
    Replaced { unit: i64, closed_from: NaiveDate, closed_to: Option<NaiveDate>, moved: bool },
    /// The version starting on the effective date (written earlier in the draft) was changed in
    /// place; it had this parent and these names.
    Updated { unit: i64, parent: Option<i64>, names: Names, moved: bool },
    /// The unit was dissolved on the effective date; its latest version started `version_from`.
    /// When the latest version started that day (written earlier in the draft), it was removed
    /// (`dropped`) and the one before already ended that day.
    Ended { unit: i64, version_from: NaiveDate, dropped: Option<Dropped> },
    /// A member left `unit`: their membership from `row_from` (ending `row_to`) was cut at the
    /// effective date and continued in another unit, or, starting that day, changed in place.
    MemberMoved { member: i64, unit: i64, row_from: NaiveDate, row_to: Option<NaiveDate>, in_place: bool },
    /// A transfer in progress now names the successor; these were its units.
    Redirected { transfer: i64, from_unit: Option<i64>, to_unit: Option<i64> },
}

/// A version the draft wrote and then removed, kept to be written back by undo.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Dropped {
    parent: Option<i64>,
    kind: String,
    names: Names,
    change: String,
    decision: Option<String>,
}

/// What happened to a unit: the order it was first touched in, the change, where its things went.
type Touched = (usize, String, BTreeSet<UnitCode>);

/// A unit as the run sees it on the effective date: loaded once, then changed in memory.
#[derive(Debug, Clone)]
struct WorkUnit {
    code: UnitCode,
    /// The start of its latest version (the effective date once the run has written one).
    from: NaiveDate,
    /// The end of the version it had on the effective date (kept for undo).
    to: Option<NaiveDate>,
    parent: Option<i64>,
    /// Its parent before the run (none for a unit the run created).
    parent_before: Option<i64>,
    kind: String,
    names: Names,
    /// Its names before the run: a unit renamed, then ended, is left with them (the version
    /// the rename wrote is dropped).
    names_before: Names,
}

/// The version a unit has from the effective date, written when the operations are done.
#[derive(Debug, Clone)]
struct NewVersionRow {
    parent: Option<i64>,
    kind: String,
    names: Names,
    change: Change,
}

/// A member moved by the run, written when the operations are done.
#[derive(Debug, Clone)]
struct MemberMove {
    member: i64,
    to: i64,
    row_from: NaiveDate,
    row_to: Option<NaiveDate>,
    in_place: bool,
}

/// What a run reads once and changes in memory, and the writes it owes the database. The
/// operations read and change only this (no statement per unit); `Run::flush` then writes the
/// whole draft with a few set statements and re-attributes the ledger in one pass.
#[derive(Default)]
struct Work {
    units: HashMap<i64, WorkUnit>,
    /// The live units on the day, by code.
    by_code: HashMap<UnitCode, i64>,
    /// Codes of the units the run ended.
    ended_codes: BTreeSet<UnitCode>,
    /// Live children by parent, in code order.
    children: HashMap<i64, BTreeMap<UnitCode, i64>>,
    /// Memberships live on the day (member, start, end) of the units the draft takes apart
    /// (and of those it creates), as the run has left them.
    members: HashMap<i64, Vec<(i64, NaiveDate, Option<NaiveDate>)>>,
    /// The units whose every live child on the day was read (those the draft takes apart).
    children_read: HashSet<i64>,
    /// Transfers in progress naming the units the draft takes apart: (from, to), as the run
    /// has left them.
    transfers: BTreeMap<i64, (Option<i64>, Option<i64>)>,
    redirected: BTreeSet<i64>,
    // The writes owed.
    closed: Vec<i64>,
    versions: BTreeMap<i64, NewVersionRow>,
    member_moves: Vec<MemberMove>,
}

/// The columns of a unit's version live on a day, as `Work` loads them, and their types.
type WorkRow = (i64, String, NaiveDate, Option<NaiveDate>, Option<i64>, String, String, Option<String>, Option<String>);
const WORK_COLUMNS: &str =
    "u.id, u.code, v.valid_from, v.valid_to, v.parent_id, v.kind, v.name_vi, v.name_en, v.name_ar";
const WORK_LIVE: &str = "v.valid_from <= $1 AND (v.valid_to IS NULL OR v.valid_to > $1) \
     AND u.valid_from <= $1 AND (u.valid_to IS NULL OR u.valid_to > $1)";

impl Work {
    /// The units `SELECT WORK_COLUMNS <from_where>` finds (see `read_rows`).
    async fn read(conn: &mut Conn, from_where: &str, args: &[Arg]) -> Result<Vec<WorkRow>> {
        read_rows(
            conn,
            &format!("SELECT {WORK_COLUMNS} {from_where}"),
            &["id", "code", "valid_from", "valid_to", "parent_id", "kind", "name_vi", "name_en", "name_ar"],
            args,
        )
        .await
    }

    /// The live units on the day ($1) whose `column` (`u.id` or `v.parent_id`) is one of
    /// `ids`, for `read`.
    fn ids_live(column: &str, ids: &[i64]) -> String {
        format!(
            "FROM unit_version v JOIN unit u ON u.id = v.unit_id WHERE {column} IN ({}) AND {WORK_LIVE}",
            id_list(ids)
        )
    }

    /// The live units on `day` whose `column` (`u.id` or `v.parent_id`) is one of `ids`.
    async fn read_ids(conn: &mut Conn, column: &str, ids: &[i64], day: NaiveDate) -> Result<Vec<WorkRow>> {
        Work::read(conn, &Work::ids_live(column, ids), &[Arg::Date(day)]).await
    }

    /// The units each `(from_where, args)` finds (`read`), half of the statements on `conn`
    /// and half on a connection of `reader`, at once. For the reads before the run writes
    /// anything: both connections see the state the run starts from (the run holds the write
    /// lock). At national scale the load's 38 statements took 1.0 s on one connection.
    async fn read_halves(
        conn: &mut Conn,
        reader: &sqlx::Pool<super::Db>,
        mut queries: Vec<(String, Vec<Arg>)>,
    ) -> Result<Vec<WorkRow>> {
        let theirs = queries.split_off(queries.len() / 2);
        let mine = async {
            let mut rows = vec![];
            for (from_where, args) in &queries {
                rows.extend(Work::read(conn, from_where, args).await?);
            }
            Ok::<_, StoreError>(rows)
        };
        let other = async {
            let mut rows = vec![];
            if theirs.is_empty() {
                return Ok::<_, StoreError>(rows);
            }
            let mut c = reader.acquire().await.db()?;
            for (from_where, args) in &theirs {
                rows.extend(Work::read(&mut c, from_where, args).await?);
            }
            Ok(rows)
        };
        let (mine, other) = futures_util::future::join(mine, other).await;
        let mut rows = mine?;
        rows.extend(other?);
        Ok(rows)
    }

    /// Adds the units `read` found, in code order; returns their ids.
    fn add(&mut self, mut rows: Vec<WorkRow>) -> Vec<i64> {
        rows.sort_by(|a, b| a.1.cmp(&b.1));
        let mut ids = vec![];
        for (id, code, from, to, parent, kind, vi, en, ar) in rows {
            if self.units.contains_key(&id) {
                continue;
            }
            let code = UnitCode::from_stored(code);
            self.by_code.entry(code.clone()).or_insert(id);
            if let Some(p) = parent {
                self.children.entry(p).or_default().insert(code.clone(), id);
            }
            self.units.insert(
                id,
                WorkUnit {
                    code,
                    from,
                    to,
                    parent,
                    parent_before: parent,
                    kind,
                    names_before: Names { vi: vi.clone(), en: en.clone(), ar: ar.clone() },
                    names: Names { vi, en, ar },
                },
            );
            ids.push(id);
        }
        ids
    }

    /// Loads the live units of `codes` on `day`, the live children of those the draft takes
    /// apart (`apart`: their children, members and transfers are handed over), and the
    /// ancestors of all of these; the memberships and transfers in progress of `apart`. A unit
    /// only moved or renamed keeps its children and members: they are not read (at national
    /// scale, the 200,000 cells under the grassroots organizations that move).
    async fn load(
        conn: &mut Conn,
        reader: &sqlx::Pool<super::Db>,
        codes: &[UnitCode],
        apart: &[UnitCode],
        day: NaiveDate,
    ) -> Result<Work> {
        use super::common::{JsonCol, json_rows};
        let mut work = Work::default();
        let by_codes = json_rows(&[JsonCol::Text]).replacen("$1", "$2", 1);
        let from_where =
            format!("FROM unit u JOIN unit_version v ON v.unit_id = u.id WHERE u.code IN ({by_codes}) AND {WORK_LIVE}");
        let queries = codes
            .chunks(2000)
            .map(|chunk| {
                let list: Vec<serde_json::Value> = chunk.iter().map(|c| serde_json::json!([c.as_str()])).collect();
                (from_where.clone(), vec![Arg::Date(day), Arg::Text(serde_json::Value::Array(list).to_string())])
            })
            .collect();
        work.add(Work::read_halves(conn, reader, queries).await?);
        let apart: Vec<i64> = apart.iter().filter_map(|c| work.by_code.get(c).copied()).collect();
        // The children of the units taken apart, then the ancestors of everything loaded.
        let queries =
            apart.chunks(500).map(|chunk| (Work::ids_live("v.parent_id", chunk), vec![Arg::Date(day)])).collect();
        work.add(Work::read_halves(conn, reader, queries).await?);
        work.load_ancestors(conn, day).await?;
        work.children_read.extend(apart.iter().copied());
        for id in &apart {
            work.members.insert(*id, vec![]);
        }
        for chunk in apart.chunks(500) {
            let ids = id_list(chunk);
            let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT unit_id, member_id, valid_from, valid_to FROM membership WHERE unit_id IN ({ids}) \
                 AND valid_from <= $1 AND (valid_to IS NULL OR valid_to > $1) ORDER BY unit_id, member_id"
            )))
            .bind(day)
            .fetch_all(&mut *conn)
            .await
            .db()?;
            for r in rows {
                work.members.entry(r.try_get("unit_id").db()?).or_default().push((
                    r.try_get("member_id").db()?,
                    r.try_get("valid_from").db()?,
                    r.try_get("valid_to").db()?,
                ));
            }
            let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT id, from_unit_id, to_unit_id FROM transfer WHERE state = 'issued' \
                 AND (from_unit_id IN ({ids}) OR to_unit_id IN ({ids}))"
            )))
            .fetch_all(&mut *conn)
            .await
            .db()?;
            for r in rows {
                work.transfers
                    .insert(r.try_get("id").db()?, (r.try_get("from_unit_id").db()?, r.try_get("to_unit_id").db()?));
            }
        }
        Ok(work)
    }

    /// Loads the ancestors of everything loaded.
    async fn load_ancestors(&mut self, conn: &mut Conn, day: NaiveDate) -> Result<()> {
        loop {
            let missing: BTreeSet<i64> =
                self.units.values().filter_map(|u| u.parent_before).filter(|p| !self.units.contains_key(p)).collect();
            if missing.is_empty() {
                return Ok(());
            }
            let missing: Vec<i64> = missing.into_iter().collect();
            let mut found = 0;
            for chunk in missing.chunks(500) {
                let rows = Work::read_ids(conn, "u.id", chunk, day).await?;
                found += self.add(rows).len();
            }
            if found == 0 {
                return Ok(());
            }
        }
    }

    /// The unit's ancestors (itself left out), following `parent` (after the run) or
    /// `parent_before`; stops at a unit not loaded or at a repeat.
    fn ancestors(&self, unit: i64, after: bool) -> Vec<i64> {
        let mut out = vec![];
        let mut cur = self.units.get(&unit).and_then(|u| if after { u.parent } else { u.parent_before });
        while let Some(p) = cur {
            if p == unit || out.contains(&p) {
                break;
            }
            out.push(p);
            cur = self.units.get(&p).and_then(|u| if after { u.parent } else { u.parent_before });
        }
        out
    }

    /// Does following the unit's parents after the run come back to a unit already passed?
    fn in_cycle(&self, unit: i64) -> bool {
        let mut seen = BTreeSet::new();
        let mut cur = Some(unit);
        while let Some(u) = cur {
            if !seen.insert(u) {
                return true;
            }
            cur = self.units.get(&u).and_then(|w| w.parent);
        }
        false
    }
}

/// The state of one run of a draft.
struct Run<'a> {
    store: &'a Backend,
    day: NaiveDate,
    decision: Option<String>,
    steps: Vec<Step>,
    failures: Vec<Failure>,
    /// Units changed, by id: what happened to each (in order of first change).
    touched: BTreeMap<i64, Touched>,
    ended: BTreeSet<i64>,
    created: BTreeSet<i64>,
    moved_units: BTreeSet<i64>,
    moved_members: BTreeMap<i64, i64>,
    /// Parents whose children change.
    parents: BTreeSet<i64>,
    lineage: Vec<(i64, i64, &'static str)>,
    redirected: i64,
    op: usize,
    work: Work,
    /// Whether the run keeps the count ledger (apply) or leaves it (a check, rolled back: the
    /// rules and the impact read the tree, the memberships and the counts before the day, none
    /// of which the ledger's re-attribution changes).
    keep_ledger: bool,
    /// The touched units' member totals the day before, read beside the writer (`run_draft`).
    totals_before: HashMap<i64, i64>,
}

fn fail(
    rule: Rule,
    operation: Option<usize>,
    unit: Option<&UnitCode>,
    member: Option<i64>,
    message: String,
) -> Failure {
    Failure { rule, operation, unit: unit.cloned(), member, message }
}

impl<'a> Run<'a> {
    fn touch(&mut self, unit: i64, change: &str, to: Option<&UnitCode>) {
        let n = self.touched.len();
        let e = self.touched.entry(unit).or_insert((n, String::new(), BTreeSet::new()));
        if e.1.is_empty() || change == "dissolved" || change == "merged" || change == "absorbed" || change == "split" {
            e.1 = change.to_string();
        }
        if let Some(t) = to {
            e.2.insert(t.clone());
        }
    }

    fn op_failure(&mut self, unit: Option<&UnitCode>, message: String) {
        self.failures.push(fail(Rule::Operation, Some(self.op), unit, None, message));
    }

    /// The unit with `code` live on the effective date, or a failure of the current operation.
    async fn unit(&mut self, conn: &mut Conn, code: &UnitCode, role: &str) -> Result<Option<i64>> {
        if let Some(id) = self.work.by_code.get(code) {
            return Ok(Some(*id));
        }
        if self.work.ended_codes.contains(code) {
            let day = self.day;
            self.op_failure(
                Some(code),
                format!("{role}: unit {code} was dissolved on {day}; it does not exist on {day}"),
            );
            return Ok(None);
        }
        // Not among the units the draft names: the database says why (or has it after all).
        match live_unit(conn, code, self.day, role).await {
            Ok(u) => {
                let day = self.day;
                let rows = Work::read_ids(conn, "u.id", &[u.id], day).await?;
                let ids = self.work.add(rows);
                if !ids.is_empty() {
                    let children = Work::read_ids(conn, "v.parent_id", &ids, day).await?;
                    self.work.add(children);
                }
                self.work.load_ancestors(conn, day).await?;
                Ok(Some(u.id))
            }
            Err(StoreError::Domain(e)) => {
                self.op_failure(Some(code), e.message);
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    /// Gives a unit a new parent and/or names from the effective date.
    fn change_version(&mut self, unit: i64, parent: Option<i64>, names: Option<&Names>) {
        let Some(u) = self.work.units.get(&unit).cloned() else { return };
        let moved = parent.is_some_and(|p| u.parent != Some(p));
        let new_parent = if moved { parent } else { u.parent };
        let new_names = names.cloned().unwrap_or_else(|| u.names.clone());
        if !moved && new_names == u.names {
            return;
        }
        if u.from == self.day {
            // A version this run wrote: changed in place.
            if let Some(v) = self.work.versions.get_mut(&unit) {
                v.parent = new_parent;
                v.names = new_names.clone();
            }
            self.steps.push(Step::Updated { unit, parent: u.parent, names: u.names.clone(), moved });
        } else {
            self.work.closed.push(unit);
            let change = if moved { Change::Moved } else { Change::Renamed };
            self.work.versions.insert(
                unit,
                NewVersionRow { parent: new_parent, kind: u.kind.clone(), names: new_names.clone(), change },
            );
            self.steps.push(Step::Replaced { unit, closed_from: u.from, closed_to: u.to, moved });
        }
        if moved {
            if let Some(p) = u.parent {
                if let Some(kids) = self.work.children.get_mut(&p) {
                    kids.remove(&u.code);
                }
                self.parents.insert(p);
            }
            if let Some(p) = new_parent {
                self.work.children.entry(p).or_default().insert(u.code.clone(), unit);
                self.parents.insert(p);
            }
            self.moved_units.insert(unit);
        }
        let w = self.work.units.get_mut(&unit).expect("loaded above");
        w.from = self.day;
        w.parent = new_parent;
        w.names = new_names;
    }

    /// The live children of a unit on the effective date: (id, code), in code order.
    fn children(&self, unit: i64) -> Vec<(i64, UnitCode)> {
        self.work
            .children
            .get(&unit)
            .map(|kids| kids.iter().map(|(c, id)| (*id, c.clone())).collect())
            .unwrap_or_default()
    }

    /// The members whose own unit is `unit` on the effective date: (member id, membership
    /// start, end).
    fn members_of(&self, unit: i64) -> Vec<(i64, NaiveDate, Option<NaiveDate>)> {
        self.work.members.get(&unit).cloned().unwrap_or_default()
    }

    /// Moves a member's membership from `from` to `to` on the effective date.
    fn move_member(&mut self, member: i64, from: i64, to: i64, row_from: NaiveDate, row_to: Option<NaiveDate>) {
        let in_place = row_from == self.day;
        self.work.member_moves.push(MemberMove { member, to, row_from, row_to, in_place });
        if let Some(list) = self.work.members.get_mut(&from) {
            list.retain(|(m, _, _)| *m != member);
        }
        let list = self.work.members.entry(to).or_default();
        list.push((member, self.day, row_to));
        list.sort();
        self.steps.push(Step::MemberMoved { member, unit: from, row_from, row_to, in_place });
        *self.moved_members.entry(from).or_default() += 1;
    }

    /// Transfers in progress from or to `from` now name `to`.
    fn redirect(&mut self, from: i64, to: i64) {
        let ids: Vec<i64> = self
            .work
            .transfers
            .iter()
            .filter(|(_, (f, t))| *f == Some(from) || *t == Some(from))
            .map(|(id, _)| *id)
            .collect();
        for id in ids {
            let (f, t) = self.work.transfers[&id];
            let nf = if f == Some(from) { Some(to) } else { f };
            let nt = if t == Some(from) { Some(to) } else { t };
            self.work.transfers.insert(id, (nf, nt));
            self.work.redirected.insert(id);
            self.steps.push(Step::Redirected { transfer: id, from_unit: f, to_unit: t });
            self.redirected += 1;
        }
    }

    /// Everything `from` holds (children, members, transfers) goes to `to`.
    fn hand_over(&mut self, from: i64, to: i64) {
        for (child, _) in self.children(from) {
            if child != to {
                self.change_version(child, Some(to), None);
            }
        }
        for (member, row_from, row_to) in self.members_of(from) {
            self.move_member(member, from, to, row_from, row_to);
        }
        self.redirect(from, to)
    }

    /// Ends a unit on the effective date.
    fn end(&mut self, unit: i64, code: &UnitCode) {
        if self.created.contains(&unit) {
            self.op_failure(
                Some(code),
                format!("unit {code} is created by this draft; it cannot also end on {}", self.day),
            );
            return;
        }
        let Some(u) = self.work.units.get(&unit).cloned() else { return };
        if u.from == self.day {
            // A version written earlier in this draft (the unit was moved or renamed, then taken
            // apart): it never holds, so it goes; the version before it already ends on the day.
            let v = self.work.versions.remove(&unit);
            let dropped = Dropped {
                parent: u.parent,
                kind: u.kind.clone(),
                names: u.names.clone(),
                change: v.map(|v| v.change.as_str().to_string()).unwrap_or_default(),
                decision: self.decision.clone(),
            };
            self.steps.push(Step::Ended { unit, version_from: u.from, dropped: Some(dropped) });
            // Its last version is again the one it had: so are its names.
            let w = self.work.units.get_mut(&unit).expect("loaded above");
            w.names = w.names_before.clone();
        } else {
            self.work.closed.push(unit);
            self.steps.push(Step::Ended { unit, version_from: u.from, dropped: None });
        }
        self.ended.insert(unit);
        if let Some(p) = u.parent {
            if let Some(kids) = self.work.children.get_mut(&p) {
                kids.remove(&u.code);
            }
            self.parents.insert(p);
        }
        if self.work.by_code.get(&u.code) == Some(&unit) {
            self.work.by_code.remove(&u.code);
            self.work.ended_codes.insert(u.code.clone());
        }
    }

    /// The date rule, the load (`Work::load`) and the operations, carried out in memory:
    /// nothing is written yet (`Backend::run_draft` writes, checks the rules and reads beside).
    async fn run(&mut self, conn: &mut Conn, draft: &Draft) -> Result<()> {
        super::common::execute_all(conn, super::dialect::RUN_BEGIN).await?;
        // The date rule: a restructuring comes after every recorded change of the structure.
        let later = sqlx::query(
            "SELECT u.code, v.valid_from AS day FROM unit_version v JOIN unit u ON u.id = v.unit_id WHERE v.valid_from >= $1 \
             UNION ALL SELECT code, valid_to AS day FROM unit WHERE valid_to >= $1 ORDER BY day LIMIT 5",
        )
        .bind(self.day)
        .fetch_all(&mut *conn)
        .await
        .db()?;
        if !later.is_empty() {
            for r in &later {
                let code = UnitCode::from_stored(r.try_get("code").db()?);
                let day: NaiveDate = r.try_get("day").db()?;
                self.failures.push(fail(
                    Rule::DateOrder,
                    None,
                    Some(&code),
                    None,
                    format!("unit {code} has a change recorded on {day}; a restructuring on {} must come after every recorded change", self.day),
                ));
            }
            return Ok(());
        }
        // Every code the draft names, the new ones too (a new code may be taken already).
        let mut codes: BTreeSet<UnitCode> = draft.named_units().into_iter().collect();
        for op in &draft.operations {
            if let Operation::Create(o) = op {
                codes.insert(o.code.clone());
            }
        }
        let codes: Vec<UnitCode> = codes.into_iter().collect();
        let clock = std::time::Instant::now();
        self.work = Work::load(conn, self.store.reader(), &codes, &draft.taken_apart(), self.day).await?;
        tracing::debug!(units = self.work.units.len(), ms = clock.elapsed().as_millis() as u64, "restructure: loaded");
        let clock = std::time::Instant::now();
        for (i, op) in draft.operations.iter().enumerate() {
            self.op = i + 1;
            self.operation(conn, op).await?;
        }
        tracing::debug!(
            operations = draft.operations.len(),
            ms = clock.elapsed().as_millis() as u64,
            "restructure: operations"
        );
        Ok(())
    }

    async fn operation(&mut self, conn: &mut Conn, op: &Operation) -> Result<()> {
        match op {
            Operation::Create(o) => {
                let Some(parent) = self.unit(conn, &o.parent, "parent").await? else { return Ok(()) };
                if self.store.profile.unit_kind(&o.kind).is_none() {
                    self.op_failure(Some(&o.code), format!("kind: '{}' is not a unit kind of the profile", o.kind));
                    return Ok(());
                }
                let id = self.store.ids.next_id();
                self.work.units.insert(
                    id,
                    WorkUnit {
                        code: o.code.clone(),
                        from: self.day,
                        to: None,
                        parent: Some(parent),
                        parent_before: None,
                        kind: o.kind.clone(),
                        names: o.names.clone(),
                        names_before: o.names.clone(),
                    },
                );
                self.work.by_code.entry(o.code.clone()).or_insert(id);
                self.work.children.entry(parent).or_default().insert(o.code.clone(), id);
                self.work.members.insert(id, vec![]);
                self.work.versions.insert(
                    id,
                    NewVersionRow {
                        parent: Some(parent),
                        kind: o.kind.clone(),
                        names: o.names.clone(),
                        change: Change::Created,
                    },
                );
                self.steps.push(Step::Created { unit: id });
                self.created.insert(id);
                self.parents.insert(parent);
                self.touch(id, "created", None);
            }
            Operation::Rename(o) => {
                let Some(unit) = self.unit(conn, &o.unit, "unit").await? else { return Ok(()) };
                self.change_version(unit, None, Some(&o.names));
                self.touch(unit, "renamed", None);
            }
            Operation::Move(o) => {
                let (Some(unit), Some(parent)) =
                    (self.unit(conn, &o.unit, "unit").await?, self.unit(conn, &o.parent, "parent").await?)
                else {
                    return Ok(());
                };
                self.change_version(unit, Some(parent), None);
                self.touch(unit, "moved", Some(&o.parent));
            }
            Operation::Merge(o) => {
                let Some(into) = self.unit(conn, &o.into, "into").await? else { return Ok(()) };
                // Into a unit this draft created: a merge; into one that existed: an absorption.
                let survives = !self.created.contains(&into);
                for code in o.units.iter().filter(|c| **c != o.into) {
                    let Some(unit) = self.unit(conn, code, "unit").await? else { continue };
                    self.hand_over(unit, into);
                    self.end(unit, code);
                    let relation = if survives { "absorbed" } else { "merged" };
                    self.lineage.push((unit, into, relation));
                    self.touch(unit, "merged", Some(&o.into));
                }
                if survives {
                    self.touch(into, "absorbs", None);
                }
                self.parents.insert(into);
            }
            Operation::Split(o) => self.split(conn, o).await?,
            Operation::Dissolve(o) => {
                let Some(unit) = self.unit(conn, &o.unit, "unit").await? else { return Ok(()) };
                if let Some(into_code) = &o.into {
                    let Some(into) = self.unit(conn, into_code, "into").await? else { return Ok(()) };
                    self.hand_over(unit, into);
                    self.lineage.push((unit, into, "dissolved"));
                    self.parents.insert(into);
                }
                self.end(unit, &o.unit);
                self.touch(unit, "dissolved", o.into.as_ref());
            }
        }
        Ok(())
    }

    async fn split(&mut self, conn: &mut Conn, o: &orgwork_domain::restructure::SplitOp) -> Result<()> {
        let Some(unit) = self.unit(conn, &o.unit, "unit").await? else { return Ok(()) };
        let mut parts = vec![];
        for p in &o.parts {
            let Some(id) = self.unit(conn, &p.unit, "part").await? else { return Ok(()) };
            parts.push((p, id));
        }
        let children: BTreeMap<UnitCode, i64> = self.children(unit).into_iter().map(|(id, c)| (c, id)).collect();
        let members = self.members_of(unit);
        let mut taken_children = BTreeSet::new();
        let mut taken_members = BTreeSet::new();
        // Members named by card number, national ID or `#id`.
        let mut named: Vec<(usize, i64)> = vec![];
        for (k, (p, _)) in parts.iter().enumerate() {
            for c in &p.children {
                if !children.contains_key(c) {
                    self.op_failure(Some(c), format!("unit {c} is not a child of {} on {}", o.unit, self.day));
                }
                taken_children.insert(c.clone());
            }
            for m in &p.members {
                let m = m.trim();
                let id: Option<i64> = match m.strip_prefix('#') {
                    Some(n) => n.parse().ok(),
                    None => {
                        sqlx::query_scalar("SELECT id FROM member WHERE card_number = $1 OR national_id = $1 LIMIT 1")
                            .bind(m)
                            .fetch_optional(&mut *conn)
                            .await
                            .db()?
                    }
                };
                match id.filter(|id| members.iter().any(|(mid, _, _)| mid == id)) {
                    Some(id) => {
                        named.push((k, id));
                        taken_members.insert(id);
                    }
                    None => self.op_failure(
                        Some(&o.unit),
                        format!("member '{m}' is not a member of {} on {}", o.unit, self.day),
                    ),
                }
            }
        }
        let rest = parts.iter().position(|(p, _)| p.rest).or_else(|| parts.iter().position(|(_, id)| *id == unit));
        let left_children: Vec<&UnitCode> = children.keys().filter(|c| !taken_children.contains(*c)).collect();
        let left_members: Vec<i64> =
            members.iter().map(|(m, _, _)| *m).filter(|m| !taken_members.contains(m)).collect();
        if rest.is_none() {
            for c in &left_children {
                self.op_failure(
                    Some(c),
                    format!(
                        "child {c} of {} is given to no part (name it in a part, or give one part `rest = true`)",
                        o.unit
                    ),
                );
            }
            for m in &left_members {
                self.failures.push(fail(
                    Rule::Operation,
                    Some(self.op),
                    Some(&o.unit),
                    Some(*m),
                    format!(
                        "member {m} of {} is given to no part (name them in a part, or give one part `rest = true`)",
                        o.unit
                    ),
                ));
            }
        }
        for (k, (p, part)) in parts.iter().enumerate() {
            if *part == unit {
                continue;
            }
            let is_rest = rest == Some(k);
            for (code, child) in &children {
                if (p.children.contains(code) || (is_rest && !taken_children.contains(code))) && *child != *part {
                    self.change_version(*child, Some(*part), None);
                }
            }
            for (member, row_from, row_to) in &members {
                if named.contains(&(k, *member)) || (is_rest && !taken_members.contains(member)) {
                    self.move_member(*member, unit, *part, *row_from, *row_to);
                }
            }
            if is_rest {
                self.redirect(unit, *part);
            }
            self.lineage.push((unit, *part, "split"));
            self.parents.insert(*part);
        }
        let targets: Vec<UnitCode> = parts.iter().map(|(p, _)| p.unit.clone()).filter(|c| *c != o.unit).collect();
        if !parts.iter().any(|(_, id)| *id == unit) {
            self.end(unit, &o.unit);
        }
        for t in &targets {
            self.touch(unit, "split", Some(t));
        }
        Ok(())
    }

    /// The ledger's blocks when their sums are read on a connection of their own beside the
    /// writer (`carried`) and written after the rules (`write_carried`): on PostgreSQL, in an
    /// apply that moves no member. The sums read only what the run does not change (each staged
    /// unit's rows and balance as committed; the moved members' counts, taken out first, are the
    /// one thing that would change them), and every write holds the write lock, so what that
    /// connection reads is what the run started from. At national scale the sums' read is the
    /// longest part of the pass, as long as the tree's writes and the rules together. `None`:
    /// `flush` carries them itself (on SQLite one statement in the writer: a reader's rows would
    /// cross the driver twice).
    fn carried_beside(&self) -> Option<BTreeMap<i64, Vec<(i64, i64)>>> {
        self.ledger_beside().then(|| self.reattribution())
    }

    /// Whether the ledger's blocks are carried beside the writer (`carried_beside`).
    fn ledger_beside(&self) -> bool {
        super::dialect::LEDGER_BESIDE && self.keep_ledger && self.work.member_moves.is_empty()
    }

    /// Writes what the operations did, in this order: the moved members' counts taken out
    /// while the tree is as before; the ledger re-attributed for every re-parented unit in one
    /// pass; the units and versions written with a few set statements; the members' rows moved
    /// and their counts put back where they now are. A check leaves the counts alone, and so
    /// does a run whose blocks are carried beside (`carried_beside`).
    async fn flush(&mut self, conn: &mut Conn) -> Result<()> {
        if !self.keep_ledger || self.ledger_beside() {
            return self.write_tree(conn).await;
        }
        let profile = self.store.profile.clone();
        // The moved members, whose counts move with them.
        let mut members: Vec<i64> = vec![];
        for m in &self.work.member_moves {
            if !members.contains(&m.member) {
                members.push(m.member);
            }
        }
        let clock = std::time::Instant::now();
        let by_unit = self.reattribution();
        for m in &members {
            apply_member(conn, &profile, *m, -1).await?;
        }
        carry_logged("restructure", by_unit.len(), carry(conn, self.day, &by_unit).await?, clock);
        self.write_tree(conn).await?;
        for m in &members {
            apply_member(conn, &profile, *m, 1).await?;
        }
        Ok(())
    }

    /// Writes the blocks' sums read beside (`carried`): the rows of units the run created,
    /// which have none yet, as plain inserts; the others added to those there.
    async fn write_carried(&self, conn: &mut Conn, units: usize, (staged, rows): (usize, Vec<Carried>)) -> Result<()> {
        let clock = std::time::Instant::now();
        let (fresh, others): (Vec<Carried>, Vec<Carried>) = rows.into_iter().partition(|r| self.created.contains(&r.0));
        super::members::ledger_insert(conn, &fresh).await?;
        super::members::ledger_add(conn, &others).await?;
        tracing::debug!(fresh = fresh.len(), others = others.len(), "restructure: carried sums");
        carry_logged("restructure", units, (staged, (fresh.len() + others.len()) as u64), clock);
        Ok(())
    }

    /// The units, versions, memberships and transfers the operations changed, written with a
    /// few set statements.
    async fn write_tree(&self, conn: &mut Conn) -> Result<()> {
        use super::common::{JsonCol::*, json_rows};
        use super::members::write_json;
        let day = self.day;
        let nothing = |_: u64| {};
        let created: Vec<(i64, &str, NaiveDate)> =
            self.created.iter().map(|id| (*id, self.work.units[id].code.as_str(), day)).collect();
        let sql = format!("INSERT INTO unit (id, code, valid_from) {}", json_rows(&[Int, Text, Date]));
        write_json(conn, &sql, &created, &nothing).await?;
        for chunk in self.work.closed.chunks(500) {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "UPDATE unit_version SET valid_to = $1 WHERE valid_to IS NULL AND unit_id IN ({})",
                id_list(chunk)
            )))
            .bind(day)
            .execute(&mut *conn)
            .await
            .db()?;
        }
        for chunk in self.ended.iter().copied().collect::<Vec<_>>().chunks(500) {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "UPDATE unit SET valid_to = $1, end_decision = $2 WHERE id IN ({})",
                id_list(chunk)
            )))
            .bind(day)
            .bind(self.decision.as_deref())
            .execute(&mut *conn)
            .await
            .db()?;
        }
        let versions: Vec<_> = self
            .work
            .versions
            .iter()
            .map(|(id, v)| {
                (
                    *id,
                    day,
                    v.parent,
                    v.kind.as_str(),
                    v.names.vi.as_str(),
                    &v.names.en,
                    &v.names.ar,
                    v.names.folded(),
                    v.change.as_str(),
                    &self.decision,
                )
            })
            .collect();
        let columns = [
            ("unit_id", Int),
            ("valid_from", Date),
            ("parent_id", Int),
            ("kind", Text),
            ("name_vi", Text),
            ("name_en", Text),
            ("name_ar", Text),
            ("name_fold", Text),
            ("change", Text),
            ("decision", Text),
        ];
        super::dialect::insert_rows(conn, "unit_version", &columns, &versions, &nothing).await?;

        for m in &self.work.member_moves {
            if m.in_place {
                sqlx::query("UPDATE membership SET unit_id = $3 WHERE member_id = $1 AND valid_from = $2")
                    .bind(m.member)
                    .bind(m.row_from)
                    .bind(m.to)
                    .execute(&mut *conn)
                    .await
                    .db()?;
            } else {
                sqlx::query("UPDATE membership SET valid_to = $3 WHERE member_id = $1 AND valid_from = $2")
                    .bind(m.member)
                    .bind(m.row_from)
                    .bind(day)
                    .execute(&mut *conn)
                    .await
                    .db()?;
                sqlx::query("INSERT INTO membership (member_id, valid_from, valid_to, unit_id, reason, document) VALUES ($1, $2, $3, $4, 'restructuring', $5)")
                    .bind(m.member)
                    .bind(day)
                    .bind(m.row_to)
                    .bind(m.to)
                    .bind(self.decision.as_deref())
                    .execute(&mut *conn)
                    .await
                    .db()?;
            }
        }
        for id in &self.work.redirected {
            let (f, t) = self.work.transfers[id];
            sqlx::query("UPDATE transfer SET from_unit_id = $2, to_unit_id = $3 WHERE id = $1")
                .bind(id)
                .bind(f)
                .bind(t)
                .execute(&mut *conn)
                .await
                .db()?;
        }
        Ok(())
    }

    /// How the counts of every re-parented unit are re-attributed in one pass: each carries its
    /// block from the ancestors it had before the run to those it has after, from the effective
    /// date on (the date rule leaves no later change of the tree), however the operations were
    /// ordered: the coefficients (ancestor, n) by unit, for `carry` (one `INSERT … SELECT`; the
    /// rows stay in the database) or `carried`. Undo runs the same the other way.
    fn reattribution(&self) -> BTreeMap<i64, Vec<(i64, i64)>> {
        let work = &self.work;
        // A unit the draft ends carries nothing once the draft passes its check (no member, no
        // unit left in it), so only re-parented units that live on carry a block.
        let moved: BTreeSet<i64> = work
            .units
            .iter()
            .filter(|(id, u)| !self.created.contains(id) && u.parent != u.parent_before && !self.ended.contains(id))
            .map(|(id, _)| *id)
            .collect();
        if moved.is_empty() {
            return BTreeMap::new();
        }
        let mut coef = coefficients(&moved, |u| work.ancestors(u, false), |u| work.ancestors(u, true));
        // An ended ancestor takes nothing: from its end on a unit's counts are nil by rule (no
        // member is left in it) and read as such (`members::ledger_sums`), so its rows from
        // the day on are left as they are (and undo gives it nothing back). The 2025 reform
        // ends every old commune and district and most provinces above the moved blocks: at
        // national scale this takes the staged coefficients from 96,940 to 25,959.
        coef.retain(|(_, a), c| *c != 0 && !self.ended.contains(a));
        let mut by_unit: BTreeMap<i64, Vec<(i64, i64)>> = BTreeMap::new();
        for ((v, a), c) in &coef {
            by_unit.entry(*v).or_default().push((*a, *c));
        }
        // When every unit under an ended unit goes the same way (a merged commune's cells and
        // organizations all to the new commune), their counts together are the ended unit's:
        // read its series once instead of each of theirs.
        let mut before_children: HashMap<i64, Vec<i64>> = HashMap::new();
        for (id, u) in &work.units {
            if let Some(p) = u.parent_before.filter(|p| self.ended.contains(p)) {
                before_children.entry(p).or_default().push(*id);
            }
        }
        let mut gathered: BTreeSet<i64> = BTreeSet::new();
        for (ended, kids) in before_children {
            let Some(row) = by_unit.get(&kids[0]).cloned() else { continue };
            if kids.iter().all(|k| by_unit.get(k) == Some(&row)) {
                for k in &kids {
                    by_unit.remove(k);
                }
                by_unit.insert(ended, row);
                gathered.insert(ended);
            }
        }
        tracing::debug!(gathered = gathered.len(), "restructure: units gathered under ended units");
        by_unit
    }

    /// The continuity check's rules over the units the draft touched (set queries).
    async fn rules(&mut self, conn: &mut Conn) -> Result<()> {
        let day = self.day;
        let ended: Vec<i64> = self.ended.iter().copied().collect();
        for chunk in ended.chunks(500) {
            let ids = id_list(chunk);
            // Members left in a dissolved unit (including those recorded to join it later).
            let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT m.member_id, u.code, m.valid_from FROM membership m JOIN unit u ON u.id = m.unit_id \
                 WHERE m.unit_id IN ({ids}) AND (m.valid_to IS NULL OR m.valid_to > u.valid_to) ORDER BY u.code, m.member_id"
            )))
            .fetch_all(&mut *conn)
            .await
            .db()?;
            for r in rows {
                let member: i64 = r.try_get("member_id").db()?;
                let code = UnitCode::from_stored(r.try_get("code").db()?);
                let from: NaiveDate = r.try_get("valid_from").db()?;
                let why = if from > day {
                    format!("member {member} is recorded in {code} from {from}, after {code} is dissolved on {day}")
                } else {
                    format!("member {member} is left in {code}, which is dissolved on {day}")
                };
                self.failures.push(fail(Rule::NoMemberInDissolvedUnit, None, Some(&code), Some(member), why));
            }
            // Units left under a dissolved unit. The ids are named on both sides of the join:
            // PostgreSQL does not carry a list across `p.id = v.parent_id`, and hashed the whole
            // unit table for each chunk (national scale: 60–90 ms a chunk against 4 ms).
            let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT c.code, p.code AS parent_code FROM unit_version v JOIN unit c ON c.id = v.unit_id JOIN unit p ON p.id = v.parent_id \
                 WHERE v.parent_id IN ({ids}) AND p.id IN ({ids}) AND (v.valid_to IS NULL OR v.valid_to > p.valid_to) \
                 ORDER BY p.code, c.code"
            )))
            .fetch_all(&mut *conn)
            .await
            .db()?;
            for r in rows {
                let code = UnitCode::from_stored(r.try_get("code").db()?);
                let parent: String = r.try_get("parent_code").db()?;
                self.failures.push(fail(
                    Rule::NoUnitUnderDissolvedUnit,
                    None,
                    Some(&code),
                    None,
                    format!("unit {code} is left under {parent}, which is dissolved on {day}"),
                ));
            }
            // Transfers in progress naming a dissolved unit.
            let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT t.id, t.member_id, u.code FROM transfer t JOIN unit u ON u.id = t.to_unit_id OR u.id = t.from_unit_id \
                 WHERE t.state = 'issued' AND u.id IN ({ids}) ORDER BY t.id"
            )))
            .fetch_all(&mut *conn)
            .await
            .db()?;
            for r in rows {
                let id: i64 = r.try_get("id").db()?;
                let member: i64 = r.try_get("member_id").db()?;
                let code = UnitCode::from_stored(r.try_get("code").db()?);
                self.failures.push(fail(
                    Rule::TransfersRedirected,
                    None,
                    Some(&code),
                    Some(member),
                    format!("transfer {id} in progress names {code}, which is dissolved on {day}; give {code} a destination or settle the transfer first"),
                ));
            }
        }
        // One live unit per member: among the members who moved.
        let moved: Vec<i64> = self
            .steps
            .iter()
            .filter_map(|s| if let Step::MemberMoved { member, .. } = s { Some(*member) } else { None })
            .collect();
        for chunk in moved.chunks(500) {
            let rows: Vec<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                "SELECT member_id FROM membership WHERE member_id IN ({}) AND valid_from <= $1 AND (valid_to IS NULL OR valid_to > $1) \
                 GROUP BY member_id HAVING COUNT(*) <> 1",
                id_list(chunk)
            )))
            .bind(day)
            .fetch_all(&mut *conn)
            .await
            .db()?;
            for member in rows {
                self.failures.push(fail(
                    Rule::OneLiveUnit,
                    None,
                    None,
                    Some(member),
                    format!("member {member} does not have exactly one unit on {day}"),
                ));
            }
        }
        // Kinds, codes and cycles: among the units whose version starts on the day.
        let mut rows = self.placed()?;
        rows.sort_by(|a, b| a.1.cmp(&b.1));
        for (unit, code, kind, parent, parent_kind) in rows {
            let code = UnitCode::from_stored(code);
            if let (Some(p), Some(pk)) = (parent, parent_kind)
                && let Err(e) =
                    check_kind_placement(&self.store.profile, &code, &kind, Some((&UnitCode::from_stored(p), &pk)))
            {
                self.failures.push(fail(Rule::KindPlacement, None, Some(&code), None, e.message));
            }
            if self.moved_units.contains(&unit) && self.work.in_cycle(unit) {
                self.failures.push(fail(
                    Rule::NoCycle,
                    None,
                    Some(&code),
                    None,
                    format!("unit {code} would be its own ancestor on {day}"),
                ));
            }
        }
        let created: Vec<i64> = self.created.iter().copied().collect();
        for chunk in created.chunks(500) {
            let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT n.code, o.valid_from FROM unit n JOIN unit o ON o.code = n.code AND o.id <> n.id \
                 WHERE n.id IN ({}) AND o.valid_from <= $1 AND (o.valid_to IS NULL OR o.valid_to > $1) ORDER BY n.code",
                id_list(chunk)
            )))
            .bind(day)
            .fetch_all(&mut *conn)
            .await
            .db()?;
            for r in rows {
                let code = UnitCode::from_stored(r.try_get("code").db()?);
                let from: NaiveDate = r.try_get("valid_from").db()?;
                self.failures.push(fail(
                    Rule::UniqueCode,
                    None,
                    Some(&code),
                    None,
                    format!(
                        "code {code} is used by a unit live on {day} (since {from}); a new unit needs a code of its own"
                    ),
                ));
            }
        }
        Ok(())
    }

    /// The versions starting on the day, as `rules` checks their kinds: (unit, code, kind,
    /// parent's code, parent's kind on the day; no kind when the parent ends that day), from
    /// what the run wrote rather than read back (at national scale 160,000 rows, 0.6 s of the
    /// writer's connection). Those are every version starting on the day (the date rule left
    /// none before the run), each with the parent and kind `write_tree` wrote; every unit and
    /// parent they name was loaded (`unit` loads what the draft names, with its ancestors),
    /// with its kind, which no restructuring changes.
    fn placed(&self) -> Result<Vec<Placed>> {
        let unit = |id: i64| {
            self.work.units.get(&id).ok_or_else(|| {
                StoreError::Backend(format!("restructure: unit {id} has a new version but was not loaded"))
            })
        };
        let mut rows = Vec::with_capacity(self.work.versions.len());
        for (id, v) in &self.work.versions {
            let code = unit(*id)?.code.as_str().to_string();
            let (parent, parent_kind) = match v.parent {
                None => (None, None),
                Some(p) => {
                    let w = unit(p)?;
                    let kind = (!self.ended.contains(&p)).then(|| w.kind.clone());
                    (Some(w.code.as_str().to_string()), kind)
                }
            };
            rows.push((*id, code, v.kind.clone(), parent, parent_kind));
        }
        Ok(rows)
    }

    /// The day before the effective date: the last day of the tree as it was.
    fn day_before(&self) -> NaiveDate {
        self.day.pred_opt().unwrap_or(self.day)
    }

    /// What the impact needs of the tree the day before (the ancestors of the units taken
    /// apart, the children of the parents whose children change), as far as the run holds it;
    /// and the parents whose children it does not hold, to be read (`TreeBefore::read`). The
    /// tree on the day before is the tree the run loaded, as it stood before the operations:
    /// the date rule leaves no version starting or ending on the day. The run loaded every
    /// ancestor of what it loaded (`Work::load_ancestors`) and every child of the units taken
    /// apart; a unit it created had no children. At national scale this leaves 739 of the 2025
    /// reform's 13,973 parents to read (the districts, dissolved without a destination once
    /// their units are moved, the surviving provinces and the root), where reading all of them
    /// and the ancestors took 1.8 s of a server process beside the writer.
    fn tree_before_known(&self) -> (TreeBefore, Vec<i64>) {
        let work = &self.work;
        let ancestors = self
            .touched
            .iter()
            .filter(|(_, (_, c, _))| taken_apart(c))
            .map(|(id, _)| (*id, work.ancestors(*id, false)))
            .filter(|(_, a)| !a.is_empty())
            .collect();
        let (known, unknown): (Vec<i64>, Vec<i64>) =
            self.parents.iter().partition(|p| work.children_read.contains(p) || self.created.contains(p));
        let known: HashSet<i64> = known.into_iter().collect();
        let mut children: Children = HashMap::new();
        for (id, u) in &work.units {
            if let Some(p) = u.parent_before.filter(|p| known.contains(p)) {
                children.entry(p).or_default().push((*id, u.code.clone()));
            }
        }
        for kids in children.values_mut() {
            kids.sort_by(|a, b| a.1.cmp(&b.1));
        }
        (TreeBefore { ancestors, children }, unknown)
    }

    /// Units' code, Vietnamese name and kind as last recorded (`unit_facts`): as the run left
    /// them for the units it loaded, read for the others.
    async fn facts(&self, conn: &mut Conn, ids: &[i64]) -> Result<HashMap<i64, (String, String, String)>> {
        let mut out = HashMap::with_capacity(ids.len());
        let mut unknown = vec![];
        for id in ids {
            match self.work.units.get(id) {
                Some(u) => {
                    out.insert(*id, (u.code.as_str().to_string(), u.names.vi.clone(), u.kind.clone()));
                }
                None => unknown.push(*id),
            }
        }
        out.extend(unit_facts(conn, &unknown).await?);
        Ok(out)
    }

    /// The parents' live children on the day, from those of the day before: a child the run
    /// did not load kept its parent (only the run changes the tree on the day: the date rule),
    /// and a loaded unit is where the run left it, ended or not.
    fn children_after(&self, parents: &[i64], before: &Children) -> Children {
        let wanted: HashSet<i64> = parents.iter().copied().collect();
        let mut out: Children = HashMap::new();
        for (id, u) in &self.work.units {
            if let Some(p) = u.parent.filter(|p| wanted.contains(p))
                && !self.ended.contains(id)
            {
                out.entry(p).or_default().push((*id, u.code.clone()));
            }
        }
        for (p, kids) in before {
            let stayed = kids.iter().filter(|(id, _)| !self.work.units.contains_key(id)).cloned();
            out.entry(*p).or_default().extend(stayed);
        }
        for kids in out.values_mut() {
            kids.sort_by(|a, b| a.1.cmp(&b.1));
        }
        out
    }

    /// The impact: from the run's own units, the totals and the tree the day before (both
    /// read beside the run); only units the run did not load are read, in its transaction.
    async fn impact(&self, conn: &mut Conn, tree_before: TreeBefore) -> Result<Impact> {
        let mut touched: Vec<(&i64, &Touched)> = self.touched.iter().collect();
        touched.sort_by_key(|(_, (n, _, _))| *n);
        let ids: Vec<i64> = touched.iter().map(|(id, _)| **id).collect();
        let clock = std::time::Instant::now();
        let facts = self.facts(conn, &ids).await?;
        let facts_ms = clock.elapsed().as_millis() as u64;
        let totals = &self.totals_before;
        let ancestors = &tree_before.ancestors;
        let mut units = vec![];
        let mut concerned = 0;
        for (id, (_, change, to)) in touched {
            let Some((code, name, kind)) = facts.get(id).cloned() else { continue };
            let members_before = totals.get(id).copied().unwrap_or(0);
            // Members under a unit taken apart, counted once: not again under a unit above it
            // that is taken apart too (a district dissolved and its communes merged).
            if taken_apart(change) {
                let above = ancestors.get(id).map(Vec::as_slice).unwrap_or(&[]);
                if !above.iter().any(|a| self.touched.get(a).is_some_and(|(_, c, _)| taken_apart(c))) {
                    concerned += members_before;
                }
            }
            units.push(ImpactUnit {
                code: UnitCode::from_stored(code),
                name,
                kind,
                change: change.clone(),
                to: to.iter().cloned().collect(),
                members_moved: self.moved_members.get(id).copied().unwrap_or(0),
                members_before,
            });
        }
        let parents: Vec<i64> = self.parents.iter().copied().collect();
        let units_ms = clock.elapsed().as_millis() as u64;
        let parent_facts = self.facts(conn, &parents).await?;
        let mut kids_after = self.children_after(&parents, &tree_before.children);
        let mut kids_before = tree_before.children;
        let children_ms = clock.elapsed().as_millis() as u64 - units_ms;
        let mut tree = vec![];
        for parent in &parents {
            let (before_kids, after_kids) =
                (kids_before.remove(parent).unwrap_or_default(), kids_after.remove(parent).unwrap_or_default());
            if let Some((code, name, _)) = parent_facts.get(parent).cloned()
                && before_kids != after_kids
            {
                tree.push(TreeChange {
                    parent: UnitCode::from_stored(code),
                    parent_name: name,
                    before: before_kids.into_iter().map(|(_, c)| c).collect(),
                    after: after_kids.into_iter().map(|(_, c)| c).collect(),
                });
            }
        }
        tree.sort_by(|a, b| a.parent.cmp(&b.parent));
        tracing::debug!(
            units = ids.len(),
            facts_ms,
            units_ms,
            parents = parents.len(),
            children_ms,
            ms = clock.elapsed().as_millis() as u64,
            "restructure: impact's parts"
        );
        Ok(Impact {
            units,
            members_moved: self.moved_members.values().sum(),
            members_concerned: concerned,
            transfers_redirected: self.redirected,
            committees: 0,
            tree,
        })
    }
}

/// How many times each re-parented unit's series goes to each ancestor when the units of
/// `moved` go from the ancestors `before` gives to those `after` gives (each nearest first,
/// the unit left out). Each carries its *block*: its subtree's series less those of the
/// re-parented units nearest below it (as the series stand, under `before`), which travel on
/// their own. A block leaves the ancestors it had and not after, and joins those it has after
/// and not before.
fn coefficients(
    moved: &BTreeSet<i64>,
    before: impl Fn(i64) -> Vec<i64>,
    after: impl Fn(i64) -> Vec<i64>,
) -> BTreeMap<(i64, i64), i64> {
    let mut below: HashMap<i64, Vec<i64>> = HashMap::new();
    for u in moved {
        if let Some(a) = before(*u).into_iter().find(|a| moved.contains(a)) {
            below.entry(a).or_default().push(*u);
        }
    }
    let mut coef: BTreeMap<(i64, i64), i64> = BTreeMap::new();
    for u in moved {
        let (was, is) = (before(*u), after(*u));
        let lost = was.iter().filter(|a| !is.contains(a)).map(|a| (*a, -1));
        let gained = is.iter().filter(|a| !was.contains(a)).map(|a| (*a, 1));
        for (a, sign) in lost.chain(gained) {
            *coef.entry((*u, a)).or_default() += sign;
            for v in below.get(u).map(Vec::as_slice).unwrap_or(&[]) {
                *coef.entry((*v, a)).or_default() -= sign;
            }
        }
    }
    coef
}

/// A staged carry: the `SELECT` of its sums, what it binds after the day ($2 the checkpoint,
/// then the keys), and how many coefficients it staged.
struct Staged {
    sums: String,
    since: NaiveDate,
    keys: Vec<String>,
    coefficients: usize,
}

/// The blocks of counts carried from the effective day on: each unit's sums on the day and its
/// rows after it, times its coefficients (ancestor, n), summed by ancestor, key and day. Stages
/// the coefficients in the temporary table `reattribution` on `conn` (dropped by `unstage`) and
/// returns a `SELECT` of the sums as (unit_id, key, day, delta); `None` when there is nothing
/// to carry.
async fn stage(conn: &mut Conn, day: NaiveDate, by_unit: &BTreeMap<i64, Vec<(i64, i64)>>) -> Result<Option<Staged>> {
    use super::common::{JsonCol::*, json_rows};
    use super::members::write_json;
    if by_unit.is_empty() {
        return Ok(None);
    }
    // The coefficients, staged: (unit, ancestor, coefficient).
    let staged: Vec<(i64, i64, i64)> =
        by_unit.iter().flat_map(|(v, row)| row.iter().map(move |(a, c)| (*v, *a, *c))).collect();
    sqlx::query(
        "CREATE TEMP TABLE IF NOT EXISTS reattribution (unit_id BIGINT NOT NULL, ancestor BIGINT NOT NULL, \
         coef BIGINT NOT NULL)",
    )
    .execute(&mut *conn)
    .await
    .db()?;
    sqlx::query("DELETE FROM reattribution").execute(&mut *conn).await.db()?;
    let sql = format!("INSERT INTO reattribution (unit_id, ancestor, coef) {}", json_rows(&[Int, Int, Int]));
    write_json(conn, &sql, &staged, &|_| {}).await?;
    super::common::execute_all(conn, super::dialect::BEFORE_CARRY).await?;
    // One statement: each staged unit's sums on the day and its rows after it, times the
    // coefficients, summed by ancestor, key and day. A sum on the day is the unit's balance
    // on the latest checkpoint before it plus its rows since; its rows are entered by (unit,
    // key) ranges over the ledger's keys at the checkpoint, not found by reading each unit's
    // whole history (SQLite,
    // 38,000 units of the nation, the rows after the day alone: 0.39 s against 2.05 s). How
    // the rows are read is the dialect's (`dialect::carry_series`).
    let keys = ledger_keys(conn).await?;
    // A ledger without keys holds no rows: nothing to carry.
    if keys.is_empty() {
        unstage(conn).await?;
        return Ok(None);
    }
    let key_params = (0..keys.len()).map(|i| format!("${}", i + 3)).collect::<Vec<_>>().join(", ");
    // The sums on the day start from the latest checkpoint's balances ($2; the floor when
    // there is none): the history before it is not read.
    let since = super::members::checkpoint_on(conn, day).await?;
    let balances = "SELECT unit_id, key, $1 AS d, total AS n FROM member_ledger_balance \
                    WHERE day = $2 AND unit_id IN (SELECT unit_id FROM reattribution)";
    let series = super::dialect::carry_series(balances, &key_params);
    let sums = format!(
        "SELECT r.ancestor AS unit_id, s.key AS key, s.d AS day, CAST(SUM(r.coef * s.n) AS BIGINT) AS delta \
         FROM ({series}) s JOIN reattribution r ON r.unit_id = s.unit_id \
         WHERE true GROUP BY r.ancestor, s.key, s.d HAVING SUM(r.coef * s.n) <> 0"
    );
    Ok(Some(Staged { sums, since, keys, coefficients: staged.len() }))
}

async fn unstage(conn: &mut Conn) -> Result<()> {
    sqlx::query("DROP TABLE reattribution").execute(&mut *conn).await.db()?;
    Ok(())
}

/// Carries the blocks (`stage`) into the ledger in one statement: no row leaves the database.
/// Returns the coefficients staged and the ledger rows written.
async fn carry(conn: &mut Conn, day: NaiveDate, by_unit: &BTreeMap<i64, Vec<(i64, i64)>>) -> Result<(usize, u64)> {
    let Some(staged) = stage(conn, day, by_unit).await? else { return Ok((0, 0)) };
    let mut insert = sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO member_ledger (unit_id, key, day, delta) {} \
         ON CONFLICT (unit_id, key, day) DO UPDATE SET delta = member_ledger.delta + excluded.delta",
        staged.sums
    )))
    .bind(day)
    .bind(staged.since);
    for k in &staged.keys {
        insert = insert.bind(k);
    }
    let changes = insert.execute(&mut *conn).await.db()?.rows_affected();
    unstage(conn).await?;
    Ok((staged.coefficients, changes))
}

/// A carried sum: (ancestor, key, day, delta).
type Carried = (i64, String, NaiveDate, i64);

/// The blocks' sums (`stage`) read back as rows in the ledger's key order, for
/// `members::ledger_add` on another connection; with the coefficients staged.
async fn carried(
    conn: &mut Conn,
    day: NaiveDate,
    by_unit: &BTreeMap<i64, Vec<(i64, i64)>>,
) -> Result<(usize, Vec<Carried>)> {
    let Some(staged) = stage(conn, day, by_unit).await? else { return Ok((0, vec![])) };
    let mut args = vec![Arg::Date(day), Arg::Date(staged.since)];
    args.extend(staged.keys.into_iter().map(Arg::Text));
    let mut rows: Vec<Carried> = read_rows(conn, &staged.sums, &["unit_id", "key", "day", "delta"], &args).await?;
    unstage(conn).await?;
    rows.sort_unstable();
    Ok((staged.coefficients, rows))
}

/// The ledger pass's debug line (apply's and undo's).
fn carry_logged(what: &str, units: usize, (staged, changes): (usize, u64), clock: std::time::Instant) {
    tracing::debug!(
        units,
        staged,
        changes,
        ms = clock.elapsed().as_millis() as u64,
        "{what}: ledger summed and written"
    );
}

/// Every key of the ledger (`total`, each status and category ever counted). Every member's
/// contribution reaches the root of the tree it was in, and restructuring carries keys as they
/// are, so the keys of the units that are or were roots are all the ledger's keys: a few
/// thousand rows to read rather than the whole ledger.
async fn ledger_keys(conn: &mut Conn) -> Result<Vec<String>> {
    sqlx::query_scalar(
        "SELECT DISTINCT key FROM member_ledger WHERE unit_id IN (SELECT unit_id FROM unit_version WHERE parent_id IS NULL) \
         ORDER BY key",
    )
    .fetch_all(&mut *conn)
    .await
    .db()
}

/// Units' code, Vietnamese name and kind as last recorded, by store key.
async fn unit_facts(conn: &mut Conn, ids: &[i64]) -> Result<HashMap<i64, (String, String, String)>> {
    let mut out = HashMap::new();
    for chunk in ids.chunks(500) {
        let rows: Vec<(i64, String, String, String)> = read_rows(
            conn,
            &format!(
                "SELECT u.id, u.code, v.name_vi, v.kind FROM unit u JOIN unit_version v ON v.unit_id = u.id \
                 WHERE u.id IN ({}) AND v.valid_from = (SELECT MAX(l.valid_from) FROM unit_version l WHERE l.unit_id = u.id)",
                id_list(chunk)
            ),
            &["id", "code", "name_vi", "kind"],
            &[],
        )
        .await?;
        out.extend(rows.into_iter().map(|(id, code, name, kind)| (id, (code, name, kind))));
    }
    Ok(out)
}

/// Units' ancestors on a day (the unit itself left out), by store key.
async fn ancestors_on(conn: &mut Conn, ids: &[i64], day: NaiveDate) -> Result<HashMap<i64, Vec<i64>>> {
    let mut out: HashMap<i64, Vec<i64>> = HashMap::new();
    for chunk in ids.chunks(500) {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "WITH RECURSIVE anc(start, id, depth) AS ( \
               SELECT v.unit_id, v.parent_id, 0 FROM unit_version v WHERE v.unit_id IN ({}) \
                 AND v.valid_from <= $1 AND (v.valid_to IS NULL OR v.valid_to > $1) AND v.parent_id IS NOT NULL \
             UNION ALL \
               SELECT a.start, v.parent_id, a.depth + 1 FROM anc a JOIN unit_version v ON v.unit_id = a.id \
                 AND v.valid_from <= $1 AND (v.valid_to IS NULL OR v.valid_to > $1) \
               WHERE v.parent_id IS NOT NULL AND a.depth < 1000) \
             SELECT start, id FROM anc ORDER BY start, depth",
            id_list(chunk)
        )))
        .bind(day)
        .fetch_all(&mut *conn)
        .await
        .db()?;
        for r in rows {
            out.entry(r.try_get("start").db()?).or_default().push(r.try_get("id").db()?);
        }
    }
    Ok(out)
}

/// Live children (store key, code) in code order, by parent.
type Children = HashMap<i64, Vec<(i64, UnitCode)>>;

/// Units' live children on `day`, in code order, by parent.
async fn children_on(conn: &mut Conn, parents: &[i64], day: NaiveDate) -> Result<Children> {
    let mut out: Children = HashMap::new();
    for chunk in parents.chunks(500) {
        let select = format!(
            "SELECT v.parent_id, u.id, u.code FROM unit_version v JOIN unit u ON u.id = v.unit_id \
             WHERE v.parent_id IN ({}) AND v.valid_from <= $1 AND (v.valid_to IS NULL OR v.valid_to > $1)",
            id_list(chunk)
        );
        let rows: Vec<(i64, i64, String)> =
            read_rows(conn, &select, &["parent_id", "id", "code"], &[Arg::Date(day)]).await?;
        for (parent, id, code) in rows {
            out.entry(parent).or_default().push((id, UnitCode::from_stored(code)));
        }
    }
    for children in out.values_mut() {
        children.sort_by(|a, b| a.1.cmp(&b.1));
    }
    Ok(out)
}

/// A version starting on the effective date, as the kind rule reads it: (unit, code, kind,
/// parent's code, parent's kind on the day).
type Placed = (i64, String, String, Option<String>, Option<String>);

/// A change in the impact that takes the unit apart (its members and children go elsewhere).
fn taken_apart(change: &str) -> bool {
    matches!(change, "merged" | "split" | "dissolved")
}

/// What the impact needs of the tree the day before the effective date: the ancestors of the
/// units taken apart and the children of the parents whose children change.
struct TreeBefore {
    ancestors: HashMap<i64, Vec<i64>>,
    children: Children,
}

impl TreeBefore {
    /// Adds the children of `parents` the day before, read on a connection of its own while
    /// the run writes and checks its rules: nothing the run writes is dated before the day
    /// (see `Run::run`).
    async fn read(mut self, reader: &sqlx::Pool<super::Db>, parents: &[i64], before: NaiveDate) -> Result<TreeBefore> {
        if parents.is_empty() {
            return Ok(self);
        }
        let mut conn = reader.acquire().await.db()?;
        self.children.extend(children_on(&mut conn, parents, before).await?);
        Ok(self)
    }
}

/// Sets the parent and names of the version of a unit that starts on `day`.
async fn set_version(conn: &mut Conn, unit: i64, day: NaiveDate, parent: Option<i64>, names: &Names) -> Result<()> {
    sqlx::query(
        "UPDATE unit_version SET parent_id = $3, name_vi = $4, name_en = $5, name_ar = $6, name_fold = $7 \
         WHERE unit_id = $1 AND valid_from = $2",
    )
    .bind(unit)
    .bind(day)
    .bind(parent)
    .bind(&names.vi)
    .bind(names.en.as_deref())
    .bind(names.ar.as_deref())
    .bind(names.folded())
    .execute(&mut *conn)
    .await
    .db()?;
    Ok(())
}

/// How a unit the draft moved and then ended is put back: its version from before the draft
/// reopened (`Reopen`), or, when that version started on the day itself, written back with
/// the parent and names it had (`Rewrite`).
enum Restore {
    Reopen { from: NaiveDate, to: Option<NaiveDate> },
    Rewrite { parent: Option<i64>, names: Names },
}

/// Undoes the steps of an applied draft, as apply wrote them: set-wise, the ledger in one pass.
///
/// The moved members' counts are taken out first (as the draft left them), the tree is put
/// back (every unit the draft ended opened again, every version it wrote removed or given back
/// its parent and names, the units it created deleted last), the re-parented units' blocks are
/// carried from the ancestors they have after the draft to those they had before it in one
/// statement (`carry`, as apply), and the members' counts go back in where they were. No
/// statement is written per re-parented unit, so no ledger trigger fires per unit either.
///
/// A unit the draft moved and then ended never carried its counts to the parent it was moved
/// under (an ended unit carries nothing forward), so it is put back where it was before the
/// draft and its own version steps are skipped: the replay never passes through the moved
/// version (which could, for a moment, make a cycle: a unit moved under its own child, then
/// dissolved).
async fn undo_replay(
    conn: &mut Conn,
    profile: &orgwork_domain::profile::Profile,
    day: NaiveDate,
    steps: &[Step],
) -> Result<()> {
    let ended: BTreeSet<i64> =
        steps.iter().filter_map(|s| if let Step::Ended { unit, .. } = s { Some(*unit) } else { None }).collect();
    let created: BTreeSet<i64> =
        steps.iter().filter_map(|s| if let Step::Created { unit } = s { Some(*unit) } else { None }).collect();
    let moved_then_ended: BTreeSet<i64> = steps
        .iter()
        .filter_map(|s| match s {
            Step::Replaced { unit, moved: true, .. } | Step::Updated { unit, moved: true, .. }
                if ended.contains(unit) =>
            {
                Some(*unit)
            }
            _ => None,
        })
        .collect();
    // The state before the draft: the unit's first version step tells it.
    let mut restore: HashMap<i64, Restore> = HashMap::new();
    let mut first: BTreeMap<i64, &Step> = BTreeMap::new();
    for step in steps {
        match step {
            Step::Replaced { unit, closed_from, closed_to, .. } if moved_then_ended.contains(unit) => {
                restore.entry(*unit).or_insert(Restore::Reopen { from: *closed_from, to: *closed_to });
            }
            Step::Updated { unit, parent, names, .. } if moved_then_ended.contains(unit) => {
                restore.entry(*unit).or_insert(Restore::Rewrite { parent: *parent, names: names.clone() });
            }
            Step::Replaced { unit, .. } | Step::Updated { unit, .. } if !created.contains(unit) => {
                first.entry(*unit).or_insert(step);
            }
            _ => {}
        }
    }
    // The re-parented units that live on: each carries its block back.
    let moved: BTreeSet<i64> = steps
        .iter()
        .filter_map(|s| match s {
            Step::Replaced { unit, moved: true, .. } | Step::Updated { unit, moved: true, .. }
                if !created.contains(unit) && !ended.contains(unit) =>
            {
                Some(*unit)
            }
            _ => None,
        })
        .collect();
    let mut members: Vec<i64> = vec![];
    for s in steps {
        if let Step::MemberMoved { member, .. } = s
            && !members.contains(member)
        {
            members.push(*member);
        }
    }
    for m in &members {
        apply_member(conn, profile, *m, -1).await?;
    }
    let ids: Vec<i64> = moved.iter().copied().collect();
    let after_draft = ancestors_on(conn, &ids, day).await?;

    // Every unit the draft ended is back first, where it was before the draft, so that the
    // members and children that come back to it (and to the units under it) find their whole
    // ancestry in place: a district dissolved after its province was merged is reopened under
    // that province, which must itself be open again by then.
    for step in steps.iter().rev() {
        if let Step::Ended { unit, version_from, dropped } = step {
            undo_end(conn, day, *unit, *version_from, dropped.as_ref(), restore.get(unit)).await?;
        }
    }
    // The versions the draft wrote on the day: removed (the one they closed reopened), or given
    // back the parent and names they had; grouped so that a statement serves many units.
    let mut replaced: BTreeMap<(NaiveDate, Option<NaiveDate>), Vec<i64>> = BTreeMap::new();
    for step in first.values() {
        match step {
            Step::Replaced { unit, closed_from, closed_to, .. } => {
                replaced.entry((*closed_from, *closed_to)).or_default().push(*unit)
            }
            Step::Updated { unit, parent, names, .. } => set_version(conn, *unit, day, *parent, names).await?,
            _ => {}
        }
    }
    for ((from, to), units) in &replaced {
        for chunk in units.chunks(500) {
            let ids = id_list(chunk);
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "DELETE FROM unit_version WHERE valid_from = $1 AND unit_id IN ({ids})"
            )))
            .bind(day)
            .execute(&mut *conn)
            .await
            .db()?;
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "UPDATE unit_version SET valid_to = $2 WHERE valid_from = $1 AND unit_id IN ({ids})"
            )))
            .bind(from)
            .bind(to)
            .execute(&mut *conn)
            .await
            .db()?;
        }
    }
    // The blocks go back to the ancestors they had. A unit the draft created takes nothing (its
    // rows are deleted with it), nor does one it ended: apply left its rows from the day on as
    // they were (an ended unit takes nothing), so they are already what they were before it,
    // once the moved members are back.
    let before_draft = ancestors_on(conn, &ids, day).await?;
    let along = |map: &HashMap<i64, Vec<i64>>, u: i64| map.get(&u).cloned().unwrap_or_default();
    let mut coef = coefficients(&moved, |u| along(&after_draft, u), |u| along(&before_draft, u));
    coef.retain(|(_, a), c| *c != 0 && !created.contains(a) && !ended.contains(a));
    let mut by_unit: BTreeMap<i64, Vec<(i64, i64)>> = BTreeMap::new();
    for ((v, a), c) in &coef {
        by_unit.entry(*v).or_default().push((*a, *c));
    }
    let clock = std::time::Instant::now();
    carry_logged("restructure undo", by_unit.len(), carry(conn, day, &by_unit).await?, clock);

    for step in steps.iter().rev() {
        match step {
            Step::MemberMoved { member, unit, row_from, row_to, in_place } => {
                if *in_place {
                    sqlx::query("UPDATE membership SET unit_id = $3 WHERE member_id = $1 AND valid_from = $2")
                        .bind(member)
                        .bind(row_from)
                        .bind(unit)
                        .execute(&mut *conn)
                        .await
                        .db()?;
                } else {
                    sqlx::query("DELETE FROM membership WHERE member_id = $1 AND valid_from = $2")
                        .bind(member)
                        .bind(day)
                        .execute(&mut *conn)
                        .await
                        .db()?;
                    sqlx::query("UPDATE membership SET valid_to = $3 WHERE member_id = $1 AND valid_from = $2")
                        .bind(member)
                        .bind(row_from)
                        .bind(row_to)
                        .execute(&mut *conn)
                        .await
                        .db()?;
                }
            }
            Step::Redirected { transfer, from_unit, to_unit } => {
                sqlx::query("UPDATE transfer SET from_unit_id = $2, to_unit_id = $3 WHERE id = $1")
                    .bind(transfer)
                    .bind(from_unit)
                    .bind(to_unit)
                    .execute(&mut *conn)
                    .await
                    .db()?;
            }
            _ => {}
        }
    }
    for m in &members {
        apply_member(conn, profile, *m, 1).await?;
    }
    // Last, when nothing names them any more: the units the draft created.
    let created: Vec<i64> = created.into_iter().collect();
    for chunk in created.chunks(500) {
        let ids = id_list(chunk);
        for table in ["member_ledger", "unit_version"] {
            sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM {table} WHERE unit_id IN ({ids})")))
                .execute(&mut *conn)
                .await
                .db()?;
        }
        sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM unit WHERE id IN ({ids})")))
            .execute(&mut *conn)
            .await
            .db()?;
    }
    Ok(())
}

/// Opens again a unit the draft ended: the version it ended reopened, or the one it removed
/// written back, or (moved and then ended by the draft) its version from before the draft.
async fn undo_end(
    conn: &mut Conn,
    day: NaiveDate,
    unit: i64,
    version_from: NaiveDate,
    dropped: Option<&Dropped>,
    restore: Option<&Restore>,
) -> Result<()> {
    sqlx::query("UPDATE unit SET valid_to = NULL, end_decision = NULL WHERE id = $1")
        .bind(unit)
        .execute(&mut *conn)
        .await
        .db()?;
    match (restore, dropped) {
        (Some(Restore::Rewrite { parent, names }), Some(v)) => {
            let before = Dropped { parent: *parent, names: names.clone(), ..v.clone() };
            insert_dropped(conn, unit, day, &before).await?;
        }
        (None, Some(v)) => insert_dropped(conn, unit, day, v).await?,
        (Some(Restore::Reopen { from, to }), _) => reopen_version(conn, unit, *from, *to).await?,
        (_, None) => reopen_version(conn, unit, version_from, None).await?,
    }
    Ok(())
}

/// Gives the version of a unit that starts `from` its end back (`to`; `None`: open).
async fn reopen_version(conn: &mut Conn, unit: i64, from: NaiveDate, to: Option<NaiveDate>) -> Result<()> {
    sqlx::query("UPDATE unit_version SET valid_to = $3 WHERE unit_id = $1 AND valid_from = $2")
        .bind(unit)
        .bind(from)
        .bind(to)
        .execute(&mut *conn)
        .await
        .db()?;
    Ok(())
}

/// Writes back a version the draft removed, from the day.
async fn insert_dropped(conn: &mut Conn, unit: i64, day: NaiveDate, v: &Dropped) -> Result<()> {
    sqlx::query(
        "INSERT INTO unit_version (unit_id, valid_from, valid_to, parent_id, kind, name_vi, name_en, name_ar, name_fold, change, decision) \
         VALUES ($1, $2, NULL, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(unit)
    .bind(day)
    .bind(v.parent)
    .bind(&v.kind)
    .bind(&v.names.vi)
    .bind(v.names.en.as_deref())
    .bind(v.names.ar.as_deref())
    .bind(v.names.folded())
    .bind(&v.change)
    .bind(v.decision.as_deref())
    .execute(&mut *conn)
    .await
    .db()?;
    Ok(())
}

const COLUMNS: &str =
    "id, title, effective, decision, draft_json, state, created_by, created_at, applied_by, applied_at, undone_at";

/// The most recent applied restructuring: the last one applied and not undone.
const LATEST_APPLIED: &str = "WHERE state = 'applied' ORDER BY applied_seq DESC LIMIT 1";

fn from_row(row: &<super::Db as sqlx::Database>::Row) -> Result<Restructuring> {
    let json: String = row.try_get("draft_json").db()?;
    let draft: Draft =
        serde_json::from_str(&json).map_err(|e| StoreError::Backend(format!("restructuring.draft_json: {e}")))?;
    Ok(Restructuring {
        id: row.try_get::<i64, _>("id").db()?.to_string(),
        title: row.try_get("title").db()?,
        effective: row.try_get("effective").db()?,
        decision: row.try_get("decision").db()?,
        state: row.try_get("state").db()?,
        operations: draft.operations,
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
        .ok_or_else(|| {
            StoreError::from(Error::not_found("restructuring_not_found", format!("no restructuring has the id {id}")))
        })?;
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
    async fn create_restructuring(&self, actor: &Actor, draft: Draft) -> Result<Restructuring> {
        let draft = draft.validate()?;
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

    async fn restructuring(&self, id: i64) -> Result<Restructuring> {
        let mut conn = self.reader().acquire().await.db()?;
        load(&mut conn, id).await
    }

    async fn check_restructuring(&self, id: i64) -> Result<CheckReport> {
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

    async fn apply_restructuring(&self, actor: &Actor, id: i64) -> Result<CheckReport> {
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
            "transfers_redirected": impact.transfers_redirected}
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
                    restructuring: r.try_get::<i64, _>("restructuring_id").db()?.to_string(),
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
