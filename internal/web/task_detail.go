package web

import (
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"

	"mamori/internal/apperr"
	"mamori/internal/logbook"
	"mamori/internal/task"
)

// One task: its duty and citation, period, holders, and — for a holder while it is open — the
// form that closes it with the evidence its duty names; once done, who closed it and with what.

// maxTaskBody admits a file somewhat over task.MaxFileSize, so that the service, not the
// reading of the body, refuses it with its own message.
const maxTaskBody = 2*task.MaxFileSize + 1<<20

type taskDetailData struct {
	Row       taskRow
	CanClose  bool
	Entries   []logbook.Entry // the logbook's entries within the period, for evidence: logbook
	Ticked    map[int]bool
	FileTypes string
	MaxFileMB int
	Logbook   string // the logbook's name
}

func (w *Server) taskDetail(rw http.ResponseWriter, r *http.Request) error {
	return w.taskPage(rw, r, http.StatusOK, nil)
}

func (w *Server) taskPage(rw http.ResponseWriter, r *http.Request, status int, formErr error) error {
	ctx, who := r.Context(), stateOf(r).who
	id, err := pathID(r)
	if err != nil {
		return err
	}
	t, err := w.s.Tasks.Get(ctx, who, id)
	if err != nil {
		return err
	}
	p := w.newPage(r, "tasks.detail.title", "tasks")
	p.Crumbs = []crumb{{p.T("tasks.title"), "/tasks"}}
	d := taskDetailData{Row: taskRowOf(p, t), CanClose: task.MayComplete(who, t) == nil, Ticked: map[int]bool{},
		FileTypes: task.FileTypes, MaxFileMB: task.MaxFileSize >> 20}
	for _, i := range t.Ticked {
		d.Ticked[i] = true
	}
	if formErr != nil {
		p.withErrors(formErr)
		for _, s := range r.PostForm["ticked"] {
			if i, err := strconv.Atoi(s); err == nil {
				d.Ticked[i] = true
			}
		}
	}
	if t.Logbook != "" && p.pack != nil {
		if lb, ok := logbook.Find(p.pack, t.Logbook); ok {
			d.Logbook = lb.Name
		}
		if d.CanClose {
			d.Entries, _, err = w.s.Logbooks.List(ctx, who, logbook.Filter{Logbook: t.Logbook, From: t.PeriodStart, To: t.DueOn, Limit: 100})
			if err != nil {
				return err
			}
		}
	}
	p.Data = d
	w.render(rw, r, status, "task_detail", p)
	return nil
}

// taskComplete closes a task with the evidence from the form; a refusal shows the form again
// with its message, nothing changed.
func (w *Server) taskComplete(rw http.ResponseWriter, r *http.Request) error {
	ctx, who := r.Context(), stateOf(r).who
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var v apperr.Validation
	in := task.Completion{Note: r.PostForm.Get("note"), LogbookEntryID: formID(&v, r, "logbook_entry_id")}
	for _, s := range r.PostForm["ticked"] {
		i, err := strconv.Atoi(s)
		if err != nil {
			v.Add("ticked", "error.choose")
			continue
		}
		in.Ticked = append(in.Ticked, i)
	}
	if r.MultipartForm != nil {
		if files := r.MultipartForm.File["file"]; len(files) > 0 && files[0].Size > 0 {
			body, err := readTaskUpload(files[0])
			if apperr.CodeOf(err) == apperr.Invalid {
				return w.taskPage(rw, r, http.StatusUnprocessableEntity, err)
			}
			if err != nil {
				return err
			}
			in.File = &task.Upload{Name: files[0].Filename, Body: body}
		}
	}
	err = v.Err()
	if err == nil {
		_, err = w.s.Tasks.Complete(ctx, who, id, in)
	}
	if apperr.CodeOf(err) == apperr.Invalid {
		return w.taskPage(rw, r, http.StatusUnprocessableEntity, err)
	}
	if err != nil {
		return err
	}
	return w.redirect(rw, r, "/tasks/"+strconv.FormatInt(id, 10), "tasks.flash.done")
}

func readTaskUpload(h *multipart.FileHeader) ([]byte, error) {
	if h.Size > task.MaxFileSize {
		return nil, apperr.InvalidField("file", "tasks.error.file_size", task.MaxFileSize>>20)
	}
	return readUpload(h)
}

// taskFile sends the file that closed a task, as an attachment that the browser neither sniffs
// nor runs.
func (w *Server) taskFile(rw http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	f, body, err := w.s.Tasks.FileBody(r.Context(), stateOf(r).who, id)
	if err != nil {
		return err
	}
	h := rw.Header()
	h.Set("Content-Type", f.ContentType)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": f.Name}))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	_, err = rw.Write(body)
	return err
}
