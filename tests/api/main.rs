//! The one integration-test binary: `cargo test --release --test api`.
//!
//! Every test gets a fresh database (SQLite in a temporary folder, or a new PostgreSQL
//! database when `XUEFA_TEST_DATABASE_URL` is set) and an in-memory index.

mod helpers;

mod hostile;
mod http;
mod import;
mod manifest;
mod search;
