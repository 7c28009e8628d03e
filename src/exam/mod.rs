//! Exams and practice: grading, and (as they are built) blueprints, papers and attempts.

pub mod grade;
