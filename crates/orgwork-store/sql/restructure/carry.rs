//! The count ledger carried to re-parented units' new ancestors: each unit's block staged
//! with its coefficients and summed in one statement.

use super::*;

/// How many times each re-parented unit's series goes to each ancestor when the units of
/// `moved` go from the ancestors `before` gives to those `after` gives (each nearest first,
/// the unit left out). Each carries its *block*: its subtree's series less those of the
/// re-parented units nearest below it (as the series stand, under `before`), which travel on
/// their own. A block leaves the ancestors it had and not after, and joins those it has after
/// and not before.
pub(super) fn coefficients(
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
pub(super) struct Staged {
    pub(super) sums: String,
    pub(super) since: NaiveDate,
    pub(super) keys: Vec<String>,
    pub(super) coefficients: usize,
}

/// The blocks of counts carried from the effective day on: each unit's sums on the day and its
/// rows after it, times its coefficients (ancestor, n), summed by ancestor, key and day. Stages
/// the coefficients in the temporary table `reattribution` on `conn` (dropped by `unstage`) and
/// returns a `SELECT` of the sums as (unit_id, key, day, delta); `None` when there is nothing
/// to carry.
pub(super) async fn stage(
    conn: &mut Conn,
    day: NaiveDate,
    by_unit: &BTreeMap<i64, Vec<(i64, i64)>>,
) -> Result<Option<Staged>> {
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

pub(super) async fn unstage(conn: &mut Conn) -> Result<()> {
    sqlx::query("DROP TABLE reattribution").execute(&mut *conn).await.db()?;
    Ok(())
}

/// Carries the blocks (`stage`) into the ledger in one statement: no row leaves the database.
/// Returns the coefficients staged and the ledger rows written.
pub(super) async fn carry(
    conn: &mut Conn,
    day: NaiveDate,
    by_unit: &BTreeMap<i64, Vec<(i64, i64)>>,
) -> Result<(usize, u64)> {
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
pub(super) type Carried = (i64, String, NaiveDate, i64);

/// The blocks' sums (`stage`) read back as rows in the ledger's key order, for
/// `members::ledger_add` on another connection; with the coefficients staged.
pub(super) async fn carried(
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
pub(super) fn carry_logged(what: &str, units: usize, (staged, changes): (usize, u64), clock: std::time::Instant) {
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
pub(super) async fn ledger_keys(conn: &mut Conn) -> Result<Vec<String>> {
    sqlx::query_scalar(
        "SELECT DISTINCT key FROM member_ledger WHERE unit_id IN (SELECT unit_id FROM unit_version WHERE parent_id IS NULL) \
         ORDER BY key",
    )
    .fetch_all(&mut *conn)
    .await
    .db()
}
