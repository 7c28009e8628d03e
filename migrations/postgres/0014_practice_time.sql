-- Practice time as a ledger: seconds credited per person and Beijing day when an answer is
-- given (the gap since the person's previous answer, capped at 120 s; a run's first answer
-- 60 s; learning::credit_practice). Reports and /me sum these rows instead of replaying
-- every answer of the year through a window function.
create table practice_time (
    user_id bigint not null references app_user (user_id) on delete cascade,
    day bigint not null,
    seconds bigint not null,
    primary key (user_id, day)
);

-- The previous answer's time, read when the next one is credited.
create index practice_answer_time on practice_answer (user_id, answered_at);

-- The answers given before this migration, by the same rule.
insert into practice_time (user_id, day, seconds)
select user_id, day, sum(case when gap is null or gap > 120 then 60 else gap end)
from (select user_id, day, answered_at - lag(answered_at) over
      (partition by user_id order by answered_at, answer_id) as gap from practice_answer) g
group by user_id, day;
