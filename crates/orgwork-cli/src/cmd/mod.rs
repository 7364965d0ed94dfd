pub mod audit;
pub mod bench;
pub mod candidate;
pub mod demo;
pub mod generate;
pub mod import;
pub mod ledger;
pub mod member;
pub mod migrate;
pub mod restructure;
pub mod serve;
pub mod transfer;
pub mod unit;
pub mod user;

/// The actor of changes made from the command line.
pub fn actor() -> orgwork_store::Actor {
    orgwork_store::Actor::cli()
}
