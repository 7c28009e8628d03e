-- Study time (学习时长): the ledger of credited seconds per person, Beijing day, kind and the
-- thing studied, the heartbeat mark that crediting measures real time from, and the annual
-- requirements administrators set per unit. Times are unix seconds (UTC); days are Beijing
-- calendar days counted from 1970-01-01, as in practice.

-- Credited reading time. kind 'law': ref_id is the statute (any version of the law counts).
create table study_time (
    user_id integer not null references app_user (user_id) on delete cascade,
    day integer not null,
    kind text not null check (kind in ('law')),
    ref_id integer not null,
    seconds integer not null,
    primary key (user_id, day, kind, ref_id)
);

-- The person's previous heartbeat: the next one earns at most the real time since it.
create table study_mark (
    user_id integer primary key references app_user (user_id) on delete cascade,
    last_beat_at integer not null
);

-- A unit's own requirement for a year, overriding curriculum.toml for it and its sub-units
-- (the nearest unit with an override wins).
create table study_requirement (
    unit_id integer not null references unit (unit_id) on delete cascade,
    year integer not null,
    hours integer not null,
    sessions integer not null,
    updated_at integer not null,
    updated_by integer references app_user (user_id) on delete set null,
    primary key (unit_id, year)
);
