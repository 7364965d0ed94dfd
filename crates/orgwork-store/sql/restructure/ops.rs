//! The draft's operations carried out in memory, on the working set: create, rename, move,
//! merge, split, dissolve; members moved only where their own unit is taken apart.

use super::*;

impl Run<'_> {
    pub(super) fn touch(&mut self, unit: i64, change: &str, to: Option<&UnitCode>) {
        let n = self.touched.len();
        let e = self.touched.entry(unit).or_insert((n, String::new(), BTreeSet::new()));
        if e.1.is_empty() || change == "dissolved" || change == "merged" || change == "absorbed" || change == "split" {
            e.1 = change.to_string();
        }
        if let Some(t) = to {
            e.2.insert(t.clone());
        }
    }

    pub(super) fn op_failure(&mut self, unit: Option<&UnitCode>, message: String) {
        self.failures.push(fail(Rule::Operation, Some(self.op), unit, None, message));
    }

    /// The unit with `code` live on the effective date, or a failure of the current operation.
    pub(super) async fn unit(&mut self, conn: &mut Conn, code: &UnitCode, role: &str) -> Result<Option<i64>> {
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
    pub(super) fn change_version(&mut self, unit: i64, parent: Option<i64>, names: Option<&Names>) {
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
    pub(super) fn children(&self, unit: i64) -> Vec<(i64, UnitCode)> {
        self.work
            .children
            .get(&unit)
            .map(|kids| kids.iter().map(|(c, id)| (*id, c.clone())).collect())
            .unwrap_or_default()
    }

    /// The members whose own unit is `unit` on the effective date: (member id, membership
    /// start, end).
    pub(super) fn members_of(&self, unit: i64) -> Vec<(i64, NaiveDate, Option<NaiveDate>)> {
        self.work.members.get(&unit).cloned().unwrap_or_default()
    }

    /// Moves a member's membership from `from` to `to` on the effective date.
    pub(super) fn move_member(
        &mut self,
        member: i64,
        from: i64,
        to: i64,
        row_from: NaiveDate,
        row_to: Option<NaiveDate>,
    ) {
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
    pub(super) fn redirect(&mut self, from: i64, to: i64) {
        self.successor.insert(from, to);
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
    pub(super) fn hand_over(&mut self, from: i64, to: i64) {
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
    pub(super) fn end(&mut self, unit: i64, code: &UnitCode) {
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
    pub(super) async fn run(&mut self, conn: &mut Conn, draft: &Draft) -> Result<()> {
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

    pub(super) async fn operation(&mut self, conn: &mut Conn, op: &Operation) -> Result<()> {
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

    pub(super) async fn split(&mut self, conn: &mut Conn, o: &orgwork_domain::restructure::SplitOp) -> Result<()> {
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
}
