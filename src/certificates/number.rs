//! Certificate numbers: `2026-50-000123-K7QMX`.
//!
//! - `2026`: the year of issue;
//! - `50`: the deployment's province, its GB/T 2260 code (the first two digits of an
//!   identity card number; 50 = 重庆, 00 when the region is not a province we know);
//! - `000123`: the year's sequence number (six digits, more once past 999,999);
//! - `K7QM`: four random characters, so that knowing one number does not lead to the next
//!   (31⁴ ≈ 920,000 possibilities per sequence number, and `/verify` is rate-limited);
//! - `X`: a check character over everything before it, so a mistyped number is caught as
//!   malformed instead of looking like an unknown certificate.
//!
//! The alphabet leaves out 0, 1, I and O, which are misread on paper, and Z (31 letters). Input is read
//! leniently: case, spaces and full-width characters do not matter.

use rand_core::RngCore;

/// Characters of the random part and the check character: 31 of them (no 0, 1, I, O, Z), a
/// prime count, so that the weighted check sum modulo 31 changes with every single
/// substitution (two values never differ by a multiple of 31).
const ALPHABET: &[u8; 31] = b"23456789ABCDEFGHJKLMNPQRSTUVWXY";
const CHECK_MODULUS: u32 = 31;
const RANDOM_LEN: usize = 4;

/// Provinces and their GB/T 2260 codes, with the full name of each for the default issuer.
const PROVINCES: [(&str, &str, &str); 34] = [
    ("北京", "11", "北京市"),
    ("天津", "12", "天津市"),
    ("河北", "13", "河北省"),
    ("山西", "14", "山西省"),
    ("内蒙古", "15", "内蒙古自治区"),
    ("辽宁", "21", "辽宁省"),
    ("吉林", "22", "吉林省"),
    ("黑龙江", "23", "黑龙江省"),
    ("上海", "31", "上海市"),
    ("江苏", "32", "江苏省"),
    ("浙江", "33", "浙江省"),
    ("安徽", "34", "安徽省"),
    ("福建", "35", "福建省"),
    ("江西", "36", "江西省"),
    ("山东", "37", "山东省"),
    ("河南", "41", "河南省"),
    ("湖北", "42", "湖北省"),
    ("湖南", "43", "湖南省"),
    ("广东", "44", "广东省"),
    ("广西", "45", "广西壮族自治区"),
    ("海南", "46", "海南省"),
    ("重庆", "50", "重庆市"),
    ("四川", "51", "四川省"),
    ("贵州", "52", "贵州省"),
    ("云南", "53", "云南省"),
    ("西藏", "54", "西藏自治区"),
    ("陕西", "61", "陕西省"),
    ("甘肃", "62", "甘肃省"),
    ("青海", "63", "青海省"),
    ("宁夏", "64", "宁夏回族自治区"),
    ("新疆", "65", "新疆维吾尔自治区"),
    ("台湾", "71", "台湾省"),
    ("香港", "81", "香港特别行政区"),
    ("澳门", "82", "澳门特别行政区"),
];

fn province(region: &str) -> Option<&'static (&'static str, &'static str, &'static str)> {
    let region = region.trim();
    PROVINCES
        .iter()
        .find(|(short, _, full)| region == *short || region == *full)
}

/// The GB/T 2260 code of a province (`重庆` or `重庆市` → `50`), `00` when unknown.
pub fn province_code(region: &str) -> &'static str {
    province(region).map_or("00", |p| p.1)
}

/// The default issuing authority for a region: its justice department (司法局/司法厅), the
/// office that keeps the register of enforcement certificates.
pub fn default_issuer(region: &str) -> String {
    match province(region) {
        Some((_, _, full)) if full.ends_with('市') => format!("{full}司法局"),
        Some((_, _, full)) => format!("{full}司法厅"),
        None => format!("{}司法局", region.trim()),
    }
}

/// A well-formed certificate number (its check character agrees).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateNumber(String);

impl CertificateNumber {
    /// A new number for the `seq`-th certificate of `year` in `region`.
    pub fn generate(year: i32, region: &str, seq: i64, rng: &mut impl RngCore) -> Self {
        let mut random = String::with_capacity(RANDOM_LEN);
        for _ in 0..RANDOM_LEN {
            random.push(char::from(
                ALPHABET[(rng.next_u32() % CHECK_MODULUS) as usize],
            ));
        }
        let body = format!("{year:04}-{}-{seq:06}-{random}", province_code(region));
        let check = check_char(&body);
        CertificateNumber(format!("{body}{check}"))
    }

