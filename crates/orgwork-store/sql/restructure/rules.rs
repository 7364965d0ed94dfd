//! The continuity check's rules over the units the draft touched, as set queries.

use super::*;

/// Which units or members a set rule looks at.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Over {
    /// The units the draft ends (merged away, split, dissolved).
    Ended,
    /// The members whose membership the draft moved.
    Moved,
    /// The units the draft creates.
    Created,
}

/// What a row a rule's query finds says: the unit and member at fault, and why.
type Finding = (Option<UnitCode>, Option<i64>, String);

/// A continuity rule checked by one set query over a chunk of ids (`{ids}` in its text; `$1`
/// the draft's day when `binds_day`): each row it returns is a failure, worded by `why`.
struct SetRule {
    rule: Rule,
    over: Over,
    sql: &'static str,
    binds_day: bool,
    why: fn(&super::super::DbRow, NaiveDate) -> Result<Finding>,
}

/// The rules checked by set queries, in the order they run (by the ids they look at: ended
/// units, moved members, created units). Kind placement and cycles are judged after them in
/// memory, over what the run wrote (`Run::placement_rules`).
const SET_RULES: [SetRule; 6] = [
    // Members left in a dissolved unit (including those recorded to join it later).
    SetRule {
        rule: Rule::NoMemberInDissolvedUnit,
        over: Over::Ended,
        sql: "SELECT m.member_id, u.code, m.valid_from FROM membership m JOIN unit u ON u.id = m.unit_id \
              WHERE m.unit_id IN ({ids}) AND (m.valid_to IS NULL OR m.valid_to > u.valid_to) ORDER BY u.code, m.member_id",
        binds_day: false,
        why: |r, day| {
            let member: i64 = r.try_get("member_id").db()?;
            let code = UnitCode::from_stored(r.try_get("code").db()?);
            let from: NaiveDate = r.try_get("valid_from").db()?;
            let why = if from > day {
                format!("member {member} is recorded in {code} from {from}, after {code} is dissolved on {day}")
            } else {
                format!("member {member} is left in {code}, which is dissolved on {day}")
            };
            Ok((Some(code), Some(member), why))
        },
    },
    // Units left under a dissolved unit. The ids are named on both sides of the join:
    // PostgreSQL does not carry a list across `p.id = v.parent_id`, and hashed the whole unit
    // table for each chunk (national scale: 60–90 ms a chunk against 4 ms).
    SetRule {
        rule: Rule::NoUnitUnderDissolvedUnit,
        over: Over::Ended,
        sql: "SELECT c.code, p.code AS parent_code FROM unit_version v JOIN unit c ON c.id = v.unit_id JOIN unit p ON p.id = v.parent_id \
              WHERE v.parent_id IN ({ids}) AND p.id IN ({ids}) AND (v.valid_to IS NULL OR v.valid_to > p.valid_to) \
              ORDER BY p.code, c.code",
        binds_day: false,
        why: |r, day| {
            let code = UnitCode::from_stored(r.try_get("code").db()?);
            let parent: String = r.try_get("parent_code").db()?;
            let why = format!("unit {code} is left under {parent}, which is dissolved on {day}");
            Ok((Some(code), None, why))
        },
    },
    // Transfers in progress naming a dissolved unit.
    SetRule {
        rule: Rule::TransfersRedirected,
        over: Over::Ended,
        sql: "SELECT t.id, t.member_id, u.code FROM transfer t JOIN unit u ON u.id = t.to_unit_id OR u.id = t.from_unit_id \
              WHERE t.state = 'issued' AND u.id IN ({ids}) ORDER BY t.id",
        binds_day: false,
        why: |r, day| {
            let id: i64 = r.try_get("id").db()?;
            let member: i64 = r.try_get("member_id").db()?;
            let code = UnitCode::from_stored(r.try_get("code").db()?);
            let why = format!(
                "transfer {id} in progress names {code}, which is dissolved on {day}; give {code} a destination or settle the transfer first"
            );
            Ok((Some(code), Some(member), why))
        },
    },
    // Congresses still planned of a unit the draft ends: held or cancelled first.
    SetRule {
        rule: Rule::CongressesSettled,
        over: Over::Ended,
        sql: "SELECT c.id, c.term, u.code FROM congress c JOIN unit u ON u.id = c.unit_id \
              WHERE c.unit_id IN ({ids}) AND c.status = 'planned' ORDER BY u.code, c.term",
        binds_day: false,
        why: |r, day| {
            let id: i64 = r.try_get("id").db()?;
            let term: String = r.try_get("term").db()?;
            let code = UnitCode::from_stored(r.try_get("code").db()?);
            let why = format!(
                "congress {id} of {code} (term {term}) is still planned, and {code} ends on {day}; record it held or cancel it first"
            );
            Ok((Some(code), None, why))
        },
    },
    // One live unit per member: among the members who moved.
    SetRule {
        rule: Rule::OneLiveUnit,
        over: Over::Moved,
        sql: "SELECT member_id FROM membership WHERE member_id IN ({ids}) AND valid_from <= $1 AND (valid_to IS NULL OR valid_to > $1) \
              GROUP BY member_id HAVING COUNT(*) <> 1",
        binds_day: true,
        why: |r, day| {
            let member: i64 = r.try_get("member_id").db()?;
            Ok((None, Some(member), format!("member {member} does not have exactly one unit on {day}")))
        },
    },
    // A new unit's code is not used by a unit live on the day.
    SetRule {
        rule: Rule::UniqueCode,
        over: Over::Created,
        sql: "SELECT n.code, o.valid_from FROM unit n JOIN unit o ON o.code = n.code AND o.id <> n.id \
              WHERE n.id IN ({ids}) AND o.valid_from <= $1 AND (o.valid_to IS NULL OR o.valid_to > $1) ORDER BY n.code",
        binds_day: true,
        why: |r, day| {
            let code = UnitCode::from_stored(r.try_get("code").db()?);
            let from: NaiveDate = r.try_get("valid_from").db()?;
            let why = format!(
                "code {code} is used by a unit live on {day} (since {from}); a new unit needs a code of its own"
            );
            Ok((Some(code), None, why))
        },
    },
];

