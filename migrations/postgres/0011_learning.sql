-- Study time (学习时长): the ledger of credited seconds per person, Beijing day, kind and the
-- thing studied, the heartbeat mark that crediting measures real time from, and the annual
-- requirements administrators set per unit. Times are unix seconds (UTC); days are Beijing
-- calendar days counted from 1970-01-01, as in practice.

-- Credited reading time. kind 'law': ref_id is the statute (any version of the law counts).
create table study_time (
    user_id bigint not null references app_user (user_id) on delete cascade,
    day bigint not null,
    kind text not null check (kind in ('law')),
    ref_id bigint not null,
    seconds bigint not null,
    primary key (user_id, day, kind, ref_id)
);

-- The person's previous heartbeat: the next one earns at most the real time since it.
create table study_mark (
    user_id bigint primary key references app_user (user_id) on delete cascade,
    last_beat_at bigint not null
);

-- A unit's own requirement for a year, overriding curriculum.toml for it and its sub-units
-- (the nearest unit with an override wins).
create table study_requirement (
    unit_id bigint not null references unit (unit_id) on delete cascade,
    year bigint not null,
    hours bigint not null,
    sessions bigint not null,
    updated_at bigint not null,
    updated_by bigint references app_user (user_id) on delete set null,
    primary key (unit_id, year)
);
