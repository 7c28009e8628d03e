-- Exams: definitions, per-person overrides, attempts with the paper each one drew, the
-- answers saved as they are given, and the evidence log. Times are unix seconds (UTC);
-- points are hundredths (integers), so sums and pass marks compare exactly.

-- An exam as administrators defined it. definition is the validated JSON of
-- exam::model::ExamDefinition (sections, audience, rules); the columns beside it are what
-- lists filter and sort on.
create table exam (
    exam_id integer primary key,
    title text not null,
    kind text not null check (kind in ('annual', 'qualification', 'quiz')),
    status text not null check (status in ('draft', 'published')),
    definition text not null,
    opens_at integer not null,
    closes_at integer not null,
    -- the creating unit administrator's unit (exam and results limited to it); '' = system
    scope text not null,
    created_by text not null,
    created_at integer not null,
    published_at integer
);
create index exam_status on exam (status, opens_at);

-- One person's exceptions to an exam's rules (one row per person, replaced on change; every
-- change is in the audit log with its reason).
create table exam_override (
    exam_id integer not null references exam (exam_id),
    user_id integer not null references app_user (user_id),
    extra_minutes integer not null default 0,
    extra_attempts integer not null default 0,
    -- another window, or null for the exam's own
    opens_at integer,
    closes_at integer,
    reason text not null,
    created_by text not null,
    created_at integer not null,
    primary key (exam_id, user_id)
);

-- One sitting. status: in_progress, then submitted (by the taker) or expired (closed by the
-- server at the deadline with what was saved).
create table attempt (
    attempt_id integer primary key,
    exam_id integer not null references exam (exam_id),
    user_id integer not null references app_user (user_id),
    attempt_no integer not null,
    -- the paper is drawn from this seed (kept as text: a u64 does not fit a signed integer)
    seed text not null,
    status text not null check (status in ('in_progress', 'submitted', 'expired')),
    started_at integer not null,
    deadline integer not null,
    finished_at integer,
    score integer,
    max_score integer not null,
    passed integer,
    unique (exam_id, user_id, attempt_no)
);
-- At most one attempt in progress per person and exam, whatever races the requests run.
create unique index attempt_one_open on attempt (exam_id, user_id) where status = 'in_progress';
create index attempt_open_deadline on attempt (deadline) where status = 'in_progress';
create index attempt_by_user on attempt (user_id);

-- The paper: each question in the order shown, the version it was drawn at, how its options
-- were shuffled (JSON: shown position -> original index) and what the taker saved.
create table attempt_item (
    attempt_id integer not null references attempt (attempt_id),
    seq integer not null,
    question_id integer not null references question (question_id),
    version_id integer not null references question_version (version_id),
    section text not null,
    points integer not null,
    option_order text not null,
    -- JSON array as given (option keys, 对/错, fill texts); null while unanswered
    answer text,
    answered_at integer,
    flagged integer not null default 0,
    -- the version whose key graded this item (a regrade moves it to the corrected version)
    graded_version_id integer,
    earned integer,
    primary key (attempt_id, seq),
    unique (attempt_id, question_id)
);

-- Evidence for the administrator: the page hidden or shown again, and similar events.
create table attempt_event (
    event_id integer primary key,
    attempt_id integer not null references attempt (attempt_id),
    at integer not null,
    kind text not null,
    detail text not null
);
create index attempt_event_attempt on attempt_event (attempt_id);
