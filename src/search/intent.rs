//! What a question asks for, beyond its content words.
//!
//! Officials ask in sentences (`信访部门收到信访事项后多少日内分别处理`). The question words
//! (怎么, 多少, 由谁, 吗…) need not occur in the answer, so they are not searched for; some of
//! them say what kind of answer is wanted (多少日 → a time limit), and articles that hold such
//! an answer rank higher. Both are tables here, nothing per query.

use std::sync::LazyLock;

use regex::Regex;

/// Words that carry no meaning of their own in a query: question and function words.
const QUESTION_WORDS: [&str; 65] = [
    // A limit asked for; the statutes write 不得超过, 以下.
    "最多",
    "最少",
    "最长",
    "的",
    "了",
    "吗",
    "呢",
    "啊",
    "吧",
    "么",
    "呀",
    "和",
    "与",
    "及",
    "或",
    "请问",
    "怎么",
    "怎么办",
    "怎样",
    "怎么样",
    "如何",
    "什么",
    "什么样",
    "哪些",
    "哪个",
    "哪里",
    "哪",
    "哪种",
    "哪项",
    "哪一",
    "多少",
    "多久",
    "多长",
    "是否",
    "能否",
    "能不能",
    "可否",
    "可不可以",
    "有没有",
    "可以吗",
    "行不行",
    "由谁",
    "谁",
    "可以",
    "应当",
    "应该",
    "需要",
    "要",
    "还",
    "会",
    "能",
    "是",
    "在",
    "对",
    "把",
    "被",
    "就",
    "都",
    "又",
    "也",
    "有",
    "该",
    "算",
    "给",
    "时",
];

/// Prefixes of question words jieba keeps whole (几日, 几名, 多少天, 多长时间).
const QUESTION_PREFIXES: [&str; 4] = ["几", "多少", "多长", "多久"];

/// A kind of answer: the words that ask for it, and what it looks like in an article. When
/// `consumes`, the asking words are not searched for themselves (酒驾怎么处罚 is about 酒驾;
/// 处罚 only says a penalty is wanted), as long as other words remain.
struct Intent {
    asks: &'static [&'static str],
    answer: &'static str,
    consumes: bool,
}

/// Numbers as the statutes write them.
const NUMBER: &str = "[0-9０-９零〇一二两三四五六七八九十百千]+";

const INTENTS: [Intent; 10] = [
    // A time limit: 十五日内, 五个工作日, 六个月, 二十四小时以内.
    Intent {
        asks: &[
            "多少日",
            "几日",
            "多少天",
            "几天",
            "多久",
            "多长时间",
            "多少时间",
            "几个月",
            "多少个月",
            "几年",
            "多少年",
            "工作日",
            "几个小时",
            "多少小时",
            "期限",
            "时限",
            // A term of office is a length of time: 每届任期五年.
            "任期",
            "什么时候",
            "何时",
            "多久一次",
            "几次",
        ],
        // Or how often: 每季度公布一次.
        answer: r"NUM\s*(?:个)?(?:工作日|日|天|个月|月|年|周|小时)|每(?:个)?(?:季度|半年|月|年|周)",
        consumes: false,
    },
    // A number of persons: 不得超过5人, 三名以上.
    Intent {
        asks: &["几个人", "几人", "几名", "多少人", "多少名", "人数"],
        answer: r"NUM\s*(?:名|人|个人)",
        consumes: false,
    },
    // A penalty: 罚款, 拘留, 有期徒刑…
    Intent {
        asks: &[
            "怎么处罚",
            "如何处罚",
            "怎样处罚",
            "什么处罚",
            "怎么罚",
            "罚多少",
            "罚款多少",
            "判几年",
            "判多久",
            "判刑",
            "坐牢",
            "什么责任",
            "法律责任",
            "后果",
            // Whether it is a crime: the criminal law answers with the sentence, and rarely
            // says 犯罪 in the article that defines one.
            "算犯罪",
            "犯罪吗",
            "是犯罪",
            "构成犯罪吗",
            "犯法吗",
            "犯什么罪",
            "什么罪",
        ],
        answer: "罚款|拘留|有期徒刑|拘役|管制|吊销|没收|警告|处分|追究刑事责任|处罚",
        consumes: true,
    },
    // An amount of money: 二倍, 赔偿金, 标准.
    Intent {
        asks: &[
            "多少钱",
            "赔多少",
            "给多少",
            "多少赔偿",
            "多少补偿",
            "怎么算",
            "如何计算",
            "怎么计算",
        ],
        answer: r"NUM\s*(?:倍|元|%|％)|百分之|工资|标准|赔偿金|经济补偿",
        consumes: true,
    },
    // An age: 年满十八周岁, 不得早于二十二周岁.
    Intent {
        asks: &[
            "多少周岁",
            "几周岁",
            "多少岁",
            "几岁",
            "多大",
            "年龄",
            "岁数",
        ],
        answer: r"NUM\s*(?:周岁|岁)",
        consumes: false,
    },
    // Who is liable: 承担侵权责任, 依法承担赔偿责任.
    Intent {
        asks: &[
            "谁负责",
            "谁承担",
            "谁赔",
            "找谁赔",
            "谁来赔",
            "谁的责任",
            "算谁的",
            "要赔吗",
            "负责任吗",
            "谁出钱",
            "谁来出",
            "谁出",
        ],
        answer: "承担[^，。；]{0,12}责任|侵权责任|赔偿责任|连带责任",
        consumes: true,
    },
    // Who decides or handles it: 由国务院批准, 由县级人民政府负责.
    Intent {
        asks: &[
            "由谁",
            "谁批准",
            "谁审批",
            "谁决定",
            "谁定",
            "谁管",
            "归谁管",
            "哪个部门",
            "什么部门",
            "哪个机关",
            "哪级",
        ],
        // 由…规定 only with an authority before 规定: 依照法律规定 says nothing of who decides.
        answer: "由[^，。；]{1,40}(?:批准|决定|负责|审批|确定|制定|管理|处理|受理|主管|办理)\
                 |由[^，。；]{0,40}(?:人民政府|国务院|部门|机关)规定",
        consumes: false,
    },
    // A list: 下列情形, （一）…（二）…
    Intent {
        asks: &[
            "哪些",
            "哪几种",
            "哪几类",
            "什么情况",
            "什么情形",
            "告什么",
            "包括什么",
            "包括哪些",
            "范围",
        ],
        answer: "下列|（一）|\\(一\\)",
        consumes: false,
    },
    // A licence or approval: 应当依法取得许可, 办理登记, 经批准.
    Intent {
        asks: &[
            "办什么证",
            "要什么证",
            "什么证",
            "什么手续",
            "要审批吗",
            "要批吗",
            "需要许可",
            "要许可吗",
            "要登记吗",
        ],
        answer: "许可|许可证|审批|批准|登记|备案",
        consumes: true,
    },
    // A procedure: 按照下列程序办理, 提出书面申请, 提交下列材料.
    Intent {
        asks: &[
            "怎么申请",
            "如何申请",
            "怎样申请",
            "去哪申请",
            "怎么办理",
            "如何办理",
            "去哪办",
            // Also 申请流程, 办理流程: asks match inside the query.
            "流程",
        ],
        // Strict: nearly every article that mentions 申请 says 向…提出申请.
        answer: "下列程序|以下程序|书面申请|申请书|申请材料|下列材料|申请应当(?:包括|载明)",
        consumes: false,
    },
];

