//! Finding members: by name through the word index, by card number or national ID, listed
//! in Vietnamese order within a subtree on a date, paged.

use super::*;

/// Most members a search narrows to through the name index before it reads them one by one.
pub(super) const NAME_HITS: usize = 2000;

/// The members a query can match, from SQLite's trigram index over folded names (with those
/// whose card number or national ID it is), when they are few; `None` when the index cannot
/// narrow the search (words shorter than three letters, many matches, or a dialect without the
/// index, `dialect::NAME_HITS`: PostgreSQL's planner uses its trigram index for the LIKE itself).
pub(super) async fn name_hits(store: &Backend, query: &str) -> Result<Option<Vec<i64>>> {
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

/// How a search by name finds its candidates (see ARCHITECTURE.md, "Search").
pub(super) enum NamePlan {
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
pub(super) const WALK_WORDS: usize = 64;

/// The LIKE pattern of a query over folded names: every word, in the order typed (`dang mai`
/// finds "Đặng Thị Mai").
pub(super) fn name_pattern(query: &str) -> String {
    format!("%{}%", like_escape(&orgwork_domain::text::fold(query)).replace(' ', "%"))
}

/// The members whose card number or national ID the query is.
pub(super) async fn numbers_match(store: &Backend, query: &str) -> Result<Vec<i64>> {
    sqlx::query_scalar("SELECT id FROM member WHERE card_number = $1 OR national_id = $1")
        .bind(query.trim())
        .fetch_all(store.reader())
        .await
        .db()
}

/// `text` with LIKE's special characters escaped (for `ESCAPE '\\'`).
pub(super) fn like_escape(text: &str) -> String {
    text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

impl Backend {
    /// The members of a subtree on a day (`top`, or everyone), on a page after `after` (name
    /// key, id), filtered, and among `hits` when given: the summaries and their paging keys.
    #[allow(clippy::too_many_arguments)]
    pub(super) async fn select_members(
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
        // $1 (the subtree's top), $6 (born after, for an age category) and $7 (admitted by, for
        // a probation past its end) are always bound and always used, so that both databases
        // see the same parameters.
        sql.push_str(
            "WHERE ms.valid_from <= $2 AND (ms.valid_to IS NULL OR ms.valid_to > $2) AND (m.name_key > $3 OR (m.name_key = $3 AND m.id > $4)) \
             AND CAST($1 AS BIGINT) IS NOT NULL AND m.birth_date > $6 AND m.admitted_on <= $7 ",
        );
        let mut binds: Vec<String> = vec![];
        if let Some(list) = &hit_list {
            // Few members have this name: read those, not the whole subtree.
            sql.push_str(&format!("AND m.id IN ({list}) "));
        }
        if let Some(q) = query {
            binds.push(name_pattern(q));
            binds.push(q.to_string());
            let n = binds.len() + 7;
            sql.push_str(&format!(
                "AND (m.name_fold LIKE ${} ESCAPE '\\' OR m.card_number = ${n} OR m.national_id = ${n}) ",
                n - 1
            ));
        }
        let mut admitted_by = orgwork_domain::date::LATEST;
        if filter.probation_over {
            let months = self.profile.members.probation_months;
            admitted_by =
                as_of.checked_sub_months(chrono::Months::new(months)).unwrap_or(orgwork_domain::date::EARLIEST);
            binds.push(Status::Probationary.as_str().to_string());
            sql.push_str(&format!("AND st.status = ${} ", binds.len() + 7));
        }
        if let Some(s) = filter.status {
            binds.push(s.as_str().to_string());
            sql.push_str(&format!("AND st.status = ${} ", binds.len() + 7));
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
                    marks.push(format!("${}", binds.len() + 7));
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
            .bind(born_after.unwrap_or(NaiveDate::from_ymd_opt(1, 1, 1).unwrap_or_default()))
            .bind(admitted_by);
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
                id: MemberId::new(id),
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
    pub(super) async fn name_plan(
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
    pub(super) async fn list_plan(
        &self,
        top: Option<i64>,
        root: Option<i64>,
        as_of: NaiveDate,
        want: i64,
    ) -> Result<NamePlan> {
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
    pub(super) async fn members_under(&self, unit: i64, as_of: NaiveDate) -> Result<i64> {
        let sums = ledger_sums(&mut *self.reader().acquire().await.db()?, &[unit], as_of, Some("total")).await?;
        Ok(sums.first().map_or(0, |(_, _, n)| *n))
    }

    /// The search through the word index (or, without `words`, through the members in list
    /// order): the postings of `words` whose folded names match,
    /// after the page's cursor, in list order, a batch at a time (growing); each batch's
    /// members are then read and judged by the other filters and by their unit, until `want`
    /// rows are found or the postings end.
    #[allow(clippy::too_many_arguments)]
    pub(super) async fn walk_words(
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
    pub(super) async fn rows_on(
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
    pub(super) async fn members_under_top(
        &self,
        under: &mut Under,
        members: &[i64],
        as_of: NaiveDate,
    ) -> Result<Vec<i64>> {
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
    pub(super) async fn under_top(&self, under: &mut Under, units: &[i64], as_of: NaiveDate) -> Result<Vec<bool>> {
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
    pub(super) async fn tree_in_memory(&self) -> Result<Option<std::sync::Arc<orgwork_store::tree::Tree>>> {
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

    pub(super) async fn structure_stamp(&self) -> Result<i64> {
        sqlx::query_scalar("SELECT n FROM structure_clock WHERE id = 1").fetch_one(self.reader()).await.db()
    }
}

/// Members found by a search: their summaries, paging keys and units, in list order.
#[derive(Default)]
pub(super) struct Found {
    pub(super) items: Vec<MemberSummary>,
    pub(super) keys: Vec<String>,
    pub(super) units: Vec<i64>,
}

/// What a search has learnt of the tree: for each unit passed, whether it lies under the
/// search's unit (`top`; everything does when there is none), and the parents read.
pub(super) struct Under {
    pub(super) top: Option<i64>,
    pub(super) known: std::collections::HashMap<i64, bool>,
    pub(super) parent: std::collections::HashMap<i64, Option<i64>>,
}

impl Under {
    pub(super) fn new(top: Option<i64>) -> Under {
        let mut known = std::collections::HashMap::new();
        if let Some(t) = top {
            known.insert(t, true);
        }
        Under { top, known, parent: std::collections::HashMap::new() }
    }
}

/// How many members in all for one under the unit, rounded up (at least 1).
pub(super) fn ceil_div(everyone: i64, scope: i64) -> i64 {
    ((everyone + scope.max(1) - 1) / scope.max(1)).max(1)
}

/// The walk's first batch is this many times the page (see `Backend::name_plan`).
pub(super) const WALK_SPREAD: i64 = 8;
/// The walk's largest batch of postings.
pub(super) const WALK_BATCH_MOST: i64 = 8192;

impl Backend {
    /// A subtree's members on a date, filtered and paged (`MemberStore::members`).
    pub(super) async fn list_members(
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
}
