use axum::body::Body;
use axum::http::{Request, StatusCode};
use calamine::{Data, Reader};
use serde_json::Value;

use super::support::*;

async fn download(site: &Site, s: &Session, uri: &str) -> (String, Vec<u8>) {
    let req = Request::get(uri)
        .header("cookie", &s.cookie)
        .body(Body::empty())
        .expect("request");
    let (status, headers, bytes) = request_bytes(&site.t.router, req).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "{uri}: {}",
        String::from_utf8_lossy(&bytes)
    );
    let kind = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    (kind, bytes)
}

/// Every sheet of a workbook: name → rows of cells.
fn sheets(bytes: Vec<u8>) -> Vec<(String, Vec<Vec<Data>>)> {
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes)).expect("the xlsx opens");
    let names = book.sheet_names().to_vec();
    names
        .into_iter()
        .map(|n| {
            let range = book.worksheet_range(&n).expect("sheet");
            (n, range.rows().map(<[Data]>::to_vec).collect())
        })
        .collect()
}

fn row<'a>(rows: &'a [Vec<Data>], first: &str) -> &'a [Data] {
    rows.iter()
        .find(|r| r.first().is_some_and(|c| c.to_string().trim() == first))
        .unwrap_or_else(|| panic!("row {first}"))
}

#[tokio::test]
async fn the_xlsx_files_open_and_hold_the_figures() {
    let site = site().await;
    let (admin, _) = after_everything(&site).await;
    let (kind, bytes) = download(
        &site,
        &admin,
        "/api/admin/reports/annual?year=2026&format=xlsx",
    )
    .await;
    assert!(kind.contains("spreadsheetml"), "{kind}");
    let book = sheets(bytes);
    let names: Vec<&str> = book.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, vec!["汇总", "按单位", "学法活动台账", "考试台账"]);
    let summary = &book[0].1;
    assert_eq!(row(summary, "参学人数")[1], Data::Float(4.0));
    assert_eq!(row(summary, "通过率(%)")[1], Data::Float(66.7));
    assert_eq!(row(summary, "本年发放执法证")[1], Data::Float(1.0));
    let units = &book[1].1;
    assert_eq!(row(units, "柱山乡")[1], Data::Float(4.0));
    assert_eq!(
        row(units, "司法所")[3],
        Data::Float(2.6),
        "per official, indented name"
    );
    assert_eq!(
        book[2].1.len(),
        1 + 4 + 1,
        "header and one line per expected attendee"
    );
    assert_eq!(book[3].1.len(), 1 + 4);
    let (_, bytes) = download(
        &site,
        &admin,
        "/api/admin/reports/units?year=2026&format=xlsx",
    )
    .await;
    let book = sheets(bytes);
    assert_eq!(book[1].0, "按人员");
    assert_eq!(
        row(&book[1].1, "zhangsan")[6],
        Data::String("已达标".into())
    );
}

#[tokio::test]
async fn csv_and_markdown_are_readable_chinese() {
    let site = site().await;
    let (admin, _) = after_everything(&site).await;
    let (kind, bytes) = download(
        &site,
        &admin,
        "/api/admin/reports/units?year=2026&format=csv&table=people",
    )
    .await;
    assert!(kind.starts_with("text/csv"), "{kind}");
    let text = String::from_utf8(bytes).expect("utf-8");
    assert!(text.starts_with("\u{feff}用户名,姓名,单位,学时"), "{text}");
    assert_eq!(text.lines().count(), 1 + 4);
    let (_, bytes) = download(
        &site,
        &admin,
        "/api/admin/reports/units?year=2026&format=csv",
    )
    .await;
    let text = String::from_utf8(bytes).expect("utf-8");
    assert!(text.contains("\n柱山乡,4,8.2,2,1,25,"), "{text}");
    let (kind, bytes) = download(
        &site,
        &admin,
        "/api/admin/reports/annual?year=2026&format=md",
    )
    .await;
    assert!(kind.starts_with("text/markdown"), "{kind}");
    let md = String::from_utf8(bytes).expect("utf-8");
    for part in [
        "# 2026 年度学法用法情况报告（全部单位）",
        "共有参学人员 4 人",
        "到课率 40%",
        "| 参学人数 | 4 |",
        "## 学法活动台账",
        "| 测试用户 | zhangsan | 柱山乡/司法所 | 是 | 签到 |",
        "## 考试台账",
        "| 测试用户 | sfs_admin | 柱山乡/司法所 | 0 | 缺考 | 否 |",
    ] {
        assert!(md.contains(part), "{part} missing in\n{md}");
    }
    let (status, v) = api_get(
        &site.t.router,
        "/api/admin/reports/annual?year=2026&format=pdf",
        Some(&admin),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{v}");
}

#[tokio::test]
async fn the_report_command_prints_or_writes_the_annual_report() {
    let site = site().await;
    // The command runs on the real clock (later than the fixture): the year's figures hold.
    let out = site
        .t
        .cli(&["report", "--year", "2026", "--format", "json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let a: Value = serde_json::from_slice(&out.stdout).expect("json");
    let got = [
        &a["officials"],
        &a["sessions_held"],
        &a["trainings_held"],
        &a["exams_held"],
        &a["candidates"],
        &a["pass_rate"],
    ];
    assert_eq!(
        got.map(ToString::to_string),
        ["4", "1", "1", "1", "4", "66.7"]
    );
    let out = site.t.cli(&[
        "report",
        "--year",
        "2026",
        "--unit",
        "柱山乡/执法大队",
        "--format",
        "json",
    ]);
    let a: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(
        (a["officials"].as_i64(), a["unit"].as_str()),
        (Some(1), Some("柱山乡/执法大队"))
    );
    let file = site.t.dir.path().join("report.md");
    let path = file.to_str().expect("path");
    let out = site
        .t
        .cli(&["report", "--year", "2026", "--format", "md", "--out", path]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let md = std::fs::read_to_string(&file).expect("written");
    assert!(md.starts_with("# 2026 年度学法用法情况报告"), "{md}");
    let out = site
        .t
        .cli(&["report", "--year", "2026", "--unit", "没有这个单位"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("不存在"));
}
