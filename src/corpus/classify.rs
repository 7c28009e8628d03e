//! Where a law sits in the legal hierarchy (效力位阶) and which region it binds,
//! derived from the folder it came from and its title.

/// Provinces whose names may appear in local regulations' folders and titles.
pub const PROVINCES: [&str; 34] = [
    "北京",
    "天津",
    "上海",
    "重庆",
    "河北",
    "山西",
    "辽宁",
    "吉林",
    "黑龙江",
    "江苏",
    "浙江",
    "安徽",
    "福建",
    "江西",
    "山东",
    "河南",
    "湖北",
    "湖南",
    "广东",
    "海南",
    "四川",
    "贵州",
    "云南",
    "陕西",
    "甘肃",
    "青海",
    "台湾",
    "内蒙古",
    "广西",
    "西藏",
    "宁夏",
    "新疆",
    "香港",
    "澳门",
];

/// Region of national texts.
pub const NATIONAL: &str = "全国";

/// The legal hierarchy, highest first.
pub const LEVELS: [&str; 8] = [
    "宪法",
    "法律",
    "行政法规",
    "监察法规",
    "部门规章",
    "司法解释",
    "地方性法规",
    "其他",
];

/// Top-level folders of the national law database's layout. A law's category is its folder
/// path from one of these down, wherever the import started (`DLC/重庆地方法规/…` whether
/// the whole corpus or only `DLC/重庆地方法规` was imported).
pub const DATABASE_FOLDERS: [&str; 15] = [
    "宪法",
    "宪法相关法",
    "民法典",
    "民法商法",
    "行政法",
    "经济法",
    "社会法",
    "刑法",
    "诉讼与非诉讼程序法",
    "行政法规",
    "监察法规",
    "部门规章",
    "司法解释",
    "其他",
    "DLC",
];

/// Folders of the national law database that hold 法律 (laws passed by the NPC): the
/// second to ninth of `DATABASE_FOLDERS`.
const LAW_FOLDERS: &[&str] = {
    let (_, rest) = DATABASE_FOLDERS.split_at(1);
    rest.split_at(8).0
};

/// 效力位阶 of a law from its category folder (relative to the import root) and title.
pub fn level(category: &str, title: &str) -> &'static str {
    let parts: Vec<&str> = category.split('/').collect();
    let has = |name: &str| parts.contains(&name);
    if has("宪法") {
        // 宪法修正案 amend the constitution and share its rank.
        return "宪法";
    }
    if has("地方性法规") || parts.iter().any(|p| p.ends_with("地方法规")) {
        return "地方性法规";
    }
    if has("司法解释") {
        return "司法解释";
    }
    if has("行政法规") {
        return "行政法规";
    }
    if has("监察法规") {
        return "监察法规";
    }
    if has("部门规章") {
        return "部门规章";
    }
    if LAW_FOLDERS.iter().any(|f| has(f)) {
        return "法律";
    }
    level_from_title(title)
}

/// For files outside the national database's folders: judge by the title alone.
fn level_from_title(title: &str) -> &'static str {
    if title.contains("宪法") && !title.contains("宪法宣誓") {
        "宪法"
    } else if title.starts_with("最高人民法院") || title.starts_with("最高人民检察院")
    {
        "司法解释"
    } else if province_in(title).is_some() && (title.ends_with("条例") || title.ends_with("规定"))
    {
        "地方性法规"
    } else if (title.ends_with('法') && !title.ends_with("办法"))
        || title.starts_with("中华人民共和国")
    {
        "法律"
    } else if title.ends_with("条例") {
        "行政法规"
    } else {
        "其他"
    }
}

/// 全国, or the province a local regulation belongs to.
pub fn region(level: &str, category: &str, title: &str) -> String {
    if level != "地方性法规" {
        return NATIONAL.to_string();
    }
    province_in(category)
        .or_else(|| province_in(title))
        .unwrap_or(NATIONAL)
        .to_string()
}

/// The first province named in `text`, if any.
pub fn province_in(text: &str) -> Option<&'static str> {
    PROVINCES
        .iter()
        .filter_map(|p| text.find(p).map(|at| (at, *p)))
        .min_by_key(|(at, _)| *at)
        .map(|(_, p)| p)
}

/// The title as officials say it: without 中华人民共和国 and without brackets.
pub fn short_title(title: &str) -> String {
    let t = title.trim().trim_start_matches('《').trim_end_matches('》');
    t.strip_prefix("中华人民共和国").unwrap_or(t).to_string()
}

/// Rank in the hierarchy: 0 for 宪法 … 7 for 其他.
pub fn level_rank(level: &str) -> u64 {
    LEVELS
        .iter()
        .position(|l| *l == level)
        .unwrap_or(LEVELS.len() - 1) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_follow_the_database_folders() {
        assert_eq!(level("宪法", "中华人民共和国宪法"), "宪法");
        assert_eq!(level("行政法", "中华人民共和国行政处罚法"), "法律");
        assert_eq!(level("行政法规", "信访工作条例"), "行政法规");
        assert_eq!(
            level("部门规章/公安部", "公安机关办理行政案件程序规定"),
            "部门规章"
        );
        assert_eq!(level("司法解释", "最高人民法院关于…的解释"), "司法解释");
        let cq = "DLC/重庆地方法规/地方性法规/重庆";
        assert_eq!(level(cq, "重庆市信访条例"), "地方性法规");
        assert_eq!(region("地方性法规", cq, "重庆市信访条例"), "重庆");
        assert_eq!(region("法律", "行政法", "中华人民共和国行政处罚法"), "全国");
    }

    #[test]
    fn loose_files_are_judged_by_title() {
        assert_eq!(level("", "中华人民共和国测试法"), "法律");
        assert_eq!(level("", "北京市测试条例"), "地方性法规");
        assert_eq!(level("", "某某条例"), "行政法规");
        assert_eq!(level("", "某某办法"), "其他");
    }

    #[test]
    fn short_titles_drop_the_state_name() {
        assert_eq!(short_title("中华人民共和国民法典"), "民法典");
        assert_eq!(short_title("《信访工作条例》"), "信访工作条例");
        assert_eq!(province_in("黑龙江省某条例"), Some("黑龙江"));
    }
}
