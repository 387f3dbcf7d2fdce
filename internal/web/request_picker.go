package web

import (
	"net/http"
	"strconv"
	"strings"

	"mamori/internal/asset"
	"mamori/internal/policy"
	"mamori/internal/request"
)

// The subject-asset picker of a request form: the assets the kind's condition covers among
// those the applicant may see, found by a search on the server — a department may keep
// hundreds — with the assets already chosen kept at the top.

const (
	pickerShown   = 50   // candidates one search shows
	pickerScanned = 5000 // assets one search looks at for the condition
	pickerBatch   = 500
)

// assetChoice is one asset the picker offers.
type assetChoice struct {
	ID                              int64
	Number, Name, Department, State string
	Checked                         bool
}

func choiceOf(a asset.Asset, checked bool) assetChoice {
	return assetChoice{ID: a.ID, Number: a.Number, Name: a.Name, Department: a.DepartmentName, State: a.State, Checked: checked}
}

type assetPicker struct {
	Query   string
	Chosen  []assetChoice
	Found   []assetChoice
	More    bool // more assets match than are shown: narrow the search
	Covered bool // the kind has a condition, so only covered assets are offered
}

// pickAssets fills the picker from the form: asset_q searches, asset_ids are kept chosen.
func (w *Server) pickAssets(r *http.Request, pack *policy.Compiled, kind policy.Approval) (assetPicker, error) {
	ctx, who := r.Context(), stateOf(r).who
	pk := assetPicker{Query: strings.TrimSpace(r.PostForm.Get("asset_q")), Covered: pack.ApprovalWhen[kind.ID] != nil}
	if pk.Query == "" {
		pk.Query = strings.TrimSpace(r.URL.Query().Get("asset_q"))
	}
	codes := map[int64]string{}
	if tree, err := w.s.Org.Tree(ctx, who); err == nil {
		for _, d := range tree {
			codes[d.ID] = d.Code
		}
	}
	now := w.s.Now()
	covered := func(a asset.Asset) bool {
		return a.State != "disposed" && request.Offers(kind, a) && request.Covers(pack, kind.ID, asset.Record(pack, a, codes[a.DepartmentID], now))
	}
	chosen := map[int64]bool{}
	for _, s := range r.PostForm["asset_ids"] {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || chosen[id] {
			continue
		}
		if a, err := w.s.Assets.Get(ctx, who, id); err == nil && covered(a) {
			chosen[id] = true
			pk.Chosen = append(pk.Chosen, choiceOf(a, true))
		}
	}
	for offset := 0; offset < pickerScanned; offset += pickerBatch {
		list, total, err := w.s.Assets.List(ctx, who, asset.Filter{Query: pk.Query, Sort: "number", Limit: pickerBatch, Offset: offset})
		if err != nil {
			return pk, err
		}
		for _, a := range list {
			if chosen[a.ID] || !covered(a) {
				continue
			}
			if len(pk.Found) == pickerShown {
				pk.More = true
				return pk, nil
			}
			pk.Found = append(pk.Found, choiceOf(a, false))
		}
		if offset+pickerBatch >= total {
			return pk, nil
		}
	}
	pk.More = true
	return pk, nil
}
