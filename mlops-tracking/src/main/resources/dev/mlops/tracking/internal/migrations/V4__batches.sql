-- The log-batch requests a tracking server has written, by the key its client gave each one
-- (run id and batch id), recorded in the transaction that writes the batch: a batch sent again
-- after a lost answer, or after the server was restarted, finds its key and is not written twice.
-- The server forgets keys older than its batch memory, and beyond a number of them.

CREATE TABLE written_batches (
  batch_key TEXT PRIMARY KEY,
  written_at ${BIGINT} NOT NULL
);

CREATE INDEX written_batches_by_time ON written_batches (written_at);
