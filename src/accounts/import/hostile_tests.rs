//! Hostile and broken files: each is refused as a whole or reported row by row, and nothing
//! is stored.

use std::io::{Cursor, Write};

use super::test_support::{
    HEADER, csv_of, file_error, import, replace_member, setup, user_count, xlsx_of,
};
use super::*;
use crate::accounts::store;

#[tokio::test(flavor = "multi_thread")]
async fn files_that_are_not_usable_spreadsheets_are_refused_with_a_clear_message() {
    let env = setup().await;
    let before = user_count(&env).await;
    let zip_of_text = {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        w.start_file("readme.txt", zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(b"hello").unwrap();
        w.finish().unwrap().into_inner()
    };
    let xlsx = xlsx_of(&[&["用户名", "姓名", "单位"], &["a1", "甲", "其他镇"]]);
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "a.xlsx",
            b"username,name,unit\nx,y,z".to_vec(),
            "文件不是有效的 Excel (.xlsx) 文件",
        ),
        (
            "a.xlsx",
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec(),
            "文件不是有效的 Excel (.xlsx) 文件",
        ),
        ("a.xlsx", zip_of_text, "文件不是有效的 Excel (.xlsx) 文件"),
        (
            "a.xlsx",
            xlsx[..xlsx.len() / 2].to_vec(),
            "文件不是有效的 Excel (.xlsx) 文件",
        ),
        (
            "a.xlsx",
            b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest".to_vec(),
            "旧版 Excel (.xls)",
        ),
        (
            "a.xls",
            b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest".to_vec(),
            "另存为 .xlsx",
        ),
        ("a.csv", xlsx.clone(), "扩展名改为 .xlsx"),
        (
            "a.txt",
            "用户名,姓名,单位".as_bytes().to_vec(),
            "只能导入 .xlsx 或 .csv",
        ),
        (
            "noext",
            "用户名,姓名,单位".as_bytes().to_vec(),
            "只能导入 .xlsx 或 .csv",
        ),
        ("a.csv", Vec::new(), "文件为空"),
        ("a.csv", vec![b'a'; MAX_FILE_BYTES + 1], "文件超过 50 MB"),
        ("a.xlsx", Vec::new(), "文件为空"),
        ("a.csv", b" \r\n,,,\r\n".to_vec(), "文件没有内容"),
        ("a.xlsx", xlsx_of(&[]), "文件没有内容"),
        ("a.csv", HEADER.as_bytes().to_vec(), "没有数据行"),
        (
            "a.csv",
            b"\xFF\xFE\xFF\xFF\xFF".to_vec(),
            "无法识别文件编码",
        ),
        (
            "a.csv",
            csv_of(&["用户名,姓名,角色", "a1,甲,"]),
            "缺少必需的列：单位",
        ),
        (
            "a.csv",
            csv_of(&["编号,名字,部门", "a1,甲,乙"]),
            "缺少必需的列：用户名、姓名、单位",
        ),
        (
            "a.csv",
            csv_of(&["用户名,姓名,单位,username", "a1,甲,其他镇,b1"]),
            "「用户名」列出现了不止一次",
        ),
    ];
    for (file, bytes, expected) in cases {
        let message = file_error(import(&env, &env.admin, file, &bytes, true).await);
        assert!(message.contains(expected), "{file}: {message}");
    }
    assert_eq!(user_count(&env).await, before);
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_cells_are_reported_row_by_row_and_nothing_is_stored() {
    let env = setup().await;
    let before = user_count(&env).await;
    let huge = "长".repeat(100_000);
    let rows = [
        HEADER.to_string(),
        format!(
            "{},{},其他镇/{},,{}",
            "a".repeat(33),
            "名".repeat(41),
            "乡".repeat(41),
            "1".repeat(30)
        ),
        "b1,张\u{7}三,其他镇,,".to_string(),
        "b2,<script>alert(1)</script>,<b>乡</b>,,".to_string(),
        "x' or '1'='1,王五,其他镇,,".to_string(),
        format!("b3,{huge},其他镇,{huge},"),
        "B1,重复,其他镇,,".to_string(),
        ",,,,".to_string(),
        "b4,,,,".to_string(),
    ];
    let bytes = rows.join("\n").into_bytes();
    let report = import(&env, &env.admin, "bad.csv", &bytes, true)
        .await
        .unwrap();
    let found: Vec<(usize, &str, &str)> = report
        .problems
        .iter()
        .map(|p| (p.row, p.column.as_str(), p.problem.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (2, "用户名", "不能超过 32 个字符"),
            (2, "姓名", "不能超过 40 个字符"),
            (2, "单位", "不能超过 40 个字符"),
            (2, "手机号", "格式不正确"),
            (3, "姓名", "不能包含控制字符"),
            (4, "姓名", "不能包含 < 或 >"),
            (4, "单位", "不能包含 < 或 >"),
            (5, "用户名", "只能包含字母、数字和 . _ - @"),
            (6, "姓名", "不能超过 40 个字符"),
            (6, "角色", &format!("未知角色「{}」", "长".repeat(1000))),
            (7, "用户名", "与第 3 行的用户名重复"),
            (9, "姓名", "不能为空"),
            (9, "单位", "不能为空"),
        ]
    );
    assert_eq!(report.rows, 7, "the blank row 8 is not counted");
    assert!(report.created.is_empty());
    assert_eq!(user_count(&env).await, before);
}

