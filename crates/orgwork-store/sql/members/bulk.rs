//! Many members at once: an import's rows checked and written all or nothing, whole
//! histories loaded, the bulk statements and the upkeep after a large load.

use super::*;
use orgwork_domain::fault::Fault;
use orgwork_store::ImportLine;

/// What an import row is told when it meets a member the importer may not see: neither the
/// member nor their unit.
pub(super) fn hidden_member() -> Fault {
    Fault::new("hidden_member")
}

/// What an import row is told when it meets a member who belongs to no unit now.
pub(super) fn left_member() -> Fault {
    Fault::new("left_member")
}

/// May the importer read the member (judged where they belong on `day`, or last belonged)?
pub(super) async fn readable(
    conn: &mut Conn,
    scope: &orgwork_store::ImportScope,
    member: i64,
    day: NaiveDate,
) -> Result<bool> {
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

/// A new member's rows: the record, memberships (unit, from, to, reason) and statuses.
pub(super) struct NewRows<'a> {
    pub(super) record: &'a Record,
    pub(super) units: Vec<(i64, NaiveDate, Option<NaiveDate>, &'static str)>,
    pub(super) statuses: Vec<(Status, NaiveDate, Option<NaiveDate>)>,
}

/// Admits many new members at once (an import): each with one membership from the day they
/// joined and the statuses of their record.
pub(super) async fn bulk_admit(
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
pub(super) const BULK_ROWS: usize = 4000;

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
pub(super) async fn timeline(tx: &mut Conn) -> Result<orgwork_domain::timeline::Timeline> {
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
pub(super) async fn write_new_members(
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

pub(super) async fn write_new_members_in(
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
        &'a Option<orgwork_domain::codes::Code>,
        &'a Option<orgwork_domain::codes::Code>,
        &'a Option<orgwork_domain::codes::Code>,
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
pub(super) fn intern(keys: &mut Vec<String>, index: &mut std::collections::HashMap<String, u16>, key: String) -> u16 {
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
    pub(super) async fn after_large_load(&self) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let mut days = checkpoints_in(&mut tx).await?;
        days.extend(orgwork_store::default_checkpoints(chrono::Local::now().date_naive()));
        set_checkpoints_in(&mut tx, &days).await?;
        self.commit(tx).await?;
        let mut conn = self.upkeep().acquire().await.db()?;
        super::common::execute_all(&mut conn, super::dialect::AFTER_BULK_COMMIT).await
    }
}

/// The members whose `field` (card_number or national_id) is one of `values`: value → id.
pub(super) async fn ids_by(
    conn: &mut Conn,
    field: &str,
    values: &[&String],
) -> Result<std::collections::HashMap<String, i64>> {
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

pub(super) fn row_error(row: usize, column: &str, value: &str, fault: Fault) -> orgwork_domain::import::RowError {
    orgwork_domain::import::RowError::new(row, column, value, fault)
}

impl Backend {
    /// An import (`MemberStore::import_members_with_progress`): the rows checked, then written
    /// all or nothing.
    pub(super) async fn import_rows(
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
                    report.fault(row_error(r.row, field, v, Fault::new("row_twice").with("first", first)));
                }
            }
        }
        if !report.errors.is_empty() {
            return Ok(report);
        }
        let today = chrono::Local::now().date_naive();
        let mut fresh: Vec<(&Record, i64, NaiveDate)> = vec![];
        let mut units: std::collections::HashMap<UnitCode, std::result::Result<i64, Fault>> =
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
                report.fault(row_error(r.row, "unit", "", Fault::new("no_unit")));
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
                        report.fault(row_error(r.row, key.0, key.1, left_member()));
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
                                Fault::new("member_elsewhere").with("member", id).with("unit", &code),
                            ));
                        } else {
                            report.hidden_matches += 1;
                            report.fault(row_error(r.row, key.0, key.1, hidden_member()));
                        }
                        continue;
                    }
                    match write_record(&mut tx, &self.profile, id, &r.record).await {
                        Ok(true) => {
                            report.updated += 1;
                            report.line(ImportLine {
                                row: r.row,
                                action: "update",
                                full_name: r.record.full_name.clone(),
                                unit: code.clone(),
                                member: Some(MemberId::new(id)),
                            });
                        }
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
                                    Fault::new("number_taken").with("member", other),
                                ));
                            } else {
                                report.hidden_matches += 1;
                                report.fault(row_error(r.row, field, &value, hidden_member()));
                            }
                        }
                        Err(StoreError::Domain(e)) => report.fault(row_error(
                            r.row,
                            e.message.split(':').next().unwrap_or(""),
                            "",
                            Fault::new("refused").with("message", &e.message),
                        )),
                        Err(e) => return Err(e),
                    }
                }
                None => {
                    // Units are few and rows many: each unit is looked up once.
                    if !units.contains_key(unit) {
                        let found = match super::structure::live_unit_id(&mut tx, unit, today).await {
                            Ok(u) if super::structure::unit_ends(&mut tx, u).await?.is_some() => {
                                Err(Fault::new("unit_dissolved"))
                            }
                            Ok(u) => Ok(u),
                            Err(StoreError::Domain(e)) if e.code == "unit_not_found" => {
                                Err(Fault::new("unit_unknown").with("day", today))
                            }
                            Err(StoreError::Domain(e)) => Err(Fault::new("refused").with("message", e.message)),
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
                                    Fault::new("counted_before_scope")
                                        .with("unit", unit)
                                        .with("joins", joins)
                                        .with("from", from),
                                ));
                                continue;
                            }
                            None => {
                                report.fault(row_error(r.row, "unit", unit.as_str(), Fault::new("unit_not_yours")));
                                continue;
                            }
                        }
                    }
                    // New members are written together once every row has passed.
                    fresh.push((&r.record, unit_id, joins));
                    report.created += 1;
                    report.line(ImportLine {
                        row: r.row,
                        action: "create",
                        full_name: r.record.full_name.clone(),
                        unit: unit.clone(),
                        member: None,
                    });
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

    /// A bulk load of whole histories (`MemberStore::load_members`).
    pub(super) async fn load_histories(
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
}
