//! The downloadable template and the password sheet handed out after an import.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};

use super::test_support::*;
use super::*;

#[tokio::test(flavor = "multi_thread")]
async fn the_template_has_only_the_header_on_its_data_sheet_and_the_examples_on_its_help_sheet() {
    let env = setup().await;
    let template = template_xlsx().unwrap();
    let result = import(&env, &env.admin, "模板.xlsx", &template, false).await;
    assert!(file_error(result).contains("只有表头"));
    assert_eq!(user_count(&env).await, 1, "only the first admin");
    let mut book = Xlsx::new(Cursor::new(template)).unwrap();
    assert_eq!(book.sheet_names(), ["用户", "说明"]);
    let data = book.worksheet_range("用户").unwrap();
    assert_eq!(data.height(), 1, "the header row alone");
    let help = book.worksheet_range("说明").unwrap();
    let text: String = help.used_cells().map(|(_, _, v)| v.to_string()).collect();
    assert!(
        [
            "学员",
            "执法人员",
            "单位管理员",
            "系统管理员",
            "unit_admin",
            "、",
            "示例",
            "zhangsan",
            "柱山乡/综合行政执法大队",
            "lisi",
        ]
        .iter()
        .all(|w| text.contains(w)),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn rows_copied_from_the_old_template_examples_are_refused_and_nothing_is_imported() {
    let env = setup().await;
    let rows: Vec<String> = sheets::EXAMPLES.iter().map(|r| r.join(",")).collect();
    // An old template: the examples first, the admin's real row below them; the user name
    // in another case is still the example.
    let upper = rows[0].replacen("zhangsan", "ZhangSan", 1);
    let file: [&str; 4] = [HEADER, &upper, &rows[1], "ww003,王五,柱山乡,,"];
    let report = import(&env, &env.admin, "旧模板.csv", &csv_of(&file), false)
        .await
        .unwrap();
    let refused: Vec<(usize, &str)> = report
        .problems
        .iter()
        .map(|p| (p.row, p.column.as_str()))
        .collect();
    assert_eq!(
        refused,
        [(2, "用户名"), (3, "用户名")],
        "{:?}",
        report.problems
    );
    assert!(
        report.problems[0].problem.contains("示例"),
        "{:?}",
        report.problems
    );
    assert!(report.created.is_empty());
    assert_eq!(
        user_count(&env).await,
        1,
        "all or nothing: 王五 is not created either"
    );
    // The examples' format is valid: the same people under other user names import.
    let (zs, ls) = (
        rows[0].replacen("zhangsan", "zs100", 1),
        rows[1].replacen("lisi", "ls100", 1),
    );
    let renamed: [&str; 3] = [HEADER, &zs, &ls];
    let report = import(&env, &env.admin, "新.csv", &csv_of(&renamed), false)
        .await
        .unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
    assert_user(
        &env,
        "zs100",
        "张三",
        "柱山乡/综合行政执法大队",
        &[Role::Official, Role::Officer],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_password_sheet_lists_each_created_user_with_their_password() {
    let env = setup().await;
    let report = import(&env, &env.admin, "a.csv", &csv_of(&GOOD), false)
        .await
        .unwrap();
    let mut book = Xlsx::new(Cursor::new(passwords_xlsx(&report.created).unwrap())).unwrap();
    let sheet = book.worksheet_range("初始密码").unwrap();
    for (i, user) in report.created.iter().enumerate() {
        let row = i as u32 + 1;
        assert_eq!(
            sheet.get_value((row, 0)),
            Some(&Data::String(user.username.clone()))
        );
        assert_eq!(
            sheet.get_value((row, 3)),
            Some(&Data::String(user.initial_password.clone()))
        );
    }
    assert!(
        !format!("{report:?}").contains(&report.created[0].initial_password),
        "no passwords in Debug"
    );
}
