-- Accounts: units (a tree), users with roles, server-side sessions, login throttling, audit.
-- Times are unix seconds (UTC).

-- A unit of the government, e.g. 柱山乡 › 综合行政执法大队. path is the full name path,
-- "柱山乡/综合行政执法大队": scope checks are prefix checks on it.
create table unit (
    unit_id integer primary key,
    parent_id integer references unit (unit_id),
    name text not null,
    path text not null unique,
    created_at integer not null
);

-- A person who signs in. username is the login id (employee number or phone).
create table app_user (
    user_id integer primary key,
    username text not null unique,
    name text not null,
    unit_id integer not null references unit (unit_id),
    phone text not null default '',
    -- argon2id PHC string
    password_hash text not null,
    active integer not null default 1,
    must_change_password integer not null default 1,
    created_at integer not null,
    updated_at integer not null
);

-- official (学员), officer (执法人员), unit_admin (单位管理员), admin (系统管理员)
create table user_role (
    user_id integer not null references app_user (user_id) on delete cascade,
    role text not null,
    primary key (user_id, role)
);

-- Failed sign-ins per login name, whether or not such a user exists, so that lockouts do not
-- reveal which accounts exist.
create table login_throttle (
    username text primary key,
    failures integer not null,
    window_start integer not null,
    locked_until integer not null
);

-- Server-side sessions; the cookie holds a random token, the table only its sha-256.
create table session (
    session_hash text primary key,
    user_id integer not null references app_user (user_id) on delete cascade,
    csrf_token text not null,
    created_at integer not null,
    last_seen_at integer not null
);
create index session_by_user on session (user_id);

-- Who did what to whom, when. The application only ever inserts here.
create table audit_log (
    audit_id integer primary key,
    at integer not null,
    actor_id integer,
    actor text not null,
    action text not null,
    target text not null,
    detail text not null,
    ip text not null
);
create index audit_at on audit_log (at);
