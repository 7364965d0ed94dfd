//! Name search against a plain reading of the records: after admissions (one by one and by
//! import), renames and a move of a committee, every search under any unit on a day before or
//! after the move, read page by page, returns exactly the members of that subtree whose folded
//! names hold the query's words in order (or whose card number it is), in list order. Small
//! pages make the word index's walk read several batches; scopes from the root to a cell make
//! the search take the word index and the subtree scan alike; half the cases climb the unit
//! tree in memory (read at the first search, and again after the move, which comes half-way
//! through the searches).

use chrono::NaiveDate;
use orgwork_domain::import::ImportRow;
use orgwork_domain::text::{fold, sort_key};
use orgwork_store::{Dated, MemberFilter, NewMember, Page, Store};
use orgwork_store_tests::TestDb;
use orgwork_store_tests::stories::{actor, code, create, record};
use proptest::prelude::*;

const FAMILY: [&str; 6] = ["Nguyễn", "Trần", "Lê", "Phạm", "Đặng", "Ông"];
const MIDDLE: [&str; 4] = ["Văn", "Thị", "Minh", "Ngọc"];
const GIVEN: [&str; 8] = ["An", "Anh", "Lan", "Mai", "Thanh", "Tuấn", "Loan", "Mới"];
const ARABIC: [&str; 3] = ["محمد عبد الله", "فاطمة الزهراء", "أحمد علي"];
const CELLS: [&str; 4] = ["C1", "C2", "C3", "C4"];
const SCOPES: [&str; 6] = ["QN", "B1", "B2", "G1", "G2", "C1"];
/// What users type: whole words, parts of words, two words in order or not, diacritics or
/// not, a word nobody has (with a digit, too), Arabic with and without its letter variants,
/// and nothing (the whole list).
const QUERIES: [&str; 18] = [
    "nguyen",
    "Nguyễn Mai",
    "an",
    "anh",
    "thi an",
    "mai nguyen",
    "uyen",
    "o",
    "tuan",
    "moi",
    "xyz",
    "le lan",
    "محمد",
    "احمد",
    "dang thi",
    "ông thị mới",
    "an 7",
    "",
];

#[derive(Debug, Clone)]
struct Person {
    family: usize,
    middle: usize,
    given: usize,
    arabic: Option<usize>,
    other: Option<usize>,
    cell: usize,
    imported: bool,
}

#[derive(Debug, Clone)]
struct Case {
    people: Vec<Person>,
    renames: Vec<(usize, usize)>,
    moved: bool,
    searches: Vec<(usize, usize, bool, u32)>,
    /// Searches climb the unit tree in memory from their first (else in the database).
    tree: bool,
}

fn person() -> impl Strategy<Value = Person> {
    (
        0..FAMILY.len(),
        0..MIDDLE.len(),
        0..GIVEN.len(),
        prop::option::weighted(0.1, 0..ARABIC.len()),
        prop::option::weighted(0.15, 0..GIVEN.len()),
        // Most in C1, so that G1 and B1 hold most members (the list under them reads the
        // members in list order rather than the subtree).
        prop_oneof![3 => Just(0usize), 1 => 0..CELLS.len()],
        any::<bool>(),
    )
        .prop_map(|(family, middle, given, arabic, other, cell, imported)| Person {
            family,
            middle,
            given,
            arabic,
            other,
            cell,
            imported,
        })
}

fn case() -> impl Strategy<Value = Case> {
    (
        prop::collection::vec(person(), 1..70),
        prop::collection::vec((0..50usize, 0..GIVEN.len()), 0..5),
        any::<bool>(),
        prop::collection::vec((0..QUERIES.len(), 0..SCOPES.len(), any::<bool>(), 1..4u32), 1..12),
        any::<bool>(),
    )
        .prop_map(|(people, renames, moved, searches, tree)| Case { people, renames, moved, searches, tree })
}

