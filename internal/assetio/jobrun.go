package assetio

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"sync"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
)

// Check runs a job's dry run with the mapping the user confirmed (header → field, "" to leave
// a column out) and the options (update, mark missing as disposed of, value mapping): in the
// request for a small file, as a job for a large one. It may run again after a report, a
// problem or an interruption, with another mapping. Only the job's starter may run it; the
// apply uses the same mapping and options.
func (js *Jobs) Check(ctx context.Context, who access.Actor, id int64, mapping map[string]string, opts JobOptions) error {
	j, err := js.own(ctx, who, id)
	if err != nil {
		return err
	}
	switch {
	case j.State == JobMapping, j.State == JobChecked, j.State == JobFailed, j.Interrupted:
	default:
		return apperr.New(apperr.Conflict, "import.error.busy")
	}
	if !j.HasFile {
		return apperr.New(apperr.Conflict, "import.error.file_gone")
	}
	if mapping == nil {
		mapping = map[string]string{}
	}
	inline := js.InlineBytes
	if inline == 0 {
		inline = InlineCheckBytes
	}
	j.Options = opts
	return js.claim(ctx, who, j, JobChecking, false, mapping, j.FileSize <= inline)
}

// Apply registers a checked job's rows in one transaction, as a job: all of them, which a
// report with errors refuses, or with validOnly the valid ones, whose bad rows Rejected then
// gives. An apply interrupted by its process dying may run again: nothing of it was written.
func (js *Jobs) Apply(ctx context.Context, who access.Actor, id int64, validOnly bool) error {
	j, err := js.own(ctx, who, id)
	if err != nil {
		return err
	}
	if j.State != JobChecked && !(j.State == JobApplying && j.Interrupted) {
		return apperr.New(apperr.Conflict, "import.error.not_checked")
	}
	if !j.HasFile {
		return apperr.New(apperr.Conflict, "import.error.file_gone")
	}
	switch {
	case j.ErrorCount > 0 && !validOnly:
		return apperr.New(apperr.Conflict, "import.error.has_errors", j.ErrorCount)
	case j.Valid == 0:
		return apperr.New(apperr.Conflict, "import.error.nothing_valid")
	}
	return js.claim(ctx, who, j, JobApplying, validOnly, j.Mapping, false)
}

// own returns a job its starter may act on.
func (js *Jobs) own(ctx context.Context, who access.Actor, id int64) (Job, error) {
	j, err := js.Get(ctx, who, id)
	if err != nil {
		return Job{}, err
	}
	if j.UserID != who.UserID {
		return Job{}, apperr.New(apperr.Forbidden, "error.forbidden")
	}
	return j, nil
}

// claim moves a job to a running state, provided no one else has since, and runs it.
func (js *Jobs) claim(ctx context.Context, who access.Actor, j Job, state string, validOnly bool, mapping map[string]string, inline bool) error {
	p := &progress{}
	js.mu.Lock()
	js.running[j.ID] = p // before the claim, so that the job never looks interrupted here
	js.mu.Unlock()
	now := js.now()
	res, err := js.Importer.DB.SQL.ExecContext(ctx, `UPDATE import_jobs SET state = $1, valid_only = $2, mapping_json = $3,
		stage = '', done = 0, total = 0, problem_json = '', runner = $4, attempt = attempt + 1, heartbeat_at = $5, updated_at = $5,
		options_json = $8 WHERE id = $6 AND attempt = $7`, state, validOnly, mustJSON(mapping), js.runner, now, j.ID, j.attempt, mustJSON(j.Options))
	if err == nil {
		var n int64
		if n, err = res.RowsAffected(); err == nil && n != 1 {
			err = apperr.New(apperr.Conflict, "import.error.busy")
		}
	}
	if err != nil {
		js.forget(j.ID)
		return apperr.As(err)
	}
	j.State, j.ValidOnly, j.Mapping, j.attempt = state, validOnly, mapping, j.attempt+1
	// The work outlives the request that asked for it.
	work := func() { js.run(context.WithoutCancel(ctx), who, j, p) }
	switch {
	case inline:
		work()
	case js.Go != nil:
		js.Go(work)
	default:
		go work()
	}
	return nil
}

