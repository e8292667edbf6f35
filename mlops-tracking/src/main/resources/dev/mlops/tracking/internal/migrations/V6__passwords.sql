-- The users of a tracking server who sign in with HTTP basic authentication: the password only as
-- a salted PBKDF2 hash (algorithm, iterations, salt and hash in one text), with the user's role.

CREATE TABLE access_passwords (
  user_name TEXT PRIMARY KEY,
  role TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  creation_time ${BIGINT} NOT NULL
);
