-- The runs of an experiment by status, newest last: a search for the runs still RUNNING (what a
-- life cycle looks for when it starts, to end the ones a killed pass left) reads those runs
-- instead of every run the experiment ever had.

CREATE INDEX runs_by_status ON runs (experiment_id, lifecycle_stage, status, start_time, run_id);