func (js *Jobs) forget(id int64) {
	js.mu.Lock()
	delete(js.running, id)
	js.mu.Unlock()
}

// run is a claimed job's work: the dry run or the apply, with a heartbeat while it lasts, and
// its outcome written at the end.
func (js *Jobs) run(ctx context.Context, who access.Actor, j Job, p *progress) {
	defer js.forget(j.ID)
	stop := js.heartbeat(ctx, j, p)
	apply := j.State == JobApplying
	data, err := js.file(ctx, j)
	var rep Report
	if err == nil {
		rep, err = js.Importer.Import(ctx, who, j.Filename, bytes.NewReader(data), Options{
			DryRun: !apply, ValidOnly: j.ValidOnly, Mapping: j.Mapping, Progress: p.set,
			Update: j.Options.Update, DisposeMissing: j.Options.DisposeMissing, Values: j.Options.Values})
	}
	stop()
	if err := js.finish(ctx, j, data, rep, err); err != nil {
		js.log().Error("import job: the outcome could not be kept", "job", j.ID, "err", err)
	}
}

// finish writes what a run came to. A dry run that finds a problem with the file as a whole
// goes back to the mapping step with it; an apply that wrote nothing, because a row went bad
// since the dry run, goes back to the report.
func (js *Jobs) finish(ctx context.Context, j Job, data []byte, rep Report, runErr error) error {
	state, problem, file := JobChecked, "", data
	var rejected []byte
	var finished *time.Time
	switch {
	case runErr != nil && apperr.CodeOf(runErr) != apperr.Internal && j.State == JobChecking:
		state, problem = JobMapping, mustJSON(problemOf(runErr))
	case runErr != nil:
		state, problem = JobFailed, mustJSON(problemOf(runErr))
		if apperr.CodeOf(runErr) == apperr.Internal {
			js.log().Error("import job failed", "job", j.ID, "err", runErr)
		}
	case rep.Applied:
		now := js.now()
		state, file, finished = JobApplied, nil, &now
		if len(rep.Errors) > 0 {
			var b bytes.Buffer
			if err := js.Importer.Rejected(rep, j.Filename, bytes.NewReader(data), &b); err != nil {
				return err
			}
			rejected = b.Bytes()
		}
	}
	args := []any{state, problem, js.now(), finished, j.ID, j.attempt}
	set := `state = $1, problem_json = $2, updated_at = $3, finished_at = $4, heartbeat_at = NULL`
	if runErr == nil {
		set += `, report_json = $7, rows_read = $8, rows_valid = $9, rows_created = $10, error_count = $11, file = $12, rejected = $13`
		args = append(args, mustJSON(rep), rep.Rows, rep.Valid, rep.Created, len(rep.Errors), file, rejected)
	}
	_, err := js.Importer.DB.SQL.ExecContext(ctx, `UPDATE import_jobs SET `+set+` WHERE id = $5 AND attempt = $6`, args...)
	if err != nil {
		return apperr.Wrap(err, "finish import job")
	}
	return nil
}

// heartbeat writes the job's progress and the time every HeartbeatEvery until stop is called,
// which waits for the last write. A write may wait while the apply's transaction holds the
// database (SQLite has one writer); the job then looks alive from this process, which knows it
// runs, and from others until StaleAfter.
func (js *Jobs) heartbeat(ctx context.Context, j Job, p *progress) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(HeartbeatEvery)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
			}
			stage, n, total := p.get()
			_, err := js.Importer.DB.SQL.ExecContext(ctx, `UPDATE import_jobs SET heartbeat_at = $1, stage = $2, done = $3, total = $4
				WHERE id = $5 AND attempt = $6`, js.now(), stage, n, total, j.ID, j.attempt)
			if err != nil {
				js.log().Warn("import job: heartbeat not written", "job", j.ID, "err", err)
			}
		}
	}()
	return func() {
		close(done)
		wg.Wait()
	}
}

// progress is a running job's progress as the importer reports it.
type progress struct {
	mu          sync.Mutex
	stage       string
	done, total int
}

func (p *progress) set(stage string, done, total int) {
	p.mu.Lock()
	p.stage, p.done, p.total = stage, done, total
	p.mu.Unlock()
}

func (p *progress) get() (string, int, int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stage, p.done, p.total
}

func newRunnerName() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}
