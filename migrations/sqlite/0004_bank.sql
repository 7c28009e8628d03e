-- The question bank: questions, their versions (every edit adds one), the articles each
-- version cites, and the tags of the current version for filtering. Times are unix seconds.

-- A question as something that lasts. Its content lives in question_version; editing adds a
-- version and moves current_version_id, and versions never change, so attempts can cite the
-- version they were given.
create table question (
    question_id integer primary key,
    -- null only inside the transaction that creates the question
    current_version_id integer references question_version (version_id),
    -- the current version's type, for filtering: single, multiple, judge, fill
    qtype text not null check (qtype in ('single', 'multiple', 'judge', 'fill')),
    status text not null check (status in ('draft', 'approved', 'retired')),
    origin text not null check (origin in ('authored', 'imported', 'generated')),
    -- the current version's duplicate key (sha-256 of type, normalised stem and options) while
    -- the question is live; null once retired, so the unique constraint covers live questions
    dedup_key text unique,
    -- 1 when an article the question cites changed or vanished in a newer version of its law
    needs_review integer not null default 0,
    -- which articles, e.g. 《信访工作条例》第二十二条 在 2024-01-01 版本中已修改
    review_note text not null default '',
    created_by text not null,
    created_at integer not null,
    updated_by text not null,
    updated_at integer not null
);
create index question_status on question (status, origin);
create index question_review on question (needs_review);

-- One version of a question's content. Options, answer and tags are JSON
-- (see bank::model: Answer is {"type": "single", "option": 0} etc.).
create table question_version (
    version_id integer primary key,
    question_id integer not null references question (question_id),
    -- 1, 2, … in the order of edits
    version_no integer not null,
    qtype text not null,
    stem text not null,
    options text not null,
    answer text not null,
    explanation text not null,
    difficulty integer not null check (difficulty between 1 and 5),
    tags text not null,
    -- this content's duplicate key, copied to question.dedup_key while it is current and live
    dedup_key text not null,
    created_by text not null,
    created_at integer not null,
    unique (question_id, version_no)
);

-- The articles a version cites, resolved when the version was saved: the law version it was
-- written against and a copy (and hash) of the article's text then, which review compares
-- with the law's current version when the law changes.
create table question_basis (
    version_id integer not null references question_version (version_id),
    seq integer not null,
    statute_id integer not null references statute (statute_id),
    law_id integer not null references law (law_id),
    article_no integer not null,
    article_sub integer not null,
    -- sha-256 of article_text
    text_hash text not null,
    article_text text not null,
    primary key (version_id, seq)
);
create index question_basis_statute on question_basis (statute_id);

-- Tags of each question's current version (knowledge points such as 信访/办理期限).
create table question_tag (
    question_id integer not null references question (question_id),
    tag text not null,
    primary key (question_id, tag)
);
create index question_tag_tag on question_tag (tag);
