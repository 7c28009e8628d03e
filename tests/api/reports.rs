//! Learning records reports: the unit report and the annual report on a fixture with
//! hand-computed figures, progress counting sessions attended, the unit scope of every report
//! and export, the .xlsx, .csv and Markdown files, and the `xuefa report` command.

mod figures;
mod files;
mod scope;
mod support;
