//! The approved bank papers are drawn from, kept between starts. Loading every approved
//! question for each officer of a county starting in the same minute was most of a start's
//! cost. Each use reads a stamp of the bank (one row: count, sum and largest of the approved
//! questions' current version ids): an edit makes a new version and an approval or a
//! retirement changes the set, so any change moves the stamp and the bank is loaded again.
//! The stamp is read from the database, not kept in memory, so servers sharing one
//! PostgreSQL see each other's changes.

use std::sync::{Arc, RwLock};

use sqlx::AnyConnection;

use super::blueprint::BankEntry;
use super::store;

type Stamp = (i64, i64, i64);

#[derive(Default)]
pub struct BankCache {
    slot: RwLock<Option<(Stamp, Arc<Vec<BankEntry>>)>>,
}

impl BankCache {
    /// The approved bank as it is now.
    pub async fn get(&self, conn: &mut AnyConnection) -> Result<Arc<Vec<BankEntry>>, sqlx::Error> {
        let stamp = store::bank_stamp(&mut *conn).await?;
        if let Ok(slot) = self.slot.read()
            && let Some((s, bank)) = slot.as_ref()
            && *s == stamp
        {
            return Ok(bank.clone());
        }
        let bank = Arc::new(store::approved_bank(&mut *conn).await?);
        // A change between the stamp and the load only makes the next use load again.
        if let Ok(mut slot) = self.slot.write() {
            *slot = Some((stamp, bank.clone()));
        }
        Ok(bank)
    }
}
