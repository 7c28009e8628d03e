//! Validated values at the edge: whatever reaches the store has passed these.

use serde::Serialize;

use super::AccountsError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 学员: every user.
    Official,
    /// 执法人员: sits the enforcement qualification exam.
    Officer,
    /// 单位管理员: manages their unit and its sub-units.
    UnitAdmin,
    /// 题库管理员: keeps the question bank (answer keys included); granted by system admins.
    BankEditor,
    /// 系统管理员: everything.
    Admin,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Official,
        Role::Officer,
        Role::UnitAdmin,
        Role::BankEditor,
        Role::Admin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Official => "official",
            Role::Officer => "officer",
            Role::UnitAdmin => "unit_admin",
            Role::BankEditor => "bank_editor",
            Role::Admin => "admin",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Official => "学员",
            Role::Officer => "执法人员",
            Role::UnitAdmin => "单位管理员",
            Role::BankEditor => "题库管理员",
            Role::Admin => "系统管理员",
        }
    }

    /// Accepts the code (`officer`) or the Chinese label (`执法人员`, also 管理员 for admin).
    pub fn parse(s: &str) -> Option<Role> {
        let s = s.trim();
        Role::ALL
            .into_iter()
            .find(|r| r.as_str().eq_ignore_ascii_case(s) || r.label() == s)
            .or(match s {
                "管理员" | "系统管理员" => Some(Role::Admin),
                "执法" | "执法员" => Some(Role::Officer),
                "题库管理" | "题库编辑" => Some(Role::BankEditor),
                _ => None,
            })
    }

    /// Parses a list separated by commas, 、, ；, | or spaces; `official` is always included.
    pub fn parse_list(s: &str) -> Result<Vec<Role>, AccountsError> {
        let mut roles = vec![Role::Official];
        for part in s
            .split([',', '，', '、', ';', '；', '|', ' '])
            .filter(|p| !p.trim().is_empty())
        {
            let role = Role::parse(part).ok_or_else(|| {
                AccountsError::validation("角色", format!("未知角色「{}」", part.trim()))
            })?;
            roles.push(role);
        }
        roles.sort();
        roles.dedup();
        Ok(roles)
    }
}

/// Rejects control characters and overlong or empty values.
fn clean(field: &'static str, raw: &str, max: usize) -> Result<String, AccountsError> {
    let v = raw.trim();
    if v.is_empty() {
        return Err(AccountsError::validation(field, "不能为空"));
    }
    if v.chars().count() > max {
        return Err(AccountsError::validation(
            field,
            format!("不能超过 {max} 个字符"),
        ));
    }
    if v.chars().any(char::is_control) {
        return Err(AccountsError::validation(field, "不能包含控制字符"));
    }
    Ok(v.to_string())
}

/// Login id: employee number, phone number or a short ASCII name; case-insensitive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Username(String);

