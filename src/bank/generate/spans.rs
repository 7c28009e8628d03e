//! The key spans of a sentence that questions are built on: time limits, amounts, counts,
//! multiples (with their units and numeral forms), modal verbs and obligated parties.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::text::{char_len, is_chinese_numeral, is_numeral, parse_number};
use crate::corpus::numerals::to_chinese_number;

/// A number and the unit that makes it a time limit, amount, count or multiple. The unit
/// alternatives are ordered longest first (`个工作日` before `日`).
static QUANTITY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"([0-9０-９]+|[零〇一二两三四五六七八九十百千万亿]+)",
        r"(个工作日|工作日|个小时|小时|个月|日|天|周|年|万元|亿元|元|名|人|次|倍)"
    ))
    .unwrap()
});

/// The modal verbs a question can blank or swap.
pub(super) const MODALS: [&str; 3] = ["应当", "可以", "不得"];

/// Text that ends a party at the start of a sentence (`任何组织和个人不得…`).
const PARTY_VERBS: [&str; 4] = ["应当", "可以", "不得", "必须"];
/// A party names an organ or a person: it ends with one of these.
const PARTY_SUFFIXES: [&str; 24] = [
    "机关",
    "部门",
    "单位",
    "政府",
    "党委",
    "党组织",
    "委员会",
    "常委会",
    "国务院",
    "法院",
    "检察院",
    "当事人",
    "信访人",
    "申请人",
    "监护人",
    "组织",
    "个人",
    "公民",
    "联席会议",
    "办公室",
    "机构",
    "信访局",
    "人员",
    "领导干部",
];
/// Sentence openings that make the text before the verb a condition, not a party.
const NOT_PARTY_START: [&str; 18] = [
    "对", "在", "经", "因", "依照", "按照", "根据", "除", "为", "凡", "如", "自", "当", "未", "有",
    "违反", "实施", "需要",
];
/// Adverbs between a party and its verb (`信访人一般应当…`).
const ADVERBS: [&str; 8] = ["一般", "均", "也", "都", "还", "亦", "依法", "即"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Time,
    Amount,
    Count,
    Ratio,
    Modal,
    Party,
}

impl Kind {
    pub fn is_quantity(self) -> bool {
        matches!(self, Kind::Time | Kind::Amount | Kind::Count | Kind::Ratio)
    }

    /// The knowledge point a question on this kind of span tests (its tag).
    pub fn topic(self) -> &'static str {
        match self {
            Kind::Time => "期限",
            Kind::Amount => "金额",
            Kind::Count => "人数与次数",
            Kind::Ratio => "倍数",
            Kind::Modal => "义务与权限",
            Kind::Party => "责任主体",
        }
    }
}

/// A number with its unit, as written: `15日`, `十五日`, `5个工作日`, `一千元`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Quantity {
    pub n: u32,
    pub unit: String,
    /// Written in Arabic digits (`15日`) rather than Chinese numerals (`十五日`).
    pub arabic: bool,
}

/// What a quantity measures, in a common base unit, so `30日` and `一个月` compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Measure {
    Hours(u64),
    WorkDays(u64),
    Yuan(u64),
    Persons(u64),
    Times(u64),
    Ratio(u64),
}

impl Quantity {
    pub fn kind(&self) -> Kind {
        match self.measure() {
            Measure::Hours(_) | Measure::WorkDays(_) => Kind::Time,
            Measure::Yuan(_) => Kind::Amount,
            Measure::Persons(_) | Measure::Times(_) => Kind::Count,
            Measure::Ratio(_) => Kind::Ratio,
        }
    }

    fn measure(&self) -> Measure {
        let n = u64::from(self.n);
        match self.unit.as_str() {
            "个工作日" | "工作日" => Measure::WorkDays(n),
            "个小时" | "小时" => Measure::Hours(n),
            "日" | "天" => Measure::Hours(n * 24),
            "周" => Measure::Hours(n * 24 * 7),
            "个月" => Measure::Hours(n * 24 * 30),
            "年" => Measure::Hours(n * 24 * 365),
            "万元" => Measure::Yuan(n * 10_000),
            "亿元" => Measure::Yuan(n * 100_000_000),
            "元" => Measure::Yuan(n),
            "名" | "人" => Measure::Persons(n),
            "次" => Measure::Times(n),
            _ => Measure::Ratio(n),
        }
    }

