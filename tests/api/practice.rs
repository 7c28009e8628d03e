//! Practice: sessions one question at a time, feedback with the key only after answering, the
//! wrong-answer book, spaced repetition with an injected clock, the daily queue and streak.

mod book;
mod daily;
mod pages;
mod sessions;
pub mod support;
