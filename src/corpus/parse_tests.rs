use super::*;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/laws/");

fn read(name: &str) -> Vec<u8> {
    std::fs::read(format!("{DIR}{name}")).unwrap()
}

fn load(name: &str) -> ParsedLaw {
    parse_law(&decode(&read(name)).unwrap(), name).unwrap()
}

fn kinds(article: &Article) -> Vec<ParagraphKind> {
    article.paragraphs.iter().map(|p| p.kind).collect()
}

fn path(law: &ParsedLaw, article: &Article) -> Vec<String> {
    law.heading_path(article)
        .iter()
        .map(|h| format!("{}{}", h.label, h.name))
        .collect()
}

#[test]
fn law_with_parts_chapters_sections() {
    use ParagraphKind::{Kuan, Mu, Xiang};
    let law = load("示例管理法(2023-05-01).md");
    assert_eq!(law.title, "示例管理法");
    assert_eq!(law.part, None);
    assert_eq!(law.file_date.as_deref(), Some("2023-05-01"));
    let events: Vec<_> = law
        .events
        .iter()
        .map(|e| (e.date.as_str(), e.kind))
        .collect();
    assert_eq!(
        events,
        [
            ("2015-03-01", EventKind::Adopted),
            ("2018-06-30", EventKind::Amended),
            ("2023-05-01", EventKind::Revised),
            ("2023-05-01", EventKind::Effective),
        ]
    );
    // The wrapped, parenthesised header line is joined and unwrapped.
    assert!(law.events[1].text.ends_with("〈示例管理法〉的决定》修正"));

    let headings: Vec<_> = law
        .headings
        .iter()
        .map(|h| (h.label.as_str(), h.name.as_str(), h.parent, h.first_article))
        .collect();
    assert_eq!(
        headings,
        [
            ("第一编", "总则", None, 0),
            ("第一章", "一般规定", Some(0), 0),
            ("第二章", "管理机构", Some(0), 3),
            ("第一节", "机构设置", Some(2), 3),
            ("第二节", "工作职责", Some(2), 4),
            ("第二编", "分则", None, 5),
            ("第三章", "示例登记", Some(5), 5),
        ]
    );

    let labels: Vec<_> = law.articles.iter().map(|a| a.label.as_str()).collect();
    assert_eq!(
        labels,
        [
            "第一条",
            "第二条",
            "第二条之一",
            "第三条",
            "第四条",
            "第五条",
            "第六条",
            "第七条"
        ]
    );
    let a = &law.articles;
    assert_eq!((a[2].no, a[2].sub), (2, 1));
    assert_eq!(kinds(&a[1]), [Kuan, Xiang, Xiang, Mu, Mu, Xiang, Kuan]);
    assert_eq!(
        a[1].paragraphs[6].text,
        "依照本法第二十条规定办理的事项，不适用前款规定。"
    );
    assert_eq!(kinds(&a[4]), [Kuan, Xiang, Xiang]);
    assert_eq!(a[4].paragraphs[0].text, "示例管理机构履行下列职责：");
    assert_eq!(a[5].paragraphs[0].text, "申请示例登记的，应当提交申请书。");
    // A non-structural `## 附件` after the articles stays with the last article.
    assert_eq!(
        a[7].text(),
        "本法自2023年5月1日起施行。\n附件\n示例登记申请书格式由国务院示例管理部门制定。"
    );
    assert_eq!(
        path(&law, &a[3]),
        ["第一编总则", "第二章管理机构", "第一节机构设置"]
    );
    assert_eq!(path(&law, &a[6]), ["第二编分则", "第三章示例登记"]);
    assert_eq!(law.preamble, None);
    insta::assert_debug_snapshot!("law_with_parts", law);
}

