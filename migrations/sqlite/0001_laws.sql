-- Laws as works and as versions, with their headings and articles.
-- The tantivy index is derived from these tables and can be rebuilt at any time.

-- A law as a work, identified by its title (e.g. 中华人民共和国行政处罚法).
create table statute (
    statute_id integer primary key,
    title text not null unique,
    -- title without 中华人民共和国, as officials say it
    short_title text not null,
    -- folder the text came from, e.g. 行政法规 or DLC/重庆地方法规/地方性法规/重庆
    category text not null,
    -- 效力位阶: 宪法, 法律, 行政法规, 监察法规, 部门规章, 地方性法规, 司法解释, 其他
    level text not null,
    -- 全国 or the province of a local regulation
    region text not null
);

-- One version of a statute: the text in force from version_date. law_id is the public id.
create table law (
    law_id integer primary key,
    statute_id integer not null references statute (statute_id),
    -- YYYY-MM-DD, or '' when neither the file name nor the header gives a date
    version_date text not null,
    -- sha-256 of the source files' bytes: re-importing unchanged text is a no-op
    content_hash text not null,
    -- the file(s) it was imported from, separated by newlines
    source text not null,
    -- 1 for the newest version of its statute
    is_current integer not null default 0,
    -- header events as JSON: [{date, text, kind}]
    events text not null,
    imported_at text not null,
    unique (statute_id, version_date)
);

-- 编/分编/章/节 headings of a version, in order.
create table heading (
    heading_id integer primary key,
    law_id integer not null references law (law_id) on delete cascade,
    seq integer not null,
    -- 1 编, 2 分编, 3 章, 4 节
    level integer not null,
    label text not null,
    name text not null,
    parent_seq integer,
    -- seq of the first article after the heading
    first_article_seq integer not null,
    unique (law_id, seq)
);

-- Articles (第N条), plus the preamble (序言/正文) as article_no 0 and seq 0.
create table article (
    article_id integer primary key,
    law_id integer not null references law (law_id) on delete cascade,
    seq integer not null,
    article_no integer not null,
    article_sub integer not null,
    label text not null,
    -- e.g. 第三章 信访事项的提出和受理 / 第一节 …
    heading_path text not null,
    -- paragraphs as JSON: [{kind: kuan|xiang|mu|table, text}]
    body text not null,
    -- plain text, one paragraph per line
    text text not null,
    unique (law_id, seq)
);

create index article_law_no on article (law_id, article_no, article_sub);
create index law_statute on law (statute_id, is_current);
