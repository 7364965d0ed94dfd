// Annual work programmes, written once for both backends (see mod.rs for how this folder is
// compiled). The rules are `orgwork_domain::plan`'s; this loads their facts (the tree on each
// deadline, the parent unit's programme, the reports up to a day) and keeps the programmes.

use super::Backend;
use super::audit::{Change as AuditChange, append, now_text};
use super::common::{Conn, DbResult};
use async_trait::async_trait;
use chrono::{Datelike, NaiveDate};
use orgwork_domain::Error;
use orgwork_domain::plan::{Context, Indicator, Item, Lint};
use orgwork_domain::structure::UnitCode;
use orgwork_store::{
    Actor, Amendment, BulkProgramme, ItemStanding, NewAmendment, NewReport, OverdueItem, PlanStore, Programme,
    ProgrammeId, ProgrammeStanding, ProgrammeStatus, Report, Result, RolledUp, StoreError, StructureStore,
    UnitCompletion,
};
use sqlx::Row;
use std::collections::{BTreeMap, BTreeSet};

/// Most items a programme holds, and the longest theme, note and evidence reference.
const MAX_ITEMS: usize = 2000;
const MAX_TEXT: usize = 1000;

async fn load(conn: &mut Conn, id: ProgrammeId) -> Result<(Programme, i64)> {
    let row = sqlx::query(
        "SELECT p.id, p.unit_id, u.code, p.year, p.theme, p.status, p.decision, p.approved_on FROM programme p \
         JOIN unit u ON u.id = p.unit_id WHERE p.id = $1",
    )
    .bind(id.get())
    .fetch_optional(&mut *conn)
    .await
    .db()?
    .ok_or_else(|| StoreError::from(ProgrammeId::not_found(id)))?;
    let bodies: Vec<String> =
        sqlx::query_scalar("SELECT body FROM programme_item WHERE programme_id = $1 ORDER BY position")
            .bind(id.get())
            .fetch_all(&mut *conn)
            .await
            .db()?;
    let items = bodies
        .iter()
        .map(|b| serde_json::from_str::<Item>(b).map_err(|e| StoreError::Backend(format!("programme item: {e}"))))
        .collect::<Result<Vec<_>>>()?;
    let status: String = row.try_get("status").db()?;
    let programme = Programme {
        id,
        unit: UnitCode::from_stored(row.try_get("code").db()?),
        year: row.try_get::<i32, _>("year").db()?,
        theme: row.try_get("theme").db()?,
        status: ProgrammeStatus::parse(&status)
            .ok_or_else(|| StoreError::Backend(format!("programme status '{status}'")))?,
        decision: row.try_get("decision").db()?,
        approved_on: row.try_get("approved_on").db()?,
        items,
    };
    Ok((programme, row.try_get("unit_id").db()?))
}

/// The items' shape: codes present, unique and short, texts bounded.
fn check_items(items: &[Item]) -> Result<()> {
    if items.len() > MAX_ITEMS {
        return Err(
            Error::invalid("invalid_programme", format!("items: {} items; at most {MAX_ITEMS}", items.len())).into()
        );
    }
    let mut seen = BTreeSet::new();
    for it in items {
        let code = it.code.trim();
        if code.is_empty() || code.chars().count() > 40 {
            return Err(Error::invalid(
                "invalid_programme",
                format!("code: '{code}' is not a code of 1 to 40 characters"),
            )
            .into());
        }
        if !seen.insert(code) {
            return Err(Error::invalid("invalid_programme", format!("code: {code} is given to two items")).into());
        }
        if it.title.chars().count() > MAX_TEXT {
            return Err(Error::invalid(
                "invalid_programme",
                format!("title: item {code}'s title is over {MAX_TEXT} characters"),
            )
            .into());
        }
        let short = [&it.parent, &it.unit, &it.carries_out].into_iter().flatten().all(|t| t.chars().count() <= 100);
        if !short || it.cooperating.len() > 100 {
            return Err(Error::invalid(
                "invalid_programme",
                format!("item {code}: a value is over 100 characters, or over 100 units cooperate"),
            )
            .into());
        }
        for v in [it.baseline, it.target, it.weight].into_iter().flatten() {
            if !v.is_finite() {
                return Err(Error::invalid("invalid_programme", format!("item {code}: a number is not finite")).into());
            }
        }
    }
    Ok(())
}

