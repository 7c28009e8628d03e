//! Drawing a paper: a pure function of the section pools and a seed. The seed is stored with
//! the attempt, so the same pools and seed give the same paper again (for appeals).

use std::collections::HashSet;

use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;

/// A question a section may use: its current version, how many options it has, and whether
/// this person already had it in an earlier attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub question_id: i64,
    pub version_id: i64,
    pub option_count: usize,
    pub seen: bool,
}

/// A section with the questions that match it.
#[derive(Debug, Clone)]
pub struct Pool {
    pub name: String,
    pub count: usize,
    pub points: i64,
    /// A fixed list: every candidate, in the given order (unless shuffled).
    pub fixed: bool,
    pub candidates: Vec<Candidate>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaperItem {
    pub question_id: i64,
    pub version_id: i64,
    pub section: String,
    pub points: i64,
    /// Shown position → the option's index in the question (empty without options).
    pub option_order: Vec<usize>,
}

/// A section the bank cannot fill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shortfall {
    pub section: String,
    pub available: usize,
    pub needed: usize,
}

impl Shortfall {
    pub fn message(list: &[Shortfall]) -> String {
        let parts: Vec<String> = list
            .iter()
            .map(|s| {
                format!(
                    "「{}」需要 {} 道题，题库中符合条件的已审核题目只有 {} 道，还差 {} 道",
                    s.section,
                    s.needed,
                    s.available,
                    s.needed - s.available
                )
            })
            .collect();
        format!("题库不足以组卷：{}", parts.join("；"))
    }
}

/// Draws one paper. Sections are filled in order and no question appears twice; within a
/// section, questions this person has not seen come first. With `shuffle`, questions within
/// each section and the options of each question come in a random order.
pub fn draw(pools: &[Pool], shuffle: bool, seed: u64) -> Result<Vec<PaperItem>, Vec<Shortfall>> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut used = HashSet::new();
    let mut paper = Vec::new();
    let mut short = Vec::new();
    for pool in pools {
        let mut fresh: Vec<&Candidate> = Vec::new();
        let mut seen: Vec<&Candidate> = Vec::new();
        for c in &pool.candidates {
            if used.contains(&c.question_id) {
                continue;
            }
            if c.seen && !pool.fixed {
                seen.push(c);
            } else {
                fresh.push(c);
            }
        }
        if !pool.fixed {
            // Sorted first, so the draw depends on the seed and not on the order rows came in.
            fresh.sort_by_key(|c| c.question_id);
            seen.sort_by_key(|c| c.question_id);
            fresh.shuffle(&mut rng);
            seen.shuffle(&mut rng);
        }
        fresh.extend(seen);
        if fresh.len() < pool.count {
            short.push(Shortfall {
                section: pool.name.clone(),
                available: fresh.len(),
                needed: pool.count,
            });
            continue;
        }
        let mut chosen: Vec<&Candidate> = fresh.into_iter().take(pool.count).collect();
        if shuffle {
            chosen.shuffle(&mut rng);
        } else if !pool.fixed {
            chosen.sort_by_key(|c| c.question_id);
        }
        for c in chosen {
            used.insert(c.question_id);
            let mut option_order: Vec<usize> = (0..c.option_count).collect();
            if shuffle {
                option_order.shuffle(&mut rng);
            }
            paper.push(PaperItem {
                question_id: c.question_id,
                version_id: c.version_id,
                section: pool.name.clone(),
                points: pool.points,
                option_order,
            });
        }
    }
    if short.is_empty() {
        Ok(paper)
    } else {
        Err(short)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cands(ids: std::ops::Range<i64>, seen: &[i64]) -> Vec<Candidate> {
        ids.map(|id| Candidate {
            question_id: id,
            version_id: id * 10,
            option_count: 4,
            seen: seen.contains(&id),
        })
        .collect()
    }

    fn pool(name: &str, count: usize, candidates: Vec<Candidate>) -> Pool {
        Pool {
            name: name.into(),
            count,
            points: 200,
            fixed: false,
            candidates,
        }
    }

    #[test]
    fn the_same_seed_always_gives_the_same_paper() {
        let pools = [
            pool("甲", 5, cands(1..40, &[])),
            pool("乙", 3, cands(30..60, &[])),
        ];
        let a = draw(&pools, true, 42).unwrap();
        let mut reversed = pools.clone();
        for p in &mut reversed {
            p.candidates.reverse();
        }
        assert_eq!(
            a,
            draw(&reversed, true, 42).unwrap(),
            "row order does not matter"
        );
        assert_ne!(
            a,
            draw(&pools, true, 43).unwrap(),
            "another seed, another paper"
        );
    }

    #[test]
    fn sections_are_filled_without_repeats_and_options_are_permutations() {
        // The sections overlap on 30..40: no question may be drawn twice.
        let pools = [
            pool("甲", 20, cands(1..40, &[])),
            pool("乙", 20, cands(30..60, &[])),
        ];
        for seed in 0..50 {
            let paper = draw(&pools, true, seed).unwrap();
            assert_eq!(paper.len(), 40);
            let ids: HashSet<i64> = paper.iter().map(|i| i.question_id).collect();
            assert_eq!(ids.len(), 40, "seed {seed}: a question repeats");
            assert!(
                paper[..20]
                    .iter()
                    .all(|i| i.section == "甲" && i.question_id < 40)
            );
            assert!(
                paper[20..]
                    .iter()
                    .all(|i| i.section == "乙" && i.question_id >= 30)
            );
            for item in &paper {
                let mut order = item.option_order.clone();
                order.sort_unstable();
                assert_eq!(order, vec![0, 1, 2, 3]);
            }
        }
    }

    #[test]
    fn unseen_questions_come_before_seen_ones() {
        let seen: Vec<i64> = (1..8).collect();
        let paper = draw(&[pool("甲", 3, cands(1..11, &seen))], true, 7).unwrap();
        assert!(paper.iter().all(|i| i.question_id >= 8), "{paper:?}");
        // Only when the unseen run out are seen ones drawn again.
        let paper = draw(&[pool("甲", 5, cands(1..11, &seen))], true, 7).unwrap();
        let unseen = paper.iter().filter(|i| i.question_id >= 8).count();
        assert_eq!(unseen, 3);
    }

    #[test]
    fn a_short_section_is_reported_with_how_many_are_missing() {
        let pools = [
            pool("甲", 5, cands(1..8, &[])),
            pool("乙", 10, cands(1..8, &[])),
        ];
        let short = draw(&pools, false, 1).unwrap_err();
        assert_eq!(short.len(), 1);
        assert_eq!(short[0].section, "乙");
        // 甲 took 5 of 乙's 7.
        assert_eq!((short[0].available, short[0].needed), (2, 10));
        assert!(Shortfall::message(&short).contains("还差 8 道"));
    }

    #[test]
    fn without_shuffle_a_fixed_list_keeps_its_order_and_options_theirs() {
        let mut p = pool("指定", 3, cands(1..4, &[]));
        p.fixed = true;
        p.candidates.reverse();
        let paper = draw(&[p], false, 9).unwrap();
        let ids: Vec<i64> = paper.iter().map(|i| i.question_id).collect();
        assert_eq!(ids, vec![3, 2, 1]);
        assert!(paper.iter().all(|i| i.option_order == vec![0, 1, 2, 3]));
    }
}
