package api

import (
	"net/http"
	"strconv"

	"mamori/internal/apperr"
	"mamori/internal/inspection"
)

// Self-inspection (自己点検): campaigns of the pack's checklist, their progress and results, each
// sheet with its answers, and the findings of 未実施 and 一部 answers. The inspection service
// decides who reads which sheet: its department's 情報セキュリティ管理者 (or its role's holders),
// the organisation-wide security roles and auditors.

// answerInput is one item's answer as the API takes it; evidence, when given, is a file of
// its own: its name and its bytes (base64 in JSON).
type answerInput struct {
	Seq      int        `json:"seq"`
	Answer   string     `json:"answer"`
	Comment  string     `json:"comment,omitempty"`
	Evidence *fileInput `json:"evidence,omitempty"`
}

type fileInput struct {
	Name    string `json:"name"`
	Content []byte `json:"content"`
}

type answersInput struct {
	Answers []answerInput `json:"answers"`
}

type returnSheetInput struct {
	Reason   string `json:"reason"`
	Deadline string `json:"deadline,omitempty"`
}

type closeFindingInput struct {
	Note     string     `json:"note"`
	Evidence *fileInput `json:"evidence,omitempty"`
}

func (e *fileInput) file() *inspection.NewEvidence {
	if e == nil {
		return nil
	}
	return &inspection.NewEvidence{Name: e.Name, Body: e.Content}
}

func sheetIDs(r *http.Request) (int64, int64, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, 0, err
	}
	sheet, err := strconv.ParseInt(r.PathValue("sheet"), 10, 64)
	if err != nil || sheet < 1 {
		return 0, 0, apperr.New(apperr.NotFound, "error.not_found")
	}
	return id, sheet, nil
}

func (a *api) listInspections(w http.ResponseWriter, r *http.Request) error {
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	list, err := a.s.Inspections.Campaigns(r.Context(), actor(r))
	if err != nil {
		return err
	}
	return writeList(w, r, p, window(list, p), len(list))
}

func (a *api) startInspection(w http.ResponseWriter, r *http.Request) error {
	var in inspection.NewCampaign
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	c, err := a.s.Inspections.Start(r.Context(), actor(r), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, c)
	return nil
}

func (a *api) getInspection(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	pr, err := a.s.Inspections.Campaign(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, pr)
	return nil
}

func (a *api) closeInspection(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	c, err := a.s.Inspections.Close(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

func (a *api) inspectionResults(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	res, err := a.s.Inspections.Results(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

func (a *api) getInspectionSheet(w http.ResponseWriter, r *http.Request) error {
	id, sheet, err := sheetIDs(r)
	if err != nil {
		return err
	}
	v, err := a.s.Inspections.View(r.Context(), actor(r), id, sheet)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

func (a *api) answerInspectionSheet(w http.ResponseWriter, r *http.Request) error {
	id, sheet, err := sheetIDs(r)
	if err != nil {
		return err
	}
	var in answersInput
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	given := make([]inspection.Given, len(in.Answers))
	for i, x := range in.Answers {
		given[i] = inspection.Given{Seq: x.Seq, Answer: x.Answer, Comment: x.Comment, Evidence: x.Evidence.file()}
	}
	v, err := a.s.Inspections.Save(r.Context(), actor(r), id, sheet, given)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

func (a *api) submitInspectionSheet(w http.ResponseWriter, r *http.Request) error {
	id, sheet, err := sheetIDs(r)
	if err != nil {
		return err
	}
	v, err := a.s.Inspections.Submit(r.Context(), actor(r), id, sheet)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

func (a *api) returnInspectionSheet(w http.ResponseWriter, r *http.Request) error {
	id, sheet, err := sheetIDs(r)
	if err != nil {
		return err
	}
	var in returnSheetInput
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	v, err := a.s.Inspections.Return(r.Context(), actor(r), id, sheet, in.Reason, in.Deadline)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

func (a *api) listInspectionFindings(w http.ResponseWriter, r *http.Request) error {
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	list, err := a.s.Inspections.Findings(r.Context(), actor(r), inspection.FindingFilter{State: r.URL.Query().Get("state"), Limit: 500})
	if err != nil {
		return err
	}
	return writeList(w, r, p, window(list, p), len(list))
}

func (a *api) closeInspectionFinding(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in closeFindingInput
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	f, err := a.s.Inspections.CloseFinding(r.Context(), actor(r), id, in.Note, in.Evidence.file())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, f)
	return nil
}
