//! Password hashing and policy. Argon2id parameters live here and nowhere else.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand_core::OsRng;

use super::AccountsError;

/// Argon2id cost. `Production` is OWASP's recommended minimum (m = 19 MiB, t = 2, p = 1);
/// tests use `Fast` so that hundreds of logins take milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HashCost {
    Production,
    /// For generated one-time passwords only: 69 random bits need no key stretching to
    /// resist guessing, they are replaced at first sign-in, and bulk imports of thousands of
    /// users must not take minutes. Verification reads the cost from the stored hash.
    OneTime,
    Fast,
}

impl HashCost {
    /// The cost for hashing a generated one-time password under this configuration.
    pub fn one_time(self) -> HashCost {
        if self == HashCost::Production {
            HashCost::OneTime
        } else {
            self
        }
    }

    fn params(self) -> Params {
        let (m_kib, t, p) = match self {
            HashCost::Production => (19 * 1024, 2, 1),
            HashCost::OneTime => (4 * 1024, 1, 1),
            HashCost::Fast => (256, 1, 1),
        };
        // The constants above are within argon2's documented bounds.
        Params::new(m_kib, t, p, None).unwrap_or_default()
    }

    fn hasher(self) -> Argon2<'static> {
        Argon2::new(Algorithm::Argon2id, Version::V0x13, self.params())
    }
}

/// Shortest password accepted.
pub const MIN_LENGTH: usize = 8;
/// Longest password accepted (argon2 takes any length; this bounds the work per request).
pub const MAX_LENGTH: usize = 128;

/// Hashes on the blocking pool: argon2 takes tens of milliseconds of CPU.
pub async fn hash(password: String, cost: HashCost) -> Result<String, AccountsError> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        cost.hasher()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| AccountsError::Internal(format!("hashing failed: {e}")))
    })
    .await
    .map_err(|e| AccountsError::Internal(e.to_string()))?
}

/// Verifies on the blocking pool. With `None` (unknown user) it verifies against a dummy
/// hash of the configured cost, so the reply takes as long as for a real user, and fails.
/// A stored hash cheaper than the configured cost (a pending one-time password) is padded
/// with a dummy verification too, so timing does not single out such accounts.
pub async fn verify(password: String, stored: Option<String>, cost: HashCost) -> bool {
    tokio::task::spawn_blocking(move || {
        let check = |phc: &str| {
            PasswordHash::new(phc)
                .map(|parsed| {
                    let m_cost = parsed.params.get_decimal("m").unwrap_or(0);
                    let ok = cost
                        .hasher()
                        .verify_password(password.as_bytes(), &parsed)
                        .is_ok();
                    (ok, m_cost < cost.params().m_cost())
                })
                .unwrap_or((false, true))
        };
        let dummy = dummy_hash(cost);
        match &stored {
            Some(phc) => {
                let (ok, cheap) = check(phc);
                if cheap {
                    check(&dummy);
                }
                ok
            }
            None => {
                check(&dummy);
                false
            }
        }
    })
    .await
    .unwrap_or(false)
}

/// A fixed hash of the given cost for unknown users (computed once per cost).
fn dummy_hash(cost: HashCost) -> String {
    use std::sync::OnceLock;
    static PROD: OnceLock<String> = OnceLock::new();
    static ONE_TIME: OnceLock<String> = OnceLock::new();
    static FAST: OnceLock<String> = OnceLock::new();
    let cell = match cost {
        HashCost::Production => &PROD,
        HashCost::OneTime => &ONE_TIME,
        HashCost::Fast => &FAST,
    };
    cell.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        cost.hasher()
            .hash_password(b"xuefa-dummy-password", &salt)
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
    .clone()
}

/// The most common passwords (national leak lists, Chinese and international), lowercased.
const COMMON: &str = include_str!("common_passwords.txt");

/// Checks a new password against the policy; the message says what to fix, in Chinese.
pub fn check_policy(password: &str, username: &str) -> Result<(), AccountsError> {
    let len = password.chars().count();
    let reject = |m: &str| Err(AccountsError::WeakPassword(m.to_string()));
    if len < MIN_LENGTH {
        return reject(&format!("密码至少 {MIN_LENGTH} 位"));
    }
    if len > MAX_LENGTH {
        return reject(&format!("密码不能超过 {MAX_LENGTH} 位"));
    }
    if password.chars().any(char::is_control) {
        return reject("密码不能包含控制字符");
    }
    let classes = [
        password.chars().any(|c| c.is_ascii_lowercase()),
        password.chars().any(|c| c.is_ascii_uppercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| !c.is_ascii_alphanumeric()),
    ];
    if classes.iter().filter(|c| **c).count() < 2 {
        return reject("密码须包含大写字母、小写字母、数字、符号中的至少两类");
    }
    let lower = password.to_lowercase();
    if !username.is_empty() && lower.contains(&username.to_lowercase()) {
        return reject("密码不能包含用户名");
    }
    if COMMON.lines().any(|c| c == lower) {
        return reject("该密码过于常见，请换一个");
    }
    let distinct: std::collections::HashSet<char> = lower.chars().collect();
    if distinct.len() < 4 {
        return reject("密码过于简单（重复字符太多）");
    }
    Ok(())
}

/// The one-time password alphabet: letters and digits without look-alikes (no 0/O/o,
/// 1/l/I, nor i); 55 symbols, so 12 characters carry 69 bits.
pub const ONE_TIME_ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
/// Length of a one-time password.
pub const ONE_TIME_LENGTH: usize = 12;

