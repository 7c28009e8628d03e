-- Every category folder a statute was found in, newline-separated, `category` first: the
-- national database files some laws under two folders (广告法 under 行政法 and 经济法), and
-- such a law is listed under each. '' for statutes stored before this column.
alter table statute add column categories text not null default '';