static ANSWERS: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    INTENTS
        .iter()
        .map(|i| {
            // The patterns are constants; a test compiles every one.
            Regex::new(&i.answer.replace("NUM", NUMBER)).unwrap_or_else(|_| unreachable!())
        })
        .collect()
});

/// A query word that need not match: a question or function word.
pub fn is_question_word(word: &str) -> bool {
    QUESTION_WORDS.contains(&word)
        || QUESTION_PREFIXES
            .iter()
            .any(|p| word.starts_with(p) && word != *p)
}

/// Joins two one-character words that together are a question word (jieba cuts 最多多少 as
/// 最 + 多 + 多少), so `meaningful` can drop them.
pub fn join_question_words(words: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    let mut rest = words.into_iter().peekable();
    while let Some(w) = rest.next() {
        if let Some(next) = rest.peek()
            && w.chars().count() == 1
            && next.chars().count() == 1
        {
            let joined = format!("{w}{next}");
            if is_question_word(&joined) {
                out.push(joined);
                rest.next();
                continue;
            }
        }
        out.push(w);
    }
    out
}

/// Drops the items whose word (`word` gives it, or None to keep the item: a lexicon term) is a
/// question word, unless nothing else is left.
pub fn meaningful<T: Clone>(items: Vec<T>, word: impl Fn(&T) -> Option<&str>) -> Vec<T> {
    let kept: Vec<T> = items
        .iter()
        .filter(|i| !word(i).is_some_and(is_question_word))
        .cloned()
        .collect();
    if kept.is_empty() { items } else { kept }
}

/// The kinds of answer a query asks for (indexes into the table).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Asked(Vec<usize>);

impl Asked {
    pub fn of(query: &str) -> Asked {
        Asked(
            INTENTS
                .iter()
                .enumerate()
                .filter(|(_, i)| i.asks.iter().any(|a| query.contains(a)))
                .map(|(n, _)| n)
                .collect(),
        )
    }

    /// The kinds asked for in `query`, and the query without the words that only ask.
    pub fn parse(query: &str) -> (Asked, String) {
        let asked = Asked::of(query);
        let mut rest = query.to_string();
        for n in &asked.0 {
            let Some(intent) = INTENTS.get(*n).filter(|i| i.consumes) else {
                continue;
            };
            for a in intent.asks {
                rest = rest.replace(a, " ");
            }
        }
        if rest.chars().all(char::is_whitespace) {
            rest = query.to_string();
        }
        (asked, rest)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The asked kinds of answer `text` holds.
    pub fn answered(&self, text: &str) -> Vec<usize> {
        self.0
            .iter()
            .copied()
            .filter(|n| ANSWERS.get(*n).is_some_and(|r| r.is_match(text)))
            .collect()
    }

    /// Whether `word` (a query unit) is one that asks for answers of kind `kind`.
    pub fn asks(&self, kind: usize, word: &str) -> bool {
        INTENTS
            .get(kind)
            .is_some_and(|i| i.asks.iter().any(|a| word.contains(a)))
    }
}

#[cfg(test)]
#[path = "intent_tests.rs"]
mod tests;
