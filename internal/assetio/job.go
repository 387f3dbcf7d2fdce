package assetio

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"log/slog"
	"sync"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/i18n"
)

// The states of an import job.
const (
	JobMapping  = "mapping"  // uploaded; the columns' fields are to be confirmed
	JobChecking = "checking" // the dry run is running
	JobChecked  = "checked"  // the dry run's report is ready
	JobApplying = "applying" // the rows are being registered, in one transaction
	JobApplied  = "applied"
	JobFailed   = "failed"
)

// How import jobs are kept and watched.
const (
	HeartbeatEvery = 5 * time.Second // a running job's process says it is alive this often
	StaleAfter     = 2 * time.Minute // a running job whose process has said nothing for this long was interrupted
	KeepFiles      = 24 * time.Hour  // an uploaded file and its rejected rows are dropped after this
	// InlineCheckBytes is the largest file whose dry run runs in the request that asks for it;
	// a larger file's dry run, like every apply, runs as a job the user watches.
	InlineCheckBytes = 1 << 20
)

// Job is an import of one file into the register in steps: upload, mapping, dry run, apply. Its
// state lives in the database, so that any server process can show it, and so does the file
// until the job has applied. A job is seen only by the user who started it and by platform
// administrators.
type Job struct {
	ID        int64             `json:"id"`
	UserID    int64             `json:"-"`
	Filename  string            `json:"filename"`
	FileSize  int64             `json:"file_size"`
	State     string            `json:"state"`
	ValidOnly bool              `json:"valid_only"`
	Mapping   map[string]string `json:"-"`
	Options   JobOptions        `json:"options"`
	// Progress of a running job: stage "check" or "apply", rows done, and the rows to do (0 while
	// unknown).
	Stage string `json:"stage"`
	Done  int    `json:"done"`
	Total int    `json:"total"`
	// Of the last report.
	Rows        int       `json:"rows"`
	Valid       int       `json:"valid"`
	Created     int       `json:"created"`
	ErrorCount  int       `json:"errors"`
	Problem     *Problem  `json:"problem,omitempty"`
	Interrupted bool      `json:"interrupted"` // checking or applying, but its process died
	HasFile     bool      `json:"-"`
	HasRejected bool      `json:"-"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`

	runner    string
	attempt   int
	heartbeat time.Time
}

// JobOptions are what a job's dry run and apply do beyond reading rows (see Options).
type JobOptions struct {
	Update         bool                         `json:"update"`
	DisposeMissing bool                         `json:"dispose_missing"`
	Values         map[string]map[string]string `json:"values,omitempty"`
}

// Running reports whether the job is checking or applying and its process is alive.
func (j Job) Running() bool {
	return (j.State == JobChecking || j.State == JobApplying) && !j.Interrupted
}

// Finished reports whether nothing more will happen to the job.
func (j Job) Finished() bool { return j.State == JobApplied }

// Problem is a problem of a file as a whole (unreadable, columns missing, a mapping that names
// a field twice) as a job keeps it: in both languages, with the fields at fault.
type Problem struct {
	Code      apperr.Code    `json:"code"`
	Message   string         `json:"message"`
	MessageEn string         `json:"message_en"`
	Fields    []ProblemField `json:"fields,omitempty"`
}

// ProblemField is one field of a Problem: a column missing, or a mapping at fault.
type ProblemField struct {
	Field     string `json:"field"`
	Message   string `json:"message"`
	MessageEn string `json:"message_en"`
}

// problemOf translates err for keeping; an internal error is kept as its generic message.
func problemOf(err error) *Problem {
	e := apperr.As(err)
	if e.Code == apperr.Internal {
		e = apperr.New(apperr.Internal, "error.internal")
	}
	p := &Problem{Code: e.Code, Message: i18n.T(i18n.Ja, e.Key, e.Args...), MessageEn: i18n.T(i18n.En, e.Key, e.Args...)}
	for _, f := range e.Fields {
		p.Fields = append(p.Fields, ProblemField{Field: f.Field, Message: i18n.T(i18n.Ja, f.Key, f.Args...), MessageEn: i18n.T(i18n.En, f.Key, f.Args...)})
	}
	return p
}

