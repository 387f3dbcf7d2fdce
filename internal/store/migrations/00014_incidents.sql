-- +goose Up
-- 情報セキュリティインシデント: reports, their triage, the notifications the pack's routes and
-- categories require (the escalation checklist), the timeline of every event, evidence with its
-- SHA-256, related assets, the staff named to handle a restricted incident, and the numbers of
-- the 緊急連絡網. Timeline events and evidence are never changed or deleted: triggers refuse it.

-- 緊急連絡先: the number a member of staff is reached on in an emergency.
ALTER TABLE staff ADD COLUMN phone TEXT NOT NULL DEFAULT '';

CREATE TABLE incidents (
    id                  {{id}},
    org_id              BIGINT NOT NULL REFERENCES organizations(id),
    title               TEXT NOT NULL,
    state               TEXT NOT NULL,
    department_id       BIGINT REFERENCES departments(id),
    reporter_staff_id   BIGINT REFERENCES staff(id),
    outside_reporter    TEXT NOT NULL DEFAULT '',
    outside_contact     TEXT NOT NULL DEFAULT '',
    report_json         TEXT NOT NULL DEFAULT '{}',
    detected_at         {{ts}} NOT NULL,
    reported_at         {{ts}} NOT NULL,
    is_incident         BOOLEAN,
    category            TEXT NOT NULL DEFAULT '',
    severity            TEXT NOT NULL DEFAULT '',
    routes_json         TEXT NOT NULL DEFAULT '[]',
    systems_json        TEXT NOT NULL DEFAULT '[]',
    restricted          BOOLEAN NOT NULL DEFAULT FALSE,
    triaged_at          {{ts}},
    triaged_by_staff_id BIGINT REFERENCES staff(id),
    contained_at        {{ts}},
    recovered_at        {{ts}},
    monitoring_until    {{ts}},
    closed_at           {{ts}},
    root_cause          TEXT NOT NULL DEFAULT '',
    plan_json           TEXT NOT NULL DEFAULT '',
    publication_json    TEXT NOT NULL DEFAULT '',
    crime_json          TEXT NOT NULL DEFAULT '',
    upward_org_id       BIGINT REFERENCES organizations(id),
    upward_at           {{ts}},
    version             INTEGER NOT NULL DEFAULT 1,
    created_at          {{ts}} NOT NULL,
    updated_at          {{ts}} NOT NULL
);
CREATE INDEX incidents_org_state ON incidents (org_id, state, id);
CREATE INDEX incidents_upward ON incidents (upward_org_id, id);