    /// The same unit, as `日` and `天` are.
    pub fn same_unit(&self, other: &Quantity) -> bool {
        fn canonical(unit: &str) -> &str {
            match unit {
                "天" => "日",
                "工作日" => "个工作日",
                "个小时" => "小时",
                u => u,
            }
        }
        canonical(&self.unit) == canonical(&other.unit)
    }

    /// Measures the same thing (time, money, people, times, multiples), so it can stand in
    /// for this one as a distractor or mutation.
    pub fn comparable(&self, other: &Quantity) -> bool {
        use Measure::*;
        match (self.measure(), other.measure()) {
            (Hours(_) | WorkDays(_), Hours(_) | WorkDays(_)) => true,
            (a, b) => std::mem::discriminant(&a) == std::mem::discriminant(&b),
        }
    }

    /// The same amount of time, money, people …, give or take 5% between time units
    /// (`30日` ≈ `一个月`, `一年` ≈ `十二个月`): such a value is no distractor.
    pub fn same_as(&self, other: &Quantity) -> bool {
        match (self.measure(), other.measure()) {
            (Measure::Hours(a), Measure::Hours(b)) => a.abs_diff(b) * 20 <= a.max(b),
            (a, b) => a == b,
        }
    }

    pub fn render(&self, arabic: bool) -> String {
        if arabic {
            format!("{}{}", self.n, self.unit)
        } else {
            format!("{}{}", to_chinese_number(self.n), self.unit)
        }
    }

    /// Accepted fill answers: as written, then the Chinese and Arabic forms (and 两 for 2).
    pub fn variants(&self, written: &str) -> Vec<String> {
        let mut out = vec![written.to_string(), self.render(false), self.render(true)];
        if self.n == 2 {
            out.push(format!("两{}", self.unit));
        }
        let mut seen = Vec::new();
        out.retain(|v| {
            let new = !seen.contains(v);
            seen.push(v.clone());
            new
        });
        out
    }

    /// Other plausible values of the same unit, for when the law has too few of its own.
    pub fn ladder(&self) -> Vec<u32> {
        let n = self.n;
        match self.unit.as_str() {
            "日" | "天" => vec![3, 5, 7, 10, 15, 20, 30, 60, 90],
            "个工作日" | "工作日" => vec![3, 5, 7, 10, 15, 20],
            "个月" => vec![1, 2, 3, 6, 12],
            "年" => vec![1, 2, 3, 5, 10],
            "周" => vec![1, 2, 4],
            "个小时" | "小时" => vec![12, 24, 48, 72],
            "元" | "万元" | "亿元" => {
                let mut v = vec![
                    n.saturating_mul(2),
                    n.saturating_mul(5),
                    n.saturating_mul(10),
                ];
                v.extend(n.is_multiple_of(10).then_some(n / 10));
                v.extend(n.is_multiple_of(2).then_some(n / 2));
                v
            }
            _ => vec![2, 3, 5, 10, n.saturating_add(1), n.saturating_sub(1)],
        }
    }
}

/// A key span of a sentence (byte range into it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Span {
    pub kind: Kind,
    pub range: Range<usize>,
    pub quantity: Option<Quantity>,
}

/// All key spans of a sentence, in text order, never overlapping.
pub(super) fn key_spans(s: &str) -> Vec<Span> {
    let mut spans = quantity_spans(s);
    spans.extend(modal_spans(s));
    if let Some(party) = party_span(s) {
        spans.push(party);
    }
    spans.sort_by_key(|sp| sp.range.start);
    let mut last_end = 0;
    spans.retain(|sp| {
        let keep = sp.range.start >= last_end;
        last_end = last_end.max(sp.range.end);
        keep
    });
    spans
}