impl Username {
    pub fn parse(raw: &str) -> Result<Username, AccountsError> {
        let v = clean("用户名", raw, 32)?.to_lowercase();
        if !v
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-@".contains(c))
        {
            return Err(AccountsError::validation(
                "用户名",
                "只能包含字母、数字和 . _ - @",
            ));
        }
        Ok(Username(v))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A person's real name (姓名).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonName(String);

impl PersonName {
    pub fn parse(raw: &str) -> Result<PersonName, AccountsError> {
        let v = clean("姓名", raw, 40)?;
        if v.contains(['<', '>']) {
            return Err(AccountsError::validation("姓名", "不能包含 < 或 >"));
        }
        Ok(PersonName(v))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A phone number: digits with optional `+`, `-` and spaces; may be empty.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Phone(String);

impl Phone {
    pub fn parse(raw: &str) -> Result<Phone, AccountsError> {
        let v = raw.trim();
        if v.is_empty() {
            return Ok(Phone::default());
        }
        let digits = v.chars().filter(char::is_ascii_digit).count();
        let ok = v.chars().all(|c| c.is_ascii_digit() || "+- ".contains(c));
        if !ok || !(5..=20).contains(&digits) {
            return Err(AccountsError::validation("手机号", "格式不正确"));
        }
        Ok(Phone(v.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A unit's full path, `柱山乡/综合行政执法大队`; segments may also be separated by `›`, `>`
/// or `／` as people type them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitPath(Vec<String>);

impl UnitPath {
    pub const MAX_DEPTH: usize = 6;

    pub fn parse(raw: &str) -> Result<UnitPath, AccountsError> {
        let mut segments = Vec::new();
        for seg in raw.split(['/', '／', '›', '>']) {
            let seg = seg.trim();
            if seg.is_empty() {
                continue;
            }
            segments.push(clean("单位", seg, 40)?);
        }
        if segments.is_empty() {
            return Err(AccountsError::validation("单位", "不能为空"));
        }
        if segments.len() > Self::MAX_DEPTH {
            return Err(AccountsError::validation(
                "单位",
                format!("层级不能超过 {}", Self::MAX_DEPTH),
            ));
        }
        if segments.iter().any(|s| s.contains(['<', '>'])) {
            return Err(AccountsError::validation("单位", "不能包含 < 或 >"));
        }
        Ok(UnitPath(segments))
    }

    pub fn segments(&self) -> &[String] {
        &self.0
    }

    /// `a/b/c` for depth 3, `a/b` for 2 …: every ancestor's path, outermost first, self last.
    pub fn prefixes(&self) -> Vec<String> {
        (1..=self.0.len()).map(|n| self.0[..n].join("/")).collect()
    }

    pub fn as_string(&self) -> String {
        self.0.join("/")
    }
}

/// Whether unit `path` is `root` or below it.
pub fn within(path: &str, root: &str) -> bool {
    path == root || (path.starts_with(root) && path[root.len()..].starts_with('/'))
}

/// The signed-in user, as every authorization check sees them.
#[derive(Debug, Clone, Serialize)]
pub struct Actor {
    pub user_id: i64,
    pub username: String,
    pub name: String,
    pub unit: String,
    pub roles: Vec<Role>,
    pub must_change_password: bool,
}

impl Actor {
    /// Whoever runs the command line: they hold the server's files, so they act as a
    /// system administrator (recorded in the audit log as 命令行).
    pub fn command_line() -> Actor {
        Actor {
            user_id: 0,
            username: "cli".into(),
            name: "命令行".into(),
            unit: String::new(),
            roles: vec![Role::Admin],
            must_change_password: false,
        }
    }

    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    pub fn is_admin(&self) -> bool {
        self.has(Role::Admin)
    }

    /// Admins manage everything; unit admins their unit and its sub-units.
    pub fn can_manage_unit(&self, unit_path: &str) -> bool {
        self.is_admin() || (self.has(Role::UnitAdmin) && within(unit_path, &self.unit))
    }

    /// The subtree whose records this actor may see as an administrator (None = all).
    pub fn admin_scope(&self) -> Result<Option<&str>, AccountsError> {
        if self.is_admin() {
            Ok(None)
        } else if self.has(Role::UnitAdmin) {
            Ok(Some(self.unit.as_str()))
        } else {
            Err(AccountsError::Forbidden)
        }
    }

    /// Roles this actor may grant: only system admins make admins and bank editors (a unit
    /// admin handing out the bank's answer keys to their own staff would defeat the point).
    pub fn may_grant(&self, roles: &[Role]) -> bool {
        self.is_admin()
            || !roles
                .iter()
                .any(|r| matches!(r, Role::Admin | Role::BankEditor))
    }

    /// System admins and bank editors read and change the question bank with its keys.
    pub fn may_edit_bank(&self) -> bool {
        self.is_admin() || self.has(Role::BankEditor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bank_editor_role_reads_as_code_or_label_and_only_admins_grant_it() {
        assert_eq!(Role::parse("题库管理员"), Some(Role::BankEditor));
        assert_eq!(Role::parse("bank_editor"), Some(Role::BankEditor));
        assert_eq!(Role::BankEditor.label(), "题库管理员");
        let unit_admin = Actor {
            roles: vec![Role::Official, Role::UnitAdmin],
            ..Actor::command_line()
        };
        assert!(!unit_admin.may_grant(&[Role::BankEditor]));
        assert!(!unit_admin.may_edit_bank());
        assert!(Actor::command_line().may_grant(&[Role::BankEditor]));
    }

    #[test]
    fn unit_scope_is_a_subtree_not_a_prefix_of_names() {
        assert!(within("柱山乡/执法大队", "柱山乡"));
        assert!(within("柱山乡", "柱山乡"));
        assert!(!within("柱山乡镇", "柱山乡"));
        assert!(!within("其他乡/柱山乡", "柱山乡"));
    }

    #[test]
    fn values_are_validated_at_the_edge() {
        assert_eq!(Username::parse(" ZS001 ").unwrap().as_str(), "zs001");
        assert!(Username::parse("张三").is_err());
        assert!(Username::parse(&"a".repeat(33)).is_err());
        assert!(PersonName::parse("张三\u{0007}").is_err());
        assert!(PersonName::parse("<b>张三</b>").is_err());
        let p = UnitPath::parse("柱山乡 › 综合行政执法大队").unwrap();
        assert_eq!(p.as_string(), "柱山乡/综合行政执法大队");
        assert_eq!(p.prefixes(), vec!["柱山乡", "柱山乡/综合行政执法大队"]);
        assert!(UnitPath::parse(" / ").is_err());
        assert!(Phone::parse("138-0000-0000").is_ok());
        assert!(Phone::parse("call me").is_err());
    }

    #[test]
    fn roles_parse_from_codes_and_chinese_labels() {
        assert_eq!(
            Role::parse_list("执法人员、单位管理员").unwrap(),
            vec![Role::Official, Role::Officer, Role::UnitAdmin]
        );
        assert_eq!(Role::parse_list("").unwrap(), vec![Role::Official]);
        assert!(Role::parse_list("boss").is_err());
    }
}
