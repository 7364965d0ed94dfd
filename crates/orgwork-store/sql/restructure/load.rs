//! A run's working set: the units and versions it reads (`Work::load`, by set queries), what
//! it changed (`Step`, the journal), and the run's state (`Run`).

use super::*;

/// One change the draft made, with what undoing it needs.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub(super) enum Step {
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
pub(super) struct Dropped {
    pub(super) parent: Option<i64>,
    pub(super) kind: String,
    pub(super) names: Names,
    pub(super) change: String,
    pub(super) decision: Option<String>,
}

/// What happened to a unit: the order it was first touched in, the change, where its things went.
pub(super) type Touched = (usize, String, BTreeSet<UnitCode>);

/// A unit as the run sees it on the effective date: loaded once, then changed in memory.
#[derive(Debug, Clone)]
pub(super) struct WorkUnit {
    pub(super) code: UnitCode,
    /// The start of its latest version (the effective date once the run has written one).
    pub(super) from: NaiveDate,
    /// The end of the version it had on the effective date (kept for undo).
    pub(super) to: Option<NaiveDate>,
    pub(super) parent: Option<i64>,
    /// Its parent before the run (none for a unit the run created).
    pub(super) parent_before: Option<i64>,
    pub(super) kind: String,
    pub(super) names: Names,
    /// Its names before the run: a unit renamed, then ended, is left with them (the version
    /// the rename wrote is dropped).
    pub(super) names_before: Names,
}

/// The version a unit has from the effective date, written when the operations are done.
#[derive(Debug, Clone)]
pub(super) struct NewVersionRow {
    pub(super) parent: Option<i64>,
    pub(super) kind: String,
    pub(super) names: Names,
    pub(super) change: Change,
}

/// A member moved by the run, written when the operations are done.
#[derive(Debug, Clone)]
pub(super) struct MemberMove {
    pub(super) member: i64,
    pub(super) to: i64,
    pub(super) row_from: NaiveDate,
    pub(super) row_to: Option<NaiveDate>,
    pub(super) in_place: bool,
}

/// What a run reads once and changes in memory, and the writes it owes the database. The
/// operations read and change only this (no statement per unit); `Run::flush` then writes the
/// whole draft with a few set statements and re-attributes the ledger in one pass.
#[derive(Default)]
pub(super) struct Work {
    pub(super) units: HashMap<i64, WorkUnit>,
    /// The live units on the day, by code.
    pub(super) by_code: HashMap<UnitCode, i64>,
    /// Codes of the units the run ended.
    pub(super) ended_codes: BTreeSet<UnitCode>,
    /// Live children by parent, in code order.
    pub(super) children: HashMap<i64, BTreeMap<UnitCode, i64>>,
    /// Memberships live on the day (member, start, end) of the units the draft takes apart
    /// (and of those it creates), as the run has left them.
    pub(super) members: HashMap<i64, Vec<(i64, NaiveDate, Option<NaiveDate>)>>,
    /// The units whose every live child on the day was read (those the draft takes apart).
    pub(super) children_read: HashSet<i64>,
    /// Transfers in progress naming the units the draft takes apart: (from, to), as the run
    /// has left them.
    pub(super) transfers: BTreeMap<i64, (Option<i64>, Option<i64>)>,
    pub(super) redirected: BTreeSet<i64>,
    // The writes owed.
    pub(super) closed: Vec<i64>,
    pub(super) versions: BTreeMap<i64, NewVersionRow>,
    pub(super) member_moves: Vec<MemberMove>,
}

/// The columns of a unit's version live on a day, as `Work` loads them, and their types.
pub(super) type WorkRow =
    (i64, String, NaiveDate, Option<NaiveDate>, Option<i64>, String, String, Option<String>, Option<String>);
pub(super) const WORK_COLUMNS: &str =
    "u.id, u.code, v.valid_from, v.valid_to, v.parent_id, v.kind, v.name_vi, v.name_en, v.name_ar";
pub(super) const WORK_LIVE: &str = "v.valid_from <= $1 AND (v.valid_to IS NULL OR v.valid_to > $1) \
     AND u.valid_from <= $1 AND (u.valid_to IS NULL OR u.valid_to > $1)";