pub(super) fn quantity_spans(s: &str) -> Vec<Span> {
    let mut out = Vec::new();
    for caps in QUANTITY.captures_iter(s) {
        let (Some(m), Some(num), Some(unit)) = (caps.get(0), caps.get(1), caps.get(2)) else {
            continue;
        };
        let Some(n) = parse_number(num.as_str()).filter(|&n| n > 0) else {
            continue;
        };
        if !quantity_context_ok(s, m.range(), num.as_str(), unit.as_str(), n) {
            continue;
        }
        let arabic = num.as_str().chars().all(|c| !is_chinese_numeral(c));
        let quantity = Quantity {
            n,
            unit: unit.as_str().to_string(),
            arabic,
        };
        out.push(Span {
            kind: quantity.kind(),
            range: m.range(),
            quantity: Some(quantity),
        });
    }
    out
}

/// Rejects ordinals (`第十五日`), dates (`2022年5月1日`), ages (`十四周岁`), words that only
/// contain a numeral (`统一人民…`) and counts of one.
fn quantity_context_ok(s: &str, m: Range<usize>, num: &str, unit: &str, n: u32) -> bool {
    let before = s[..m.start].chars().next_back();
    let after = s[m.end..].chars().next();
    let after_in = |set: &str| after.is_some_and(|c| set.contains(c));
    // Ordinals, the upper end of a range (`一至二人`) and quoted terms (`本法中“二日”…`).
    if matches!(before, Some('第' | '至' | '到')) || (before == Some('“') && after == Some('”'))
    {
        return false;
    }
    if num.starts_with('一') && before.is_some_and(|c| "统唯同之其任每逐单划专万".contains(c))
    {
        return false;
    }
    match unit {
        "日" | "天" => before != Some('月'),
        "年" => n < 1000 && !after.is_some_and(is_numeral) && !after_in("度级龄底初末份"),
        "周" => !after_in("岁年"),
        "人" => n >= 2 && !after_in("民员士身格大口"),
        "名" => n >= 2 && !after_in("义称单誉额册字"),
        "次" => n >= 2 && after != Some('性'),
        _ => true,
    }
}

/// 应当 / 可以 / 不得 where swapping them changes what the sentence requires: not at the
/// start of a sentence, not inside `应当事人`, `不得不`, `不可以`, and not in a clause
/// ending with 的 (a condition such as `应当给予行政处罚的，…`).
pub(super) fn modal_spans(s: &str) -> Vec<Span> {
    let mut out = Vec::new();
    for modal in MODALS {
        for (i, _) in s.match_indices(modal) {
            if modal_ok(s, i, modal) {
                out.push(Span {
                    kind: Kind::Modal,
                    range: i..i + modal.len(),
                    quantity: None,
                });
            }
        }
    }
    out.sort_by_key(|sp| sp.range.start);
    out
}

fn modal_ok(s: &str, i: usize, modal: &str) -> bool {
    if i == 0 {
        return false;
    }
    let before = s[..i].chars().next_back();
    let after = &s[i + modal.len()..];
    let ok = match modal {
        "应当" => !after.starts_with("事人") && before != Some('相'),
        "不得" => !after.starts_with(['不', '已']),
        _ => !matches!(before, Some('不' | '难' | '所')),
    };
    let clause_end = after
        .find(['，', '；', '：', '。', ','])
        .unwrap_or(after.len());
    ok && !after[..clause_end].ends_with('的') && !after.is_empty()
}

/// The party a sentence opens with, when it is plainly one: `任何组织和个人不得…`,
/// `信访人一般应当…`.
pub(super) fn party_span(s: &str) -> Option<Span> {
    let verb_at = PARTY_VERBS.iter().filter_map(|v| s.find(v)).min()?;
    let mut party = &s[..verb_at];
    if party.contains(['，', '。', '；', '：', '“', '”', '（', '）', ',', '(', ')']) {
        return None;
    }
    while let Some(rest) = ADVERBS.iter().find_map(|a| party.strip_suffix(a)) {
        party = rest;
    }
    let ok = (2..=24).contains(&char_len(party))
        && PARTY_SUFFIXES.iter().any(|suffix| party.ends_with(suffix))
        && !NOT_PARTY_START.iter().any(|p| party.starts_with(p))
        && !party.contains('由')
        && (!party.contains('的') || party.contains("以外的"));
    ok.then_some(Span {
        kind: Kind::Party,
        range: 0..party.len(),
        quantity: None,
    })
}
