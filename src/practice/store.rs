//! SQL for practice: sessions, answers, cards, the wrong-answer book and finished days.
//! Functions take a connection or transaction; the caller decides the unit of work.

use sqlx::{AnyConnection, FromRow};

use super::schedule::Card;
use super::source::WEAK_ACCURACY_PERCENT;

/// A bind value of a dynamic query.
#[derive(Debug, Clone)]
pub enum Param {
    Int(i64),
    Text(String),
}

/// Which approved questions a session draws from, as SQL over `q` (question) with its
/// parameters numbered from `$3` (`$1` is the user, `$2` today).
#[derive(Debug, Clone)]
pub enum Filter {
    Statute(i64),
    Article {
        statute_id: i64,
        no: u32,
        sub: u32,
    },
    /// Articles of this law version with `lo <= seq < hi`.
    Articles {
        statute_id: i64,
        law_id: i64,
        lo: i64,
        hi: i64,
    },
    Tag(String),
    Weak,
}

impl Filter {
    fn sql(&self) -> (String, Vec<Param>) {
        use Param::{Int, Text};
        let basis = "exists (select 1 from question_basis b where b.version_id = \
                     q.current_version_id and b.statute_id = $3";
        match self {
            Filter::Statute(s) => (format!("{basis})"), vec![Int(*s)]),
            Filter::Article {
                statute_id,
                no,
                sub,
            } => (
                format!("{basis} and b.article_no = $4 and b.article_sub = $5)"),
                vec![Int(*statute_id), Int(i64::from(*no)), Int(i64::from(*sub))],
            ),
            Filter::Articles {
                statute_id,
                law_id,
                lo,
                hi,
            } => (
                "exists (select 1 from question_basis b join article a on a.law_id = $4 \
                 and a.article_no = b.article_no and a.article_sub = b.article_sub \
                 where b.version_id = q.current_version_id and b.statute_id = $3 \
                 and a.seq >= $5 and a.seq < $6)"
                    .into(),
                vec![Int(*statute_id), Int(*law_id), Int(*lo), Int(*hi)],
            ),
            Filter::Tag(t) => (
                "exists (select 1 from question_tag t where t.question_id = q.question_id \
                 and t.tag = $3)"
                    .into(),
                vec![Text(t.clone())],
            ),
            Filter::Weak => (
                format!(
                    "(exists (select 1 from wrong_entry w where w.user_id = $1 \
                     and w.question_id = q.question_id) \
                     or (c.answers >= 3 and c.rights * 100 < c.answers * \
                     {WEAK_ACCURACY_PERCENT}))"
                ),
                vec![],
            ),
        }
    }
}

/// Up to `limit` approved questions of `filter` for this person: never answered first, then
/// those due, then the rest by due day.
pub async fn candidates(
    conn: &mut AnyConnection,
    user_id: i64,
    today: i64,
    filter: &Filter,
    limit: usize,
) -> Result<Vec<i64>, sqlx::Error> {
    let (cond, params) = filter.sql();
    let sql = format!(
        "select q.question_id from question q left join practice_card c \
         on c.user_id = $1 and c.question_id = q.question_id \
         where q.status = 'approved' and {cond} \
         order by case when c.question_id is null then 0 when c.due_day <= $2 then 1 else 2 end, \
         coalesce(c.due_day, 0), q.question_id limit ${}",
        params.len() + 3
    );
    let mut q = sqlx::query_scalar::<_, i64>(&sql).bind(user_id).bind(today);
    for p in params {
        q = match p {
            Param::Int(i) => q.bind(i),
            Param::Text(s) => q.bind(s),
        };
    }
    q.bind(limit.min(1000) as i64).fetch_all(&mut *conn).await
}

/// Approved questions due for this person, most overdue first.
pub async fn due(
    conn: &mut AnyConnection,
    user_id: i64,
    today: i64,
    limit: usize,
) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "select c.question_id from practice_card c join question q \
         on q.question_id = c.question_id and q.status = 'approved' \
         where c.user_id = $1 and c.due_day <= $2 order by c.due_day, c.question_id limit $3",
    )
    .bind(user_id)
    .bind(today)
    .bind(limit as i64)
    .fetch_all(&mut *conn)
    .await
}