impl Work {
    /// The units `SELECT WORK_COLUMNS <from_where>` finds (see `read_rows`).
    pub(super) async fn read(conn: &mut Conn, from_where: &str, args: &[Arg]) -> Result<Vec<WorkRow>> {
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
    pub(super) fn ids_live(column: &str, ids: &[i64]) -> String {
        format!(
            "FROM unit_version v JOIN unit u ON u.id = v.unit_id WHERE {column} IN ({}) AND {WORK_LIVE}",
            id_list(ids)
        )
    }

    /// The live units on `day` whose `column` (`u.id` or `v.parent_id`) is one of `ids`.
    pub(super) async fn read_ids(conn: &mut Conn, column: &str, ids: &[i64], day: NaiveDate) -> Result<Vec<WorkRow>> {
        Work::read(conn, &Work::ids_live(column, ids), &[Arg::Date(day)]).await
    }

    /// The units each `(from_where, args)` finds (`read`), half of the statements on `conn`
    /// and half on a connection of `reader`, at once. For the reads before the run writes
    /// anything: both connections see the state the run starts from (the run holds the write
    /// lock). At national scale the load's 38 statements took 1.0 s on one connection.
    pub(super) async fn read_halves(
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
    pub(super) fn add(&mut self, mut rows: Vec<WorkRow>) -> Vec<i64> {
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
    pub(super) async fn load(
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
    pub(super) async fn load_ancestors(&mut self, conn: &mut Conn, day: NaiveDate) -> Result<()> {
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
    pub(super) fn ancestors(&self, unit: i64, after: bool) -> Vec<i64> {
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
    pub(super) fn in_cycle(&self, unit: i64) -> bool {
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
pub(super) struct Run<'a> {
    pub(super) store: &'a Backend,
    pub(super) day: NaiveDate,
    pub(super) decision: Option<String>,
    pub(super) steps: Vec<Step>,
    pub(super) failures: Vec<Failure>,
    /// Units changed, by id: what happened to each (in order of first change).
    pub(super) touched: BTreeMap<i64, Touched>,
    pub(super) ended: BTreeSet<i64>,
    pub(super) created: BTreeSet<i64>,
    pub(super) moved_units: BTreeSet<i64>,
    pub(super) moved_members: BTreeMap<i64, i64>,
    /// Parents whose children change.
    pub(super) parents: BTreeSet<i64>,
    pub(super) lineage: Vec<(i64, i64, &'static str)>,
    pub(super) redirected: i64,
    pub(super) op: usize,
    pub(super) work: Work,
    /// Whether the run keeps the count ledger (apply) or leaves it (a check, rolled back: the
    /// rules and the impact read the tree, the memberships and the counts before the day, none
    /// of which the ledger's re-attribution changes).
    pub(super) keep_ledger: bool,
    /// The touched units' member totals the day before, read beside the writer (`run_draft`).
    pub(super) totals_before: HashMap<i64, i64>,
    /// The unit that takes over an ended unit's work (what it merges or dissolves into, the
    /// part of a split that takes the rest).
    pub(super) successor: BTreeMap<i64, i64>,
    /// The draft's explicit destinations of work-programme items.
    pub(super) destinations: Vec<ItemDestination>,
    /// The open work-programme items whose responsible unit ends, and who takes each over.
    pub(super) plan_moves: Vec<orgwork_store::PlanItemMove>,
    /// Those of them with a unit to take them over, as read: programme, its unit, the item.
    pub(super) plan_found: Vec<(i64, i64, orgwork_domain::plan::Item)>,
    /// The draft's explicit destinations of open inspections and recommendations.
    pub(super) follow_destinations: Vec<orgwork_domain::restructure::FollowUpDestination>,
    /// The open inspections' subjects and open recommendations whose unit ends, and who
    /// takes each over (`inspection.rs`).
    pub(super) follow_moves: Vec<orgwork_store::FollowUpMove>,
    /// Those of them with a unit to take them over, as read.
    pub(super) follow_found: Vec<inspection::Found>,
}

pub(super) fn fail(
    rule: Rule,
    operation: Option<usize>,
    unit: Option<&UnitCode>,
    member: Option<i64>,
    message: String,
) -> Failure {
    Failure {
        rule,
        operation,
        unit: unit.cloned(),
        member: member.map(orgwork_store::MemberId::new),
        programme: None,
        item: None,
        message,
    }
}
