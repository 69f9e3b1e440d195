-- cdaudit history store, schema version 2 (SQLite): deployments recorded
-- with `cdaudit record-deployment` by pipelines whose deployments no host
-- keeps. The next audit of the target counts them. Times are Unix
-- nanoseconds.

CREATE TABLE deployments (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    target         TEXT    NOT NULL,
    environment    TEXT    NOT NULL,
    sha            TEXT    NOT NULL,
    ref            TEXT    NOT NULL DEFAULT '',
    status         TEXT    NOT NULL,
    url            TEXT    NOT NULL DEFAULT '',
    at_ns          INTEGER NOT NULL,
    recorded_at_ns INTEGER NOT NULL
);

CREATE INDEX deployments_target_at ON deployments (target, at_ns);
