-- +goose Up
-- リスク分析: the risk register. Each row is one asset group (the assets of one kind whose
-- classification proposes one impact level) × one threat of the pack. Generating the
-- candidates (re)writes what the register and the compliance state propose — the group's
-- count, whether it holds assets of the highest class, its departments, the open findings and
-- the rules that pass — and never what the 情報政策課 assessed: likelihood, impact, treatment,
-- plan, owner and residual risk. The CISO's acceptance of the residual risk lasts until
-- accepted_until (a JST day, the last it holds). Levels are worked out from the pack's matrix
-- when read, so that a new matrix is applied to every risk at once.
-- state: candidate (not yet assessed), assessed, accepted; retired when the group has no
-- assets left and was never assessed.
CREATE TABLE risks (
    id                    {{id}},
    org_id                BIGINT NOT NULL REFERENCES organizations(id),
    asset_kind            TEXT NOT NULL,
    group_impact          TEXT NOT NULL,
    threat                TEXT NOT NULL,
    asset_count           INTEGER NOT NULL DEFAULT 0,
    highest               BOOLEAN NOT NULL DEFAULT FALSE,
    departments_json      TEXT NOT NULL DEFAULT '[]',
    open_findings         INTEGER NOT NULL DEFAULT 0,
    failing_json          TEXT NOT NULL DEFAULT '[]',
    controls_json         TEXT NOT NULL DEFAULT '[]',
    proposed_likelihood   TEXT NOT NULL DEFAULT '',
    likelihood            TEXT NOT NULL DEFAULT '',
    impact                TEXT NOT NULL DEFAULT '',
    treatment             TEXT NOT NULL DEFAULT '',
    plan                  TEXT NOT NULL DEFAULT '',
    owner_department_id   BIGINT REFERENCES departments(id),
    residual_likelihood   TEXT NOT NULL DEFAULT '',
    residual_impact       TEXT NOT NULL DEFAULT '',
    state                 TEXT NOT NULL DEFAULT 'candidate',
    assessed_by           TEXT NOT NULL DEFAULT '',
    assessed_at           {{ts}},
    accepted_by           TEXT NOT NULL DEFAULT '',
    accepted_at           {{ts}},
    accepted_until        TEXT NOT NULL DEFAULT '',
    acceptance_note       TEXT NOT NULL DEFAULT '',
    generated_at          {{ts}} NOT NULL,
    updated_at            {{ts}} NOT NULL,
    version               INTEGER NOT NULL DEFAULT 1,
    UNIQUE (org_id, asset_kind, group_impact, threat)
);
CREATE INDEX risks_owner ON risks (org_id, owner_department_id);
CREATE INDEX risks_state ON risks (org_id, state, accepted_until);

-- +goose Down
DROP TABLE risks;
