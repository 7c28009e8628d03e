//! Import tests, each on its own database (`test_support`); hostile files are in
//! `hostile_tests.rs`, the template and the password sheet in `sheet_tests.rs`.

use super::test_support::*;
use super::*;
use crate::accounts::store;

#[tokio::test(flavor = "multi_thread")]
async fn csv_in_utf8_with_bom_and_gb18030_creates_users_with_roles_and_units() {
    let text = GOOD.join("\r\n");
    let (gb, _, unmappable) = encoding_rs::GB18030.encode(&text);
    assert!(!unmappable);
    let bom = [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
    for (file, bytes) in [
        ("u.csv", text.as_bytes().to_vec()),
        ("名单.CSV", bom),
        ("gb.csv", gb.into_owned()),
    ] {
        let env = setup().await;
        let report = import(&env, &env.admin, file, &bytes, false).await.unwrap();
        assert!(report.is_ok(), "{file}: {:?}", report.problems);
        assert_eq!((report.rows, report.created.len()), (2, 2), "{file}");
        assert_user(
            &env,
            "zs001",
            "张三",
            "柱山乡/综合行政执法大队",
            &[Role::Official, Role::Officer],
        )
        .await;
        assert_user(
            &env,
            "ls002",
            "李四",
            "柱山乡",
            &[Role::Official, Role::UnitAdmin],
        )
        .await;
        let first = &report.created[0];
        assert_eq!((first.row, first.username.as_str()), (2, "zs001"));
        let hash = store::user_by_username(&env.pool, "zs001")
            .await
            .unwrap()
            .unwrap()
            .password_hash;
        assert!(password::verify(first.initial_password.clone(), Some(hash), HashCost::Fast).await);
        assert_eq!(audit_count(&env, "users_imported").await, 1);
        assert_eq!(
            audit_count(&env, "user_created").await,
            1 + 2,
            "first admin + two"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn xlsx_with_english_reordered_headers_and_numeric_cells_is_imported() {
    let env = setup().await;
    let bytes = xlsx_of(&[
        &[],
        &[
            " Phone ",
            "\u{3000}username\u{3000}",
            "NAME",
            "remark",
            "unit",
            "Roles",
        ],
        &[
            "13800000000",
            "10086",
            "王五",
            "ignored",
            "其他镇",
            "officer、unit_admin",
        ],
        &["", "", "", "", "", ""],
        &["", "zl004", "赵六", "", "柱山乡 › 综合行政执法大队", ""],
    ]);
    let report = import(&env, &env.admin, "users.xlsx", &bytes, false)
        .await
        .unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
    assert_eq!(report.rows, 2);
    assert_eq!(
        report.created.iter().map(|c| c.row).collect::<Vec<_>>(),
        [3, 5],
        "rows as Excel shows them"
    );
    assert_user(
        &env,
        "10086",
        "王五",
        "其他镇",
        &[Role::Official, Role::Officer, Role::UnitAdmin],
    )
    .await;
    assert_user(
        &env,
        "zl004",
        "赵六",
        "柱山乡/综合行政执法大队",
        &[Role::Official],
    )
    .await;
    let phone = store::user_by_username(&env.pool, "10086")
        .await
        .unwrap()
        .unwrap()
        .phone;
    assert_eq!(phone, "13800000000", "not 1.38e10");
}

#[tokio::test(flavor = "multi_thread")]
async fn importing_the_same_file_twice_creates_nobody_twice_and_changes_nobody() {
    let env = setup().await;
    let bytes = csv_of(&GOOD);
    assert_eq!(
        import(&env, &env.admin, "a.csv", &bytes, false)
            .await
            .unwrap()
            .created
            .len(),
        2
    );
    let count = user_count(&env).await;
    let changed = csv_of(&[HEADER, "ZS001,张三丰,其他镇,,", "ww003,王五,其他镇,,"]);
    let report = import(&env, &env.admin, "a.csv", &changed, false)
        .await
        .unwrap();
    assert!(report.is_ok());
    assert_eq!(report.skipped_existing, ["zs001"]);
    assert_eq!(
        report
            .created
            .iter()
            .map(|c| c.username.as_str())
            .collect::<Vec<_>>(),
        ["ww003"]
    );
    assert_user(
        &env,
        "zs001",
        "张三",
        "柱山乡/综合行政执法大队",
        &[Role::Official, Role::Officer],
    )
    .await;
    let again = import(&env, &env.admin, "a.csv", &bytes, false)
        .await
        .unwrap();
    assert!(again.created.is_empty() && again.is_ok());
    assert_eq!(again.skipped_existing, ["zs001", "ls002"]);
    assert_eq!(user_count(&env).await, count + 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn one_bad_row_among_good_ones_creates_nobody_and_names_row_and_column() {
    let env = setup().await;
    let before = user_count(&env).await;
    let bytes = csv_of(&[GOOD[0], GOOD[1], "ww003,,柱山乡,boss,电话", GOOD[2]]);
    let report = import(&env, &env.admin, "a.csv", &bytes, false)
        .await
        .unwrap();
    assert!(!report.is_ok() && report.created.is_empty());
    let found: Vec<(usize, &str)> = report
        .problems
        .iter()
        .map(|p| (p.row, p.column.as_str()))
        .collect();
    assert_eq!(found, [(3, "姓名"), (3, "角色"), (3, "手机号")]);
    assert_eq!(report.problems[1].problem, "未知角色「boss」");
    assert_eq!(user_count(&env).await, before);
    assert_eq!(audit_count(&env, "users_imported").await, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_unit_admin_imports_only_into_their_subtree_and_grants_no_admin() {
    let env = setup().await;
    let setup_file = csv_of(&[HEADER, "ua,单位管理员甲,柱山乡,单位管理员,"]);
    assert!(
        import(&env, &env.admin, "ua.csv", &setup_file, false)
            .await
            .unwrap()
            .is_ok()
    );
    let unit_admin = actor(&env.pool, "ua").await;
    let bytes = csv_of(&[
        HEADER,
        "a1,甲,柱山乡/综合行政执法大队,执法人员,",
        "a2,乙,其他镇,,",
        "a3,丙,柱山乡,系统管理员,",
        "a4,丁,其他镇/柱山乡,,",
    ]);
    let report = import(&env, &unit_admin, "x.csv", &bytes, true)
        .await
        .unwrap();
    let found: Vec<(usize, &str)> = report
        .problems
        .iter()
        .map(|p| (p.row, p.column.as_str()))
        .collect();
    assert_eq!(found, [(3, "单位"), (4, "角色"), (5, "单位")]);
    assert!(report.problems[0].problem.contains("不在您的管理范围内"));
    assert!(report.created.is_empty());
    assert!(
        store::unit_by_path(&env.pool, "其他镇/柱山乡")
            .await
            .unwrap()
            .is_none()
    );
    let ok = csv_of(&[
        HEADER,
        "a1,甲,柱山乡/综合行政执法大队,执法人员,",
        "a5,戊,柱山乡/新科室,,",
    ]);
    let report = import(&env, &unit_admin, "y.csv", &ok, true).await.unwrap();
    assert_eq!(report.created.len(), 2, "{:?}", report.problems);
    assert!(
        store::unit_by_path(&env.pool, "柱山乡/新科室")
            .await
            .unwrap()
            .is_some()
    );
    assert_eq!(audit_count(&env, "unit_created").await, 1);
    let official = actor(&env.pool, "a1").await;
    assert!(matches!(
        import(&env, &official, "z.csv", &ok, false).await,
        Err(AccountsError::Forbidden)
    ));
}

#[tokio::test(flavor = "multi_thread")]
async fn unknown_units_are_row_errors_unless_create_units_is_chosen() {
    let env = setup().await;
    let rows = [
        HEADER,
        "n1,甲,新乡镇/办公室,,",
        "n2,乙,新乡镇/办公室/一组,,",
        "n3,丙,新乡镇/办公室,,",
    ];
    let bytes = csv_of(&rows);
    let report = import(&env, &env.admin, "u.csv", &bytes, false)
        .await
        .unwrap();
    assert_eq!(report.problems.len(), 3);
    let expected = RowProblem::new(3, "单位", "单位「新乡镇/办公室/一组」不存在，请先创建");
    assert_eq!(report.problems[1], expected);
    let report = import(&env, &env.admin, "u.csv", &bytes, true)
        .await
        .unwrap();
    assert_eq!(report.created.len(), 3);
    assert_user(&env, "n2", "乙", "新乡镇/办公室/一组", &[Role::Official]).await;
    let audited: Vec<String> = sqlx::query_scalar(
        "select target from audit_log where action = 'unit_created' order by audit_id",
    )
    .fetch_all(&env.pool)
    .await
    .unwrap();
    assert_eq!(
        audited,
        ["新乡镇", "新乡镇/办公室", "新乡镇/办公室/一组"],
        "each created unit audited once"
    );
}

fn thousand_rows() -> Vec<u8> {
    let mut rows = vec![HEADER.to_string()];
    let row = |i| format!("u{i:04},用户{i},柱山乡/综合行政执法大队,执法人员,1380000{i:04}");
    rows.extend((0..1000).map(row));
    rows.join("\n").into_bytes()
}

/// Speed of a 1,000-row import with cheap hashing (`cargo test --release -- --nocapture`).
#[tokio::test(flavor = "multi_thread")]
async fn a_thousand_rows_import_in_one_go() {
    let env = setup().await;
    let bytes = thousand_rows();
    let started = std::time::Instant::now();
    let report = import(&env, &env.admin, "big.csv", &bytes, false)
        .await
        .unwrap();
    eprintln!("1000 rows, HashCost::Fast: {:?}", started.elapsed());
    assert_eq!(report.created.len(), 1000);
    let started = std::time::Instant::now();
    let again = import(&env, &env.admin, "big.csv", &bytes, false)
        .await
        .unwrap();
    eprintln!("1000 rows, all existing: {:?}", started.elapsed());
    assert_eq!(again.skipped_existing.len(), 1000);
}

/// The same at production cost: argon2 dominates (run with `--ignored --nocapture`).
#[tokio::test(flavor = "multi_thread")]
#[ignore = "timing only: tens of seconds"]
async fn a_thousand_rows_at_production_cost() {
    let env = setup().await;
    let (ctx, bytes) = (
        Ctx {
            actor: &env.admin,
            ip: "",
            now: NOW,
        },
        thousand_rows(),
    );
    let started = std::time::Instant::now();
    let opts = ImportOptions::default();
    let report = import_users(&env.db, HashCost::Production, &ctx, "big.csv", &bytes, opts);
    assert_eq!(report.await.unwrap().created.len(), 1000);
    eprintln!("1000 rows, HashCost::Production: {:?}", started.elapsed());
}
