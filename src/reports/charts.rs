//! Server-side SVG charts for the reports page: no script, no external resource, readable
//! without colour (every bar carries its value). Labels are escaped here; the page embeds the
//! markup as it is.

use std::fmt::Write;

/// XML text escaping.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn number(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

/// Horizontal bars, one per item (label, value), scaled to `max`; `suffix` follows values.
pub fn bars(title: &str, items: &[(String, f64)], max: f64, suffix: &str) -> String {
    let (label_w, bar_w, row_h) = (200.0, 360.0, 24.0);
    let height = 30.0 + row_h * items.len().max(1) as f64;
    let width = label_w + bar_w + 70.0;
    let mut svg = open(title, width, height);
    for (i, (label, value)) in items.iter().enumerate() {
        let y = 24.0 + row_h * i as f64;
        let w = if max > 0.0 {
            bar_w * (value / max).clamp(0.0, 1.0)
        } else {
            0.0
        };
        let _ = write!(
            svg,
            r##"<text x="{lx}" y="{ty}" text-anchor="end" font-size="12">{label}</text><rect x="{label_w}" y="{y}" width="{w:.1}" height="16" fill="#2f6f9f"><title>{label}：{v}{suffix}</title></rect><text x="{vx:.1}" y="{ty}" font-size="12">{v}{suffix}</text>"##,
            lx = label_w - 6.0,
            ty = y + 12.0,
            label = esc(label),
            v = number(*value),
            vx = label_w + w + 4.0,
            suffix = esc(suffix),
        );
    }
    if items.is_empty() {
        let _ = write!(svg, r#"<text x="10" y="40" font-size="12">暂无数据</text>"#);
    }
    svg.push_str("</svg>");
    svg
}

/// Vertical columns, one per item (label, value), scaled to the largest value.
pub fn columns(title: &str, items: &[(String, f64)], suffix: &str) -> String {
    let (col_w, chart_h) = (44.0, 160.0);
    let width = 20.0 + col_w * items.len().max(1) as f64;
    let height = chart_h + 60.0;
    let max = items.iter().map(|(_, v)| *v).fold(0.0_f64, f64::max);
    let mut svg = open(title, width, height);
    let base = 24.0 + chart_h;
    for (i, (label, value)) in items.iter().enumerate() {
        let x = 14.0 + col_w * i as f64;
        let h = if max > 0.0 {
            chart_h * value / max
        } else {
            0.0
        };
        let _ = write!(
            svg,
            r##"<rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}" fill="#3c8d5a"><title>{label}：{v}{suffix}</title></rect><text x="{cx:.1}" y="{vy:.1}" text-anchor="middle" font-size="11">{v}</text><text x="{cx:.1}" y="{ly:.1}" text-anchor="middle" font-size="11">{label}</text>"##,
            y = base - h,
            w = col_w - 8.0,
            cx = x + (col_w - 8.0) / 2.0,
            vy = base - h - 3.0,
            ly = base + 14.0,
            label = esc(label),
            v = number(*value),
            suffix = esc(suffix),
        );
    }
    svg.push_str("</svg>");
    svg
}

fn open(title: &str, width: f64, height: f64) -> String {
    format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width:.0}" height="{height:.0}" viewBox="0 0 {width:.0} {height:.0}" font-family="sans-serif"><title>{t}</title><text x="6" y="14" font-size="13" font-weight="bold">{t}</text>"#,
        t = esc(title)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_escaped_and_values_shown() {
        let svg = bars("完成率", &[("<甲>".into(), 50.0)], 100.0, "%");
        assert!(svg.contains("&lt;甲&gt;") && !svg.contains("<甲>"));
        assert!(svg.contains(">50%</text>"));
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        let svg = columns(
            "分数",
            &[("0–10".into(), 0.0), ("90–100".into(), 2.0)],
            "人",
        );
        assert!(svg.contains("90–100"));
    }
}
