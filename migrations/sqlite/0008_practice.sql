-- Practice (练习): sessions of questions, every answer given, the spaced-repetition card of
-- each person and question, the wrong-answer book (错题本) and the days a 每日一练 was done.
-- Times are unix seconds (UTC); days are Beijing calendar days counted from 1970-01-01.

-- One run of practice: the questions chosen for a source (a law, a chapter, an article, a
-- tag, my weak points, today's review) and how far the person got.
create table practice_session (
    session_id integer primary key,
    user_id integer not null references app_user (user_id) on delete cascade,
    -- law, chapter, article, tag, weak, daily
    source text not null,
    -- the source's parameters as JSON, to show what is practised
    params text not null,
    -- question ids in order, as JSON
    question_ids text not null,
    -- how many of them are answered
    answered integer not null default 0,
    created_at integer not null,
    -- set when the last question is answered
    completed_at integer
);
create index practice_session_user on practice_session (user_id, created_at);

-- Every practice answer, kept: the version answered, what was given (JSON array as the API
-- takes it) and whether it was right.
create table practice_answer (
    answer_id integer primary key,
    user_id integer not null references app_user (user_id) on delete cascade,
    question_id integer not null references question (question_id),
    version_id integer not null references question_version (version_id),
    session_id integer references practice_session (session_id) on delete set null,
    given text not null,
    correct integer not null,
    answered_at integer not null,
    day integer not null
);
create index practice_answer_user on practice_answer (user_id, question_id);

-- The SM-2 state of one person and question (src/practice/schedule.rs).
create table practice_card (
    user_id integer not null references app_user (user_id) on delete cascade,
    question_id integer not null references question (question_id),
    -- right answers in a row at review time
    reps integer not null,
    lapses integer not null,
    -- ease factor × 1000 (2500 = 2.5)
    ease integer not null,
    interval_days integer not null,
    -- the Beijing day the question is next due
    due_day integer not null,
    answers integer not null,
    rights integer not null,
    last_day integer not null,
    primary key (user_id, question_id)
);
create index practice_card_due on practice_card (user_id, due_day);

-- The wrong-answer book: a question enters on a wrong answer and leaves when it is answered
-- right on a later Beijing day than its last wrong answer.
create table wrong_entry (
    user_id integer not null references app_user (user_id) on delete cascade,
    question_id integer not null references question (question_id),
    -- the last wrong answer given, JSON as in practice_answer.given
    given text not null,
    wrong_count integer not null,
    first_wrong_at integer not null,
    last_wrong_at integer not null,
    last_wrong_day integer not null,
    primary key (user_id, question_id)
);

-- The Beijing days on which a person finished a 每日一练: the streak on /me.
create table practice_day (
    user_id integer not null references app_user (user_id) on delete cascade,
    day integer not null,
    completed_at integer not null,
    primary key (user_id, day)
);
