use super::*;

fn item(question_id: i64, earned: i64, picked: &[usize]) -> Item {
    Item {
        question_id,
        version_id: question_id * 10,
        points: 100,
        earned,
        answered: !picked.is_empty(),
        picked: picked.to_vec(),
    }
}

fn single(question_id: i64) -> Version {
    Version {
        qtype: QuestionType::Single,
        stem: format!("第{question_id}题"),
        options: vec!["甲".into(), "乙".into(), "丙".into()],
        key: vec![0],
    }
}

fn art(no: u32) -> Article {
    Article {
        law_id: 7,
        law_title: "信访工作条例".into(),
        article_no: no,
        article_sub: 0,
    }
}

#[test]
fn facility_discrimination_and_flags_follow_the_thirds() {
    // Six candidates ranked by score, ties by id: u1 (310) u2 (300) | u3 u5 (300) | u4 u6
    // (200): groups of 2. Question 1: u1 u2 u3 right, u5 u4 u6 wrong: facility 3/6 = 0.5,
    // discrimination 1 − 0 = 1. Question 2 (papers of u5 u1 u2 u6 only): u5 and u6 right,
    // 2/4 = 0.5; upper 0/2, lower 1/1 (u4 did not have it): −1. Question 3: all right but
    // u6, 5/6 = 0.833, not too easy; question 4 right by all: 1.0 > 0.9, too easy.
    // Question 5, only u1 had it, 10 of 100: 0.1 < 0.2, too hard; no lower member had it.
    let c = |user_id, items: Vec<Item>| Candidate {
        user_id,
        score: items.iter().map(|i| i.earned).sum(),
        items,
    };
    let candidates = vec![
        c(
            5,
            vec![
                item(1, 0, &[1]),
                item(2, 100, &[0]),
                item(3, 100, &[0]),
                item(4, 100, &[0]),
            ],
        ),
        c(
            1,
            vec![
                item(1, 100, &[0]),
                item(2, 0, &[2]),
                item(3, 100, &[0]),
                item(4, 100, &[0]),
                item(5, 10, &[1]),
            ],
        ),
        c(
            2,
            vec![
                item(1, 100, &[0]),
                item(2, 0, &[1]),
                item(3, 100, &[0]),
                item(4, 100, &[0]),
            ],
        ),
        c(
            3,
            vec![item(1, 100, &[0]), item(3, 100, &[0]), item(4, 100, &[0])],
        ),
        c(
            4,
            vec![item(1, 0, &[2]), item(3, 100, &[0]), item(4, 100, &[0])],
        ),
        c(
            6,
            vec![
                item(1, 0, &[]),
                item(2, 100, &[0]),
                item(3, 0, &[1]),
                item(4, 100, &[0]),
            ],
        ),
    ];
    let versions: HashMap<i64, Version> = (1..=5).map(|q| (q * 10, single(q))).collect();
    let basis: HashMap<i64, Vec<Article>> = [
        (10, vec![art(1)]),
        (20, vec![art(1), art(2)]),
        (40, vec![art(4)]),
    ]
    .into();
    let a = analyse(&candidates, &versions, &basis, true);
    assert_eq!((a.candidates, a.group_size), (6, 2));
    let q = |id: i64| a.questions.iter().find(|s| s.question_id == id).unwrap();
    assert_eq!((q(1).facility, q(1).discrimination), (Some(0.5), Some(1.0)));
    assert!(q(1).flags.is_empty());
    assert_eq!(
        (q(2).facility, q(2).discrimination),
        (Some(0.5), Some(-1.0))
    );
    assert_eq!(q(2).flags, vec![Flag::NegativeDiscrimination]);
    assert_eq!(q(2).seen, 4);
    assert_eq!(q(3).facility, Some(0.833));
    assert_eq!(q(4).flags, vec![Flag::TooEasy]);
    assert_eq!((q(5).facility, q(5).discrimination), (Some(0.1), None));
    assert_eq!(q(5).flags, vec![Flag::TooHard]);
    // Distractors in the question's own letters, the key marked.
    let counts: Vec<(&str, i64, Option<bool>)> = q(1)
        .options
        .iter()
        .map(|o| (o.key.as_str(), o.count, o.correct))
        .collect();
    assert_eq!(
        counts,
        vec![
            ("A", 3, Some(true)),
            ("B", 1, Some(false)),
            ("C", 1, Some(false))
        ]
    );
    assert_eq!(q(1).answered, 5, "u6 left it blank");
    // Article 1: q1 (6 items, 3 wrong) and q2 (4 items, 2 wrong): 5/10. Article 2: q2 only,
    // 2/4. Article 4: q4, 0/6.
    let shares: Vec<(u32, i64, i64, f64)> = a
        .articles
        .iter()
        .map(|s| (s.article_no, s.answers, s.wrong, s.wrong_share))
        .collect();
    assert_eq!(
        shares,
        vec![(1, 10, 5, 0.5), (2, 4, 2, 0.5), (4, 6, 0, 0.0)]
    );
    assert_eq!(a.articles[0].url, "/laws/7#art-1");
    assert_eq!(a.articles[0].article_label, "第一条");
}

#[test]
fn partial_credit_counts_as_its_share_and_the_key_waits_for_the_close() {
    let candidates: Vec<Candidate> = (1..=3)
        .map(|u| Candidate {
            user_id: u,
            score: 50,
            items: vec![item(1, 50, &[0])],
        })
        .collect();
    let versions: HashMap<i64, Version> = [(10, single(1))].into();
    let a = analyse(&candidates, &versions, &HashMap::new(), false);
    let q = &a.questions[0];
    assert_eq!(q.facility, Some(0.5));
    assert_eq!(
        q.discrimination,
        Some(0.0),
        "groups of one with equal credit"
    );
    assert!(q.flags.is_empty());
    assert!(q.options.iter().all(|o| o.correct.is_none()));
    // Two candidates: no thirds, no discrimination.
    let a = analyse(&candidates[..2], &versions, &HashMap::new(), false);
    assert_eq!(a.questions[0].discrimination, None);
    assert!(
        analyse(&[], &versions, &HashMap::new(), true)
            .questions
            .is_empty()
    );
}
