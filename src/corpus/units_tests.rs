use super::*;
use crate::corpus::model::ParagraphKind::{Kuan, Xiang};
use crate::corpus::parse::{decode, parse_law};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/units/");

fn load(name: &str) -> ParsedLaw {
    let bytes = std::fs::read(format!("{DIR}{name}")).unwrap();
    parse_law(&decode(&bytes).unwrap(), name).unwrap()
}

fn labels(law: &ParsedLaw) -> Vec<&str> {
    law.articles.iter().map(|a| a.label.as_str()).collect()
}

#[test]
fn an_amendment_numbered_yi_er_san_has_one_article_per_item() {
    let law = load("示例刑法修正案（十一）.md");
    assert_eq!(law.title, "中华人民共和国示例刑法修正案（十一）");
    assert_eq!(law.preamble, None, "nothing precedes 一、");
    assert_eq!(labels(&law), ["第一条", "第二条", "第三条"]);
    let second = &law.articles[1];
    assert_eq!((second.no, second.sub), (2, 0));
    assert!(
        second.paragraphs[0]
            .text
            .starts_with("在示例刑法第一百三十四条后增加一条")
    );
    // The quoted provision's paragraphs stay with the item that quotes them.
    assert_eq!(second.paragraphs.len(), 3);
    assert_eq!(law.articles[0].paragraphs.len(), 2);
    assert_eq!(law.articles[2].text(), "本修正案自2021年3月1日起施行。");
    insta::assert_debug_snapshot!("amendment_items", law);
}

#[test]
fn a_decision_of_plain_paragraphs_has_one_unit_per_paragraph() {
    let law = load("示例委员会关于示例段落事项的决定(2020-01-01).md");
    assert_eq!(law.preamble, None);
    assert_eq!(labels(&law), ["第一段", "第二段", "第三段"]);
    let units: Vec<_> = law.articles.iter().map(|a| (a.no, a.sub)).collect();
    assert_eq!(units, [(0, 1), (0, 2), (0, 3)]);
    assert_eq!(law.articles[2].text(), "本决定自公布之日起施行。");
    insta::assert_debug_snapshot!("decision_paragraphs", law);
}

#[test]
fn a_decision_keeps_its_preamble_and_the_sub_items_of_its_items() {
    let law = load("示例省人民代表大会常务委员会关于示例保障的决定(2021-06-23).md");
    let preamble = law.preamble.as_ref().expect("preamble");
    assert_eq!(preamble.label, PREAMBLE_LABEL);
    assert!(preamble.text().ends_with("作如下决定："));
    assert_eq!(labels(&law), ["第一条", "第二条", "第三条"]);
    let kinds: Vec<_> = law.articles[0].paragraphs.iter().map(|p| p.kind).collect();
    assert_eq!(kinds, [Kuan, Xiang, Xiang]);
    assert_eq!(law.articles[0].paragraphs[1].text, "（一）以人民为中心；");
    // A `## 二、…` heading line is the item itself, its name the item's first paragraph.
    assert_eq!(law.articles[1].paragraphs[0].text, "政务服务事项");
    assert_eq!(law.articles[1].paragraphs.len(), 2);
    // An annex counting again from 一 belongs to the last item.
    assert_eq!(
        law.articles[2].text(),
        "本决定自2021年7月1日起施行。\n附件：示例事项清单\n一、示例甲事项"
    );
    insta::assert_debug_snapshot!("decision_preamble_sub_items", law);
}

#[test]
fn item_numbers_are_chinese_numerals_before_a_dunhao() {
    assert_eq!(
        item_start("十二、本决定自公布之日起施行。"),
        Some((12, "本决定自公布之日起施行。"))
    );
    assert_eq!(item_start("一、"), Some((1, "")));
    assert_eq!(item_start("1、示例"), None, "a 目");
    assert_eq!(item_start("第一、示例"), None);
    assert_eq!(item_start("国务院、示例"), None);
    assert_eq!(paragraph_label(12), "第十二段");
}

#[test]
fn a_text_with_articles_or_without_text_is_left_alone() {
    let with_articles = parse_law("# 示例法\n\n为了示例。\n\n第一条 一、示例。\n", "x.md").unwrap();
    assert_eq!(labels(&with_articles), ["第一条"]);
    assert_eq!(
        with_articles.preamble.as_ref().map(|p| p.label.as_str()),
        Some("正文")
    );
    let header_only = parse_law(
        "# 示例条例\n\n2020年1月1日 通过\n\n<!-- INFO END -->\n",
        "y.md",
    )
    .unwrap();
    assert_eq!(
        (header_only.articles.len(), header_only.preamble),
        (0, None)
    );
}

#[test]
fn paragraphs_under_chapters_keep_their_headings() {
    let text = "# 示例罪名意见\n\n<!-- INFO END -->\n\n为统一罪名，现提出意见：\n\n## 第一章 甲类罪\n\n1．甲罪 2．乙罪\n\n## 第二章 乙类罪\n\n### 第一节 丙节\n\n3．丙罪\n\n4．丁罪\n";
    let law = parse_law(text, "z.md").unwrap();
    assert_eq!(labels(&law), ["第一段", "第二段", "第三段", "第四段"]);
    let firsts: Vec<_> = law
        .headings
        .iter()
        .map(|h| (h.label.as_str(), h.first_article))
        .collect();
    assert_eq!(firsts, [("第一章", 1), ("第二章", 2), ("第一节", 2)]);
    let paths: Vec<Vec<&str>> = law
        .articles
        .iter()
        .map(|a| {
            law.heading_path(a)
                .iter()
                .map(|h| h.label.as_str())
                .collect()
        })
        .collect();
    assert_eq!(
        paths,
        [
            vec![],
            vec!["第一章"],
            vec!["第二章", "第一节"],
            vec!["第二章", "第一节"]
        ]
    );
}