impl Run<'_> {
    /// The continuity check's rules over the units and members the draft touched: the set
    /// rules of `SET_RULES`, 500 ids a query, then kinds and cycles in memory.
    pub(super) async fn rules(&mut self, conn: &mut Conn) -> Result<()> {
        let moved: Vec<i64> = self
            .steps
            .iter()
            .filter_map(|s| if let Step::MemberMoved { member, .. } = s { Some(*member) } else { None })
            .collect();
        let ended: Vec<i64> = self.ended.iter().copied().collect();
        let created: Vec<i64> = self.created.iter().copied().collect();
        for over in [Over::Ended, Over::Moved, Over::Created] {
            let ids = match over {
                Over::Ended => &ended,
                Over::Moved => &moved,
                Over::Created => &created,
            };
            // A chunk's rules together: one pass over the ids per kind of id.
            for chunk in ids.chunks(500) {
                for rule in SET_RULES.iter().filter(|r| r.over == over) {
                    self.run_set_rule(conn, rule, chunk).await?;
                }
            }
        }
        self.plan_rules(conn).await?;
        self.follow_up_rules(conn).await?;
        self.placement_rules()
    }

    /// One set rule over one chunk of ids: a failure for each row.
    async fn run_set_rule(&mut self, conn: &mut Conn, rule: &SetRule, chunk: &[i64]) -> Result<()> {
        let sql = rule.sql.replace("{ids}", &id_list(chunk));
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        if rule.binds_day {
            q = q.bind(self.day);
        }
        for r in q.fetch_all(&mut *conn).await.db()? {
            let (unit, member, why) = (rule.why)(&r, self.day)?;
            self.failures.push(fail(rule.rule, None, unit.as_ref(), member, why));
        }
        Ok(())
    }

    /// Kinds and cycles: among the units whose version starts on the day, in memory.
    fn placement_rules(&mut self) -> Result<()> {
        let day = self.day;
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
        Ok(())
    }

    /// The versions starting on the day, as `rules` checks their kinds: (unit, code, kind,
    /// parent's code, parent's kind on the day; no kind when the parent ends that day), from
    /// what the run wrote rather than read back (at national scale 160,000 rows, 0.6 s of the
    /// writer's connection). Those are every version starting on the day (the date rule left
    /// none before the run), each with the parent and kind `write_tree` wrote; every unit and
    /// parent they name was loaded (`unit` loads what the draft names, with its ancestors),
    /// with its kind, which no restructuring changes.
    pub(super) fn placed(&self) -> Result<Vec<Placed>> {
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
}
