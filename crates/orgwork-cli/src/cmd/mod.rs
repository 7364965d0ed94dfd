// One file per area, named as the area is in every layer (the command's name may differ:
// `orgwork unit` is `structure.rs`, `orgwork candidate` is `admissions.rs`; `orgwork
// inspection`, `recommendation` and `discipline` are `inspection.rs`).
pub mod admissions;
pub mod audit;
pub mod bench;
pub mod congress;
pub mod demo;
pub mod files;
pub mod generate;
pub mod inspection;
pub mod ledger;
pub mod members;
pub mod migrate;
pub mod plan;
pub mod restructure;
pub mod serve;
pub mod structure;
pub mod transfers;
pub mod users;

/// The actor of changes made from the command line.
pub fn actor() -> orgwork_store::Actor {
    orgwork_store::Actor::cli()
}