CREATE TABLE incident_events (
    id           {{id}},
    org_id       BIGINT NOT NULL REFERENCES organizations(id),
    incident_id  BIGINT NOT NULL REFERENCES incidents(id),
    kind         TEXT NOT NULL,
    at           {{ts}} NOT NULL,
    recorded_at  {{ts}} NOT NULL,
    actor_org_id BIGINT NOT NULL REFERENCES organizations(id),
    staff_id     BIGINT REFERENCES staff(id),
    actor        TEXT NOT NULL,
    evidence_id  BIGINT,
    text         TEXT NOT NULL DEFAULT '',
    data_json    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX incident_events_incident ON incident_events (incident_id, id);

CREATE TABLE incident_notifications (
    id             {{id}},
    org_id         BIGINT NOT NULL REFERENCES organizations(id),
    incident_id    BIGINT NOT NULL REFERENCES incidents(id),
    seq            INTEGER NOT NULL,
    source         TEXT NOT NULL,
    from_contact   TEXT NOT NULL,
    to_contact     TEXT NOT NULL,
    to_name        TEXT NOT NULL,
    external       BOOLEAN NOT NULL DEFAULT FALSE,
    action         TEXT NOT NULL DEFAULT '',
    within_words   TEXT NOT NULL DEFAULT '',
    within_minutes INTEGER NOT NULL DEFAULT 0,
    cite           TEXT NOT NULL DEFAULT '',
    due_at         {{ts}},
    state          TEXT NOT NULL DEFAULT 'open',
    done_at        {{ts}},
    means          TEXT NOT NULL DEFAULT '',
    done_by_staff_id BIGINT REFERENCES staff(id),
    note           TEXT NOT NULL DEFAULT '',
    recorded_at    {{ts}},
    UNIQUE (incident_id, seq)
);
CREATE INDEX incident_notifications_due ON incident_notifications (org_id, state, due_at);

CREATE TABLE incident_evidence (
    id            {{id}},
    org_id        BIGINT NOT NULL REFERENCES organizations(id),
    incident_id   BIGINT NOT NULL REFERENCES incidents(id),
    name          TEXT NOT NULL,
    declared_type TEXT NOT NULL,
    sniffed_type  TEXT NOT NULL,
    size          BIGINT NOT NULL,
    sha256        TEXT NOT NULL,
    body          {{blob}} NOT NULL,
    description   TEXT NOT NULL DEFAULT '',
    collected_by_staff_id BIGINT REFERENCES staff(id),
    collected_at  {{ts}} NOT NULL,
    recorded_at   {{ts}} NOT NULL
);
CREATE INDEX incident_evidence_incident ON incident_evidence (incident_id, id);

CREATE TABLE incident_assets (
    org_id      BIGINT NOT NULL REFERENCES organizations(id),
    incident_id BIGINT NOT NULL REFERENCES incidents(id),
    asset_id    BIGINT NOT NULL REFERENCES assets(id),
    PRIMARY KEY (incident_id, asset_id)
);

CREATE TABLE incident_handlers (
    org_id      BIGINT NOT NULL REFERENCES organizations(id),
    incident_id BIGINT NOT NULL REFERENCES incidents(id),
    staff_id    BIGINT NOT NULL REFERENCES staff(id),
    added_at    {{ts}} NOT NULL,
    PRIMARY KEY (incident_id, staff_id)
);
CREATE INDEX incident_handlers_staff ON incident_handlers (org_id, staff_id);

-- The numbers of the pack's contacts (福岡県の関係部局, 警察 …) for the 緊急連絡網.
CREATE TABLE incident_contact_numbers (
    org_id     BIGINT NOT NULL REFERENCES organizations(id),
    contact_id TEXT NOT NULL,
    phone      TEXT NOT NULL DEFAULT '',
    note       TEXT NOT NULL DEFAULT '',
    updated_at {{ts}} NOT NULL,
    PRIMARY KEY (org_id, contact_id)
);

-- +mamori sqlite
-- +goose StatementBegin
CREATE TRIGGER incident_events_no_update BEFORE UPDATE ON incident_events BEGIN
    SELECT RAISE(ABORT, 'incident events are append-only');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER incident_events_no_delete BEFORE DELETE ON incident_events BEGIN
    SELECT RAISE(ABORT, 'incident events are append-only');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER incident_evidence_no_update BEFORE UPDATE ON incident_evidence BEGIN
    SELECT RAISE(ABORT, 'evidence is never altered');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER incident_evidence_no_delete BEFORE DELETE ON incident_evidence BEGIN
    SELECT RAISE(ABORT, 'evidence is never altered');
END;
-- +goose StatementEnd
-- +mamori end
-- +mamori postgres
-- +goose StatementBegin
CREATE FUNCTION incident_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER incident_events_append_only BEFORE UPDATE OR DELETE ON incident_events
    FOR EACH ROW EXECUTE FUNCTION incident_append_only();
CREATE TRIGGER incident_evidence_append_only BEFORE UPDATE OR DELETE ON incident_evidence
    FOR EACH ROW EXECUTE FUNCTION incident_append_only();
-- +mamori end

-- +goose Down
-- +mamori postgres
DROP TRIGGER incident_evidence_append_only ON incident_evidence;
DROP TRIGGER incident_events_append_only ON incident_events;
DROP FUNCTION incident_append_only();
-- +mamori end
DROP TABLE incident_contact_numbers;
DROP TABLE incident_handlers;
DROP TABLE incident_assets;
DROP TABLE incident_evidence;
DROP TABLE incident_notifications;
DROP TABLE incident_events;
DROP TABLE incidents;
ALTER TABLE staff DROP COLUMN phone;
