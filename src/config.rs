//! Where xuefa keeps its data and how it ranks, resolved once at start-up.

use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use crate::accounts::password::HashCost;

/// Settings shared by every command.
#[derive(Debug, Clone)]
pub struct Config {
    /// Data folder: the SQLite file (by default) and the tantivy index live here.
    pub data_dir: PathBuf,
    /// `sqlite://…` or `postgres://…`.
    pub database_url: String,
    /// The deployment's province: its local regulations rank right after national texts.
    pub region: String,
    /// Folder of the project's own content (synonym lexicon, law aliases, study material).
    pub project_corpus: PathBuf,
    /// Mark session cookies `Secure` (set when served over HTTPS).
    pub secure_cookies: bool,
    /// Argon2 cost: production, or cheap for tests.
    pub hash_cost: HashCost,
    /// Password of the first administrator; when unset a one-time password is printed.
    pub admin_password: Option<String>,
    /// Reverse proxies whose `X-Forwarded-For` is believed (`--trusted-proxy`); nobody's by
    /// default, so the client address is the TCP peer.
    pub trusted_proxies: Vec<Cidr>,
    /// The issuing authority printed on enforcement certificates (`--issuer`, XUEFA_ISSUER);
    /// by default the region's justice department, e.g. 重庆市司法局.
    pub issuer: String,
    /// Years an enforcement certificate is valid.
    pub certificate_years: i32,
    /// The address officials and checkers reach this server at, e.g. `https://xuefa.example.gov.cn`
    /// (`--public-url`, XUEFA_PUBLIC_URL): the certificate's QR code links there. When unset,
    /// the address the certificate page was requested at.
    pub public_url: Option<String>,
}

impl Config {
    pub fn new(data_dir: &Path, database_url: Option<String>, region: Option<String>) -> Self {
        let database_url = database_url.unwrap_or_else(|| {
            format!("sqlite://{}?mode=rwc", data_dir.join("xuefa.db").display())
        });
        let region = region.unwrap_or_else(|| "重庆".to_string());
        Config {
            data_dir: data_dir.to_path_buf(),
            database_url,
            issuer: crate::certificates::number::default_issuer(&region),
            certificate_years: 3,
            public_url: None,
            region,
            project_corpus: default_project_corpus(),
            secure_cookies: false,
            hash_cost: HashCost::Production,
            admin_password: None,
            trusted_proxies: Vec::new(),
        }
    }

    pub fn index_dir(&self) -> PathBuf {
        self.data_dir.join("index")
    }
}

/// The repository's `corpus/` when run from a checkout, else `./corpus`.
fn default_project_corpus() -> PathBuf {
    let here = PathBuf::from("corpus");
    if here.join("synonyms.tsv").exists() {
        return here;
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

/// An address block such as `10.0.0.0/8` or `::1/128`; a bare address is a block of one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    network: IpAddr,
    prefix: u8,
}

impl Cidr {
    pub fn contains(&self, ip: IpAddr) -> bool {
        // An IPv4 peer may arrive as an IPv4-mapped IPv6 address on a dual-stack socket.
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
            v4 => v4,
        };
        match (self.network, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

impl FromStr for Cidr {
    type Err = String;

    fn from_str(s: &str) -> Result<Cidr, String> {
        let s = s.trim();
        let (addr, prefix) = s.split_once('/').unwrap_or((s, ""));
        let network: IpAddr = addr
            .parse()
            .map_err(|_| format!("not an IP address or CIDR block: {s}"))?;
        let max = if network.is_ipv4() { 32 } else { 128 };
        let prefix = if prefix.is_empty() {
            max
        } else {
            prefix
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(|| format!("bad prefix length in {s} (0 to {max})"))?
        };
        Ok(Cidr { network, prefix })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cidr_blocks_contain_their_addresses_only() {
        let net: Cidr = "10.1.0.0/16".parse().unwrap();
        assert!(net.contains("10.1.200.3".parse().unwrap()));
        assert!(!net.contains("10.2.0.1".parse().unwrap()));
        assert!(
            net.contains("::ffff:10.1.0.9".parse().unwrap()),
            "IPv4-mapped"
        );
        let one: Cidr = "192.168.1.5".parse().unwrap();
        assert!(one.contains("192.168.1.5".parse().unwrap()));
        assert!(!one.contains("192.168.1.6".parse().unwrap()));
        let all: Cidr = "0.0.0.0/0".parse().unwrap();
        assert!(all.contains("8.8.8.8".parse().unwrap()));
        let v6: Cidr = "fd00::/8".parse().unwrap();
        assert!(v6.contains("fd12::1".parse().unwrap()));
        assert!(!v6.contains("10.0.0.1".parse().unwrap()));
        assert!("10.0.0.0/33".parse::<Cidr>().is_err());
        assert!("proxy.local".parse::<Cidr>().is_err());
    }
}
