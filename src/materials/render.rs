//! A note's Markdown as HTML: the small subset notes use (paragraphs, `- ` lists, `### `
//! sub-headings, `**bold**`), every article mention a link. Pure; links come from the caller.

use super::parse::{Mention, mentions};

/// HTML-escapes `s` into `out`.
fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
}

/// One line of text: escaped, mentions linked (`link` returns the URL of a resolved one),
/// `**bold**` kept.
fn inline(text: &str, link: &dyn Fn(&Mention) -> Option<String>) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    let mut at = 0;
    for m in mentions(text) {
        escape_into(&mut out, &text[at..m.start]);
        let shown = &text[m.start..m.end];
        match link(&m) {
            Some(url) => {
                out.push_str("<a class=\"art-ref\" href=\"");
                escape_into(&mut out, &url);
                out.push_str("\">");
                escape_into(&mut out, shown);
                out.push_str("</a>");
            }
            None => escape_into(&mut out, shown),
        }
        at = m.end;
    }
    escape_into(&mut out, &text[at..]);
    bold(&out)
}

/// `**x**` → `<strong>x</strong>`; an unpaired `**` stays as it is.
fn bold(s: &str) -> String {
    let parts: Vec<&str> = s.split("**").collect();
    if parts.len() < 3 {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 16);
    let pairs = (parts.len() - 1) / 2 * 2;
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            if i > pairs {
                out.push_str("**");
            } else if i % 2 == 1 {
                out.push_str("<strong>");
            } else {
                out.push_str("</strong>");
            }
        }
        out.push_str(p);
    }
    out
}

/// A section body as HTML.
pub fn to_html(body: &str, link: &dyn Fn(&Mention) -> Option<String>) -> String {
    let mut out = String::new();
    let mut para: Vec<&str> = Vec::new();
    let mut in_list = false;
    let flush = |out: &mut String, para: &mut Vec<&str>| {
        if !para.is_empty() {
            out.push_str("<p>");
            out.push_str(&inline(&para.join(""), link));
            out.push_str("</p>\n");
            para.clear();
        }
    };
    for line in body.lines() {
        let line = line.trim_end();
        let item = line.strip_prefix("- ").or_else(|| line.strip_prefix("* "));
        if item.is_none() && in_list {
            out.push_str("</ul>\n");
            in_list = false;
        }
        if let Some(item) = item {
            flush(&mut out, &mut para);
            if !in_list {
                out.push_str("<ul>\n");
                in_list = true;
            }
            out.push_str("<li>");
            out.push_str(&inline(item.trim(), link));
            out.push_str("</li>\n");
        } else if let Some(h) = line.strip_prefix("### ") {
            flush(&mut out, &mut para);
            out.push_str("<h3>");
            out.push_str(&inline(h.trim(), link));
            out.push_str("</h3>\n");
        } else if line.trim().is_empty() {
            flush(&mut out, &mut para);
        } else {
            para.push(line.trim());
        }
    }
    flush(&mut out, &mut para);
    if in_list {
        out.push_str("</ul>\n");
    }
    out
}

/// A section body as plain text for the search index (Markdown marks removed).
pub fn to_text(body: &str) -> String {
    body.lines()
        .map(|l| {
            let l = l.trim();
            let l = l
                .strip_prefix("- ")
                .or_else(|| l.strip_prefix("### "))
                .unwrap_or(l);
            l.replace("**", "")
        })
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(m: &Mention) -> Option<String> {
        (m.no != 99).then(|| format!("/laws/1?art=art-{0}#art-{0}", m.no))
    }

    #[test]
    fn lists_paragraphs_bold_and_links() {
        let html = to_html(
            "导言<b>\n\n- **第九条** 种类。\n- 第九十九条不存在。\n\n### 小结\n见《某法》第二条。",
            &link,
        );
        assert_eq!(
            html,
            "<p>导言&lt;b&gt;</p>\n<ul>\n\
             <li><strong><a class=\"art-ref\" href=\"/laws/1?art=art-9#art-9\">第九条</a></strong> 种类。</li>\n\
             <li>第九十九条不存在。</li>\n</ul>\n\
             <h3>小结</h3>\n\
             <p>见<a class=\"art-ref\" href=\"/laws/1?art=art-2#art-2\">《某法》第二条</a>。</p>\n"
        );
    }

    #[test]
    fn an_unpaired_bold_mark_is_kept() {
        assert_eq!(bold("a**b**c**d"), "a<strong>b</strong>c**d");
        assert_eq!(to_text("- **第九条** 种类\n### 小结"), "第九条 种类\n小结");
    }
}
