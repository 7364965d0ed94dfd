//! The conformance stories on SQLite and on PostgreSQL.

orgwork_store_tests::backends!(
    reads_the_tree_as_of_a_date,
    pages_through_children_and_subtrees,
    searches_units_by_code_and_name,
    renames_and_moves_keep_the_past,
    refuses_broken_rules_and_changes_nothing,
    dissolves_and_reuses_a_code,
    keeps_users_tokens_and_sessions,
    audits_every_change_in_a_chain,
    keeps_members_with_their_history_and_counts,
    counts_follow_a_moved_unit_without_touching_members,
    transfers_in_two_steps,
    lists_members_in_vietnamese_order,
    imports_all_or_nothing_and_exports_back,
    admits_candidates_and_counts_the_year,
    search_follows_corrected_names,
    restructures_applies_and_undoes,
    refuses_drafts_that_break_continuity,
    a_large_import_builds_its_indexes_after_the_rows,
    loads_units_and_member_histories_in_bulk,
    admits_side_by_side,
    refuses_writes_past_the_horizon,
    keeps_work_programmes_and_rolls_them_up,
    amends_an_approved_programme_on_the_record,
    restructuring_hands_open_programme_items_over,
    rolls_up_every_unit_for_a_year,
    inspects_from_plan_to_verified_follow_up,
    disciplines_with_appeals_and_moves_the_counts,
    restructuring_hands_open_inspections_and_recommendations_over,
    schedules_a_terms_congresses_bottom_up,
);

/// Loads of 1,000 members or more are large ones, cut into slices of 400 members; the
/// ledger's sums are written whenever they pass 100 entries.
const SMALL_BULK: orgwork_store::BulkSizes =
    orgwork_store::BulkSizes { large_load: 1_000, slice: 400, ledger_held: 100 };

mod small_bulk {
    orgwork_store_tests::backends!(
        call orgwork_store_tests::stories;
        setup |backend| &orgwork_store_tests::TestDb::with_bulk_sizes(backend, crate::SMALL_BULK).await;
        a_large_import_in_slices_counts_as_one,
    );
}

mod flat {
    orgwork_store_tests::backends!(
        profile orgwork_store_tests::stories::flat_profile => sqlite, postgres;
        refuses_a_cycle_now_or_through_a_later_move,
    );
}

// Stories that reach the database behind the store (raw SQL).
orgwork_store_tests::backends!(
    db: audit_verify_catches_tampering,
    audit_head_catches_a_cut_tail_and_a_rehash,
    a_large_import_keeps_the_keys,
    the_read_cache_sees_every_write,
    constraint_violations_are_domain_errors,
);
