package api

import (
	"io"
	"mime/multipart"
	"net/http"
	"strconv"

	"mamori/internal/apperr"
	"mamori/internal/pledge"
	"mamori/internal/policy"
)

// 同意書・誓約書. The pledge service decides who reads: a person their own pledges, the holder of
// a department role that department's, the organisation-wide security roles, the platform
// administrators and the auditors everyone's; a person signs their own; the 情報政策課 records
// paper pledges with their scans.

// myPledges is the pack's pledges and where the token holder stands with those that bind them.
type myPledges struct {
	Pledges []policy.Pledge `json:"pledges"`
	Mine    []pledge.Item   `json:"mine"`
}

func (a *api) listPledges(w http.ResponseWriter, r *http.Request) error {
	ctx, who := r.Context(), actor(r)
	p, err := a.s.Policy.Required(ctx, who.OrgID)
	if err != nil {
		return err
	}
	mine, err := a.s.Pledges.Mine(ctx, who)
	if err != nil {
		return err
	}
	out := myPledges{Pledges: p.Pledges, Mine: mine}
	if out.Pledges == nil {
		out.Pledges = []policy.Pledge{}
	}
	return ok(w, out)
}

func (a *api) pledgeStatus(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := pledge.Filter{PledgeID: q.Get("pledge"), State: q.Get("state")}
	if s := q.Get("department_id"); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id < 0 {
			return apperr.InvalidField("department_id", "pledges.error.department")
		}
		f.DepartmentID = id
	}
	b, err := a.s.Pledges.Status(r.Context(), actor(r), f)
	if err != nil {
		return err
	}
	return ok(w, b)
}

func (a *api) pledgePerson(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	rec, err := a.s.Pledges.Person(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	return ok(w, rec)
}

// signInput is what a person sends to sign: the SHA-256 of the text they read, their full name
// as typed and their confirmation; the pledge is the path's.
type signInput struct {
	TextSHA256 string `json:"text_sha256"`
	TypedName  string `json:"typed_name"`
	Confirm    bool   `json:"confirm"`
}

func (a *api) signPledge(w http.ResponseWriter, r *http.Request) error {
	var in signInput
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	g, err := a.s.Pledges.Sign(r.Context(), actor(r), pledge.SignInput{PledgeID: r.PathValue("pledge"),
		TextSHA256: in.TextSHA256, TypedName: in.TypedName, Confirm: in.Confirm})
	if err != nil {
		return err
	}
	return created(w, "/api/v1/pledges/signatures/"+strconv.FormatInt(g.ID, 10), g)
}

func (a *api) getPledgeSignature(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	g, err := a.s.Pledges.Signature(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	return ok(w, g)
}

// recordPaperPledge is a multipart/form-data body: the part "scan" and the fields pledge_id,
// staff_id and signed_on.
func (a *api) recordPaperPledge(w http.ResponseWriter, r *http.Request) error {
	if !isMultipart(r) {
		return apperr.New(codeUnsupportedMediaType, "error.unsupported_media_type")
	}
	var in pledge.PaperInput
	values := map[string]string{}
	err := eachPart(w, r, a.maxBody+2*pledge.MaxScanSize+1, func(name string, part *multipart.Part) error {
		if name == "scan" {
			if in.Scan.Body != nil {
				return apperr.InvalidField("scan", "error.invalid")
			}
			f, err := readFilePart(part, pledge.MaxScanSize)
			if err != nil {
				return err
			}
			in.Scan = pledge.Upload{Name: f.Name, Body: f.Body}
			return nil
		}
		if _, dup := values[name]; dup || (name != "pledge_id" && name != "staff_id" && name != "signed_on") {
			return apperr.InvalidField(name, "error.unknown_field")
		}
		b, err := io.ReadAll(io.LimitReader(part, a.maxBody+1))
		if err != nil {
			return multipartError(err)
		}
		values[name] = string(b)
		return nil
	})
	if err != nil {
		return err
	}
	in.PledgeID, in.SignedOn = values["pledge_id"], values["signed_on"]
	if s := values["staff_id"]; s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			return apperr.InvalidField("staff_id", "pledges.error.unknown_staff")
		}
		in.StaffID = id
	}
	g, err := a.s.Pledges.RecordPaper(r.Context(), actor(r), in)
	if err != nil {
		return err
	}
	return created(w, "/api/v1/pledges/signatures/"+strconv.FormatInt(g.ID, 10), g)
}

func (a *api) pledgeScan(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	sc, body, err := a.s.Pledges.ScanBody(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	download(w, sc.ContentType, sc.Name, body)
	return nil
}
