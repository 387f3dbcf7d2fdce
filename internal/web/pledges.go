package web

import (
	"net/http"

	"mamori/internal/apperr"
	"mamori/internal/pledge"
	"mamori/internal/policy"
)

// 同意書・誓約書, the person's own: each pledge of the pack that binds them with where they
// stand, and for one still to sign its text, its article and the form that signs it — the full
// name typed and a confirmation. The 情報政策課 and the 課長 find the status of others from here.

type pledgeCard struct {
	pledge.Item
	Pledge policy.Pledge
	Sum    string
}

type pledgesData struct {
	Cards       []pledgeCard
	ReadsOthers bool
	RecordPaper bool
	Linked      bool // the user is linked to a staff record
}

func (w *Server) pledges(rw http.ResponseWriter, r *http.Request) error {
	return w.pledgesPage(rw, r, http.StatusOK, nil)
}

func (w *Server) pledgesPage(rw http.ResponseWriter, r *http.Request, status int, formErr error) error {
	ctx, who := r.Context(), stateOf(r).who
	mine, err := w.s.Pledges.Mine(ctx, who)
	if err != nil {
		return err
	}
	p := w.newPage(r, "pledges.title", "pledges")
	d := pledgesData{ReadsOthers: pledge.ReadsOthers(who), RecordPaper: pledge.MayRecordPaper(who), Linked: who.StaffID != 0}
	for _, it := range mine {
		c := pledgeCard{Item: it}
		if p.pack != nil {
			c.Pledge, _ = p.pack.Pledge(it.PledgeID)
			c.Sum = c.Pledge.TextSHA256()
		}
		d.Cards = append(d.Cards, c)
	}
	if formErr != nil {
		p.withErrors(formErr)
	}
	p.Data = d
	w.render(rw, r, status, "pledges", p)
	return nil
}

// pledgeSign signs the pledge of the path with the name typed; a refusal shows the page again
// with its message, nothing recorded.
func (w *Server) pledgeSign(rw http.ResponseWriter, r *http.Request) error {
	in := pledge.SignInput{PledgeID: r.PathValue("pledge"), TextSHA256: r.PostForm.Get("text_sha256"),
		TypedName: r.PostForm.Get("typed_name"), Confirm: r.PostForm.Get("confirm") == "on"}
	_, err := w.s.Pledges.Sign(r.Context(), stateOf(r).who, in)
	if apperr.CodeOf(err) == apperr.Invalid {
		r.PostForm.Set("form", in.PledgeID)
		return w.pledgesPage(rw, r, http.StatusUnprocessableEntity, err)
	}
	if err != nil {
		return err
	}
	return w.redirect(rw, r, "/pledges", "pledges.flash.signed")
}
