//! xuefa (学法): law study, search and exams for Chinese officials.
//!
//! Domain modules (`corpus`, `search`) know nothing of HTTP; `web` maps requests onto them;
//! `app` wires them together for the CLI, the server and the tests.

pub mod accounts;
pub mod app;
pub mod bank;
pub mod bench;
pub mod certificates;
pub mod cli;
pub mod clock;
pub mod config;
pub mod corpus;
pub mod db;
pub mod exam;
pub mod learning;
pub mod materials;
pub mod practice;
pub mod reports;
pub mod search;
pub mod table;
pub mod training;
pub mod web;