async fn write_items(conn: &mut Conn, id: ProgrammeId, items: &[Item]) -> Result<()> {
    sqlx::query("DELETE FROM programme_item WHERE programme_id = $1").bind(id.get()).execute(&mut *conn).await.db()?;
    for (i, it) in items.iter().enumerate() {
        let body = item_json(it)?;
        sqlx::query(
            "INSERT INTO programme_item (programme_id, code, position, body, responsible) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id.get())
        .bind(&it.code)
        .bind(i as i64)
        .bind(body)
        .bind(it.responsible.as_ref().map(|u| u.as_str().to_string()))
        .execute(&mut *conn)
        .await
        .db()?;
    }
    Ok(())
}

/// The refusal of a programme whose items cannot be counted, listing each fault.
fn not_countable(what: &str, errors: &[orgwork_domain::plan::Finding]) -> StoreError {
    let all = errors.iter().map(|f| format!("{} {}: {}", f.item, f.field, f.message)).collect::<Vec<_>>();
    let first = errors.first().map_or("", |f| f.item.as_str());
    Error::rule(
        "programme_not_countable",
        format!("the programme cannot be {what}: {} ({} faults; the first: item {first})", all.join("; "), all.len()),
    )
    .into()
}

/// An item kept as the domain's JSON.
fn item_json(it: &Item) -> Result<String> {
    serde_json::to_string(it).map_err(|e| StoreError::Backend(format!("programme item: {e}")))
}

fn item_of(body: Option<String>) -> Result<Option<Item>> {
    body.map(|b| serde_json::from_str(&b).map_err(|e| StoreError::Backend(format!("programme item: {e}")))).transpose()
}

fn json(p: &Programme) -> Option<serde_json::Value> {
    serde_json::to_value(p).ok()
}

/// The day a programme is judged on for its tree: the year's last day, or today within it.
pub fn tree_day(year: i32) -> NaiveDate {
    let today = chrono::Local::now().date_naive();
    let start = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(today);
    let end = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(today);
    today.clamp(start, end)
}

/// Each item's reports up to a day, oldest first (ties in the order recorded).
async fn reports_of(store: &Backend, id: ProgrammeId, as_of: NaiveDate) -> Result<BTreeMap<String, Vec<Report>>> {
    let rows = sqlx::query(
        "SELECT item_code, value, on_day, note, evidence, actor FROM programme_report \
         WHERE programme_id = $1 AND on_day <= $2 ORDER BY item_code, on_day, id",
    )
    .bind(id.get())
    .bind(as_of)
    .fetch_all(store.reader())
    .await
    .db()?;
    let mut out: BTreeMap<String, Vec<Report>> = BTreeMap::new();
    for r in rows {
        let item: String = r.try_get("item_code").db()?;
        out.entry(item.clone()).or_default().push(Report {
            item,
            value: r.try_get("value").db()?,
            on: r.try_get("on_day").db()?,
            note: r.try_get("note").db()?,
            evidence: r.try_get("evidence").db()?,
            by: r.try_get("actor").db()?,
        });
    }
    Ok(out)
}

/// A programme's items and each one's latest reported value.
type ItemsAndValues = (Vec<Item>, BTreeMap<String, f64>);
/// Amendments as (item before, item after).
type Amended = Vec<(Option<Item>, Option<Item>)>;
/// A programme's items, their standings, its completion.
type Stood = (Vec<Item>, BTreeMap<String, orgwork_domain::plan::Standing>, f64);

/// Which programmes `items_with_values` reads: these, or every approved (or closed)
/// programme of a year, in one statement.
enum Which<'a> {
    Ids(&'a [i64]),
    Year(i32),
}

/// Programmes' items (as they stood on the day: amendments dated after it undone) with each
/// item's latest report up to the day (one index probe an item), by programme.
async fn items_with_values(
    conn: &mut Conn,
    which: Which<'_>,
    as_of: NaiveDate,
) -> Result<std::collections::HashMap<i64, ItemsAndValues>> {
    use super::common::{Arg, read_rows};
    type Positioned = (Vec<(i32, Item)>, BTreeMap<String, f64>);
    let mut out: std::collections::HashMap<i64, Positioned> = Default::default();
    let mut later: std::collections::HashMap<i64, Amended> = Default::default();
    // The programmes' condition on `programme_id`, one a statement.
    let conditions: Vec<String> = match which {
        Which::Ids(ids) => ids.chunks(500).map(|c| format!("IN ({})", super::common::id_list(c))).collect(),
        Which::Year(year) => {
            vec![format!("IN (SELECT id FROM programme WHERE year = {} AND status <> 'draft')", i64::from(year))]
        }
    };
    for condition in conditions {
        let rows: Vec<(i64, i32, String, Option<f64>)> = read_rows(
            conn,
            &format!(
                "SELECT i.programme_id, i.position, i.body, \
                   (SELECT r.value FROM programme_report r WHERE r.programme_id = i.programme_id AND r.item_code = i.code \
                    AND r.on_day <= $1 ORDER BY r.on_day DESC, r.id DESC LIMIT 1) AS value \
                 FROM programme_item i WHERE i.programme_id {condition}"
            ),
            &["programme_id", "position", "body", "value"],
            &[Arg::Date(as_of)],
        )
        .await?;
        for (pid, pos, body, value) in rows {
            let it: Item =
                serde_json::from_str(&body).map_err(|e| StoreError::Backend(format!("programme item: {e}")))?;
            let entry = out.entry(pid).or_default();
            if let Some(v) = value {
                entry.1.insert(it.code.clone(), v);
            }
            entry.0.push((pos, it));
        }
        let sql = format!(
            "SELECT programme_id, before_body, after_body FROM programme_amendment \
             WHERE programme_id {condition} AND on_day > $1 ORDER BY id"
        );
        let rows: Vec<(i64, Option<String>, Option<String>)> =
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(as_of).fetch_all(&mut *conn).await.db()?;
        for (pid, before, after) in rows {
            later.entry(pid).or_default().push((item_of(before)?, item_of(after)?));
        }
    }
    Ok(out
        .into_iter()
        .map(|(pid, (mut items, values))| {
            items.sort_by_key(|(pos, _)| *pos);
            let mut items: Vec<Item> = items.into_iter().map(|(_, it)| it).collect();
            if let Some(l) = later.get(&pid) {
                items = orgwork_domain::plan::before_amendments(&items, l);
            }
            (pid, (items, values))
        })
        .collect())
}

/// A programme's items as they stand, its completion, and its reports by item.
type Standings = (BTreeMap<String, orgwork_domain::plan::Standing>, f64, BTreeMap<String, Vec<Report>>);
/// `standing_of`'s answer: boxed, since it calls itself for the children's programmes.
type StandingFuture<'a> = std::pin::Pin<Box<dyn std::future::Future<Output = Result<Standings>> + Send + 'a>>;

impl Backend {
    /// A programme's items as they stood on a day: those amended since, as they were before.
    async fn as_amended_on(&self, p: Programme, as_of: NaiveDate) -> Result<Programme> {
        let rows = sqlx::query(
            "SELECT before_body, after_body FROM programme_amendment WHERE programme_id = $1 AND on_day > $2 ORDER BY id",
        )
        .bind(p.id.get())
        .bind(as_of)
        .fetch_all(self.reader())
        .await
        .db()?;
        if rows.is_empty() {
            return Ok(p);
        }
        let later = rows
            .into_iter()
            .map(|r| Ok((item_of(r.try_get("before_body").db()?)?, item_of(r.try_get("after_body").db()?)?)))
            .collect::<Result<Vec<_>>>()?;
        let items = orgwork_domain::plan::before_amendments(&p.items, &later);
        Ok(Programme { items, ..p })
    }

    /// A programme's standings on a day: its items' latest values, and the counts its
    /// children's programmes (of the units under it that day, the same year) carry up.
    fn standing_of(&self, p: Programme, unit_id: i64, as_of: NaiveDate) -> StandingFuture<'_> {
        Box::pin(async move {
            let reports = reports_of(self, p.id, as_of).await?;
            let mut stood = self.stand_programmes(&[(p.id.get(), unit_id)], p.year, as_of).await?;
            let (_, s, completion) = stood.swap_remove(0);
            Ok((s, completion, reports))
        })
    }

    /// Programmes (id, unit) of a year as they stand on a day: each one's items (as they stood
    /// that day), their standings and its completion, in the order given. The programmes
    /// below them whose items carry theirs out are read level by level, a few set queries a
    /// level (read one by one, a district's sixty children made its page take 214 ms at the
    /// median, and its unit page over a second).
    async fn stand_programmes(&self, start: &[(i64, i64)], year: i32, as_of: NaiveDate) -> Result<Vec<Stood>> {
        use orgwork_domain::plan::ProgrammeFacts;
        let mut conn = self.reader().acquire().await.db()?;
        let ids: Vec<i64> = start.iter().map(|(id, _)| *id).collect();
        let mut found = items_with_values(&mut conn, Which::Ids(&ids), as_of).await?;
        let mut seen: BTreeSet<i64> = ids.iter().copied().collect();
        let mut facts: Vec<ProgrammeFacts> = start
            .iter()
            .map(|(id, unit)| {
                let (items, values) = found.remove(id).unwrap_or_default();
                ProgrammeFacts { unit: *unit, items, values }
            })
            .collect();
        let mut parents: std::collections::HashMap<i64, i64> = Default::default();
        let mut frontier: Vec<i64> = start.iter().map(|(_, unit)| *unit).collect();
        for _ in 0..32 {
            if frontier.is_empty() {
                break;
            }
            let mut next: Vec<(i64, i64, i64)> = vec![];
            for chunk in frontier.chunks(500) {
                let sql = format!(
                    "SELECT p.id, p.unit_id, v.parent_id FROM programme p JOIN unit_version v ON v.unit_id = p.unit_id \
                     WHERE v.parent_id IN ({}) AND v.valid_from <= $1 AND (v.valid_to IS NULL OR v.valid_to > $1) \
                     AND p.year = $2",
                    super::common::id_list(chunk)
                );
                let rows: Vec<(i64, i64, i64)> =
                    sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(as_of).bind(year).fetch_all(&mut *conn).await.db()?;
                next.extend(rows);
            }
            // Those given are linked to their parent among those given, and not read again.
            next.retain(|(id, unit, parent)| {
                if seen.contains(id) {
                    parents.insert(*unit, *parent);
                    false
                } else {
                    true
                }
            });
            if next.is_empty() {
                break;
            }
            let ids: Vec<i64> = next.iter().map(|(id, _, _)| *id).collect();
            seen.extend(&ids);
            let mut found = items_with_values(&mut conn, Which::Ids(&ids), as_of).await?;
            frontier = vec![];
            for (id, unit, parent) in next {
                let (items, values) = found.remove(&id).unwrap_or_default();
                // Only a programme with items carrying its parent's out passes anything up.
                if items.iter().any(|i| i.carries_out.is_some()) {
                    frontier.push(unit);
                    parents.insert(unit, parent);
                    facts.push(ProgrammeFacts { unit, items, values });
                }
            }
        }
        drop(conn);
        let stood = orgwork_domain::plan::stand_all(&facts, &parents, as_of);
        Ok(facts.into_iter().zip(stood).take(start.len()).map(|(f, (s, c))| (f.items, s, c)).collect())
    }
}

