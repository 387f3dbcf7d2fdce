-- +goose Up
-- The lines of an incident's checklist (連絡) are checklist steps; "notice" is kept for a user's
-- お知らせ alone. The timeline's kind for a step found not needed follows the new name; audit
-- entries already written keep the words they were written with.
ALTER TABLE incident_notifications RENAME TO incident_checklist_steps;
DROP INDEX incident_notifications_due;
CREATE INDEX incident_checklist_steps_due ON incident_checklist_steps (org_id, state, due_at);
UPDATE incident_events SET kind = 'step_skipped' WHERE kind = 'notification_skipped';
UPDATE incident_events SET data_json = REPLACE(data_json, '"notification_id"', '"step_id"') WHERE kind IN ('notified', 'step_skipped');

-- +goose Down
UPDATE incident_events SET data_json = REPLACE(data_json, '"step_id"', '"notification_id"') WHERE kind IN ('notified', 'step_skipped');
UPDATE incident_events SET kind = 'notification_skipped' WHERE kind = 'step_skipped';
DROP INDEX incident_checklist_steps_due;
ALTER TABLE incident_checklist_steps RENAME TO incident_notifications;
CREATE INDEX incident_notifications_due ON incident_notifications (org_id, state, due_at);