fn name(p: &Person, given: usize) -> String {
    match p.arabic {
        Some(a) => ARABIC[a].to_string(),
        None => format!("{} {} {}", FAMILY[p.family], MIDDLE[p.middle], GIVEN[given]),
    }
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// '%w1%w2%…' as LIKE reads it: each word found after the one before.
fn matches(folded_name: &str, query: &str) -> bool {
    let mut rest = folded_name;
    for w in fold(query).split(' ').filter(|w| !w.is_empty()) {
        match rest.find(w) {
            Some(at) => rest = &rest[at + w.len()..],
            None => return false,
        }
    }
    true
}

struct Known {
    id: orgwork_store::MemberId,
    name: String,
    other: Option<String>,
    cell: usize,
    card: String,
}

fn run(backend: &'static str, case: Case) -> Result<(), TestCaseError> {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async move {
        let db = TestDb::new(backend).await;
        let s: &dyn Store = db.store.as_ref();
        if case.tree {
            s.load_tree_after(0);
        }
        create(s, "QN", "provincial_committee", None, "2020-01-01", "Tỉnh").await;
        create(s, "B1", "bloc_committee", Some("QN"), "2020-01-01", "Khối một").await;
        create(s, "B2", "bloc_committee", Some("QN"), "2020-01-01", "Khối hai").await;
        create(s, "G1", "grassroots_committee", Some("B1"), "2020-01-01", "Cơ sở một").await;
        create(s, "G2", "grassroots_committee", Some("B2"), "2020-01-01", "Cơ sở hai").await;
        for (i, c) in CELLS.iter().enumerate() {
            create(s, c, "subordinate_cell", Some(if i < 2 { "G1" } else { "G2" }), "2020-01-01", c).await;
        }
        // Admitted one by one, or together by one import (the bulk path).
        let mut known: Vec<Known> = vec![];
        let mut rows = vec![];
        for (i, p) in case.people.iter().enumerate() {
            let mut r = record(&name(p, p.given), "female", "1980-05-01", "2021-01-01");
            r.other_names = p.other.map(|g| GIVEN[g].to_string());
            r.card_number = Some(format!("{:08}", 10_000 + i));
            if p.imported {
                rows.push(ImportRow { row: i + 2, record: r, unit: Some(code(CELLS[p.cell])), status: None });
            } else {
                let new = NewMember {
                    record: r,
                    unit: code(CELLS[p.cell]),
                    joined_on: day("2021-01-01"),
                    document: None,
                    from_org: None,
                };
                s.create_member(&actor(), new).await.unwrap();
            }
        }
        if !rows.is_empty() {
            let report = s.import_members(&actor(), &rows, None, false).await.unwrap();
            prop_assert!(report.errors.is_empty(), "{:?}", report.errors);
        }
        // Each member as stored, found by card number.
        for (i, p) in case.people.iter().enumerate() {
            let card = format!("{:08}", 10_000 + i);
            let filter = MemberFilter { query: Some(card.clone()), ..Default::default() };
            let page = s.members(None, day("2021-06-01"), &filter, Page::first(5)).await.unwrap();
            prop_assert_eq!(page.items.len(), 1, "card {}", card);
            known.push(Known {
                id: page.items[0].id,
                name: name(p, p.given),
                other: p.other.map(|g| GIVEN[g].to_string()),
                cell: p.cell,
                card,
            });
        }
        // Renames: the index forgets the old words and learns the new ones.
        for (who, given) in &case.renames {
            let Some(k) = known.get_mut(*who) else { continue };
            let renamed = name(&case.people[*who], *given);
            if renamed == k.name {
                continue;
            }
            let mut r = record(&renamed, "female", "1980-05-01", "2021-01-01");
            r.other_names = k.other.clone();
            r.card_number = Some(k.card.clone());
            s.edit_member(&actor(), k.id, r).await.unwrap();
            k.name = renamed;
        }
        // G1 (cells C1, C2) moves from B1 to B2 on 2022-01-01, half-way through the searches
        // (a tree read in memory before it must not be used after it).
        let mut move_made = false;
        for (i, (qi, si, after_move, size)) in case.searches.iter().enumerate() {
            if case.moved && !move_made && i >= case.searches.len() / 2 {
                let change = Dated { code: code("G1"), effective: day("2022-01-01"), decision: None };
                s.move_unit(&actor(), change, code("B2")).await.unwrap();
                move_made = true;
            }
            let (query, scope) = (QUERIES[*qi], SCOPES[*si]);
            let on = day(if *after_move { "2022-06-01" } else { "2021-06-01" });
            let moved = move_made && *after_move;
            let under = |cell: usize| -> bool {
                let committee = if cell < 2 { "G1" } else { "G2" };
                // G1 sits under B1 until it moves to B2.
                let bloc = if cell < 2 && !moved { "B1" } else { "B2" };
                [CELLS[cell], committee, bloc, "QN"].contains(&scope)
            };
            let mut expected: Vec<(Vec<u8>, orgwork_store::MemberId)> = known
                .iter()
                .filter(|k| under(k.cell))
                .filter(|k| {
                    let folded = fold(&format!("{} {}", k.name, k.other.as_deref().unwrap_or("")));
                    matches(&folded, query) || k.card == query
                })
                .map(|k| (sort_key(&k.name), k.id))
                .collect();
            expected.sort();
            let expected: Vec<orgwork_store::MemberId> = expected.into_iter().map(|(_, id)| id).collect();
            let mut got: Vec<orgwork_store::MemberId> = vec![];
            let mut page = Page::first(*size);
            for _ in 0..100 {
                let filter = MemberFilter { query: Some(query.to_string()), ..Default::default() };
                let p = s.members(Some(&code(scope)), on, &filter, page.clone()).await.unwrap();
                got.extend(p.items.iter().map(|m| m.id));
                match p.next {
                    Some(next) => page = Page { after: Some(next), ..page },
                    None => break,
                }
            }
            prop_assert_eq!(&got, &expected, "'{}' under {} on {} in pages of {}", query, scope, on, size);
        }
        Ok(())
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn sqlite_search_finds_what_the_records_hold(case in case()) {
        run("sqlite", case)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 8, ..ProptestConfig::default() })]

    #[test]
    fn postgres_search_finds_what_the_records_hold(case in case()) {
        run("postgres", case)?;
    }
}