impl Backend {
    /// The lint of a programme, with its facts: whether each responsible unit lies under the
    /// programme's unit on the item's deadline, and the items of the parent unit's programme.
    async fn lint_of(&self, p: &Programme, unit_id: i64) -> Result<Lint> {
        // The tree on each item's deadline: is the responsible unit under the programme's?
        let mut inside: BTreeSet<(UnitCode, NaiveDate)> = BTreeSet::new();
        for it in &p.items {
            if let (Some(u), Some(d)) = (&it.responsible, it.deadline)
                && !inside.contains(&(u.clone(), d))
                && self.path_ids(u, d).await.is_ok_and(|path| path.contains(&unit_id))
            {
                inside.insert((u.clone(), d));
            }
        }
        // The parent unit's programme for the year, whose items these may carry out.
        let day = tree_day(p.year);
        let path = self.path_ids(&p.unit, day).await.unwrap_or_default();
        let parent_items: Option<BTreeSet<String>> = match path.get(1) {
            Some(parent) => {
                let pid: Option<i64> = sqlx::query_scalar("SELECT id FROM programme WHERE unit_id = $1 AND year = $2")
                    .bind(parent)
                    .bind(p.year)
                    .fetch_optional(self.reader())
                    .await
                    .db()?;
                match pid {
                    Some(pid) => Some(
                        sqlx::query_scalar("SELECT code FROM programme_item WHERE programme_id = $1")
                            .bind(pid)
                            .fetch_all(self.reader())
                            .await
                            .db()?
                            .into_iter()
                            .collect(),
                    ),
                    None => None,
                }
            }
            None => None,
        };
        let ok = |u: &UnitCode, d: NaiveDate| inside.contains(&(u.clone(), d));
        let vague = self.profile.plans.vague_words.all();
        let cx =
            Context { year: p.year, responsible_ok: &ok, parent_items: parent_items.as_ref(), vague_words: &vague };
        Ok(orgwork_domain::plan::lint(&p.items, &cx))
    }
}

