//! The one integration-test binary: `cargo test --release --test api`.
//!
//! Every test gets a fresh database (SQLite in a temporary folder, or a new PostgreSQL
//! database when `XUEFA_TEST_DATABASE_URL` is set) and an in-memory index.

mod helpers;

mod accounts_admin;
mod accounts_csrf;
mod accounts_hostile;
mod accounts_import;
mod accounts_lock;
mod accounts_login;
mod accounts_matrix;
mod accounts_pages;
mod accounts_password;
mod accounts_scope;
mod accounts_sessions;
mod accounts_support;
mod accounts_words;

mod audit;
mod bank;
mod certificate_pages;
mod certificates;
mod chinese;
mod client_ip;
mod csrf_walk;
mod exam;
mod hostile;
mod http;
mod import;
mod law_pages;
mod learning;
mod library;
mod manifest;
mod materials;
mod nodes;
mod paging;
mod practice;
mod relevance;
mod reports;
mod requirement_pages;
mod search;
mod search_laws;
mod search_page;
mod search_words;
mod training;
mod units;
