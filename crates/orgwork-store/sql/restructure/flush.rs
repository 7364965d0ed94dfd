//! What the operations did, written: the moved members' counts, the ledger re-attributed,
//! the units and versions in a few set statements.

use super::*;

impl Run<'_> {
    /// The ledger's blocks when their sums are read on a connection of their own beside the
    /// writer (`carried`) and written after the rules (`write_carried`): on PostgreSQL, in an
    /// apply that moves no member. The sums read only what the run does not change (each staged
    /// unit's rows and balance as committed; the moved members' counts, taken out first, are the
    /// one thing that would change them), and every write holds the write lock, so what that
    /// connection reads is what the run started from. At national scale the sums' read is the
    /// longest part of the pass, as long as the tree's writes and the rules together. `None`:
    /// `flush` carries them itself (on SQLite one statement in the writer: a reader's rows would
    /// cross the driver twice).
    pub(super) fn carried_beside(&self) -> Option<BTreeMap<i64, Vec<(i64, i64)>>> {
        self.ledger_beside().then(|| self.reattribution())
    }

    /// Whether the ledger's blocks are carried beside the writer (`carried_beside`).
    pub(super) fn ledger_beside(&self) -> bool {
        super::dialect::LEDGER_BESIDE && self.keep_ledger && self.work.member_moves.is_empty()
    }

    /// Writes what the operations did, in this order: the moved members' counts taken out
    /// while the tree is as before; the ledger re-attributed for every re-parented unit in one
    /// pass; the units and versions written with a few set statements; the members' rows moved
    /// and their counts put back where they now are. A check leaves the counts alone, and so
    /// does a run whose blocks are carried beside (`carried_beside`).
    pub(super) async fn flush(&mut self, conn: &mut Conn) -> Result<()> {
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
    pub(super) async fn write_carried(
        &self,
        conn: &mut Conn,
        units: usize,
        (staged, rows): (usize, Vec<Carried>),
    ) -> Result<()> {
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
    pub(super) async fn write_tree(&self, conn: &mut Conn) -> Result<()> {
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
    pub(super) fn reattribution(&self) -> BTreeMap<i64, Vec<(i64, i64)>> {
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
}
