-- cdaudit history store, schema version 1 (SQLite).
--
-- One row in audits per saved report: its envelope (the report JSON
-- without its targets); one row in target_results per target, holding the
-- target's result JSON. Store.Report reassembles the whole report from
-- them. measurements, levels and sources are normalised copies of each
-- result for queries, trends and dashboards. Times are Unix nanoseconds.

CREATE TABLE audits (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    generated_at_ns INTEGER NOT NULL,
    saved_at_ns     INTEGER NOT NULL,
    report_schema   TEXT    NOT NULL,
    version         TEXT    NOT NULL DEFAULT '',
    window_since_ns INTEGER,
    window_until_ns INTEGER,
    target_count    INTEGER NOT NULL,
    envelope        TEXT    NOT NULL
);

CREATE INDEX audits_generated ON audits (generated_at_ns);

CREATE TABLE target_results (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    audit_id INTEGER NOT NULL REFERENCES audits (id) ON DELETE CASCADE,
    seq      INTEGER NOT NULL,
    target   TEXT    NOT NULL,
    at_ns    INTEGER NOT NULL,
    error    TEXT    NOT NULL DEFAULT '',
    result   TEXT    NOT NULL,
    UNIQUE (audit_id, seq)
);

CREATE INDEX target_results_target_at ON target_results (target, at_ns, id);

CREATE TABLE measurements (
    target_result_id INTEGER NOT NULL REFERENCES target_results (id) ON DELETE CASCADE,
    measurement      TEXT    NOT NULL,
    value            REAL,
    unit             TEXT    NOT NULL DEFAULT '',
    n                INTEGER NOT NULL DEFAULT 0,
    note             TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (target_result_id, measurement)
);

CREATE TABLE levels (
    target_result_id  INTEGER NOT NULL REFERENCES target_results (id) ON DELETE CASCADE,
    seq               INTEGER NOT NULL,
    practice          TEXT    NOT NULL,
    dimension         TEXT    NOT NULL DEFAULT '',
    level             INTEGER,
    basis             TEXT    NOT NULL DEFAULT '',
    measured_level    INTEGER,
    lower_bound       INTEGER,
    upper_bound       INTEGER,
    automatic_max     INTEGER,
    needs_attestation INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (target_result_id, seq)
);

CREATE INDEX levels_practice ON levels (practice, dimension);

CREATE TABLE sources (
    target_result_id      INTEGER NOT NULL REFERENCES target_results (id) ON DELETE CASCADE,
    seq                   INTEGER NOT NULL,
    kind                  TEXT    NOT NULL,
    name                  TEXT    NOT NULL DEFAULT '',
    status                TEXT    NOT NULL,
    error                 TEXT    NOT NULL DEFAULT '',
    duration_seconds      REAL    NOT NULL DEFAULT 0,
    requests_total        INTEGER,
    requests_counted      INTEGER,
    requests_not_modified INTEGER,
    requests_cache_hits   INTEGER,
    requests_errors       INTEGER,
    requests_retries      INTEGER,
    requests_rate_limited INTEGER,
    PRIMARY KEY (target_result_id, seq)
);
