//! Chinese numerals and article labels: `第一百二十三条之一` ⇄ (123, 1).

const DIGITS: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/// Value of one Chinese or Arabic (ASCII / full-width) digit.
fn digit_value(c: char) -> Option<u32> {
    match c {
        '零' | '〇' | '○' => Some(0),
        '一' => Some(1),
        '二' | '两' => Some(2),
        '三' => Some(3),
        '四' => Some(4),
        '五' => Some(5),
        '六' => Some(6),
        '七' => Some(7),
        '八' => Some(8),
        '九' => Some(9),
        _ => arabic_value(c),
    }
}

fn arabic_value(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '０'..='９' => Some(c as u32 - '０' as u32),
        _ => None,
    }
}

/// Parses `十五`, `一百零五`, `一千零七十九`, `17`, `１７`. Digit strings without
/// units (`二〇二二`) are read positionally. Overflow or malformed input gives None.
pub fn parse_chinese_number(s: &str) -> Option<u32> {
    if s.is_empty() {
        return None;
    }
    let arabic = s.chars().all(|c| arabic_value(c).is_some());
    let chinese = s
        .chars()
        .all(|c| digit_value(c).is_some() && arabic_value(c).is_none());
    if arabic || chinese {
        return s.chars().try_fold(0u32, |acc, c| {
            acc.checked_mul(10)?.checked_add(digit_value(c)?)
        });
    }
    let mut total: u32 = 0; // completed 亿 / 万 groups
    let mut section: u32 = 0; // current group below 万
    let mut digit: Option<u32> = None; // digit waiting for its unit
    let mut last_unit = u32::MAX; // units inside a group must decrease
    let mut group_limit = u32::MAX; // 亿 must come before 万
    let mut any = false;
    for c in s.chars() {
        if let Some(d) = digit_value(c) {
            if arabic_value(c).is_some() || digit.is_some_and(|p| p != 0) {
                return None; // mixed scripts or two digits in a row (`一二十`)
            }
            digit = Some(d);
            continue;
        }
        let unit = match c {
            '十' => 10,
            '百' => 100,
            '千' => 1000,
            '万' => 10_000,
            '亿' => 100_000_000,
            _ => return None,
        };
        any = true;
        if unit < 10_000 {
            if unit >= last_unit || digit == Some(0) {
                return None;
            }
            // `十五` has an implied 一; `一百十` is accepted too.
            let d = digit.take().unwrap_or(1);
            section = section.checked_add(d.checked_mul(unit)?)?;
            last_unit = unit;
        } else {
            if unit >= group_limit {
                return None;
            }
            let group = section.checked_add(digit.take().unwrap_or(0))?;
            if group == 0 {
                return None;
            }
            total = total.checked_add(group.checked_mul(unit)?)?;
            section = 0;
            last_unit = u32::MAX;
            group_limit = unit;
        }
    }
    if !any {
        return None;
    }
    let tail = section.checked_add(digit.unwrap_or(0))?;
    total.checked_add(tail)
}

/// The official form: 10 → 十, 110 → 一百一十, 1079 → 一千零七十九, 0 → 零.
pub fn to_chinese_number(n: u32) -> String {
    if n == 0 {
        return "零".to_string();
    }
    let groups = [
        (n / 100_000_000, "亿"),
        (n / 10_000 % 10_000, "万"),
        (n % 10_000, ""),
    ];
    let mut out = String::new();
    let mut pending_zero = false;
    for (group, unit) in groups {
        if group == 0 {
            pending_zero = !out.is_empty();
            continue;
        }
        let first = out.is_empty();
        if !first && (pending_zero || group < 1000) {
            out.push('零');
        }
        push_group(&mut out, group, first);
        out.push_str(unit);
        pending_zero = false;
    }
    out
}

/// Writes 1..=9999; `leading` drops the 一 of 一十 at the very start (十五, not 一十五).
fn push_group(out: &mut String, group: u32, leading: bool) {
    let places = [(1000, "千"), (100, "百"), (10, "十"), (1, "")];
    let mut zero = false;
    let mut started = false;
    for (value, unit) in places {
        let d = group / value % 10;
        if d == 0 {
            zero = started;
            continue;
        }
        if zero {
            out.push('零');
            zero = false;
        }
        if !(leading && !started && value == 10 && d == 1) {
            out.push(DIGITS[d as usize]);
        }
        out.push_str(unit);
        started = true;
    }
}

/// `第十七条`, `第一百二十三条之一`.
pub fn article_label(no: u32, sub: u32) -> String {
    let mut label = format!("第{}条", to_chinese_number(no));
    if sub > 0 {
        label.push('之');
        label.push_str(&to_chinese_number(sub));
    }
    label
}

/// A unit's label as cited: `序言` (0, 0), `第三段` (0, 3), else `article_label`.
pub fn unit_label(no: u32, sub: u32) -> String {
    match (no, sub) {
        (0, 0) => "序言".to_string(),
        (0, n) => format!("第{}段", to_chinese_number(n)),
        _ => article_label(no, sub),
    }
}

