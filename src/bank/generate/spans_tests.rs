//! Sentences, key spans, quantities, normalisation and clause windows.

use super::spans::{Kind, Quantity, key_spans, modal_spans, party_span, quantity_spans};
use super::text::{normalize, sentences, window};

fn texts(sentence: &str, kind: Option<Kind>) -> Vec<&str> {
    key_spans(sentence)
        .into_iter()
        .filter(|s| kind.is_none_or(|k| s.kind == k))
        .map(|s| &sentence[s.range])
        .collect()
}

fn quantity(n: u32, unit: &str, arabic: bool) -> Quantity {
    Quantity {
        n,
        unit: unit.into(),
        arabic,
    }
}

#[test]
fn sentences_split_at_full_stops_semicolons_and_line_ends() {
    let s = sentences("甲应当如此。乙可以那样；丙不得这样：\n（一）第一项内容；\n最后一句");
    let got: Vec<(&str, &str)> = s.iter().map(|s| (s.text, s.end)).collect();
    assert_eq!(
        got,
        [
            ("甲应当如此", "。"),
            ("乙可以那样", "；"),
            ("丙不得这样", "："),
            ("第一项内容", "；"),
            ("最后一句", ""),
        ]
    );
}

#[test]
fn time_limits_are_found_in_arabic_and_chinese_numerals() {
    let s =
        "应当自收到之日起15日内告知，在二十个工作日内决定，期限为3个月，六十日内复查，二年内有效";
    assert_eq!(
        texts(s, Some(Kind::Time)),
        ["15日", "二十个工作日", "3个月", "六十日", "二年"]
    );
    let q = quantity_spans("在二十个工作日内")[0]
        .quantity
        .clone()
        .unwrap();
    assert_eq!(q, quantity(20, "个工作日", false));
}

#[test]
fn amounts_and_counts_are_found() {
    let s = "处五十元以上一千元以下罚款，或者200元罚款";
    assert_eq!(texts(s, Some(Kind::Amount)), ["五十元", "一千元", "200元"]);
    let s = "由两名执法人员实施，三人以上共同提出的，推选代表";
    assert_eq!(texts(s, Some(Kind::Count)), ["两名", "三人"]);
}

#[test]
fn dates_ordinals_ages_and_words_are_not_quantities() {
    for s in [
        "本条例自2022年5月1日起施行",
        "自二〇二二年五月一日起施行",
        "期限届满后的第十五日",
        "不满十四周岁的未成年人",
        "统一人民群众的认识",
        "一人一事",
        "一次性告知",
        "也可以委托一至二人代理",
        "本法中“二日”“三日”的规定是指工作日",
    ] {
        assert!(quantity_spans(s).is_empty(), "{s}");
    }
}

#[test]
fn fill_answers_accept_both_numeral_forms() {
    assert_eq!(
        quantity(15, "日", true).variants("15日"),
        ["15日", "十五日"]
    );
    assert_eq!(
        quantity(15, "日", false).variants("十五日"),
        ["十五日", "15日"]
    );
    assert_eq!(
        quantity(2, "名", false).variants("两名"),
        ["两名", "二名", "2名"]
    );
}

#[test]
fn equal_amounts_of_time_and_money_are_the_same_value() {
    assert!(quantity(30, "日", true).same_as(&quantity(1, "个月", false)));
    assert!(quantity(1, "年", false).same_as(&quantity(12, "个月", false)));
    assert!(quantity(1, "万元", false).same_as(&quantity(10_000, "元", true)));
    assert!(!quantity(15, "日", true).same_as(&quantity(15, "个工作日", true)));
    assert!(!quantity(15, "日", true).same_as(&quantity(30, "日", true)));
}

#[test]
fn only_quantities_measuring_the_same_thing_stand_in_for_each_other() {
    let days = quantity(15, "日", true);
    assert!(days.comparable(&quantity(5, "个工作日", true)));
    assert!(days.comparable(&quantity(2, "年", false)));
    assert!(!days.comparable(&quantity(200, "元", true)));
    let persons = quantity(2, "人", false);
    assert!(persons.comparable(&quantity(3, "名", false)));
    assert!(!persons.comparable(&quantity(2, "次", false)));
    assert!(quantity(7, "天", false).same_unit(&quantity(5, "日", true)));
    assert!(!days.same_unit(&quantity(2, "年", false)));
}

#[test]
fn modal_verbs_are_only_taken_where_swapping_them_changes_the_rule() {
    let found = |s: &str| -> Vec<String> {
        modal_spans(s)
            .into_iter()
            .map(|m| s[m.range].to_string())
            .collect()
    };
    assert_eq!(
        found("行政机关应当依法处理，可以延长期限，不得收费"),
        ["应当", "可以", "不得"]
    );
    assert!(found("应当事人的要求，行政机关依法处理").is_empty());
    assert!(found("行政机关不得不依法处理").is_empty());
    assert!(found("违法行为应当给予行政处罚的，依照本法处理").is_empty());
    assert!(found("应当作为而不作为").is_empty());
}

#[test]
fn an_opening_party_is_found_when_it_names_an_organ_or_person() {
    let party = |s: &'static str| party_span(s).map(|p| &s[p.range]);
    assert_eq!(
        party("任何组织和个人不得打击报复信访人"),
        Some("任何组织和个人")
    );
    assert_eq!(party("信访人一般应当采用书面形式提出"), Some("信访人"));
    assert_eq!(
        party("地方党委常委会应当定期听取汇报"),
        Some("地方党委常委会")
    );
    assert_eq!(party("对依法不需要追究的，应当移送"), None);
    assert_eq!(party("信访工作应当遵循下列原则"), None);
}

#[test]
fn normalising_drops_punctuation_and_reads_numerals() {
    assert_eq!(
        normalize("在十五日内，作出 决定。"),
        normalize("在15日内作出决定")
    );
    assert_eq!(normalize("（一）坚持依法办事；"), "坚持依法办事");
    assert_eq!(normalize("五万元"), normalize("5万元"));
    assert_ne!(normalize("十五日"), normalize("五十日"));
    assert_eq!(normalize("甲。\n乙"), "甲|乙");
}

#[test]
fn long_sentences_are_cut_to_whole_clauses_around_the_span() {
    let s = "第一段很长的从句内容，第二段包含15日的从句，第三段从句内容，第四段从句内容";
    let at = s.find("15日").unwrap();
    let w = window(s, at..at + "15日".len(), 22).unwrap();
    let cut = &s[w];
    assert!(cut.contains("15日") && cut.chars().count() <= 22, "{cut}");
    assert!(!cut.starts_with('，') && !cut.ends_with('，'));
    assert_eq!(window(s, 0..3, 100), Some(0..s.len()));
    assert_eq!(window(s, at..at + 3, 5), None);
}
