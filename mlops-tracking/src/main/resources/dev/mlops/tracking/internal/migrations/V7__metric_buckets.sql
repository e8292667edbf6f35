-- A summary of every metric history, kept by the writer in the transaction that appends its
-- points, so that a chart of millions of points reads a few thousand rows: at each level k from 1
-- to 8, the points whose steps fall in one bucket of 4 × 16^k steps (bucket = step >> (4k + 2)) are
-- summarised by their count and four of them: the first (lowest step, earliest logged among
-- equal steps), the last (highest step, latest logged among equal steps), and the lowest and the
-- highest value (earliest logged among equal values; NaN is neither, so both are NULL in a bucket
-- of NaN only). Values are stored as in metrics (value_kind). On SQLite the table is kept in its
-- primary key's order (WITHOUT ROWID), so a bucket is written and a level read in one B-tree.

CREATE TABLE metric_buckets (
  run_id TEXT NOT NULL,
  key TEXT NOT NULL,
  level SMALLINT NOT NULL,
  bucket ${BIGINT} NOT NULL,
  points ${BIGINT} NOT NULL,
  first_value ${DOUBLE} NOT NULL,
  first_kind SMALLINT NOT NULL,
  first_timestamp ${BIGINT} NOT NULL,
  first_step ${BIGINT} NOT NULL,
  last_value ${DOUBLE} NOT NULL,
  last_kind SMALLINT NOT NULL,
  last_timestamp ${BIGINT} NOT NULL,
  last_step ${BIGINT} NOT NULL,
  min_value ${DOUBLE},
  min_kind SMALLINT,
  min_timestamp ${BIGINT},
  min_step ${BIGINT},
  max_value ${DOUBLE},
  max_kind SMALLINT,
  max_timestamp ${BIGINT},
  max_step ${BIGINT},
  PRIMARY KEY (run_id, key, level, bucket)
) ${CLUSTERED};

-- The histories logged before this version have no summary; they are read whole.
CREATE TABLE unsummarized_metrics (
  run_id TEXT NOT NULL,
  key TEXT NOT NULL,
  PRIMARY KEY (run_id, key)
);

INSERT INTO unsummarized_metrics (run_id, key) SELECT run_id, key FROM latest_metrics;