/// Reads what users type: `第十七条`, `第17条`, `17条`, `17`, `十七`,
/// `第一百二十三条之一`, `123之1`, `123-1`. Returns (no, sub); article 0 is None.
pub fn parse_article_ref(s: &str) -> Option<(u32, u32)> {
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let s = s.strip_prefix(['第', '笫']).unwrap_or(&s);
    let (main, sub) = match s.find(['之', '-', '－']) {
        Some(i) => {
            let (a, b) = s.split_at(i);
            let b = &b[b.chars().next()?.len_utf8()..];
            (a, Some(b))
        }
        None => (s, None),
    };
    let main = main.strip_suffix('条').unwrap_or(main);
    let no = parse_chinese_number(main).filter(|&n| n > 0)?;
    let sub = match sub {
        Some(b) => {
            let b = b.strip_suffix('条').unwrap_or(b);
            parse_chinese_number(b).filter(|&n| n > 0)?
        }
        None => 0,
    };
    Some((no, sub))
}

/// HTML anchor of a unit: an article `art-17`, `art-123-1`; the preamble (0, 0) `preamble`;
/// paragraph N of a text without articles or items (0, N) `p-N`.
pub fn anchor(no: u32, sub: u32) -> String {
    if no == 0 {
        if sub == 0 {
            "preamble".to_string()
        } else {
            format!("p-{sub}")
        }
    } else if sub > 0 {
        format!("art-{no}-{sub}")
    } else {
        format!("art-{no}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_chinese_and_arabic() {
        let cases = [
            ("零", 0),
            ("〇", 0),
            ("十", 10),
            ("十五", 15),
            ("二十", 20),
            ("两百", 200),
            ("一百零五", 105),
            ("一百一十", 110),
            ("一百十", 110),
            ("一千零七十九", 1079),
            ("一千二百六十", 1260),
            ("一万零一十", 10_010),
            ("十万", 100_000),
            ("一亿零一万", 100_010_000),
            ("二〇二二", 2022),
            ("17", 17),
            ("１７", 17),
            ("0", 0),
        ];
        for (s, n) in cases {
            assert_eq!(parse_chinese_number(s), Some(n), "{s}");
        }
    }

    #[test]
    fn rejects_garbage() {
        for s in [
            "",
            "条",
            "十十",
            "一二十",
            "百十千",
            "零十",
            "万",
            "万万",
            "一万一万",
            "1十",
            "十7",
            "abc",
            " 17",
            "99999999999",
            "四十二亿九千五百万",
        ] {
            assert_eq!(parse_chinese_number(s), None, "{s:?}");
        }
    }

    #[test]
    fn official_forms() {
        let cases = [
            (0, "零"),
            (10, "十"),
            (15, "十五"),
            (20, "二十"),
            (105, "一百零五"),
            (110, "一百一十"),
            (1000, "一千"),
            (1010, "一千零一十"),
            (1079, "一千零七十九"),
            (10_010, "一万零一十"),
            (100_000, "十万"),
            (150_000, "十五万"),
            (100_000_001, "一亿零一"),
            (u32::MAX, "四十二亿九千四百九十六万七千二百九十五"),
        ];
        for (n, s) in cases {
            assert_eq!(to_chinese_number(n), s, "{n}");
        }
    }

    #[test]
    fn round_trip() {
        for n in (0..=20_000).chain([99_999, 100_001, 1_000_000, 123_456_789, u32::MAX]) {
            assert_eq!(parse_chinese_number(&to_chinese_number(n)), Some(n), "{n}");
        }
    }

    #[test]
    fn labels_and_anchors() {
        assert_eq!(article_label(17, 0), "第十七条");
        assert_eq!(article_label(123, 1), "第一百二十三条之一");
        assert_eq!(anchor(17, 0), "art-17");
        assert_eq!(anchor(123, 1), "art-123-1");
        assert_eq!(anchor(0, 0), "preamble");
        assert_eq!(anchor(0, 3), "p-3");
    }

    #[test]
    fn article_refs() {
        let ok = [
            ("第十七条", (17, 0)),
            ("第17条", (17, 0)),
            ("17条", (17, 0)),
            ("17", (17, 0)),
            ("十七", (17, 0)),
            ("  第一百二十三条之一 ", (123, 1)),
            ("123之1", (123, 1)),
            ("123-1", (123, 1)),
            ("第１２３条之二", (123, 2)),
            ("第 17 条", (17, 0)),
        ];
        for (s, r) in ok {
            assert_eq!(parse_article_ref(s), Some(r), "{s}");
        }
        for s in [
            "",
            "第条",
            "第 条",
            "0",
            "第零条",
            "17-",
            "之1",
            "第十七章",
            "abc",
            "17-0",
        ] {
            assert_eq!(parse_article_ref(s), None, "{s:?}");
        }
    }
}
