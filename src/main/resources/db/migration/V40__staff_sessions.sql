-- Web console sessions of operators and administrators. Only digests are kept: the session id
-- and the CSRF token live in the staff member's cookies. A session ends when idle too long or
-- too old (checked by the service against its clock), or at logout.
CREATE TABLE staff_sessions (
    id_hash       bytea PRIMARY KEY,
    user_name     text NOT NULL REFERENCES users ON DELETE CASCADE,
    csrf_hash     bytea NOT NULL,
    created_at    timestamptz NOT NULL,
    last_seen_at  timestamptz NOT NULL
);
CREATE INDEX staff_sessions_user ON staff_sessions (user_name);
CREATE INDEX staff_sessions_seen ON staff_sessions (last_seen_at);
