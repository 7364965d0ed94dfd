//! Fuzzing the file readers with what users could send: the CSV seeds of `fuzz/corpus/csv`,
//! workbooks written from them, and both mutated. None may panic, and within the server's
//! limits none may read more than they allow.

#[path = "../../../fuzz/mutate.rs"]
mod mutate;

use orgwork_tabular::{Limits, read_within, write_xlsx};
use proptest::prelude::*;

const LIMITS: Limits = Limits { max_rows: 50, max_columns: 20, max_inflated: 4 * 1024 * 1024 };

fn seed(pick: usize, as_xlsx: bool) -> Vec<u8> {
    let seeds = mutate::seeds("csv");
    let (_, bytes) = &seeds[pick % seeds.len()];
    if !as_xlsx {
        return bytes.clone();
    }
    let rows = orgwork_tabular::read(bytes).expect("a seed reads");
    write_xlsx(&rows[0], &rows[1..]).expect("a workbook")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(mutate::cases()))]

    #[test]
    fn files_are_read_within_the_limits_or_refused(
        pick in any::<usize>(),
        as_xlsx in any::<bool>(),
        edits in mutate::edits(),
    ) {
        let bytes = mutate::apply(&seed(pick, as_xlsx), &edits);
        match read_within(&bytes, &LIMITS) {
            Ok(rows) => {
                prop_assert!(rows.len() <= LIMITS.max_rows + 1);
                prop_assert!(rows.iter().all(|r| r.len() <= LIMITS.max_columns));
            }
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }

    #[test]
    fn any_table_written_as_csv_reads_back_the_same(
        rows in prop::collection::vec(prop::collection::vec(".{0,12}", 3), 1..8),
    ) {
        // A cell of white space alone, or a row of empty cells, is read as it is written.
        let bytes = orgwork_tabular::write_csv(&rows);
        let back = orgwork_tabular::read(&bytes).expect("orgwork's own CSV reads");
        prop_assert_eq!(back, rows);
    }
}