/// Approved questions on the required laws this person has never answered, in bank order.
/// Required laws: until a curriculum names them, every law an approved question cites
/// (so every approved question qualifies).
pub async fn unseen(
    conn: &mut AnyConnection,
    user_id: i64,
    limit: usize,
) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "select q.question_id from question q where q.status = 'approved' \
         and exists (select 1 from question_basis b where b.version_id = q.current_version_id) \
         and not exists (select 1 from practice_card c where c.user_id = $1 \
         and c.question_id = q.question_id) order by q.question_id limit $2",
    )
    .bind(user_id)
    .bind(limit as i64)
    .fetch_all(&mut *conn)
    .await
}

pub async fn count_due(
    conn: &mut AnyConnection,
    user_id: i64,
    today: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "select count(*) from practice_card c join question q \
         on q.question_id = c.question_id and q.status = 'approved' \
         where c.user_id = $1 and c.due_day <= $2",
    )
    .bind(user_id)
    .bind(today)
    .fetch_one(&mut *conn)
    .await
}

#[derive(Debug, Clone, FromRow)]
pub struct SessionRow {
    pub session_id: i64,
    pub user_id: i64,
    pub source: String,
    pub params: String,
    pub question_ids: String,
    pub answered: i64,
    pub created_at: i64,
    pub completed_at: Option<i64>,
}

impl SessionRow {
    pub fn ids(&self) -> Vec<i64> {
        serde_json::from_str(&self.question_ids).unwrap_or_default()
    }
}

pub async fn insert_session(
    conn: &mut AnyConnection,
    user_id: i64,
    source: &str,
    params: &str,
    ids: &[i64],
    now: i64,
) -> Result<i64, sqlx::Error> {
    let ids = serde_json::to_string(ids).unwrap_or_else(|_| "[]".into());
    sqlx::query_scalar(
        "insert into practice_session (user_id, source, params, question_ids, created_at) \
         values ($1, $2, $3, $4, $5) returning session_id",
    )
    .bind(user_id)
    .bind(source)
    .bind(params)
    .bind(ids)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
}

pub async fn session(
    conn: &mut AnyConnection,
    session_id: i64,
) -> Result<Option<SessionRow>, sqlx::Error> {
    sqlx::query_as(
        "select session_id, user_id, source, params, question_ids, answered, created_at, \
         completed_at from practice_session where session_id = $1",
    )
    .bind(session_id)
    .fetch_optional(&mut *conn)
    .await
}

/// Moves the session from `from` to `to` answered questions, `completed_at` once the last is
/// answered. Only from `from`, so two submissions of the same answer advance it once.
pub async fn advance(
    conn: &mut AnyConnection,
    session_id: i64,
    from: i64,
    to: i64,
    completed_at: Option<i64>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "update practice_session set answered = $3, completed_at = $4 \
         where session_id = $1 and answered = $2",
    )
    .bind(session_id)
    .bind(from)
    .bind(to)
    .bind(completed_at)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

#[derive(FromRow)]
struct CardRow {
    reps: i64,
    lapses: i64,
    ease: i64,
    interval_days: i64,
    due_day: i64,
    answers: i64,
    rights: i64,
    last_day: i64,
}

pub async fn card(
    conn: &mut AnyConnection,
    user_id: i64,
    question_id: i64,
) -> Result<Option<Card>, sqlx::Error> {
    let row: Option<CardRow> = sqlx::query_as(
        "select reps, lapses, ease, interval_days, due_day, answers, rights, last_day \
         from practice_card where user_id = $1 and question_id = $2",
    )
    .bind(user_id)
    .bind(question_id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|r| Card {
        reps: r.reps,
        lapses: r.lapses,
        ease: r.ease,
        interval_days: r.interval_days,
        due_day: r.due_day,
        answers: r.answers,
        rights: r.rights,
        last_day: r.last_day,
    }))
}

pub async fn save_card(
    conn: &mut AnyConnection,
    user_id: i64,
    question_id: i64,
    c: &Card,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into practice_card (user_id, question_id, reps, lapses, ease, interval_days, \
         due_day, answers, rights, last_day) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
         on conflict (user_id, question_id) do update set reps = excluded.reps, \
         lapses = excluded.lapses, ease = excluded.ease, interval_days = excluded.interval_days, \
         due_day = excluded.due_day, answers = excluded.answers, rights = excluded.rights, \
         last_day = excluded.last_day",
    )
    .bind(user_id)
    .bind(question_id)
    .bind(c.reps)
    .bind(c.lapses)
    .bind(c.ease)
    .bind(c.interval_days)
    .bind(c.due_day)
    .bind(c.answers)
    .bind(c.rights)
    .bind(c.last_day)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// One answer as given, kept for good.
