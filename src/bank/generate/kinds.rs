//! What kind of thing an enumeration lists — duties, prohibited acts, circumstances,
//! conditions, contents, materials, penalties … — read from its lead line (`…履行下列职责`,
//! `…不得有下列行为`, `…应当载明下列事项`) and, when the lead does not say, from the shape of
//! its items (`坚持…`, `警告、通报批评`, `书证`). A multiple choice takes its distractors only
//! from lists of the same kind: a question on 职责 is never offered 煽动、串联、胁迫.

/// The kind of thing an enumeration lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ItemKind {
    /// 职责, 职权, 任务, 义务: what a body or person has to do.
    Duty,
    /// 不得有下列行为, 禁止下列行为.
    Prohibited,
    /// 有下列情形之一的，责令改正 / 给予处分 / 追究责任: misconduct with a consequence.
    Violation,
    /// Other 情形: when something applies (从轻处罚, 当场收缴, 法制审核).
    Circumstance,
    /// 条件, 要求, 标准, 资格.
    Condition,
    /// 内容, 事项, what a document 载明.
    Content,
    /// 材料, 文件, 证据, 资料.
    Material,
    /// 处罚, 处分 and their 种类.
    Penalty,
    /// 措施 (enforcement and other measures).
    Measure,
    /// 原则.
    Principle,
    /// 方式, 程序, 决定, 步骤: how a matter is handled.
    Procedure,
    /// 权利.
    Right,
    /// 机关, 人员, 组织, 单位: who.
    Body,
}

/// Words in a lead that make its 情形 or 行为 misconduct with a consequence.
const LIABILITY: [&str; 7] = [
    "责令改正",
    "处分",
    "追究",
    "严肃处理",
    "法律责任",
    "依法处理",
    "问责",
];

/// The nouns a list can name, each with its kind, checked in this order (`处罚` before
/// `决定`: `下列行政处罚决定` lists penalties).
const NOUNS: [(&str, ItemKind); 30] = [
    ("职责", ItemKind::Duty),
    ("职权", ItemKind::Duty),
    ("任务", ItemKind::Duty),
    ("义务", ItemKind::Duty),
    ("工作", ItemKind::Duty),
    ("权利", ItemKind::Right),
    ("原则", ItemKind::Principle),
    ("条件", ItemKind::Condition),
    ("要求", ItemKind::Condition),
    ("标准", ItemKind::Condition),
    ("资格", ItemKind::Condition),
    ("内容", ItemKind::Content),
    ("事项", ItemKind::Content),
    ("信息", ItemKind::Content),
    ("材料", ItemKind::Material),
    ("文件", ItemKind::Material),
    ("证据", ItemKind::Material),
    ("资料", ItemKind::Material),
    ("处罚", ItemKind::Penalty),
    ("处分", ItemKind::Penalty),
    ("措施", ItemKind::Measure),
    ("方式", ItemKind::Procedure),
    ("程序", ItemKind::Procedure),
    ("决定", ItemKind::Procedure),
    ("步骤", ItemKind::Procedure),
    ("办法", ItemKind::Procedure),
    ("机关", ItemKind::Body),
    ("人员", ItemKind::Body),
    ("组织", ItemKind::Body),
    ("单位", ItemKind::Body),
];

/// The kind of a list: from its lead, else from the shape most of its items share.
pub(super) fn list_kind(lead: &str, items: &[String]) -> Option<ItemKind> {
    lead_kind(lead).or_else(|| majority_shape(items))
}

