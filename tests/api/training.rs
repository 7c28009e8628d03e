//! Concentrated study sessions: check-in window and code with an injected clock, the roster,
//! duplicate check-ins, audited corrections, make-ups that credit the session, and the unit
//! scope of the admin API.

mod checkin;
mod makeup;
mod scope;
mod sessions;
mod support;
