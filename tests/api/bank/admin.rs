//! The admin API's rules: duplicates on create, every problem of an invalid draft, who may
//! change or read the bank, the list's filters and pages, forms read like import rows.

use xuefa::accounts::Role;
use xuefa::bank::admin::{self, ListFilter};
use xuefa::bank::export::{self, Format};
use xuefa::bank::model::{Origin, QuestionType, Status};
use xuefa::bank::store::Inserted;
use xuefa::bank::{BankError, review};

use super::support::*;

#[tokio::test]
async fn creating_a_duplicate_reports_the_existing_question_and_retiring_frees_its_content() {
    // Arrange
    let t = bank_app().await;
    let law = t.current("信访工作条例").await.law_id;
    let first = create(&t, &judge_on("信访工作是重要工作。", law, &[3])).await;
    let actor = admin();

    // Act
    let twin = judge_on("信访工作是重要工作", law, &[3]);
    let dup = t
        .write(async |tx| admin::create(tx, &ctx(&actor), &twin, Status::Draft).await)
        .await
        .expect("create");
    t.write(async |tx| admin::retire(tx, &ctx(&actor), &[first]).await)
        .await
        .expect("retire");
    let after = t
        .write(async |tx| admin::create(tx, &ctx(&actor), &twin, Status::Draft).await)
        .await
        .expect("create");
    let back = t
        .write(async |tx| admin::approve(tx, &ctx(&actor), &[first]).await)
        .await;

    // Assert
    assert_eq!(
        dup,
        Inserted::Duplicate {
            existing: Some(first)
        }
    );
    assert!(matches!(after, Inserted::New { .. }), "{after:?}");
    assert!(matches!(back, Err(BankError::Conflict(_))), "{back:?}");
}

#[tokio::test]
async fn invalid_drafts_and_unknown_articles_are_refused_with_every_problem() {
    // Arrange
    let t = bank_app().await;
    let law = t.current("信访工作条例").await.law_id;
    let mut bad = judge_on("", law, &[3, 999]);
    bad.difficulty = 9;
    let actor = admin();

    // Act
    let result = t
        .write(async |tx| admin::create(tx, &ctx(&actor), &bad, Status::Draft).await)
        .await;

    // Assert
    let Err(BankError::Invalid(problems)) = result else {
        panic!("{result:?}")
    };
    let text: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    assert!(text.iter().any(|p| p == "题干：题干为空"), "{text:?}");
    assert!(text.iter().any(|p| p.starts_with("难度：")), "{text:?}");
    assert!(
        text.iter()
            .any(|p| p == "依据：《信访工作条例》没有第九百九十九条"),
        "{text:?}"
    );
}

#[tokio::test]
async fn only_system_administrators_and_bank_editors_read_or_change_the_bank() {
    // Arrange
    let t = bank_app().await;
    let law = t.current("信访工作条例").await.law_id;
    let id = create(&t, &judge_on("权限测试题。", law, &[1])).await;
    let pool = &t.app.db.pool;
    let official = actor_with(Role::Official);
    let unit_admin = actor_with(Role::UnitAdmin);
    let editor = actor_with(Role::BankEditor);
    let d = judge_on("另一题。", law, &[1]);
    let names = book(&t).await;

    // Act + Assert
    let forbidden = |r: Result<_, BankError>| matches!(r, Err(BankError::Forbidden));
    assert!(forbidden(
        t.write(async |tx| admin::create(tx, &ctx(&unit_admin), &d, Status::Draft).await)
            .await
            .map(|_| ())
    ));
    assert!(forbidden(
        t.write(async |tx| admin::approve(tx, &ctx(&unit_admin), &[id]).await)
            .await
            .map(|_| ())
    ));
    assert!(forbidden(
        t.write(async |tx| admin::edit(tx, &ctx(&unit_admin), id, 0, &d).await)
            .await
            .map(|_| ())
    ));
    assert!(forbidden(
        t.write(async |tx| admin::retire(tx, &ctx(&official), &[id]).await)
            .await
            .map(|_| ())
    ));
    let import = t
        .app
        .import_questions(&names, &ctx(&unit_admin), "a.csv", b"x", Default::default())
        .await;
    assert!(forbidden(import.map(|_| ())));
    let conn = async || pool.acquire().await.expect("connection");
    assert!(forbidden(
        admin::get(&mut *conn().await, &official, id)
            .await
            .map(|_| ())
    ));
    // Unit admins and their staff sit the exams drawn from the bank: no answer keys for them.
    assert!(forbidden(
        admin::get(&mut *conn().await, &unit_admin, id)
            .await
            .map(|_| ())
    ));
    let export = export::export(&mut *conn().await, &ctx(&unit_admin), Format::Json, None).await;
    assert!(forbidden(export.map(|_| ())));
    let filter = ListFilter::default();
    assert!(forbidden(
        admin::list(&mut *conn().await, &names, &unit_admin, &filter)
            .await
            .map(|_| ())
    ));
    let first = admin::get(&mut *conn().await, &editor, id)
        .await
        .expect("bank editors read")
        .summary
        .version_id;
    let edited = t
        .write(async |tx| admin::edit(tx, &ctx(&editor), id, first, &d).await)
        .await;
    assert!(edited.is_ok(), "bank editors edit: {:?}", edited.err());
    let read = admin::get(&mut *conn().await, &editor, id)
        .await
        .expect("bank editors read");
    assert_eq!(read.summary.question_id, id);
    assert_eq!(read.summary.version_no, 2);
    assert_eq!(read.articles[0].article_label, "第一条");
    assert!(
        read.articles[0]
            .article_text
            .starts_with("为了坚持和加强党对信访工作的全面领导")
    );
}