#[test]
fn split_law_parts() {
    let a = load("示例法典/甲编.md");
    let b = load("示例法典/乙编.md");
    assert_eq!(
        (a.title.as_str(), b.title.as_str()),
        ("示例法典", "示例法典")
    );
    assert_eq!(
        (a.part.as_deref(), b.part.as_deref()),
        (Some("甲编"), Some("乙编"))
    );
    assert_eq!(
        (a.file_date.as_deref(), b.file_date.as_deref()),
        (None, None)
    );
    assert_eq!(a.version_date().as_deref(), Some("2022-07-01"));
    assert_eq!(a.articles.len(), 3);
    assert_eq!(b.articles.iter().map(|x| x.no).collect::<Vec<_>>(), [4, 5]);
    assert_eq!(
        path(&a, &a.articles[2]),
        ["第二分编特别规定", "第二章特别事项"]
    );
    assert_eq!(
        path(&b, &b.articles[1]),
        ["第一章基本规定", "第一节一般事项"]
    );
    insta::assert_debug_snapshot!("split_law_a", a);
    insta::assert_debug_snapshot!("split_law_b", b);
}

#[test]
fn plain_text_law() {
    let law = load("示例条例(2021-07-01).txt");
    assert_eq!(law.title, "示例条例");
    assert_eq!(law.events.len(), 2);
    assert_eq!(law.events[1].kind, EventKind::Effective);
    assert_eq!(law.headings.len(), 2);
    assert_eq!(law.headings[1].name, "附则");
    assert_eq!(law.articles.len(), 3);
    // `第三条规定的…` is a reference, not an article.
    assert_eq!(law.articles[1].paragraphs.len(), 2);
    assert_eq!(law.preamble, None);
    insta::assert_debug_snapshot!("plain_text", law);
}

#[test]
fn constitution_preamble() {
    let law = load("示例宪章.md");
    let preamble = law.preamble.as_ref().unwrap();
    assert_eq!(preamble.label, "序言");
    assert_eq!(preamble.text(), "示例共和国历史悠久。\n示例人民团结一致。");
    assert_eq!(law.articles.len(), 2);
    assert_eq!(law.file_date, None);
    assert_eq!(law.version_date().as_deref(), Some("2000-01-01"));
    insta::assert_debug_snapshot!("constitution", law);
}

#[test]
fn tables() {
    let law = load("示例罪名规定(2021-03-01).md");
    let preamble = law.preamble.as_ref().unwrap();
    assert_eq!(preamble.label, "正文");
    assert_eq!(preamble.paragraphs.len(), 2);
    assert_eq!(preamble.paragraphs[1].kind, ParagraphKind::Table);
    assert_eq!(preamble.paragraphs[1].text.lines().count(), 4);
    assert_eq!(law.articles.len(), 1);
    let article = &law.articles[0];
    assert_eq!(
        kinds(article),
        [
            ParagraphKind::Kuan,
            ParagraphKind::Kuan,
            ParagraphKind::Table
        ]
    );
    assert_eq!(
        article.paragraphs[2].text,
        "| 原罪名 |\n|-----|\n| 示例丙罪 |"
    );
    insta::assert_debug_snapshot!("tables", law);
}

#[test]
fn decision_without_articles() {
    let law = load("关于示例事项的决定(2019-06-30).md");
    assert!(law.headings.is_empty());
    let preamble = law.preamble.as_ref().unwrap();
    assert_eq!(preamble.label, "序言");
    assert_eq!(preamble.paragraphs.len(), 1);
    // `## 一、总体要求` is item 一; the `一、` after it does not count on, so it stays inside.
    let labels: Vec<_> = law.articles.iter().map(|a| a.label.as_str()).collect();
    assert_eq!(labels, ["第一条", "第二条"]);
    assert_eq!(law.articles[0].paragraphs[0].text, "总体要求");
    assert_eq!(law.articles[0].paragraphs.len(), 2);
    insta::assert_debug_snapshot!("decision", law);
}

#[test]
fn gb18030_text() {
    let bytes = read("示例办法（2018-02-03）.txt");
    assert!(std::str::from_utf8(&bytes).is_err());
    let law = load("示例办法（2018-02-03）.txt");
    assert_eq!(law.title, "示例办法");
    assert_eq!(law.file_date.as_deref(), Some("2018-02-03"));
    assert_eq!(law.events[0].date, "2018-02-03");
    assert_eq!(law.events[0].kind, EventKind::Promulgated);
    assert_eq!(law.articles.len(), 2);
}

