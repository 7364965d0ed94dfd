pub mod demo;
pub mod migrate;
pub mod serve;
pub mod unit;