    /// Reads a number as typed or scanned; `None` when it cannot be one of ours.
    pub fn parse(raw: &str) -> Option<Self> {
        let s: String = raw
            .chars()
            .filter_map(|c| {
                // Full-width ASCII (Ｋ, －, ０) is what a Chinese input method often types.
                let c = match c {
                    '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0)?,
                    c => c,
                };
                (!c.is_whitespace()).then(|| c.to_ascii_uppercase())
            })
            .collect();
        let parts: Vec<&str> = s.split('-').collect();
        let [year, code, seq, tail] = parts.as_slice() else {
            return None;
        };
        let digits = |p: &str, min: usize, max: usize| {
            (min..=max).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())
        };
        let tail_ok = tail.len() == RANDOM_LEN + 1 && tail.bytes().all(|b| ALPHABET.contains(&b));
        if !digits(year, 4, 4) || !digits(code, 2, 2) || !digits(seq, 6, 12) || !tail_ok {
            return None;
        }
        let (body, check) = s.split_at(s.len() - 1);
        check
            .starts_with(check_char(body))
            .then_some(CertificateNumber(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A weighted sum, modulo 31, as one character of the alphabet: the digits of year, province
/// and sequence count by their value, the random characters by their place in the alphabet.
/// Weights stay below 31 for any sequence up to twelve digits.
fn check_char(body: &str) -> char {
    let (head, random) = body.rsplit_once('-').unwrap_or((body, ""));
    let digits = head.chars().filter_map(|c| c.to_digit(10));
    let letters = random.bytes().filter_map(|b| {
        ALPHABET
            .iter()
            .position(|a| *a == b)
            .and_then(|p| u32::try_from(p).ok())
    });
    let sum = digits.chain(letters).enumerate().fold(0u32, |acc, (i, v)| {
        (acc + (i as u32 + 1) * v) % CHECK_MODULUS
    });
    char::from(ALPHABET[sum as usize])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A seeded xorshift: the tests' numbers are the same on every run.
    struct StdRng(u64);

    impl StdRng {
        fn seed_from_u64(seed: u64) -> Self {
            StdRng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
        }
    }

    impl RngCore for StdRng {
        fn next_u32(&mut self) -> u32 {
            (self.next_u64() >> 32) as u32
        }
        fn next_u64(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn fill_bytes(&mut self, dest: &mut [u8]) {
            rand_core::impls::fill_bytes_via_next(self, dest);
        }
        fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
            self.fill_bytes(dest);
            Ok(())
        }
    }

    #[test]
    fn numbers_carry_year_province_sequence_and_a_check() {
        let mut rng = StdRng::seed_from_u64(7);
        let n = CertificateNumber::generate(2026, "重庆", 123, &mut rng);
        let s = n.as_str();
        assert!(s.starts_with("2026-50-000123-"), "{s}");
        assert_eq!(s.len(), "2026-50-000123-K7QMX".len());
        assert_eq!(CertificateNumber::parse(s), Some(n.clone()));
        // Typed in lower case, with spaces, in full width: the same number.
        let typed = format!(" {} ", s.to_lowercase().replace('-', " - "));
        assert_eq!(CertificateNumber::parse(&typed), Some(n.clone()));
        let wide: String = s
            .chars()
            .map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap())
            .collect();
        assert_eq!(CertificateNumber::parse(&wide), Some(n));
    }

    #[test]
    fn a_single_mistyped_character_is_caught() {
        let mut rng = StdRng::seed_from_u64(11);
        for seq in 1..200 {
            let n = CertificateNumber::generate(2026, "北京", seq, &mut rng);
            let s = n.as_str();
            for (i, c) in s.char_indices() {
                if c == '-' {
                    continue;
                }
                let pool = if c.is_ascii_digit() && i < 15 {
                    "0123456789"
                } else {
                    "23456789ABCDEFGHJKLMNPQRSTUVWXYZ01IO"
                };
                for other in pool.chars().filter(|o| *o != c) {
                    let typo = format!("{}{other}{}", &s[..i], &s[i + 1..]);
                    assert_eq!(CertificateNumber::parse(&typo), None, "{s} → {typo}");
                }
            }
        }
    }

    #[test]
    fn numbers_of_one_sequence_differ_and_malformed_input_is_refused() {
        let mut rng = StdRng::seed_from_u64(3);
        let a = CertificateNumber::generate(2026, "重庆", 1, &mut rng);
        let b = CertificateNumber::generate(2026, "重庆", 1, &mut rng);
        assert_ne!(a, b);
        assert_eq!(province_code("火星"), "00");
        for bad in [
            "",
            "2026",
            "2026-50-000123",
            "2026-50-12-K7QMX",
            "abcd-50-000123-K7QMX",
            "2026-50-000123-K7QM0",
        ] {
            assert_eq!(CertificateNumber::parse(bad), None, "{bad}");
        }
        assert_eq!(default_issuer("重庆"), "重庆市司法局");
        assert_eq!(default_issuer("四川"), "四川省司法厅");
    }
}
