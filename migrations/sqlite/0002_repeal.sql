-- A statute that is no longer in force: the text that repealed it, e.g. 《信访工作条例》(2022-02-25).
-- Null while in force. Set from corpus/repealed.tsv and from "《X》同时废止" clauses of newer texts.
alter table statute add column repealed_by text;
