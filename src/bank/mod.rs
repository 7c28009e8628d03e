//! The question bank: questions tied to the articles they test, with versions, import and
//! export, generation from the law texts, and review when a law changes.

pub mod model;
