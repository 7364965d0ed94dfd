//! The impact report: the tree the day before and after, the touched units' facts and
//! totals.

use super::*;

impl Run<'_> {
    /// The day before the effective date: the last day of the tree as it was.
    pub(super) fn day_before(&self) -> NaiveDate {
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
    pub(super) fn tree_before_known(&self) -> (TreeBefore, Vec<i64>) {
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
    pub(super) async fn facts(&self, conn: &mut Conn, ids: &[i64]) -> Result<HashMap<i64, (String, String, String)>> {
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
    pub(super) fn children_after(&self, parents: &[i64], before: &Children) -> Children {
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
    pub(super) async fn impact(&self, conn: &mut Conn, tree_before: TreeBefore) -> Result<Impact> {
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
            plan_items: self.plan_moves.clone(),
            follow_ups: self.follow_moves.clone(),
        })
    }
}

/// Units' code, Vietnamese name and kind as last recorded, by store key.
pub(super) async fn unit_facts(conn: &mut Conn, ids: &[i64]) -> Result<HashMap<i64, (String, String, String)>> {
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
pub(super) async fn ancestors_on(conn: &mut Conn, ids: &[i64], day: NaiveDate) -> Result<HashMap<i64, Vec<i64>>> {
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
pub(super) type Children = HashMap<i64, Vec<(i64, UnitCode)>>;

/// Units' live children on `day`, in code order, by parent.
pub(super) async fn children_on(conn: &mut Conn, parents: &[i64], day: NaiveDate) -> Result<Children> {
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
pub(super) type Placed = (i64, String, String, Option<String>, Option<String>);

/// A change in the impact that takes the unit apart (its members and children go elsewhere).
pub(super) fn taken_apart(change: &str) -> bool {
    matches!(change, "merged" | "split" | "dissolved")
}

/// What the impact needs of the tree the day before the effective date: the ancestors of the
/// units taken apart and the children of the parents whose children change.
pub(super) struct TreeBefore {
    pub(super) ancestors: HashMap<i64, Vec<i64>>,
    pub(super) children: Children,
}

impl TreeBefore {
    /// Adds the children of `parents` the day before, read on a connection of its own while
    /// the run writes and checks its rules: nothing the run writes is dated before the day
    /// (see `Run::run`).
    pub(super) async fn read(
        mut self,
        reader: &sqlx::Pool<super::Db>,
        parents: &[i64],
        before: NaiveDate,
    ) -> Result<TreeBefore> {
        if parents.is_empty() {
            return Ok(self);
        }
        let mut conn = reader.acquire().await.db()?;
        self.children.extend(children_on(&mut conn, parents, before).await?);
        Ok(self)
    }
}