#[async_trait]
impl PlanStore for Backend {
    async fn create_programme(
        &self,
        actor: &Actor,
        unit: &UnitCode,
        year: i32,
        theme: &str,
        items: Vec<Item>,
    ) -> Result<Programme> {
        if !(1900..=2199).contains(&year) {
            return Err(Error::invalid("invalid_year", format!("year: {year}")).into());
        }
        let theme = theme.trim();
        if theme.chars().count() > MAX_TEXT {
            return Err(Error::invalid("invalid_programme", format!("theme: over {MAX_TEXT} characters")).into());
        }
        check_items(&items)?;
        let mut tx = self.begin_write().await?;
        let unit_id = super::structure::live_unit_id(&mut tx, unit, tree_day(year)).await?;
        let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM programme WHERE unit_id = $1 AND year = $2")
            .bind(unit_id)
            .bind(year)
            .fetch_optional(&mut *tx)
            .await
            .db()?;
        if let Some(other) = taken {
            return Err(Error::conflict(
                "programme_exists",
                format!("unit {unit} has a programme for {year} already (programme {other})"),
            )
            .into());
        }
        let id = ProgrammeId::new(self.ids.next_id());
        sqlx::query(
            "INSERT INTO programme (id, unit_id, year, theme, status, decision, approved_on, recorded_at) \
             VALUES ($1, $2, $3, $4, 'draft', NULL, NULL, $5)",
        )
        .bind(id.get())
        .bind(unit_id)
        .bind(year)
        .bind(theme)
        .bind(now_text())
        .execute(&mut *tx)
        .await
        .db()?;
        write_items(&mut tx, id, &items).await?;
        let (p, _) = load(&mut tx, id).await?;
        let target = format!("programme:{id}");
        let entry = AuditChange {
            action: "programme.create",
            target: &target,
            unit_id: Some(unit_id),
            before: None,
            after: json(&p),
        };
        append(&mut tx, actor, entry).await?;
        self.commit(tx).await?;
        Ok(p)
    }

    async fn replace_items(&self, actor: &Actor, id: ProgrammeId, items: Vec<Item>) -> Result<Programme> {
        check_items(&items)?;
        let mut tx = self.begin_write().await?;
        let (before, unit_id) = load(&mut tx, id).await?;
        if before.status != ProgrammeStatus::Draft {
            return Err(Error::conflict(
                "programme_locked",
                format!("programme {id} is {}: its items change only by a recorded amendment", before.status.as_str()),
            )
            .into());
        }
        write_items(&mut tx, id, &items).await?;
        let (after, _) = load(&mut tx, id).await?;
        let target = format!("programme:{id}");
        let entry = AuditChange {
            action: "programme.items",
            target: &target,
            unit_id: Some(unit_id),
            before: json(&before),
            after: json(&after),
        };
        append(&mut tx, actor, entry).await?;
        self.commit(tx).await?;
        Ok(after)
    }

    async fn programme(&self, id: ProgrammeId) -> Result<Programme> {
        let read = async {
            let mut conn = self.reader().acquire().await.db()?;
            Ok(load(&mut conn, id).await?.0)
        };
        self.through_cache(&self.cache.programmes, id.get(), read).await
    }

    async fn programme_as_of(&self, id: ProgrammeId, as_of: NaiveDate) -> Result<Programme> {
        let read = async {
            let p = self.programme(id).await?;
            self.as_amended_on(p, as_of).await
        };
        self.through_cache(&self.cache.programmes_as_of, (id.get(), as_of), read).await
    }

