-- Concentrated study sessions (集中学法, 党委理论学习中心组学法, 法治培训班): the session, its
-- laws and expected roster, sign-ins and make-ups. Times are unix seconds (UTC).

create table training (
    training_id integer primary key,
    title text not null,
    -- concentrated (集中学法), group_study (中心组学法), training (法治培训班)
    kind text not null,
    starts_at integer not null,
    ends_at integer not null,
    -- check-in opens this many seconds before the start and closes this many after the end
    grace_before integer not null,
    grace_after integer not null,
    -- study time credited to each attendee, in minutes
    credited_minutes integer not null,
    -- 6 characters from an unambiguous alphabet, shown at the session and in its QR code
    checkin_code text not null unique,
    -- the unit subtree of the unit administrator who made it; '' for system administrators
    scope text not null,
    created_by text not null,
    created_at integer not null
);
create index training_by_start on training (starts_at);

create table training_law (
    training_id integer not null references training (training_id) on delete cascade,
    law_id integer not null references law (law_id),
    primary key (training_id, law_id)
);

-- The expected roster: whole units (with their sub-units) and named people.
create table training_unit (
    training_id integer not null references training (training_id) on delete cascade,
    unit_path text not null,
    primary key (training_id, unit_path)
);
create table training_person (
    training_id integer not null references training (training_id) on delete cascade,
    user_id integer not null references app_user (user_id),
    primary key (training_id, user_id)
);

-- Attendance: one row per person and session. how = checkin (signed in on the phone),
-- corrected (an administrator, with a reason), makeup (passed the 补学 check).
create table training_attendance (
    training_id integer not null references training (training_id) on delete cascade,
    user_id integer not null references app_user (user_id),
    present integer not null,
    how text not null,
    reason text not null default '',
    at integer not null,
    primary key (training_id, user_id)
);
create index training_attendance_by_user on training_attendance (user_id);

-- A make-up check drawn for an absentee: the question ids (JSON) and, once answered, the result.
create table training_makeup (
    makeup_id integer primary key,
    training_id integer not null references training (training_id) on delete cascade,
    user_id integer not null references app_user (user_id),
    question_ids text not null,
    created_at integer not null,
    submitted_at integer,
    right_answers integer,
    passed integer
);
create index training_makeup_by_user on training_makeup (training_id, user_id);
