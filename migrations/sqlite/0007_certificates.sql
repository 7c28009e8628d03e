-- Enforcement certificates (行政执法证). Times are unix seconds (UTC).

-- One certificate. The printed facts (holder's name, unit, category, area, issuer) are kept
-- as they were on the day of issue: a certificate is a document, it does not follow later
-- renames. Status is derived: revoked_at set = 吊销; superseded_by set = 换发 (a newer
-- certificate replaces it); now >= valid_until = 过期; else valid.
create table certificate (
    certificate_id integer primary key,
    -- e.g. 2026-50-000123-K7QMX: year, province code (GB/T 2260), sequence, random + check
    number text not null unique,
    user_id integer not null references app_user (user_id),
    holder_name text not null,
    unit_path text not null,
    category text not null,
    area text not null,
    issuer text not null,
    -- exam: passed a qualification exam in xuefa; held: entered by an administrator for a
    -- certificate issued before xuefa (no exam); reissue: replaces an earlier certificate
    source text not null,
    -- set when issued by passing a qualification exam; the exam tables come with migration
    -- 0006, so these are plain columns, no foreign keys
    exam_id integer,
    attempt_id integer,
    exam_title text,
    score real,
    -- the number printed on a certificate issued outside xuefa, when entered (source = held)
    original_number text,
    reissue_of integer references certificate (certificate_id),
    issued_at integer not null,
    valid_until integer not null,
    revoked_at integer,
    revoked_reason text,
    superseded_by integer references certificate (certificate_id),
    created_at integer not null
);
-- Issuing twice for the same attempt is a no-op: the database refuses the second.
create unique index certificate_by_attempt on certificate (attempt_id)
    where attempt_id is not null and reissue_of is null;
create index certificate_by_user on certificate (user_id);
create index certificate_by_expiry on certificate (valid_until);

-- The last sequence number given out per year; one atomic upsert per issue.
create table certificate_counter (
    year integer primary key,
    last integer not null
);