/// A password and its hash, made before a unit of work opens: argon2 takes tens of
/// milliseconds and needs no database, so it must not hold the write lock.
pub struct Prepared {
    pub password: String,
    pub hash: String,
}

impl Prepared {
    /// Hashes `given` at `cost`, or, without it, a new one-time password at the one-time cost.
    pub async fn new(given: Option<String>, cost: HashCost) -> Result<Prepared, AccountsError> {
        let (password, cost) = match given {
            Some(p) => (p, cost),
            None => (one_time_password(), cost.one_time()),
        };
        let hash = hash(password.clone(), cost).await?;
        Ok(Prepared { password, hash })
    }
}

/// A random one-time password for new accounts and resets, from the operating system's
/// random source.
pub fn one_time_password() -> String {
    use rand_core::RngCore;
    one_time_password_from(&mut |bytes: &mut [u8]| OsRng.fill_bytes(bytes))
}

/// A one-time password from the random bytes `fill` gives (a seeded generator in tests):
/// every character uniform over `ONE_TIME_ALPHABET` (rejection sampling, no modulo bias).
/// Draws that lack a lowercase letter, an uppercase letter or a digit, or that the policy
/// refuses, are drawn again whole (about one in six, mostly for want of a digit), rather than
/// forcing fixed characters into fixed places, which made every password start with K and
/// end with 7.
pub fn one_time_password_from(fill: &mut impl FnMut(&mut [u8])) -> String {
    // The largest multiple of the alphabet size below 256: bytes at or above it are redrawn.
    let n = ONE_TIME_ALPHABET.len();
    let limit = (256 / n * n) as u8;
    loop {
        let mut out = String::with_capacity(ONE_TIME_LENGTH);
        while out.len() < ONE_TIME_LENGTH {
            let mut byte = [0u8; 1];
            fill(&mut byte);
            if byte[0] < limit {
                out.push(ONE_TIME_ALPHABET[byte[0] as usize % n] as char);
            }
        }
        let has = |f: fn(&char) -> bool| out.chars().any(|c| f(&c));
        let classes = has(char::is_ascii_lowercase)
            && has(char::is_ascii_uppercase)
            && has(char::is_ascii_digit);
        if classes && check_policy(&out, "").is_ok() {
            return out;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_rejects_short_common_and_simple_passwords() {
        assert!(check_policy("Ab1", "zhang").is_err());
        assert!(check_policy("password1", "zhang").is_err());
        assert!(check_policy("12345678", "zhang").is_err());
        assert!(check_policy("aaaa1111", "zhang").is_err());
        assert!(check_policy("zhang2024!", "zhang").is_err());
        assert!(check_policy("abcdefgh", "zhang").is_err());
        assert!(check_policy("Xuefa-2026!", "zhang").is_ok());
    }

    #[test]
    fn one_time_passwords_pass_the_policy() {
        for _ in 0..50 {
            let p = one_time_password();
            assert_eq!(p.len(), 12);
            assert!(check_policy(&p, "someone").is_ok(), "{p}");
        }
    }

    #[test]
    fn one_time_passwords_start_and_end_anywhere_and_have_no_look_alikes() {
        use rand::{RngCore, SeedableRng};
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        let mut fill = |bytes: &mut [u8]| rng.fill_bytes(bytes);
        let mut firsts = std::collections::HashSet::new();
        let mut lasts = std::collections::HashSet::new();
        let mut counts = std::collections::HashMap::new();
        let draws = 2_000;
        for _ in 0..draws {
            let p = one_time_password_from(&mut fill);
            assert_eq!(p.len(), ONE_TIME_LENGTH, "{p}");
            assert!(
                !p.contains(['0', 'O', 'o', '1', 'l', 'I']),
                "look-alike in {p}"
            );
            assert!(check_policy(&p, "someone").is_ok(), "{p}");
            assert!(p.chars().any(|c| c.is_ascii_lowercase()), "{p}");
            assert!(p.chars().any(|c| c.is_ascii_uppercase()), "{p}");
            assert!(p.chars().any(|c| c.is_ascii_digit()), "{p}");
            firsts.insert(p.chars().next());
            lasts.insert(p.chars().last());
            for c in p.chars() {
                *counts.entry(c).or_insert(0usize) += 1;
            }
        }
        // 2,000 draws over 55 symbols: every symbol appears first and last (a fixed first
        // or last character, as before, gives a set of one).
        let symbols = ONE_TIME_ALPHABET.len();
        assert_eq!(firsts.len(), symbols, "first characters: {firsts:?}");
        assert_eq!(lasts.len(), symbols, "last characters: {lasts:?}");
        // Spread over the whole alphabet: each symbol near the mean count (about 436,
        // standard deviation about 21; digits run some 18% high, as every password must
        // have one).
        assert_eq!(counts.len(), symbols);
        let mean = (draws * ONE_TIME_LENGTH) as f64 / symbols as f64;
        for (c, n) in &counts {
            let ratio = *n as f64 / mean;
            assert!((0.7..1.4).contains(&ratio), "{c}: {n} vs mean {mean}");
        }
    }

    #[tokio::test]
    async fn hashes_verify_and_unknown_users_fail() {
        let h = hash("Xuefa-2026!".into(), HashCost::Fast).await.unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("Xuefa-2026!".into(), Some(h.clone()), HashCost::Fast).await);
        assert!(!verify("wrong-pass1".into(), Some(h), HashCost::Fast).await);
        assert!(!verify("Xuefa-2026!".into(), None, HashCost::Fast).await);
    }
}
