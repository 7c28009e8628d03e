//! Tests of question words and intents.

use super::*;

// `meaningful` hands each item as `&T`, here `&String`.
#[allow(clippy::ptr_arg)]
fn plain_word(w: &String) -> Option<&str> {
    Some(w.as_str())
}

#[test]
fn question_words_are_dropped_and_content_words_kept() {
    let words = |ws: &[&str]| ws.iter().map(|w| w.to_string()).collect::<Vec<_>>();
    assert_eq!(
        meaningful(
            words(&["信访", "事项", "由谁", "受理", "多少天", "吗"]),
            plain_word
        ),
        words(&["信访", "事项", "受理"])
    );
    assert_eq!(meaningful(words(&["什么"]), plain_word), words(&["什么"]));
    assert!(
        !is_question_word("几"),
        "a bare prefix is not dropped by the prefix rule"
    );
    assert!(!is_question_word("多数"));
    assert_eq!(
        join_question_words(words(&["罚款", "最", "多", "多少"])),
        words(&["罚款", "最多", "多少"])
    );
}

#[test]
fn intents_find_the_kind_of_answer_asked_for() {
    assert_eq!(ANSWERS.len(), INTENTS.len(), "every pattern compiles");
    let time = Asked::of("信访部门收到信访事项后多少日内分别处理");
    assert!(
        time.answered("应当在收到之日起15日内分别按照下列方式处理")
            .len()
            == 1
    );
    assert!(time.answered("信访人应当遵守法律").is_empty());
    assert_eq!(time.answered("自受理之日起六十日内办结"), vec![0]);
    assert!(time.asks(0, "期限") && !time.asks(0, "信访"));
    assert_eq!(
        Asked::of("村务多久公开一次").answered("一般事项至少每季度公布一次"),
        vec![0],
        "how often is a time asked for"
    );
    let term = Asked::of("村民委员会任期");
    assert_eq!(term.answered("村民委员会每届任期五年").len(), 1);
    assert!(term.asks(0, "任期"));
    let persons = Asked::of("上访最多能去几个人");
    assert_eq!(persons.answered("推选代表，代表人数不超过5人").len(), 1);
    assert!(persons.answered("信访人应当如实反映").is_empty());
    let penalty = Asked::of("酒驾怎么处罚");
    assert_eq!(
        penalty
            .answered("处暂扣六个月机动车驾驶证，并处一千元以上二千元以下罚款")
            .len(),
        1
    );
    assert!(Asked::of("信访 受理").is_empty());
    let age = Asked::of("男女法定结婚年龄分别是多少");
    assert_eq!(age.answered("结婚年龄，男不得早于二十二周岁").len(), 1);
    let list = Asked::of("哪些情形不能认定为工伤");
    assert_eq!(list.answered("有下列情形之一的，不得认定为工伤").len(), 1);
    assert!(list.answered("职工应当参加工伤保险").is_empty());
    let authority = Asked::of("征收永久基本农田由谁批准");
    assert_eq!(authority.answered("征收下列土地的，由国务院批准").len(), 1);
    assert_eq!(
        Asked::of("最低工资谁定").answered("最低工资的具体标准由省、自治区、直辖市人民政府规定"),
        vec![6]
    );
    assert!(
        authority
            .answered("由牵引车方和挂车方依照法律规定承担赔偿责任")
            .is_empty(),
        "依照法律规定 names no authority"
    );
    // Whether it is a crime is asked of the sentence, as the criminal law writes it.
    assert_eq!(Asked::parse("偷东西多少钱算犯罪").1.trim(), "偷东西");
    assert_eq!(
        Asked::of("偷东西算犯罪吗")
            .answered("盗窃公私财物，数额较大的，处三年以下有期徒刑")
            .len(),
        1
    );
    // A long list of authorities between 由 and the verb.
    assert_eq!(
        authority
            .answered(
                "标准由省、自治区、直辖市或者设区的市级人民政府按照当地居民生活必需的费用确定"
            )
            .len(),
        1
    );
    let liable = Asked::of("被狗咬了谁负责");
    assert_eq!(
        liable
            .answered("动物饲养人或者管理人应当承担侵权责任")
            .len(),
        1
    );
    assert_eq!(Asked::parse("被狗咬了谁负责").1.trim(), "被狗咬了");
    let licence = Asked::of("开饭馆要办什么证");
    assert_eq!(licence.answered("从事餐饮服务，应当依法取得许可").len(), 1);
    let procedure = Asked::of("低保怎么申请");
    assert_eq!(
        procedure
            .answered("由共同生活的家庭成员向户籍所在地的乡镇人民政府提出书面申请")
            .len(),
        1
    );
    assert!(
        procedure
            .answered("最低生活保障标准，由省级人民政府确定")
            .is_empty()
    );
    // Asking words of a penalty are not searched for, unless nothing else is left.
    assert_eq!(Asked::parse("酒驾怎么处罚").1.trim(), "酒驾");
    assert_eq!(Asked::parse("怎么处罚").1, "怎么处罚");
    assert_eq!(Asked::parse("受理期限").1, "受理期限");
}
