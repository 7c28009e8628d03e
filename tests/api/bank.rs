//! The question bank: import of messy files, duplicates, export round trips, review after a
//! law changes, the admin API's rules and the authored seed bank.

mod admin;
mod cli;
mod concurrent;
mod editing;
mod helps;
mod import;
mod keys;
mod messy;
mod pages;
mod repealed;
mod review;
mod roundtrip;
mod seed;
mod site;
mod suggest;
mod support;
