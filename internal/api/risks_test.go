package api

import (
	"net/http"
	"strconv"
	"testing"

	"mamori/internal/risk"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestRisksAPI: the CISO (an organisation-wide security role of 岸和田市, and the role that
// accepts residual risks) generates the candidates, assesses one and accepts it; bad input is
// refused naming its field; an auditor reads it and may do nothing; a clerk of the owning
// department reads it without what its group of the highest class holds.
func TestRisksAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newAssetFixture(t, db)
		f.create(assetBody("SECRET-1", f.soumu, "A"))
		f.create(assetBody("PC-2", f.zeimu, "C"))

		apiError(t, f.do("POST", "/api/v1/risks/generate", f.clerk, nil), http.StatusForbidden, "forbidden")
		g := decodeAs[risk.Generated](t, f.do("POST", "/api/v1/risks/generate", f.ciso, map[string]any{}), http.StatusOK)
		if g.Groups != 2 || g.Created != 10 || g.Assets != 2 {
			t.Fatalf("generated %+v", g)
		}
		reg := decodeAs[risk.Register](t, f.do("GET", "/api/v1/risks?threat=intentional", f.ciso, nil), http.StatusOK)
		if len(reg.Risks) != 2 || len(reg.Scales.Matrix) != 3 || len(reg.Threats) != 5 {
			t.Fatalf("register %d risks, %d rows, %d threats", len(reg.Risks), len(reg.Scales.Matrix), len(reg.Threats))
		}
		var high risk.Risk
		for _, x := range reg.Risks {
			if x.GroupImpact == "large" {
				high = x
			}
		}
		path := "/api/v1/risks/" + strconv.FormatInt(high.ID, 10)
		e := apiError(t, f.do("POST", path+"/assess", f.ciso, map[string]any{"likelihood": "often", "impact": "large", "treatment": "accept",
			"owner_department_id": f.soumu, "residual_likelihood": "low", "residual_impact": "large"}), http.StatusUnprocessableEntity, "invalid")
		if len(e.Fields) == 0 || e.Fields[0].Field != "likelihood" {
			t.Fatalf("error %+v", e)
		}
		x := decodeAs[risk.Risk](t, f.do("POST", path+"/assess", f.ciso, map[string]any{"likelihood": "medium", "impact": "large", "treatment": "accept",
			"owner_department_id": f.soumu, "residual_likelihood": "medium", "residual_impact": "large"}), http.StatusOK)
		if x.State != "assessed" || x.Level != "high" || x.ResidualLevel != "high" {
			t.Fatalf("assessed %+v", x)
		}
		x = decodeAs[risk.Risk](t, f.do("POST", path+"/accept", f.ciso, map[string]any{"until": "2027-03-31", "version": x.Version}), http.StatusOK)
		if x.State != "accepted" || x.AcceptedUntil != "2027-03-31" {
			t.Fatalf("accepted %+v", x)
		}
		d := decodeAs[riskDetail](t, f.do("GET", path, f.ciso, nil), http.StatusOK)
		if !d.Actions.Accept || !d.Actions.Assess {
			t.Fatalf("actions %+v", d.Actions)
		}
		if d := decodeAs[riskDetail](t, f.do("GET", path, f.auditor, nil), http.StatusOK); d.Actions.Accept || d.Actions.Assess || d.Risk.Restricted {
			t.Fatalf("the auditor: %+v", d)
		}
		apiError(t, f.do("GET", "/api/v1/risks/"+strconv.FormatInt(reg.Risks[0].ID+100, 10), f.ciso, nil), http.StatusNotFound, "not_found")
		if got := decodeAs[risk.Register](t, f.do("GET", "/api/v1/risks", f.clerk, nil), http.StatusOK); len(got.Risks) != 1 || !got.Risks[0].Restricted {
			t.Fatalf("the owner department's clerk reads %+v", got.Risks)
		}
	})
}
