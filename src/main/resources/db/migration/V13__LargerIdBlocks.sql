-- A poll of 500 policy changes drew ten values from each of the three sequences, 30 of the 60 round trips its commit
-- made; 500 at a time, it draws one each. A replica still on blocks of 50 takes the 50 below a value it drew, inside
-- the 500 that nobody else takes.
alter sequence policy_change_seq increment by 500;
alter sequence policy_change_revision_seq increment by 500;
alter sequence planning_task_seq increment by 500;