#[tokio::test]
async fn the_list_filters_by_type_law_tag_status_origin_and_stem_and_pages() {
    // Arrange
    let t = bank_app().await;
    let (rows, _) = messy_rows();
    let skip = xuefa::bank::import::ImportOptions {
        approve: false,
        skip_invalid: true,
        suggest_basis: false,
    };
    import_file(&t, "messy.xlsx", &xlsx_of(&rows), skip).await;
    let law = t.current("信访工作条例").await.law_id;
    let mut mine = judge_on("自拟的100%题_目。", law, &[1]);
    mine.tags = vec!["信访/原则".into()];
    create(&t, &mine).await;
    let (pool, actor, names) = (&t.app.db.pool, admin(), book(&t).await);
    let count = |f: ListFilter| {
        let (actor, names) = (&actor, &names);
        async move {
            admin::list(&mut pool.acquire().await.unwrap(), names, actor, &f)
                .await
                .expect("list")
                .total
        }
    };

    // Act + Assert
    let n = accepted().len() as i64;
    assert_eq!(count(ListFilter::default()).await, n + 1);
    assert_eq!(
        count(ListFilter {
            qtype: Some(QuestionType::Judge),
            ..Default::default()
        })
        .await,
        8
    );
    assert_eq!(
        count(ListFilter {
            law: Some("信访工作条例".into()),
            ..Default::default()
        })
        .await,
        n + 1,
        "every imported question cites 信访工作条例"
    );
    assert_eq!(
        count(ListFilter {
            law: Some("行政处罚法".into()),
            ..Default::default()
        })
        .await,
        0
    );
    assert_eq!(
        count(ListFilter {
            tag: Some("信访".into()),
            ..Default::default()
        })
        .await,
        n + 1
    );
    assert_eq!(
        count(ListFilter {
            tag: Some("信访/原则".into()),
            ..Default::default()
        })
        .await,
        1
    );
    assert_eq!(
        count(ListFilter {
            tag: Some("信".into()),
            ..Default::default()
        })
        .await,
        0
    );
    assert_eq!(
        count(ListFilter {
            status: Some(Status::Approved),
            ..Default::default()
        })
        .await,
        1
    );
    assert_eq!(
        count(ListFilter {
            origin: Some(Origin::Imported),
            ..Default::default()
        })
        .await,
        n
    );
    assert_eq!(
        count(ListFilter {
            q: Some("100%题_".into()),
            ..Default::default()
        })
        .await,
        1
    );
    assert_eq!(
        count(ListFilter {
            q: Some("0%题".into()),
            ..Default::default()
        })
        .await,
        1
    );
    assert_eq!(
        count(ListFilter {
            q: Some("%".into()),
            ..Default::default()
        })
        .await,
        1
    );
    let page = |p| ListFilter {
        page: Some(p),
        per_page: Some(5),
        ..Default::default()
    };
    let (p1, p4) = (
        admin::list(&mut pool.acquire().await.unwrap(), &names, &actor, &page(1))
            .await
            .expect("page 1"),
        admin::list(&mut pool.acquire().await.unwrap(), &names, &actor, &page(4))
            .await
            .expect("page 4"),
    );
    assert_eq!(p1.items.len(), 5);
    assert_eq!(p4.items.len(), (n + 1 - 15) as usize);
    assert!(
        p1.items[0].question_id > p1.items[4].question_id,
        "newest first"
    );
    let _ = review::flag_changed(&mut pool.acquire().await.unwrap(), &[])
        .await
        .expect("no statutes: nothing to do");
}

#[tokio::test]
async fn a_form_is_read_like_an_import_row_with_its_basis_resolved() {
    // Arrange
    let t = bank_app().await;
    let form = xuefa::bank::import::QuestionForm {
        qtype: "多选题".into(),
        stem: "3、下列属于信访工作原则的有（ ）".into(),
        options: vec![
            "坚持党的全面领导".into(),
            "坚持以人民为中心".into(),
            "一律不受理".into(),
        ],
        answer: "ａ，ｂ".into(),
        basis: "《信访工作条例》第五条".into(),
        tags: "信访".into(),
        ..Default::default()
    };
    let pool = &t.app.db.pool;

    // Act
    let (draft, warnings) =
        xuefa::bank::import::parse_form(pool, &book(&t).await, &form, Origin::Authored)
            .await
            .expect("valid form");
    let bad = xuefa::bank::import::QuestionForm {
        answer: "AD".into(),
        basis: "《信访工作条例》第五条；《信访工作条例》第九百条".into(),
        ..form.clone()
    };
    let refused =
        xuefa::bank::import::parse_form(pool, &book(&t).await, &bad, Origin::Authored).await;

    // Assert
    assert_eq!(draft.stem, "下列属于信访工作原则的有（ ）");
    assert_eq!(
        draft.answer,
        xuefa::bank::model::Answer::Multiple {
            options: vec![0, 1]
        }
    );
    assert_eq!(draft.basis.len(), 1);
    assert_eq!(draft.basis[0].article_label, "第五条");
    assert_eq!(draft.origin, Origin::Authored);
    assert!(warnings.is_empty(), "{warnings:?}");
    let Err(BankError::Invalid(problems)) = refused else {
        panic!("{refused:?}")
    };
    let problems: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(
        problems,
        [
            "答案：答案 D 不在选项中（共 3 个选项）",
            "依据：《信访工作条例》现行版本没有第九百条"
        ],
        "every problem, the basis too"
    );
    let actor = admin();
    let created = t
        .write(async |tx| admin::create(tx, &ctx(&actor), &draft, Status::Draft).await)
        .await
        .expect("create");
    assert!(matches!(created, Inserted::New { .. }));
}
