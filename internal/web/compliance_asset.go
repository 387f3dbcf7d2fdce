package web

import (
	"net/http"

	"mamori/internal/asset"
	"mamori/internal/compliance"
)

// assetFindings are the open findings of an asset for its detail page, as the actor may see
// them: the values of a restricted asset's findings are withheld.
func (w *Server) assetFindings(r *http.Request, a asset.Asset) ([]compliance.Shown, error) {
	ctx, who := r.Context(), stateOf(r).who
	list, err := w.s.Compliance.AssetFindings(ctx, who, a.ID)
	if err != nil {
		return nil, err
	}
	open := list[:0]
	for _, f := range list {
		if f.Open() {
			open = append(open, f)
		}
	}
	return open, nil
}
