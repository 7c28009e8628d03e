//! One simulated officer on exam day, as the exam page's script behaves: signs in, starts
//! (or resumes) the attempt, saves an answer after each think pause and retries a save the
//! connection lost after resuming the attempt, then submits when everybody has answered
//! (the rush at the end of a sitting). It keeps every answer the server acknowledged with
//! 200, for the check against the database.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::sync::watch;

use super::client::{Browser, Reply};

/// What every taker shares.
pub struct Plan {
    pub addr: String,
    pub exam_id: i64,
    pub password: String,
    /// Mean pause before each answer; each pause is drawn from 0.5–1.5 times it.
    pub think: Duration,
    /// No answer is sent after this moment (the takers go straight to submitting).
    pub answer_until: Option<Instant>,
    /// How long a taker keeps retrying while the server is unreachable.
    pub patience: Duration,
    /// Takers that answered all they will answer (the submit rush starts when all did).
    pub answered: AtomicUsize,
}

/// What one taker saw.
#[derive(Default)]
pub struct Outcome {
    pub username: String,
    pub attempt_id: Option<i64>,
    /// (question, answer) the server acknowledged with 200, in the stored form.
    pub acked: Vec<(i64, Vec<String>)>,
    pub sign_in: Option<Duration>,
    pub start: Option<Duration>,
    /// Latency of each acknowledged save.
    pub saves: Vec<Duration>,
    pub submit: Option<Duration>,
    pub submitted_at: Option<Instant>,
    /// Requests sent again after the connection failed or the server answered 5xx.
    pub retries: usize,
    /// Resumes after a lost connection, and those whose paper lacked an acknowledged answer.
    pub resumed: usize,
    pub resume_missing: usize,
    /// A 200 whose echoed answer differs from what was sent.
    pub echo_mismatch: usize,
    pub error: Option<String>,
}

/// A tiny deterministic generator per taker (think pauses): xorshift.
struct Jitter(u64);

impl Jitter {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// The longest pause between two retries, as in exam.js.
const MAX_BACKOFF: Duration = Duration::from_secs(30);

pub struct Taker {
    pub browser: Browser,
    pub out: Outcome,
    jitter: Jitter,
}

impl Taker {
    pub fn new(plan: &Plan, n: usize, username: String) -> Taker {
        // One address per officer behind the proxy: 10.x.y.z.
        let ip = format!("10.{}.{}.{}", (n >> 16) & 255, (n >> 8) & 255, n & 255);
        Taker {
            browser: Browser::new(&plan.addr, ip),
            out: Outcome {
                username,
                ..Outcome::default()
            },
            jitter: Jitter(0x9E37_79B9_7F4A_7C15 ^ (n as u64 + 1)),
        }
    }

    /// Sends until the server answers with something other than 5xx, reconnecting while it
    /// is down, for at most `patience`.
    async fn send(
        &mut self,
        plan: &Plan,
        method: &str,
        path: &str,
        body: Option<&str>,
    ) -> anyhow::Result<(Reply, Duration)> {
        let give_up = Instant::now() + plan.patience;
        let mut tries = 0;
        loop {
            let t = Instant::now();
            match self.browser.send(method, path, body).await {
                Ok(r) if r.status < 500 => return Ok((r, t.elapsed())),
                Ok(r) if Instant::now() > give_up => {
                    anyhow::bail!("{method} {path}: HTTP {}", r.status)
                }
                Err(e) if Instant::now() > give_up => return Err(e),
                _ => {}
            }
            tries += 1;
            self.back_off(tries).await;
        }
    }

    /// Waits before retry number `tries` as exam.js does: 1 s, 2 s, 4 s … up to 30 s, each
    /// jittered ±50 % so that thousands of phones do not all come back in the same instant
    /// after a restart.
    async fn back_off(&mut self, tries: u32) {
        self.out.retries += 1;
        let wait = Duration::from_secs(1 << tries.clamp(1, 6).saturating_sub(1)).min(MAX_BACKOFF);
        tokio::time::sleep(wait.mul_f64(0.5 + self.jitter.next())).await;
    }

    pub async fn sign_in(&mut self, plan: &Plan) -> anyhow::Result<()> {
        let body = json!({"username": self.out.username, "password": plan.password}).to_string();
        let (r, took) = self.send(plan, "POST", "/api/login", Some(&body)).await?;
        anyhow::ensure!(
            r.status == 200,
            "sign-in: HTTP {}: {}",
            r.status,
            String::from_utf8_lossy(&r.body)
        );
        self.browser.cookie = Some(
            r.cookie
                .clone()
                .ok_or_else(|| anyhow::anyhow!("sign-in: no session cookie"))?,
        );
        self.browser.csrf = r.json()?["csrf_token"].as_str().map(str::to_string);
        self.out.sign_in = Some(took);
        Ok(())
    }

