-- The statute in force that replaced a repealed one (信访条例 → 信访工作条例), when known: the
-- text whose "《X》同时废止" clause repealed it, or the first 《title》 named in corpus/repealed.tsv.
-- Null while in force or when nothing in the library replaced it. Set with repealed_by.
alter table statute add column successor_id bigint references statute (statute_id);
