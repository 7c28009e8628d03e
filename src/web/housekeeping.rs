//! Throttle state expires, so memory and the throttle table stay bounded however many
//! addresses and login names are tried: once a minute the per-address limiter drops the
//! addresses that are back to a full allowance, and stale `login_throttle` rows are deleted.
//! The same tick closes and grades exam attempts whose deadline passed untouched.

use std::hash::Hash;
use std::sync::Arc;
use std::time::Duration;

use governor::RateLimiter;
use governor::clock::Clock;
use governor::middleware::RateLimitingMiddleware;
use governor::state::keyed::ShrinkableKeyedStateStore;

use super::AppState;
use crate::accounts::login;

pub const SWEEP_EVERY: Duration = Duration::from_secs(60);

/// Drops the keys whose state is no different from a fresh one, and the memory they held.
pub fn sweep_limiter<K, S, C, MW>(limiter: &RateLimiter<K, S, C, MW>)
where
    K: Hash,
    S: ShrinkableKeyedStateStore<K>,
    C: Clock,
    MW: RateLimitingMiddleware<C::Instant>,
{
    limiter.retain_recent();
    limiter.shrink_to_fit();
}

/// Starts the sweeps on the current runtime (none: nothing to do); they stop once the
/// router that owns `state` is gone.
pub fn spawn(state: &AppState) {
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
        return;
    };
    let limiter = Arc::downgrade(&state.login_limiter);
    let verify_limiter = Arc::downgrade(&state.verify_limiter);
    let app = Arc::downgrade(&state.app);
    runtime.spawn(async move {
        let start = tokio::time::Instant::now() + SWEEP_EVERY;
        let mut tick = tokio::time::interval_at(start, SWEEP_EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        loop {
            tick.tick().await;
            let (Some(limiter), Some(app)) = (limiter.upgrade(), app.upgrade()) else {
                break;
            };
            sweep_limiter(&limiter);
            if let Some(v) = verify_limiter.upgrade() {
                sweep_limiter(&v);
            }
            match login::forget_stale_throttles(&app.db.pool, app.clock.now()).await {
                Ok(n) if n > 0 => tracing::debug!(forgotten = n, "stale sign-in throttles"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "sweeping sign-in throttles failed"),
            }
            match crate::exam::sweep::close_overdue(&app.db, app.clock.now()).await {
                Ok(g) if !g.is_empty() => {
                    tracing::info!(closed = g.len(), "overdue attempts");
                    issue_earned(&app).await;
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "closing overdue attempts failed"),
            }
        }
    });
}

/// Certificates earned by attempts the sweep just graded.
async fn issue_earned(app: &crate::app::App) {
    let result = async {
        let mut tx = app.db.write().await?;
        let issued = app.issue_earned_certificates(&mut tx, None).await?;
        tx.commit().await?;
        Ok::<_, crate::certificates::CertError>(issued.len())
    }
    .await;
    match result {
        Ok(n) if n > 0 => tracing::info!(issued = n, "certificates earned"),
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "issuing earned certificates failed"),
    }
}

#[cfg(test)]
mod tests {
    use std::num::NonZeroU32;

    use governor::Quota;
    use governor::clock::FakeRelativeClock;
    use governor::middleware::NoOpMiddleware;
    use governor::state::keyed::HashMapStateStore;

    use super::*;

    #[test]
    fn addresses_back_to_a_full_allowance_are_forgotten() {
        let clock = FakeRelativeClock::default();
        let quota = Quota::per_minute(NonZeroU32::new(30).unwrap());
        let store: HashMapStateStore<String> = HashMapStateStore::default();
        let limiter: RateLimiter<String, _, _, NoOpMiddleware<_>> =
            RateLimiter::new(quota, store, clock.clone());
        for n in 0..1000 {
            let _ = limiter.check_key(&format!("203.0.113.{n}"));
        }
        let _ = limiter.check_key(&"198.51.100.1".to_string());
        sweep_limiter(&limiter);
        assert_eq!(limiter.len(), 1001, "all recent");

        // A minute on, the address still sending stays; the others are forgotten.
        clock.advance(Duration::from_secs(69));
        for _ in 0..10 {
            let _ = limiter.check_key(&"198.51.100.1".to_string());
        }
        clock.advance(Duration::from_secs(1));
        sweep_limiter(&limiter);

        assert_eq!(limiter.len(), 1, "only the busy address is left");
    }
}