    async fn programme_of(&self, unit: &UnitCode, year: i32) -> Result<Option<Programme>> {
        // The unit as it is on the year's last day (or today within it), or, dissolved during
        // the year, on its first.
        let first = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_else(|| tree_day(year));
        let mut unit_id = None;
        for day in [tree_day(year), first] {
            match self.path_ids(unit, day).await {
                Ok(path) => {
                    unit_id = path.first().copied();
                    break;
                }
                Err(StoreError::Domain(e)) if e.kind == orgwork_domain::ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
        }
        let Some(unit_id) = unit_id else { return Ok(None) };
        let id: Option<i64> = sqlx::query_scalar("SELECT id FROM programme WHERE unit_id = $1 AND year = $2")
            .bind(unit_id)
            .bind(year)
            .fetch_optional(self.reader())
            .await
            .db()?;
        match id {
            Some(id) => Ok(Some(self.programme(ProgrammeId::new(id)).await?)),
            None => Ok(None),
        }
    }

    async fn lint_programme(&self, id: ProgrammeId) -> Result<Lint> {
        let read = async {
            let mut conn = self.reader().acquire().await.db()?;
            let (p, unit_id) = load(&mut conn, id).await?;
            drop(conn);
            self.lint_of(&p, unit_id).await
        };
        // Judged on the tree of its year's last day (or today within it): shelved by that day.
        let year: Option<i32> = self.programme(id).await.ok().map(|p| p.year);
        match year {
            Some(y) => self.through_cache(&self.cache.lints, (id.get(), tree_day(y)), read).await,
            None => read.await,
        }
    }

    async fn approve_programme(
        &self,
        actor: &Actor,
        id: ProgrammeId,
        decision: &str,
        on: NaiveDate,
    ) -> Result<Programme> {
        self.horizon("on", on)?;
        let decision = decision.trim();
        if decision.is_empty() || decision.chars().count() > 200 {
            return Err(Error::invalid(
                "invalid_decision",
                "decision: give the approving decision's number (1 to 200 characters)",
            )
            .into());
        }
        // The lint of the items as read now; the write below makes sure they are still those.
        let mut conn = self.reader().acquire().await.db()?;
        let (linted, unit_id) = load(&mut conn, id).await?;
        drop(conn);
        let lint = self.lint_of(&linted, unit_id).await?;
        if !lint.errors.is_empty() {
            return Err(not_countable("approved", &lint.errors));
        }
        let mut tx = self.begin_write().await?;
        let (before, _) = load(&mut tx, id).await?;
        if before.status != ProgrammeStatus::Draft {
            return Err(Error::conflict(
                "programme_locked",
                format!("programme {id} is {} already", before.status.as_str()),
            )
            .into());
        }
        if before.items != linted.items {
            return Err(Error::conflict(
                "programme_changed",
                format!("programme {id}'s items changed while it was checked; approve it again"),
            )
            .into());
        }
        if on.year() > before.year {
            return Err(Error::invalid(
                "invalid_date",
                format!("on: {on} is after the programme's year {}", before.year),
            )
            .into());
        }
        sqlx::query("UPDATE programme SET status = 'approved', decision = $2, approved_on = $3 WHERE id = $1")
            .bind(id.get())
            .bind(decision)
            .bind(on)
            .execute(&mut *tx)
            .await
            .db()?;
        let (after, _) = load(&mut tx, id).await?;
        let target = format!("programme:{id}");
        let entry = AuditChange {
            action: "programme.approve",
            target: &target,
            unit_id: Some(unit_id),
            before: json(&before),
            after: json(&after),
        };
        append(&mut tx, actor, entry).await?;
        self.commit(tx).await?;
        Ok(after)
    }

    async fn amend_programme(&self, actor: &Actor, id: ProgrammeId, a: NewAmendment) -> Result<Amendment> {
        self.horizon("on", a.on)?;
        let reason = a.reason.trim().to_string();
        if reason.is_empty() || reason.chars().count() > MAX_TEXT {
            return Err(Error::invalid(
                "invalid_amendment",
                format!("reason: say why the programme is amended (1 to {MAX_TEXT} characters)"),
            )
            .into());
        }
        let mut conn = self.reader().acquire().await.db()?;
        let (p, unit_id) = load(&mut conn, id).await?;
        drop(conn);
        match p.status {
            ProgrammeStatus::Approved => {}
            ProgrammeStatus::Draft => {
                return Err(Error::conflict(
                    "programme_not_approved",
                    format!("programme {id} is a draft: its items are edited, not amended"),
                )
                .into());
            }
            ProgrammeStatus::Closed => {
                return Err(Error::conflict("programme_locked", format!("programme {id} is closed")).into());
            }
        }
        if let Some(approved) = p.approved_on
            && a.on < approved
        {
            return Err(Error::invalid(
                "invalid_date",
                format!("on: {} is before the programme's approval on {approved}", a.on),
            )
            .into());
        }
        let (before, items) = orgwork_domain::plan::amend(&p.items, &a.item, a.after.clone())?;
        check_items(&items)?;
        // Refused when it brings a fault the programme did not have (faults it had already,
        // a unit dissolved since, say, do not keep the other items from being amended).
        let had = self.lint_of(&p, unit_id).await?;
        let amended = Programme { items: items.clone(), ..p.clone() };
        let lint = self.lint_of(&amended, unit_id).await?;
        let key = |f: &orgwork_domain::plan::Finding| (f.item.clone(), f.field, f.message.clone());
        let old: BTreeSet<_> = had.errors.iter().map(key).collect();
        let new: Vec<_> = lint.errors.iter().filter(|f| !old.contains(&key(f))).cloned().collect();
        if !new.is_empty() {
            return Err(not_countable("amended so", &new));
        }
        let mut tx = self.begin_write().await?;
        let (now, _) = load(&mut tx, id).await?;
        if now.status != p.status || now.items != p.items {
            return Err(Error::conflict(
                "programme_changed",
                format!("programme {id} changed while the amendment was checked; amend it again"),
            )
            .into());
        }
        write_items(&mut tx, id, &items).await?;
        let recorded_at = now_text();
        sqlx::query(
            "INSERT INTO programme_amendment (id, programme_id, item_code, before_body, after_body, on_day, reason, \
             actor, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(self.ids.next_id())
        .bind(id.get())
        .bind(&a.item)
        .bind(before.as_ref().map(item_json).transpose()?)
        .bind(a.after.as_ref().map(item_json).transpose()?)
        .bind(a.on)
        .bind(&reason)
        .bind(&actor.name)
        .bind(&recorded_at)
        .execute(&mut *tx)
        .await
        .db()?;
        let amendment = Amendment {
            item: a.item,
            before,
            after: a.after,
            on: a.on,
            reason,
            restructuring: None,
            by: actor.name.clone(),
            recorded_at,
        };
        let target = format!("programme:{id}");
        let entry = AuditChange {
            action: "programme.amend",
            target: &target,
            unit_id: Some(unit_id),
            before: amendment.before.as_ref().and_then(|i| serde_json::to_value(i).ok()),
            after: serde_json::to_value(&amendment).ok(),
        };
        append(&mut tx, actor, entry).await?;
        self.commit(tx).await?;
        Ok(amendment)
    }

    async fn amendments(&self, id: ProgrammeId) -> Result<Vec<Amendment>> {
        self.through_cache(&self.cache.amendments, id.get(), self.amendments_uncached(id)).await
    }

    async fn completions(&self, unit: &UnitCode, year: i32, as_of: NaiveDate) -> Result<Vec<UnitCompletion>> {
        let key = (unit.as_str().to_string(), year, as_of);
        self.through_cache(&self.cache.completions, key, self.completions_uncached(unit, year, as_of)).await
    }

    async fn programme_standing(&self, id: ProgrammeId, as_of: NaiveDate) -> Result<ProgrammeStanding> {
        self.through_cache(&self.cache.standings, (id.get(), as_of), self.standing_uncached(id, as_of)).await
    }
    async fn close_programme(&self, actor: &Actor, id: ProgrammeId, on: NaiveDate) -> Result<Programme> {
        self.horizon("on", on)?;
        let mut tx = self.begin_write().await?;
        let (before, unit_id) = load(&mut tx, id).await?;
        if before.status != ProgrammeStatus::Approved {
            return Err(Error::conflict(
                "programme_not_approved",
                format!("programme {id} is {}: only an approved programme is closed", before.status.as_str()),
            )
            .into());
        }
        if before.approved_on.is_some_and(|a| on < a) {
            return Err(Error::invalid("invalid_date", format!("on: {on} is before the programme's approval")).into());
        }
        sqlx::query("UPDATE programme SET status = 'closed' WHERE id = $1")
            .bind(id.get())
            .execute(&mut *tx)
            .await
            .db()?;
        let (after, _) = load(&mut tx, id).await?;
        let target = format!("programme:{id}");
        let mut after_json = json(&after);
        if let Some(serde_json::Value::Object(m)) = after_json.as_mut() {
            m.insert("closed_on".into(), serde_json::Value::String(on.to_string()));
        }
        let entry = AuditChange {
            action: "programme.close",
            target: &target,
            unit_id: Some(unit_id),
            before: json(&before),
            after: after_json,
        };
        append(&mut tx, actor, entry).await?;
        self.commit(tx).await?;
        Ok(after)
    }

    async fn report_progress(&self, actor: &Actor, id: ProgrammeId, r: NewReport) -> Result<Report> {
        self.horizon("on", r.on)?;
        let today = chrono::Local::now().date_naive();
        if r.on > today {
            return Err(Error::invalid(
                "invalid_report",
                format!("on: {} is after today; report what has been done", r.on),
            )
            .into());
        }
        if !r.value.is_finite() {
            return Err(Error::invalid("invalid_report", "value: not a number").into());
        }
        let bounded = |t: &Option<String>| t.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(str::to_string);
        let (note, evidence) = (bounded(&r.note), bounded(&r.evidence));
        if note.iter().chain(&evidence).any(|t| t.chars().count() > MAX_TEXT) {
            return Err(Error::invalid("invalid_report", format!("note: at most {MAX_TEXT} characters")).into());
        }
        let mut tx = self.begin_write().await?;
        let (p, unit_id) = load(&mut tx, id).await?;
        if p.status != ProgrammeStatus::Approved {
            return Err(Error::conflict(
                "programme_not_approved",
                format!("programme {id} is {}: progress is reported on an approved programme", p.status.as_str()),
            )
            .into());
        }
        let Some(item) = p.items.iter().find(|i| i.code == r.item) else {
            return Err(Error::not_found(
                "programme_item_not_found",
                format!("item: programme {id} has no item {}", r.item),
            )
            .into());
        };
        if r.on.year() < p.year {
            return Err(Error::invalid(
                "invalid_report",
                format!("on: {} is before the programme's year {}", r.on, p.year),
            )
            .into());
        }
        if item.indicator == Some(Indicator::Milestone) && r.value != 0.0 && r.value != 1.0 {
            return Err(Error::invalid(
                "invalid_report",
                format!("value: a milestone is reported 1 (done) or 0, not {}", r.value),
            )
            .into());
        }
        if item.indicator == Some(Indicator::Percent) && !(0.0..=100.0).contains(&r.value) {
            return Err(Error::invalid(
                "invalid_report",
                format!("value: a percent lies between 0 and 100, not {}", r.value),
            )
            .into());
        }
        let report_id = self.ids.next_id();
        sqlx::query(
            "INSERT INTO programme_report (id, programme_id, item_code, value, on_day, note, evidence, actor, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(report_id)
        .bind(id.get())
        .bind(&r.item)
        .bind(r.value)
        .bind(r.on)
        .bind(&note)
        .bind(&evidence)
        .bind(&actor.name)
        .bind(now_text())
        .execute(&mut *tx)
        .await
        .db()?;
        let report = Report { item: r.item.clone(), value: r.value, on: r.on, note, evidence, by: actor.name.clone() };
        let target = format!("programme:{id}");
        let entry = AuditChange {
            action: "programme.report",
            target: &target,
            unit_id: Some(unit_id),
            before: None,
            after: serde_json::to_value(&report).ok(),
        };
        append(&mut tx, actor, entry).await?;
        self.commit(tx).await?;
        Ok(report)
    }

    async fn load_programmes(&self, actor: &Actor, list: &[BulkProgramme]) -> Result<usize> {
        use super::common::{JsonCol::*, json_rows};
        for p in list {
            check_items(&p.items)?;
        }
        let mut tx = self.begin_write().await?;
        // The units by code, live on each programme's day.
        let units: Vec<(i64, String, NaiveDate, Option<NaiveDate>)> =
            sqlx::query_as("SELECT id, code, valid_from, valid_to FROM unit").fetch_all(&mut *tx).await.db()?;
        let mut by_code: std::collections::HashMap<&str, Vec<(i64, NaiveDate, Option<NaiveDate>)>> = Default::default();
        for (id, code, from, to) in &units {
            by_code.entry(code.as_str()).or_default().push((*id, *from, *to));
        }
        let now = now_text();
        let mut programmes = vec![];
        let mut items = vec![];
        let mut reports = vec![];
        for p in list {
            // Live on the year's last day (or today within it), or else on its first.
            let day = tree_day(p.year);
            let first = NaiveDate::from_ymd_opt(p.year, 1, 1).unwrap_or(day);
            let live = |d: NaiveDate| {
                by_code
                    .get(p.unit.as_str())
                    .and_then(|v| v.iter().find(|(_, f, t)| *f <= d && t.is_none_or(|t| t > d)))
                    .map(|(id, _, _)| *id)
            };
            let unit_id = live(day).or_else(|| live(first)).ok_or_else(|| {
                StoreError::from(Error::not_found("unit_not_found", format!("unit {} on {day}", p.unit)))
            })?;
            let id = self.ids.next_id();
            let (status, decision, on) = match &p.approved {
                Some((d, on)) => ("approved", Some(d.clone()), Some(on.to_string())),
                None => ("draft", None, None),
            };
            programmes.push(serde_json::json!([id, unit_id, p.year, p.theme, status, decision, on, now]));
            for (i, it) in p.items.iter().enumerate() {
                let responsible = it.responsible.as_ref().map(|u| u.as_str().to_string());
                items.push(serde_json::json!([id, it.code, i, item_json(it)?, responsible]));
            }
            for r in &p.reports {
                let rid = self.ids.next_id();
                reports.push(serde_json::json!([
                    rid,
                    id,
                    r.item,
                    r.value,
                    r.on.to_string(),
                    r.note,
                    r.evidence,
                    actor.name,
                    now
                ]));
            }
        }
        // One programme per unit and year: those already there refuse the whole load.
        let mut taken_units: BTreeSet<(i64, i64)> = BTreeSet::new();
        for row in &programmes {
            taken_units.insert((row[1].as_i64().unwrap_or(0), row[2].as_i64().unwrap_or(0)));
        }
        let ids: Vec<i64> = taken_units.iter().map(|(u, _)| *u).collect();
        for chunk in ids.chunks(500) {
            let sql =
                format!("SELECT unit_id, year FROM programme WHERE unit_id IN ({})", super::common::id_list(chunk));
            let rows: Vec<(i64, i32)> = sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(&mut *tx).await.db()?;
            if let Some((unit, year)) = rows.into_iter().find(|(u, y)| taken_units.contains(&(*u, i64::from(*y)))) {
                return Err(Error::conflict(
                    "programme_exists",
                    format!("unit {unit} has a programme for {year} already; nothing was loaded"),
                )
                .into());
            }
        }
        if taken_units.len() < programmes.len() {
            return Err(Error::conflict("programme_exists", "a unit is given two programmes for a year").into());
        }
        let sql = format!(
            "INSERT INTO programme (id, unit_id, year, theme, status, decision, approved_on, recorded_at) {}",
            json_rows(&[Int, Int, Int, Text, Text, Text, Date, Text])
        );
        super::members::write_json(&mut tx, &sql, &programmes, &|_| {}).await?;
        let sql = format!(
            "INSERT INTO programme_item (programme_id, code, position, body, responsible) {}",
            json_rows(&[Int, Text, Int, Text, Text])
        );
        super::members::write_json(&mut tx, &sql, &items, &|_| {}).await?;
        let sql = format!(
            "INSERT INTO programme_report (id, programme_id, item_code, value, on_day, note, evidence, actor, recorded_at) {}",
            json_rows(&[Int, Int, Text, Real, Date, Text, Text, Text, Text])
        );
        super::members::write_json(&mut tx, &sql, &reports, &|_| {}).await?;
        let after = serde_json::json!({"programmes": list.len(), "items": items.len(), "reports": reports.len()});
        let entry = AuditChange {
            action: "programme.load",
            target: "programmes",
            unit_id: None,
            before: None,
            after: Some(after),
        };
        append(&mut tx, actor, entry).await?;
        self.commit(tx).await?;
        Ok(list.len())
    }

    async fn roll_up(&self, year: i32, as_of: NaiveDate) -> Result<Vec<RolledUp>> {
        use super::common::{Arg, read_rows};
        let clock = std::time::Instant::now();
        let mut conn = self.reader().acquire().await.db()?;
        let listed: Vec<(i64, i64)> = read_rows(
            &mut conn,
            "SELECT id, unit_id FROM programme WHERE year = CAST($1 AS INTEGER) AND status <> 'draft'",
            &["id", "unit_id"],
            &[Arg::Text(year.to_string())],
        )
        .await?;
        let mut found = items_with_values(&mut conn, Which::Year(year), as_of).await?;
        let tree: Vec<(i64, i64)> = read_rows(
            &mut conn,
            "SELECT unit_id, parent_id FROM unit_version WHERE parent_id IS NOT NULL AND valid_from <= $1 \
             AND (valid_to IS NULL OR valid_to > $1)",
            &["unit_id", "parent_id"],
            &[Arg::Date(as_of)],
        )
        .await?;
        tracing::debug!(ms = clock.elapsed().as_millis() as u64, "roll-up: read");
        let facts: Vec<orgwork_domain::plan::ProgrammeFacts> = listed
            .iter()
            .map(|(pid, unit)| {
                let (items, values) = found.remove(pid).unwrap_or_default();
                orgwork_domain::plan::ProgrammeFacts { unit: *unit, items, values }
            })
            .collect();
        let parents: std::collections::HashMap<i64, i64> = tree.into_iter().collect();
        tracing::debug!(ms = clock.elapsed().as_millis() as u64, "roll-up: items parsed");
        let rolled = orgwork_domain::plan::roll_up(&facts, &parents, as_of);
        tracing::debug!(ms = clock.elapsed().as_millis() as u64, "roll-up: rolled up");
        // The codes of the units in it.
        let ids: Vec<i64> = rolled.iter().map(|(u, _, _)| *u).collect();
        let mut codes: std::collections::HashMap<i64, String> = Default::default();
        for chunk in ids.chunks(5000) {
            let sql = format!("SELECT id, code FROM unit WHERE id IN ({})", super::common::id_list(chunk));
            let rows: Vec<(i64, String)> = read_rows(&mut conn, &sql, &["id", "code"], &[]).await?;
            codes.extend(rows);
        }
        let mut out: Vec<RolledUp> = rolled
            .into_iter()
            .filter_map(|(u, completion, own)| {
                codes.remove(&u).map(|c| RolledUp { unit: UnitCode::from_stored(c), completion, own })
            })
            .collect();
        out.sort_by(|a, b| a.unit.cmp(&b.unit));
        Ok(out)
    }
}

impl Backend {
    async fn amendments_uncached(&self, id: ProgrammeId) -> Result<Vec<Amendment>> {
        let rows = sqlx::query(
            "SELECT item_code, before_body, after_body, on_day, reason, restructuring_id, actor, recorded_at FROM programme_amendment \
             WHERE programme_id = $1 ORDER BY id",
        )
        .bind(id.get())
        .fetch_all(self.reader())
        .await
        .db()?;
        rows.into_iter()
            .map(|r| {
                Ok(Amendment {
                    item: r.try_get("item_code").db()?,
                    before: item_of(r.try_get("before_body").db()?)?,
                    after: item_of(r.try_get("after_body").db()?)?,
                    on: r.try_get("on_day").db()?,
                    reason: r.try_get("reason").db()?,
                    restructuring: r.try_get::<Option<i64>, _>("restructuring_id").db()?.map(|i| i.to_string()),
                    by: r.try_get("actor").db()?,
                    recorded_at: r.try_get("recorded_at").db()?,
                })
            })
            .collect()
    }

    async fn completions_uncached(&self, unit: &UnitCode, year: i32, as_of: NaiveDate) -> Result<Vec<UnitCompletion>> {
        let path = self.path_ids(unit, as_of).await?;
        let unit_id = *path.first().ok_or_else(|| StoreError::Backend("path of a unit: empty".into()))?;
        let mut units: Vec<(i64, UnitCode)> = vec![(unit_id, unit.clone())];
        let rows = sqlx::query(
            "SELECT v.unit_id, u.code FROM unit_version v JOIN unit u ON u.id = v.unit_id \
             WHERE v.parent_id = $1 AND v.valid_from <= $2 AND (v.valid_to IS NULL OR v.valid_to > $2) ORDER BY u.code",
        )
        .bind(unit_id)
        .bind(as_of)
        .fetch_all(self.reader())
        .await
        .db()?;
        for r in rows.iter().take(1000) {
            units.push((r.try_get("unit_id").db()?, UnitCode::from_stored(r.try_get("code").db()?)));
        }
        let ids: Vec<i64> = units.iter().map(|(i, _)| *i).collect();
        // Each unit's programme of the year, with its status.
        let mut programmes: BTreeMap<i64, i64> = BTreeMap::new();
        let mut statuses: BTreeMap<i64, ProgrammeStatus> = BTreeMap::new();
        for chunk in ids.chunks(500) {
            let sql = format!(
                "SELECT id, unit_id, status FROM programme WHERE year = $1 AND unit_id IN ({})",
                super::common::id_list(chunk)
            );
            let rows: Vec<(i64, i64, String)> =
                sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(year).fetch_all(self.reader()).await.db()?;
            for (id, unit, status) in rows {
                programmes.insert(unit, id);
                if let Some(st) = ProgrammeStatus::parse(&status) {
                    statuses.insert(id, st);
                }
            }
        }
        let start: Vec<(i64, i64)> =
            units.iter().filter_map(|(id, _)| programmes.get(id).map(|pid| (*pid, *id))).collect();
        let mut stood: std::collections::HashMap<i64, Stood> =
            start.iter().map(|(pid, _)| *pid).zip(self.stand_programmes(&start, year, as_of).await?).collect();
        let mut out = Vec::with_capacity(units.len());
        for (id, code) in units {
            let Some((pid, (items, standing, completion))) =
                programmes.get(&id).and_then(|pid| stood.remove(pid).map(|x| (*pid, x)))
            else {
                out.push(UnitCompletion {
                    unit: code,
                    programme: None,
                    status: None,
                    completion: None,
                    overdue: vec![],
                });
                continue;
            };
            let overdue = items
                .iter()
                .filter_map(|it| {
                    let s = standing.get(&it.code)?;
                    s.overdue.then(|| OverdueItem {
                        code: it.code.clone(),
                        title: it.title.clone(),
                        deadline: it.deadline,
                        achievement: s.achievement,
                    })
                })
                .collect();
            out.push(UnitCompletion {
                unit: code,
                programme: Some(ProgrammeId::new(pid)),
                status: statuses.get(&pid).copied(),
                completion: Some(completion),
                overdue,
            });
        }
        Ok(out)
    }

    async fn standing_uncached(&self, id: ProgrammeId, as_of: NaiveDate) -> Result<ProgrammeStanding> {
        let mut conn = self.reader().acquire().await.db()?;
        let (p, unit_id) = load(&mut conn, id).await?;
        drop(conn);
        let p = self.as_amended_on(p, as_of).await?;
        let (standing, completion, mut reports) = self.standing_of(p.clone(), unit_id, as_of).await?;
        let items = p
            .items
            .iter()
            .map(|it| {
                let s = standing.get(&it.code);
                ItemStanding {
                    code: it.code.clone(),
                    title: it.title.clone(),
                    parent: it.parent.clone(),
                    value: s.and_then(|s| s.value),
                    achievement: s.map_or(0.0, |s| s.achievement),
                    overdue: s.is_some_and(|s| s.overdue),
                    reports: reports.remove(&it.code).unwrap_or_default(),
                }
            })
            .collect();
        Ok(ProgrammeStanding {
            id,
            unit: p.unit,
            year: p.year,
            theme: p.theme,
            status: p.status,
            decision: p.decision,
            approved_on: p.approved_on,
            as_of,
            completion,
            items,
        })
    }
}