#[test]
fn empty_and_binary() {
    let empty = decode(&read("空文件.md")).unwrap();
    assert!(matches!(
        parse_law(&empty, "空文件.md"),
        Err(ParseError::Empty)
    ));
    assert!(matches!(parse_law("", "x.md"), Err(ParseError::Empty)));
    assert!(matches!(
        parse_law("#\n##\n", "x.md"),
        Err(ParseError::Empty)
    ));
    assert!(matches!(
        decode(&read("二进制文件.bin")),
        Err(ParseError::Binary)
    ));
    assert!(matches!(
        decode(b"\x01\x02\x03\x04abc"),
        Err(ParseError::Binary)
    ));
    assert!(matches!(decode(b"\xff\xff\xff"), Err(ParseError::Encoding)));
    assert_eq!(decode(b"\xEF\xBB\xBF# a\r\nb\rc").unwrap(), "# a\nb\nc");
    assert!(
        ParseError::Binary
            .to_string()
            .contains("not a text file (binary content)")
    );
}

#[test]
fn article_starts() {
    assert_eq!(parse_article_start("第十七条 正文"), Some((17, 0, "正文")));
    assert_eq!(
        parse_article_start("第一百二十八 条侦查人员"),
        Some((128, 0, "侦查人员"))
    );
    assert_eq!(
        parse_article_start("笫五十四条 清算组"),
        Some((54, 0, "清算组"))
    );
    assert_eq!(
        parse_article_start("第17条之1\t正文"),
        Some((17, 1, "正文"))
    );
    assert_eq!(parse_article_start("第十条"), Some((10, 0, "")));
    for s in [
        "第二十条规定的",
        "第条 x",
        "第 条 x",
        "第十条之 x",
        "第零条 x",
        "第十章 x",
        "十条 x",
    ] {
        assert_eq!(parse_article_start(s), None, "{s}");
    }
    assert_eq!(paragraph_kind("1.5倍以上"), ParagraphKind::Kuan);
    assert_eq!(paragraph_kind("（1）甲"), ParagraphKind::Mu);
    assert_eq!(paragraph_kind("3、乙"), ParagraphKind::Mu);
    assert_eq!(paragraph_kind("（以下简称）"), ParagraphKind::Kuan);
    assert_eq!(
        file_date("a/b/标题（2022-2-5）.txt").as_deref(),
        Some("2022-02-05")
    );
    assert_eq!(file_date("标题(2022-13-01).md"), None);
}

#[test]
fn never_panics() {
    let odd = [
        "#",
        "# ",
        "第条",
        "第 条",
        "第条之",
        "第十条之",
        "第99999999999999条 x",
        "第九九九九九九九九九九九条 x",
        "第一万万条 x",
        "## 第十亿章 x",
        "## 第章",
        "<!--",
        "<!-- TABLE -->",
        "-->",
        "（",
        "(一",
        "1.",
        "１．",
        "2024年13月40日 x",
        "9999年99月99日",
        "# 第一章 x",
        "\u{feff}",
        "\r",
        "序言",
        "## 序言",
        "第一条",
        "第一条 a",
        "<!-- INFO END -->",
        "",
        "　",
        "笫",
        "第十七 条",
    ];
    // Deterministic pseudo-random documents built from the odd lines.
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    for _ in 0..3000 {
        let mut doc = String::new();
        for _ in 0..(seed % 12) {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            doc.push_str(odd[(seed % odd.len() as u64) as usize]);
            doc.push(if seed & 64 == 0 { '\n' } else { ' ' });
        }
        let _ = parse_law(&doc, &doc);
        let _ = decode(doc.as_bytes());
        let cut = doc.len() / 2;
        let _ = decode(&doc.as_bytes()[..cut]);
    }
}
