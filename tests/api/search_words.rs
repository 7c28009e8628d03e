//! How search understands the words officials type: words jieba keeps whole, law names in a
//! question or inside a title, characters found only inside words or typed alone.

use xuefa::app::App;
use xuefa::config::Config;

use crate::helpers::*;

#[tokio::test]
async fn a_word_jieba_keeps_whole_is_searched_by_the_lexicon_term_inside_it() {
    // Arrange
    let t = spawn_app(&search_subset()).await;

    // Act: 进网吧 is one word to jieba and in no statute; 网吧 is a lexicon term.
    let results = find(&t.app, req("未成年人进网吧", 5));

    // Assert
    let first = results.hits.first().expect("a hit");
    assert_eq!(
        first.law_title, "互联网上网服务营业场所管理条例",
        "{}",
        first.text
    );
    assert!(first.text.contains("未成年人"), "{}", first.text);
}

#[tokio::test]
async fn a_question_naming_a_law_is_answered_from_that_law_first() {
    // Arrange: the 立法法's article on when laws take effect outranks it by words alone.
    let mut laws = search_subset();
    laws.push(corpus_path("宪法相关法/立法法(2023-03-13).md"));
    let t = spawn_app(&laws).await;

    // Act
    let results = find(&t.app, req("信访工作条例从什么时候开始施行", 5));

    // Assert
    assert_first(&results, "信访工作条例", "第五十条");
}

#[tokio::test]
async fn a_character_found_only_inside_words_still_finds_them() {
    // Arrange
    let t = spawn_app(&search_subset()).await;

    // Act: 踢 is never a word of its own in the statutes (踢球 is), nor a lexicon term (撞,
    // the first example, now is one).
    let results = find(&t.app, req("被踢", 10));

    // Assert
    assert!(
        results.total > 0,
        "a content character in the corpus finds something"
    );
    for h in &results.hits {
        assert!(h.text.contains('踢'), "{}: {}", h.law_title, h.text);
    }
}

#[tokio::test]
async fn a_law_name_typed_without_its_last_character_matches_the_laws_title() {
    // Arrange
    let t = spawn_app(&search_subset()).await;

    // Act: 行政诉讼法 is indexed with the word 行政诉讼 inside it; its article on the time
    // limit says 提起诉讼 and 六个月, never 行政诉讼 or 期限.
    let results = find(&t.app, req("行政诉讼起诉期限", 10));

    // Assert
    assert!(
        results
            .hits
            .iter()
            .any(|h| h.law_title == "中华人民共和国行政诉讼法" && h.article_label == "第四十六条"),
        "{:?}",
        results
            .hits
            .iter()
            .map(|h| format!("{} {}", h.law_title, h.article_label))
            .collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn a_lexicon_term_whose_statutory_phrase_no_article_holds_searches_the_words_typed() {
    // Arrange: a lexicon whose first term maps to a phrase of real words that never stand
    // together (宪法 … 罚款), as when the statutes write a phrase otherwise than the entry;
    // the second maps to a phrase the statute holds.
    let project = tempfile::tempdir().expect("temp dir");
    let lexicon = "乱罚款\t宪法罚款\n罚款不交\t加处罚款\n";
    std::fs::write(project.path().join("synonyms.tsv"), lexicon).expect("lexicon");
    let dir = tempfile::tempdir().expect("temp dir");
    let db = TestDb::new(dir.path()).await;
    let mut config = Config::new(dir.path(), Some(db.url.clone()), None);
    config.project_corpus = project.path().to_path_buf();
    let app = App::open_in_memory_index(config).await.expect("open app");
    app.import_laws(
        &[corpus_path("行政法/行政处罚法(2021-01-22).md")],
        &|_, _| {},
    )
    .await
    .expect("import");

    // Act
    let results = find(&app, req("乱罚款", 5));

    // Assert
    assert!(results.total > 0, "the words typed find what they hold");
    assert!(results.hits.iter().all(|h| h.text.contains("罚款")));
    // The bench lists the dead phrase, not the one the statute holds (第七十二条 加处罚款).
    let unmatched = app.search.unmatched_lexicon_words().expect("check");
    assert_eq!(unmatched, [("乱罚款".to_string(), "宪法罚款".to_string())]);
}

#[tokio::test]
async fn a_one_character_word_does_not_outweigh_the_words_that_say_what_is_asked() {
    // Arrange
    let t = spawn_app(&search_subset()).await;

    // Act: 签 alone is a rare token (the character stands inside 签订, 签署), so it counted
    // more than 租赁合同 and 几年.
    let results = find(&t.app, req("租房合同最长签几年", 5));

    // Assert
    assert_first(&results, "中华人民共和国民法典", "第七百零五条");
}

#[tokio::test]
async fn words_of_everyday_speech_do_not_outweigh_the_word_of_the_law() {
    // Arrange
    let t = spawn_app(&search_subset()).await;

    // Act: the statutes rarely write 他们, 说 or 这种, so by statute rarity alone they counted
    // more than 土葬 and the top hits held 这种 and 说, not burial.
    let results = find(&t.app, req("他们说这种土葬违法", 5));

    // Assert
    let first = results.hits.first().expect("a hit");
    assert_eq!(first.law_title, "殡葬管理条例", "{}", first.text);
}

/// The first hit is `article` of `law`.
fn assert_first(results: &xuefa::search::SearchResults, law: &str, article: &str) {
    let first = results.hits.first().expect("a hit");
    assert_eq!(
        (first.law_title.as_str(), first.article_label.as_str()),
        (law, article),
        "{}",
        first.text
    );
}
