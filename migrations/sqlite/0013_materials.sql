-- Study notes (学习资料, corpus/materials/*.md): an id per note, the results of each note's
-- 3-question check, and reading time on note pages in the study ledger (kind 'material').

-- A note by its slug; the text lives in the project corpus, not here.
create table material (
    material_id integer primary key,
    slug text not null unique,
    -- the full title of the note's law, as imported
    law_title text not null
);

-- One submitted check: questions answered right of those asked.
create table material_check (
    check_id integer primary key,
    user_id integer not null references app_user (user_id) on delete cascade,
    material_id integer not null references material (material_id) on delete cascade,
    taken_at integer not null,
    correct integer not null,
    total integer not null,
    passed integer not null
);
create index material_check_user on material_check (user_id, material_id, passed);

-- SQLite cannot alter a check constraint: rebuild study_time with kind 'material' allowed
-- (ref_id is then the material_id).
create table study_time_new (
    user_id integer not null references app_user (user_id) on delete cascade,
    day integer not null,
    kind text not null check (kind in ('law', 'material')),
    ref_id integer not null,
    seconds integer not null,
    primary key (user_id, day, kind, ref_id)
);
insert into study_time_new (user_id, day, kind, ref_id, seconds)
    select user_id, day, kind, ref_id, seconds from study_time;
drop table study_time;
alter table study_time_new rename to study_time;