/// The kind a lead names: the noun after `下列` / `以下` / `如下`, else (a short lead such
/// as `证据包括`, `行政处罚的种类`) a noun anywhere in it.
pub(super) fn lead_kind(lead: &str) -> Option<ItemKind> {
    let listed = ["下列", "以下", "如下"]
        .iter()
        .find_map(|w| lead.split_once(w).map(|(_, after)| after));
    let head = |s: &str| s.chars().take(6).collect::<String>();
    let noun = match listed {
        Some(after) => {
            let after = head(after);
            NOUNS.iter().find(|(n, _)| after.contains(n))
        }
        None => NOUNS.iter().find(|(n, _)| lead.contains(n)),
    };
    let liable = LIABILITY.iter().any(|w| lead.contains(w));
    let noun_kind = noun.map(|(_, k)| *k);
    let listed_head = listed.map(head).unwrap_or_default();
    if listed_head.starts_with("行为") || (listed.is_none() && lead.ends_with("行为")) {
        let banned = ["不得", "禁止", "严禁"].iter().any(|w| lead.contains(w));
        return Some(if banned {
            ItemKind::Prohibited
        } else {
            ItemKind::Violation
        });
    }
    if listed_head.starts_with("情形") || listed_head.starts_with("情况") {
        return Some(if liable {
            ItemKind::Violation
        } else {
            ItemKind::Circumstance
        });
    }
    if ["载明", "写明", "记载", "列明"]
        .iter()
        .any(|w| lead.contains(w))
        && noun_kind.is_none_or(|k| k == ItemKind::Content)
    {
        return Some(ItemKind::Content);
    }
    if lead.contains("种类") && (lead.contains("处罚") || lead.contains("处分")) {
        return Some(ItemKind::Penalty);
    }
    noun_kind
}

/// The kind most items show by their shape, if at least half of them show one.
fn majority_shape(items: &[String]) -> Option<ItemKind> {
    let shapes: Vec<ItemKind> = items.iter().filter_map(|i| item_shape(i)).collect();
    let best = shapes
        .iter()
        .max_by_key(|k| shapes.iter().filter(|s| s == k).count())?;
    let n = shapes.iter().filter(|s| *s == best).count();
    (n * 2 >= items.len()).then_some(*best)
}

/// Penalties and sanctions an item names (`警告、通报批评`, `行政拘留`).
const PENALTIES: [&str; 16] = [
    "警告",
    "通报批评",
    "罚款",
    "没收",
    "暂扣",
    "吊销",
    "降低资质",
    "责令停产",
    "责令关闭",
    "限制从业",
    "限制开展",
    "行政拘留",
    "记过",
    "记大过",
    "撤职",
    "开除",
];
/// Evidence and documents an item names (`书证`, `鉴定意见`, `勘验笔录`).
const MATERIALS: [&str; 11] = [
    "书证", "物证", "资料", "数据", "证言", "陈述", "意见", "笔录", "材料", "证明", "文件",
];
/// Verbs a duty opens with (`受理、转送…`, `督促落实…`, `指导…工作`).
const DUTY_VERBS: [&str; 24] = [
    "负责", "受理", "协调", "督促", "指导", "研究", "承担", "承办", "组织", "领导", "制定", "强化",
    "提出", "综合", "推动", "统筹", "监督", "检查", "宣传", "开展", "建立", "编制", "拟定", "做好",
];
/// Acts an item of a prohibition opens with (`煽动、串联、胁迫…`, `携带危险物品`).
const ACTS: [&str; 12] = [
    "煽动", "串联", "胁迫", "携带", "侮辱", "殴打", "威胁", "围堵", "冲击", "拦截", "散布", "捏造",
];

/// The kind an item shows by itself, when it plainly shows one: `坚持…` a principle,
/// `书证` a material, `警告、通报批评` a penalty, `受理、转送…` a duty, `煽动…` an act.
/// Circumstances and violations look alike (`未…的`), so they show none.
pub(super) fn item_shape(item: &str) -> Option<ItemKind> {
    let item = item.trim();
    if item.starts_with("坚持") {
        return Some(ItemKind::Principle);
    }
    let mut elements = item.split('、');
    if elements.all(|e| PENALTIES.iter().any(|p| e.starts_with(p))) {
        return Some(ItemKind::Penalty);
    }
    let mut elements = item.split('、');
    if item.chars().count() <= 12 && elements.all(|e| MATERIALS.iter().any(|m| e.ends_with(m))) {
        return Some(ItemKind::Material);
    }
    if ACTS.iter().any(|a| item.starts_with(a)) {
        return Some(ItemKind::Prohibited);
    }
    if DUTY_VERBS.iter().any(|v| item.starts_with(v)) {
        return Some(ItemKind::Duty);
    }
    None
}

/// An item fits a list of `kind`: it shows that kind or none.
pub(super) fn fits(item: &str, kind: ItemKind) -> bool {
    item_shape(item).is_none_or(|k| k == kind)
}