    /// Starts or resumes the attempt; returns the paper's questions.
    async fn start(&mut self, plan: &Plan) -> anyhow::Result<Vec<Value>> {
        let path = format!("/api/exams/{}/attempts", plan.exam_id);
        let (r, took) = self.send(plan, "POST", &path, Some("{}")).await?;
        anyhow::ensure!(
            matches!(r.status, 200 | 201),
            "start: HTTP {}: {}",
            r.status,
            String::from_utf8_lossy(&r.body)
        );
        let paper = r.json()?;
        let id = paper["attempt_id"].as_i64();
        if let Some(before) = self.out.attempt_id {
            anyhow::ensure!(
                id == Some(before),
                "resume gave attempt {id:?}, not {before}"
            );
        }
        self.out.attempt_id = id;
        self.out.start.get_or_insert(took);
        Ok(paper["questions"].as_array().cloned().unwrap_or_default())
    }

    /// The exam: start, answer each question after a pause, then wait for the submit rush.
    pub async fn sit(&mut self, plan: &Plan, submit_gate: &mut watch::Receiver<bool>) {
        if let Err(e) = self.answer_all(plan).await {
            self.out.error = Some(format!("{e:#}"));
        }
        plan.answered.fetch_add(1, Ordering::SeqCst);
        let _ = submit_gate.wait_for(|open| *open).await;
        if self.out.error.is_none()
            && let Err(e) = self.submit(plan).await
        {
            self.out.error = Some(format!("{e:#}"));
        }
    }

    async fn answer_all(&mut self, plan: &Plan) -> anyhow::Result<()> {
        let questions = self.start(plan).await?;
        for q in &questions {
            let pause = plan.think.mul_f64(0.5 + self.jitter.next());
            tokio::time::sleep(pause).await;
            if plan.answer_until.is_some_and(|u| Instant::now() >= u) {
                break;
            }
            self.save(plan, q).await?;
        }
        Ok(())
    }

    async fn save(&mut self, plan: &Plan, q: &Value) -> anyhow::Result<()> {
        let qid = q["question_id"].as_i64().unwrap_or_default();
        let answer = pick(q, qid);
        let body = json!({ "answer": answer }).to_string();
        let path = format!(
            "/api/attempts/{}/answers/{qid}",
            self.out.attempt_id.unwrap_or_default()
        );
        let give_up = Instant::now() + plan.patience;
        let mut tries = 0;
        loop {
            let t = Instant::now();
            match self.browser.send("PUT", &path, Some(&body)).await {
                Ok(r) if r.status == 200 => {
                    self.out.saves.push(t.elapsed());
                    let echoed: Option<Vec<String>> =
                        serde_json::from_value(r.json()?["answer"].clone()).ok();
                    if echoed.as_ref() != Some(&answer) {
                        self.out.echo_mismatch += 1;
                    }
                    self.out.acked.push((qid, answer));
                    return Ok(());
                }
                Ok(r) if r.status < 500 => {
                    anyhow::bail!(
                        "save: HTTP {}: {}",
                        r.status,
                        String::from_utf8_lossy(&r.body)
                    )
                }
                _ if Instant::now() > give_up => {
                    anyhow::bail!("save: server gone for {:?}", plan.patience)
                }
                Ok(_) => {
                    tries += 1;
                    self.back_off(tries).await;
                }
                Err(_) => {
                    // As the page does after a dropped connection: reload the attempt, check
                    // that what was saved is there, then send the answer again.
                    tries += 1;
                    self.back_off(tries).await;
                    self.resume(plan).await?;
                }
            }
        }
    }

    async fn resume(&mut self, plan: &Plan) -> anyhow::Result<()> {
        let questions = self.start(plan).await?;
        self.out.resumed += 1;
        for (qid, answer) in &self.out.acked {
            let kept = questions.iter().any(|q| {
                q["question_id"].as_i64() == Some(*qid)
                    && serde_json::from_value::<Vec<String>>(q["answer"].clone())
                        .ok()
                        .as_ref()
                        == Some(answer)
            });
            if !kept {
                self.out.resume_missing += 1;
            }
        }
        Ok(())
    }

    async fn submit(&mut self, plan: &Plan) -> anyhow::Result<()> {
        let Some(id) = self.out.attempt_id else {
            return Ok(());
        };
        let (r, took) = self
            .send(
                plan,
                "POST",
                &format!("/api/attempts/{id}/submit"),
                Some("{}"),
            )
            .await?;
        anyhow::ensure!(
            r.status == 200,
            "submit: HTTP {}: {}",
            r.status,
            String::from_utf8_lossy(&r.body)
        );
        self.out.submit = Some(took);
        self.out.submitted_at = Some(Instant::now());
        Ok(())
    }
}

/// An answer in the stored form (keys upper-case and sorted, 对/错, fill texts).
fn pick(q: &Value, qid: i64) -> Vec<String> {
    let keys: Vec<String> = q["options"]
        .as_array()
        .map(|o| {
            o.iter()
                .filter_map(|o| o["key"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let n = qid.unsigned_abs() as usize;
    match q["type"].as_str() {
        Some("single") if !keys.is_empty() => vec![keys[n % keys.len()].clone()],
        Some("multiple") if keys.len() > 1 => {
            let mut two = vec![keys[0].clone(), keys[1 + n % (keys.len() - 1)].clone()];
            two.sort();
            two
        }
        Some("judge") => vec![if n.is_multiple_of(2) { "对" } else { "错" }.to_string()],
        _ => vec!["六十".to_string()],
    }
}