pub struct NewAnswer<'a> {
    pub user_id: i64,
    pub question_id: i64,
    pub version_id: i64,
    pub session_id: Option<i64>,
    pub given: &'a str,
    pub correct: bool,
    pub now: i64,
    pub day: i64,
}

pub async fn insert_answer(conn: &mut AnyConnection, a: &NewAnswer<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into practice_answer (user_id, question_id, version_id, session_id, given, \
         correct, answered_at, day) values ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(a.user_id)
    .bind(a.question_id)
    .bind(a.version_id)
    .bind(a.session_id)
    .bind(a.given)
    .bind(i64::from(a.correct))
    .bind(a.now)
    .bind(a.day)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Files a wrong answer in the book (a new entry, or the entry's latest wrong answer).
pub async fn book_wrong(conn: &mut AnyConnection, a: &NewAnswer<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into wrong_entry (user_id, question_id, given, wrong_count, first_wrong_at, \
         last_wrong_at, last_wrong_day) values ($1, $2, $3, 1, $4, $4, $5) \
         on conflict (user_id, question_id) do update set given = excluded.given, \
         wrong_count = wrong_entry.wrong_count + 1, last_wrong_at = excluded.last_wrong_at, \
         last_wrong_day = excluded.last_wrong_day",
    )
    .bind(a.user_id)
    .bind(a.question_id)
    .bind(a.given)
    .bind(a.now)
    .bind(a.day)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A right answer takes the question out of the book when its last wrong answer was on an
/// earlier day. Returns whether it is (still) in the book.
pub async fn book_right(
    conn: &mut AnyConnection,
    user_id: i64,
    question_id: i64,
    day: i64,
) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "delete from wrong_entry where user_id = $1 and question_id = $2 and last_wrong_day < $3",
    )
    .bind(user_id)
    .bind(question_id)
    .bind(day)
    .execute(&mut *conn)
    .await?;
    let left: i64 = sqlx::query_scalar(
        "select count(*) from wrong_entry where user_id = $1 and question_id = $2",
    )
    .bind(user_id)
    .bind(question_id)
    .fetch_one(&mut *conn)
    .await?;
    Ok(left > 0)
}

#[derive(Debug, Clone, FromRow)]
pub struct WrongRow {
    pub question_id: i64,
    pub given: String,
    pub wrong_count: i64,
    pub last_wrong_at: i64,
}

/// This person's book, latest wrong answer first, optionally of one statute or one tag.
pub async fn wrong_entries(
    conn: &mut AnyConnection,
    user_id: i64,
    statute_id: Option<i64>,
    tag: Option<&str>,
) -> Result<Vec<WrongRow>, sqlx::Error> {
    sqlx::query_as(
        "select w.question_id, w.given, w.wrong_count, w.last_wrong_at from wrong_entry w \
         join question q on q.question_id = w.question_id \
         where w.user_id = $1 \
         and ($2 = 0 or exists (select 1 from question_basis b where \
              b.version_id = q.current_version_id and b.statute_id = $2)) \
         and ($3 = '' or exists (select 1 from question_tag t where \
              t.question_id = q.question_id and t.tag = $3)) \
         order by w.last_wrong_at desc, w.question_id limit 500",
    )
    .bind(user_id)
    .bind(statute_id.unwrap_or(0))
    .bind(tag.unwrap_or(""))
    .fetch_all(&mut *conn)
    .await
}

/// Records that the person finished a 每日一练 on `day` (once per day).
pub async fn mark_day(
    conn: &mut AnyConnection,
    user_id: i64,
    day: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into practice_day (user_id, day, completed_at) values ($1, $2, $3) \
         on conflict (user_id, day) do nothing",
    )
    .bind(user_id)
    .bind(day)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The days with a finished 每日一练, latest first (enough for any streak worth showing).
pub async fn days(conn: &mut AnyConnection, user_id: i64) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "select day from practice_day where user_id = $1 order by day desc limit 3660",
    )
    .bind(user_id)
    .fetch_all(&mut *conn)
    .await
}