// Jobs keeps import jobs and runs their dry runs and applies.
type Jobs struct {
	Importer *Importer
	Now      func() time.Time
	Log      *slog.Logger
	// Go runs a job's work; nil starts a goroutine. Tests run the work when they choose.
	Go func(work func())
	// InlineBytes overrides InlineCheckBytes; negative runs every dry run as a job.
	InlineBytes int64

	runner  string // this process's name in import_jobs.runner
	mu      sync.Mutex
	running map[int64]*progress // the jobs this process is running
}

// NewJobs returns the jobs over an importer. Each call names a new runner: one per process.
func NewJobs(im *Importer) *Jobs {
	return &Jobs{Importer: im, runner: newRunnerName(), running: map[int64]*progress{}}
}

func (js *Jobs) now() time.Time {
	if js.Now != nil {
		return js.Now().UTC()
	}
	return time.Now().UTC()
}

func (js *Jobs) log() *slog.Logger {
	if js.Log != nil {
		return js.Log
	}
	return slog.Default()
}

// jobKind names the asset register's jobs in import_jobs.
const jobKind = "assets"

// Start keeps an uploaded file as a new job after reading its header row, which the job's
// mapping step shows. A file that cannot be read, or an actor who may change no department, is
// refused and nothing is kept.
func (js *Jobs) Start(ctx context.Context, who access.Actor, filename string, data []byte) (Job, error) {
	if who.UserID == 0 {
		return Job{}, apperr.New(apperr.Forbidden, "error.forbidden")
	}
	rep, err := js.Importer.Preview(ctx, who, filename, bytes.NewReader(data), nil)
	if err != nil {
		return Job{}, err
	}
	now := js.now()
	db := js.Importer.DB
	// Files of abandoned jobs go first: the mapping step or the report may have been left open.
	if _, err := db.SQL.ExecContext(ctx, `UPDATE import_jobs SET file = NULL, rejected = NULL
		WHERE created_at < $1 AND (file IS NOT NULL OR rejected IS NOT NULL)`, now.Add(-KeepFiles)); err != nil {
		return Job{}, apperr.Wrap(err, "drop old import files")
	}
	var id int64
	err = db.SQL.QueryRowContext(ctx, `INSERT INTO import_jobs (org_id, user_id, kind, filename, file_size, file, mapping_json, state,
		report_json, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id`,
		who.OrgID, who.UserID, jobKind, filename, len(data), data, mustJSON(rep.Mapping), JobMapping, mustJSON(rep), now).Scan(&id)
	if err != nil {
		return Job{}, apperr.Wrap(err, "insert import job")
	}
	return js.Get(ctx, who, id)
}

// Get returns a job the actor may see: their own, or any of the organisation's for a platform
// administrator. Another user's job is not found.
func (js *Jobs) Get(ctx context.Context, who access.Actor, id int64) (Job, error) {
	var j Job
	var mapping, problem, options string
	var heartbeat sql.NullTime
	err := js.Importer.DB.SQL.QueryRowContext(ctx, `SELECT id, user_id, filename, file_size, state, valid_only, mapping_json, options_json,
		stage, done, total, rows_read, rows_valid, rows_created, error_count, problem_json, file IS NOT NULL, rejected IS NOT NULL,
		runner, attempt, heartbeat_at, created_at, updated_at
		FROM import_jobs WHERE id = $1 AND org_id = $2 AND kind = $3`, id, who.OrgID, jobKind).Scan(
		&j.ID, &j.UserID, &j.Filename, &j.FileSize, &j.State, &j.ValidOnly, &mapping, &options,
		&j.Stage, &j.Done, &j.Total, &j.Rows, &j.Valid, &j.Created, &j.ErrorCount, &problem, &j.HasFile, &j.HasRejected,
		&j.runner, &j.attempt, &heartbeat, &j.CreatedAt, &j.UpdatedAt)
	if err == sql.ErrNoRows || (err == nil && j.UserID != who.UserID && !who.PlatformAdmin) {
		return Job{}, apperr.New(apperr.NotFound, "error.not_found")
	}
	if err != nil {
		return Job{}, apperr.Wrap(err, "import job")
	}
	j.heartbeat = heartbeat.Time
	if err := json.Unmarshal([]byte(mapping), &j.Mapping); err != nil {
		return Job{}, apperr.Wrap(err, "import job mapping")
	}
	if options != "" {
		if err := json.Unmarshal([]byte(options), &j.Options); err != nil {
			return Job{}, apperr.Wrap(err, "import job options")
		}
	}
	if problem != "" {
		j.Problem = &Problem{}
		if err := json.Unmarshal([]byte(problem), j.Problem); err != nil {
			return Job{}, apperr.Wrap(err, "import job problem")
		}
	}
	if j.State == JobChecking || j.State == JobApplying {
		js.watch(&j)
	}
	return j, nil
}

