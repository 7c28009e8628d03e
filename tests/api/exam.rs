//! Exams: papers drawn from the approved bank, taking with autosave and a server deadline,
//! grading, resume after a restart, no key leakage, scope, overrides and regrading.

mod admin;
mod admin_pages;
mod admin_regrade;
mod analysis;
mod bank_changes;
mod certificates;
mod deadline;
mod pages;
mod practice_during;
mod race;
mod regrade;
mod support;
mod taking;
