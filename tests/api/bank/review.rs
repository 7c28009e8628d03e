//! A law's new version flags the questions whose articles changed; approving or editing
//! clears the flag; edits keep the old versions.

use std::path::{Path, PathBuf};

use xuefa::bank::admin::{self, ListFilter};
use xuefa::bank::store;

use super::support::*;
use crate::helpers::*;

const V1: &str = "# 测试审核办法\n\n2020年1月1日 发布\n\n<!-- INFO END -->\n\n\
    第一条 为了测试题目审核，制定本办法。\n\n\
    第二条 申请人应当在十五日内提出申请。\n\n\
    第三条 本办法自发布之日起施行。\n";
const V2: &str = "# 测试审核办法\n\n2023年6月1日 修订\n\n<!-- INFO END -->\n\n\
    第一条 为了测试题目审核，制定本办法。\n\n\
    第二条 申请人应当在三十日内提出申请。\n";

/// A folder holding one version of the fixture law.
fn version_dir(root: &Path, date: &str, text: &str) -> PathBuf {
    let dir = root.join(date);
    std::fs::create_dir_all(&dir).expect("dir");
    std::fs::write(dir.join(format!("测试审核办法({date}).md")), text).expect("write law");
    dir
}

#[tokio::test]
async fn a_new_version_of_a_law_flags_questions_whose_articles_changed_or_vanished() {
    // Arrange
    let root = tempfile::tempdir().expect("temp dir");
    let t = spawn_app(&[version_dir(root.path(), "2020-01-01", V1)]).await;
    let v1 = t.current("测试审核办法").await.law_id;
    let same = create(&t, &judge_on("第一条未改。", v1, &[1])).await;
    let changed = create(&t, &judge_on("第二条改了。", v1, &[2])).await;
    let gone = create(&t, &judge_on("第三条删了。", v1, &[3])).await;
    let both = create(&t, &judge_on("第一、二条。", v1, &[1, 2])).await;
    let retired = create(&t, &judge_on("已停用的题。", v1, &[2])).await;
    let actor = admin();
    t.write(async |tx| admin::retire(tx, &ctx(&actor), &[retired]).await)
        .await
        .expect("retire");

    // Act
    t.import(&[version_dir(root.path(), "2023-06-01", V2)])
        .await;

    // Assert
    let pool = &t.app.db.pool;
    let queue = store::needs_review(&mut pool.acquire().await.unwrap())
        .await
        .expect("queue");
    let ids: Vec<i64> = queue.iter().map(|q| q.question_id).collect();
    assert_eq!(ids, [changed, gone, both]);
    assert!(
        queue[0]
            .review_note
            .contains("第二条在现行版本（2023-06-01）中已修改"),
        "{}",
        queue[0].review_note
    );
    assert!(
        queue[1]
            .review_note
            .contains("现行版本（2023-06-01）中已没有第三条"),
        "{}",
        queue[1].review_note
    );
    assert!(
        !store::get(&mut pool.acquire().await.unwrap(), same)
            .await
            .expect("get")
            .expect("q")
            .summary
            .needs_review
    );
    let filter = ListFilter {
        needs_review: Some(true),
        ..ListFilter::default()
    };
    let page = admin::list(
        &mut pool.acquire().await.unwrap(),
        &book(&t).await,
        &actor,
        &filter,
    )
    .await
    .expect("list");
    assert_eq!(page.total, 3);
}

#[tokio::test]
async fn approving_re_bases_a_flagged_question_and_editing_clears_the_flag_too() {
    // Arrange
    let root = tempfile::tempdir().expect("temp dir");
    let t = spawn_app(&[version_dir(root.path(), "2020-01-01", V1)]).await;
    let v1 = t.current("测试审核办法").await.law_id;
    let changed = create(&t, &judge_on("第二条改了。", v1, &[2])).await;
    let edited = create(&t, &judge_on("第一、二条。", v1, &[1, 2])).await;
    t.import(&[version_dir(root.path(), "2023-06-01", V2)])
        .await;
    let v2 = t.current("测试审核办法").await.law_id;
    let (pool, actor) = (&t.app.db.pool, admin());
    let old_version = store::get(&mut pool.acquire().await.unwrap(), changed)
        .await
        .expect("get")
        .expect("q")
        .summary
        .version_id;

    // Act
    t.write(async |tx| admin::approve(tx, &ctx(&actor), &[changed]).await)
        .await
        .expect("approve");
    let new_draft = judge_on("第一条、第二条（修订后）。", v2, &[1, 2]);
    let based_on = store::get(&mut pool.acquire().await.unwrap(), edited)
        .await
        .expect("get")
        .expect("q")
        .summary
        .version_id;
    t.write(async |tx| admin::edit(tx, &ctx(&actor), edited, based_on, &new_draft).await)
        .await
        .expect("edit");
    t.import(&[version_dir(root.path(), "2023-06-01", V2)])
        .await; // unchanged: nothing new

    // Assert
    assert!(
        store::needs_review(&mut pool.acquire().await.unwrap())
            .await
            .expect("queue")
            .is_empty()
    );
    let q = store::get(&mut pool.acquire().await.unwrap(), changed)
        .await
        .expect("get")
        .expect("q");
    assert_eq!(q.summary.version_no, 2);
    assert_eq!(q.articles[0].law_id, v2);
    assert!(q.articles[0].article_text.contains("三十日"));
    let old = store::version(&mut pool.acquire().await.unwrap(), old_version)
        .await
        .expect("version")
        .expect("old version");
    assert_eq!(
        old.draft.basis[0].law_id, v1,
        "old versions keep their basis"
    );
    let e = store::get(&mut pool.acquire().await.unwrap(), edited)
        .await
        .expect("get")
        .expect("q");
    assert_eq!(e.summary.stem, "第一条、第二条（修订后）。");
    let history = admin::history(pool, &actor, edited).await.expect("history");
    let stems: Vec<&str> = history.iter().map(|v| v.stem.as_str()).collect();
    assert_eq!(stems, ["第一、二条。", "第一条、第二条（修订后）。"]);
}
