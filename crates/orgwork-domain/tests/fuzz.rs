//! Fuzzing the domain's parsers of what users send: profiles and restructuring drafts (TOML)
//! and import rows, from the seeds in `fuzz/corpus/`, mutated. None may panic: each input is
//! read or refused with an error.

#[path = "../../../fuzz/mutate.rs"]
mod mutate;

use orgwork_domain::profile::Profile;
use orgwork_domain::restructure::Draft;
use proptest::prelude::*;

fn text_of(kind: &str, pick: usize, edits: &[mutate::Edit]) -> String {
    let seeds = mutate::seeds(kind);
    let (_, seed) = &seeds[pick % seeds.len()];
    String::from_utf8_lossy(&mutate::apply(seed, edits)).into_owned()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(mutate::cases()))]

    #[test]
    fn profiles_are_read_or_refused(pick in any::<usize>(), edits in mutate::edits()) {
        let text = text_of("profile", pick, &edits);
        if let Err(e) = Profile::parse("fuzz.toml", &text) {
            prop_assert!(!e.message.is_empty());
        }
    }

    #[test]
    fn drafts_are_read_or_refused(pick in any::<usize>(), edits in mutate::edits()) {
        let text = text_of("draft", pick, &edits);
        if let Err(e) = Draft::from_toml(&text) {
            prop_assert!(!e.message.is_empty());
        }
    }

    #[test]
    fn import_rows_are_read_or_every_fault_named(pick in any::<usize>(), edits in mutate::edits()) {
        let text = text_of("csv", pick, &edits);
        let rows: Vec<Vec<String>> =
            text.lines().map(|l| l.split([',', ';', '\t']).map(str::to_string).collect()).collect();
        if let Err(faults) = orgwork_domain::import::read_rows(&Profile::default_profile(), &rows) {
            prop_assert!(faults.total >= faults.errors.len() && !faults.errors.is_empty());
            for e in &faults.errors {
                prop_assert!(e.row >= 1 && !e.reason.is_empty());
            }
        }
    }
}