// watch decides whether a checking or applying job is alive, and takes its progress from this
// process when it runs here. A job of this process is alive while the process runs it; one of
// another process while that process's heartbeat is fresh.
func (js *Jobs) watch(j *Job) {
	js.mu.Lock()
	p, local := js.running[j.ID]
	js.mu.Unlock()
	if j.runner == js.runner {
		j.Interrupted = !local
	} else {
		j.Interrupted = j.heartbeat.Before(js.now().Add(-StaleAfter))
	}
	if local {
		j.Stage, j.Done, j.Total = p.get()
	}
}

// Recent lists the actor's own latest jobs, newest first.
func (js *Jobs) Recent(ctx context.Context, who access.Actor, limit int) ([]Job, error) {
	rows, err := js.Importer.DB.SQL.QueryContext(ctx, `SELECT id FROM import_jobs WHERE org_id = $1 AND user_id = $2 AND kind = $3
		ORDER BY id DESC LIMIT $4`, who.OrgID, who.UserID, jobKind, limit)
	if err != nil {
		return nil, apperr.Wrap(err, "import jobs")
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, apperr.Wrap(err, "import jobs")
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, apperr.Wrap(err, "import jobs")
	}
	out := make([]Job, 0, len(ids))
	for _, id := range ids {
		j, err := js.Get(ctx, who, id)
		if err != nil {
			return nil, err
		}
		out = append(out, j)
	}
	return out, nil
}

// Report returns the last report of a job the actor may see: the header's mapping after the
// upload, the dry run's findings after a check, what was registered after an apply.
func (js *Jobs) Report(ctx context.Context, who access.Actor, id int64) (Report, error) {
	if _, err := js.Get(ctx, who, id); err != nil {
		return Report{}, err
	}
	var s string
	if err := js.Importer.DB.SQL.QueryRowContext(ctx, `SELECT report_json FROM import_jobs WHERE id = $1`, id).Scan(&s); err != nil {
		return Report{}, apperr.Wrap(err, "import report")
	}
	var rep Report
	if err := json.Unmarshal([]byte(s), &rep); err != nil {
		return Report{}, apperr.Wrap(err, "import report")
	}
	return rep, nil
}

// Rejected writes the bad rows of a job's file with what is wrong with each (see
// Importer.Rejected): kept since a valid-only apply, or made from the file before one.
func (js *Jobs) Rejected(ctx context.Context, who access.Actor, id int64, w io.Writer) error {
	j, err := js.Get(ctx, who, id)
	if err != nil {
		return err
	}
	if j.ErrorCount == 0 || j.State == JobMapping {
		return apperr.New(apperr.NotFound, "import.error.no_rejected")
	}
	if j.HasRejected {
		var b []byte
		if err := js.Importer.DB.SQL.QueryRowContext(ctx, `SELECT rejected FROM import_jobs WHERE id = $1`, id).Scan(&b); err != nil {
			return apperr.Wrap(err, "rejected rows")
		}
		_, err := w.Write(b)
		return err
	}
	data, err := js.file(ctx, j)
	if err != nil {
		return err
	}
	rep, err := js.Report(ctx, who, id)
	if err != nil {
		return err
	}
	return js.Importer.Rejected(rep, j.Filename, bytes.NewReader(data), w)
}

// file reads a job's uploaded file, which is gone once the job has applied or a day has passed.
func (js *Jobs) file(ctx context.Context, j Job) ([]byte, error) {
	var b []byte
	err := js.Importer.DB.SQL.QueryRowContext(ctx, `SELECT file FROM import_jobs WHERE id = $1`, j.ID).Scan(&b)
	if err != nil {
		return nil, apperr.Wrap(err, "import file")
	}
	if b == nil {
		return nil, apperr.New(apperr.Conflict, "import.error.file_gone")
	}
	return b, nil
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic("assetio: " + err.Error()) // reports and mappings are plain data
	}
	return string(b)
}
