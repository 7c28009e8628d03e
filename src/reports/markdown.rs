//! The annual report as readable Chinese Markdown: the figures a 法治政府建设情况报告 quotes,
//! then the units, then the archive (台账) of each session and each exam.

use std::fmt::Write;

use super::AnnualReport;
use super::export::{Cell, figures, how_label};

fn cell(c: &Cell) -> String {
    match c {
        Cell::Text(s) => s.replace('|', "\\|"),
        Cell::Num(v) => format!("{v}"),
        Cell::Empty => "—".into(),
    }
}

fn pct(v: Option<f64>) -> String {
    v.map_or("—".into(), |v| format!("{v}%"))
}

pub fn annual(a: &AnnualReport) -> String {
    let mut out = String::new();
    let unit = a.unit.clone().unwrap_or_else(|| "全部单位".into());
    let _ = writeln!(out, "# {} 年度学法用法情况报告（{unit}）\n", a.year);
    let _ = writeln!(out, "统计截至 {}。\n", a.as_of);
    let _ = writeln!(
        out,
        "{} 年，{unit}共有参学人员 {} 人，累计学时 {} 小时，人均 {} 小时；学法达标 {} 人，达标率 {}。\
         组织集中学法（含党委理论学习中心组学法）{} 次、法治培训班 {} 次，到课率 {}。\
         举行考试 {} 场，应考 {} 人次，交卷 {} 人次，参考率 {}，通过率 {}。\
         本年发放行政执法证 {} 张，现有有效执法证 {} 张，其中 90 天内到期 {} 张。\n",
        a.year,
        a.officials,
        a.study_hours_total,
        a.study_hours_per_official
            .map_or("—".into(), |h| h.to_string()),
        a.on_track,
        pct(a.completion_rate),
        a.sessions_held,
        a.trainings_held,
        pct(a.session_attendance_rate),
        a.exams_held,
        a.candidates,
        a.submitted,
        pct(a.participation_rate),
        pct(a.pass_rate),
        a.certificates_issued,
        a.certificates_valid,
        a.certificates_expiring,
    );
    out.push_str("## 主要数据\n\n| 项目 | 数值 |\n| --- | --- |\n");
    for (k, v) in figures(a) {
        let _ = writeln!(out, "| {k} | {} |", cell(&v));
    }
    out.push_str("\n## 各单位情况\n\n");
    out.push_str(
        "| 单位 | 人数 | 人均学时 | 达标率 | 到课率 | 参考率 | 通过率 | 有效证件 |\n\
         | --- | --- | --- | --- | --- | --- | --- | --- |\n",
    );
    for u in &a.units {
        let _ = writeln!(
            out,
            "| {}{} | {} | {} | {} | {} | {} | {} | {} |",
            "　".repeat(u.depth),
            u.name.replace('|', "\\|"),
            u.officials,
            u.study_hours_per_official
                .map_or("—".into(), |h| h.to_string()),
            pct(u.completion_rate),
            pct(u.attendance_rate),
            pct(u.participation_rate),
            pct(u.pass_rate),
            u.certificates_valid
        );
    }
    out.push_str("\n## 学法活动台账\n");
    if a.sessions.is_empty() {
        out.push_str("\n本年度尚无学法活动记录。\n");
    }
    for s in &a.sessions {
        let _ = writeln!(
            out,
            "\n### {}（{}）\n\n时间：{} 至 {}；认定学时 {} 小时；应到 {} 人，实到 {} 人，到课率 {}。\n",
            s.title,
            s.kind_label,
            s.starts_at,
            s.ends_at,
            s.hours,
            s.expected,
            s.attended,
            pct(s.attendance_rate)
        );
        out.push_str("| 姓名 | 用户名 | 单位 | 到场 | 方式 | 时间 |\n| --- | --- | --- | --- | --- | --- |\n");
        for r in &s.roster {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                r.name,
                r.username,
                r.unit,
                if r.present { "是" } else { "否" },
                r.how.as_deref().map_or("", how_label),
                r.at.as_deref().unwrap_or("")
            );
        }
    }
    out.push_str("\n## 考试台账\n");
    if a.exams.is_empty() {
        out.push_str("\n本年度尚无考试记录。\n");
    }
    for e in &a.exams {
        let _ = writeln!(
            out,
            "\n### {}\n\n开考 {}，满分 {}，及格 {}；应考 {} 人，交卷 {} 人，通过 {} 人，通过率 {}，平均分 {}（百分制）。\n",
            e.title,
            e.opens_at,
            e.max_score,
            e.pass_score,
            e.candidates,
            e.submitted,
            e.passed,
            pct(e.pass_rate),
            e.average_score.map_or("—".into(), |v| v.to_string())
        );
        out.push_str("| 姓名 | 用户名 | 单位 | 次数 | 成绩 | 通过 |\n| --- | --- | --- | --- | --- | --- |\n");
        for r in &e.results {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                r.name,
                r.username,
                r.unit,
                r.attempts,
                r.score.map_or("缺考".into(), |s| s.to_string()),
                if r.passed { "是" } else { "否" }
            );
        }
    }
    out
}