#[tokio::test(flavor = "multi_thread")]
async fn sql_metacharacters_in_names_are_stored_as_text() {
    let env = setup().await;
    let name = "O'Brien\"); drop table app_user;--";
    let bytes = csv_of(&[
        HEADER,
        &format!("ob1,\"{}\",其他镇,,", name.replace('"', "\"\"")),
    ]);
    let report = import(
        &env,
        &env.admin,
        "a'; drop table unit;--.csv",
        &bytes,
        false,
    )
    .await
    .unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
    let user = store::user_by_username(&env.pool, "ob1")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.name, name);
}

#[tokio::test(flavor = "multi_thread")]
async fn more_rows_than_the_cap_are_refused_before_anything_is_hashed() {
    let env = setup().await;
    let mut rows = vec![HEADER.to_string()];
    rows.extend((0..=MAX_ROWS).map(|i| format!("u{i},用户,其他镇,,")));
    let message = file_error(
        import(
            &env,
            &env.admin,
            "big.csv",
            rows.join("\n").as_bytes(),
            false,
        )
        .await,
    );
    assert!(message.contains("20000"), "{message}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_zip_bomb_is_refused_before_it_is_unpacked() {
    let env = setup().await;
    let xlsx = xlsx_of(&[&["用户名", "姓名", "单位"], &["a1", "甲", "其他镇"]]);
    let mut input = zip::ZipArchive::new(Cursor::new(&xlsx)).unwrap();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..input.len() {
        out.raw_copy_file(input.by_index_raw(i).unwrap()).unwrap();
    }
    out.start_file(
        "xl/media/zeros.bin",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..210 {
        out.write_all(&zeros).unwrap();
    }
    let bomb = out.finish().unwrap().into_inner();
    assert!(bomb.len() < 2 << 20, "{} bytes packed", bomb.len());
    let message = file_error(import(&env, &env.admin, "bomb.xlsx", &bomb, false).await);
    assert!(message.contains("解压后超过"), "{message}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lying_shared_string_count_is_refused_instead_of_reserved() {
    let env = setup().await;
    let xlsx = xlsx_of(&[&["用户名", "姓名", "单位"], &["a1", "甲", "其他镇"]]);
    let liar = replace_member(&xlsx, "xl/sharedStrings.xml", |xml| {
        let at = xml.find("uniqueCount=\"").unwrap() + "uniqueCount=\"".len();
        let end = at + xml[at..].find('"').unwrap();
        format!("{}999999999999999{}", &xml[..at], &xml[end..])
    });
    let message = file_error(import(&env, &env.admin, "liar.xlsx", &liar, false).await);
    assert!(message.contains("不是有效的 Excel"), "{message}");
    let honest = replace_member(&xlsx, "xl/sharedStrings.xml", |xml| xml);
    assert!(
        import(&env, &env.admin, "ok.xlsx", &honest, false)
            .await
            .unwrap()
            .is_ok()
    );
}
