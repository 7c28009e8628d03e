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

/// A random one-time password for new accounts and resets: 12 characters from an
/// alphabet without look-alikes (no 0/O, 1/l/I), always letters and digits.
pub fn one_time_password() -> String {
    use rand_core::RngCore;
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 12];
    OsRng.fill_bytes(&mut bytes);
    let mut out: String = bytes
        .iter()
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect();
    // Guarantee two classes whatever the draw.
    out.replace_range(0..1, "K");
    out.replace_range(11..12, "7");
    out
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

    #[tokio::test]
    async fn hashes_verify_and_unknown_users_fail() {
        let h = hash("Xuefa-2026!".into(), HashCost::Fast).await.unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("Xuefa-2026!".into(), Some(h.clone()), HashCost::Fast).await);
        assert!(!verify("wrong-pass1".into(), Some(h), HashCost::Fast).await);
        assert!(!verify("Xuefa-2026!".into(), None, HashCost::Fast).await);
    }
}
