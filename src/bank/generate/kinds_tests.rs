//! The kind of a list, from the leads and items of real articles.

use super::kinds::{ItemKind, fits, item_shape, lead_kind, list_kind};

#[test]
fn leads_name_the_kind_of_their_list() {
    use ItemKind::*;
    let cases = [
        ("信访工作应当遵循下列原则", Principle),
        (
            "中央信访工作联席会议在党中央、国务院领导下，负责全国信访工作的统筹协调、整体推进、督促落实，履行下列职责",
            Duty,
        ),
        (
            "各级党委和政府信访部门是开展信访工作的专门机构，履行下列职责",
            Duty,
        ),
        (
            "信访人在信访过程中应当遵守法律、法规，不得损害国家、社会、集体的利益和其他公民的合法权利，自觉维护社会公共秩序和信访秩序，不得有下列行为",
            Prohibited,
        ),
        ("年度报告应当包括下列内容", Content),
        (
            "负有受理信访事项职责的机关、单位有下列情形之一的，由其上级机关、单位责令改正；造成严重后果的，对直接负责的主管人员和其他直接责任人员依规依纪依法严肃处理",
            Violation,
        ),
        (
            "当事人有下列情形之一，应当从轻或者减轻行政处罚",
            Circumstance,
        ),
        ("行政处罚的种类", Penalty),
        ("受委托组织必须符合以下条件", Condition),
        ("证据包括", Material),
        ("行政处罚决定书应当载明下列事项", Content),
        (
            "行政机关拟作出下列行政处罚决定，应当告知当事人有要求听证的权利",
            Penalty,
        ),
        ("听证应当依照以下程序组织", Procedure),
        ("作出行政处罚决定的行政机关可以采取下列措施", Measure),
        (
            "行政机关实施行政处罚，有下列情形之一，由上级行政机关或者有关机关责令改正，对直接负责的主管人员和其他直接责任人员依法给予处分",
            Violation,
        ),
    ];
    for (lead, kind) in cases {
        assert_eq!(lead_kind(lead), Some(kind), "{lead}");
    }
}

#[test]
fn a_lead_that_names_nothing_leaves_the_kind_to_the_items() {
    let lead = "党中央加强对信访工作的统一领导";
    let items = [
        "强化政治引领，确立信访工作的政治方向和政治原则，严明政治纪律和政治规矩",
        "制定信访工作方针政策",
        "领导建设一支对党忠诚可靠的高素质专业化信访工作队伍",
    ]
    .map(String::from);
    assert_eq!(list_kind(lead, &items), Some(ItemKind::Duty));
    let unknown = ["甲", "乙"].map(String::from);
    assert_eq!(list_kind("如下", &unknown), None);
}

#[test]
fn items_show_their_kind_by_their_shape() {
    assert_eq!(item_shape("坚持党的全面领导"), Some(ItemKind::Principle));
    assert_eq!(
        item_shape("罚款、没收违法所得、没收非法财物"),
        Some(ItemKind::Penalty)
    );
    assert_eq!(item_shape("勘验笔录、现场笔录"), Some(ItemKind::Material));
    assert_eq!(item_shape("受理、转送、交办信访事项"), Some(ItemKind::Duty));
    assert_eq!(
        item_shape("煽动、串联、胁迫、以财物诱使、幕后操纵他人信访"),
        Some(ItemKind::Prohibited)
    );
    assert_eq!(item_shape("对收到的信访事项不按照规定登记"), None);
    // An act is no duty, whatever list it sits in.
    assert!(!fits("煽动、串联、胁迫", ItemKind::Duty));
    assert!(fits("协调解决重要信访问题", ItemKind::Duty));
    assert!(fits("涉及重大公共利益的", ItemKind::Circumstance));
}
