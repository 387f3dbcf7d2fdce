package api

import (
	"net/http"
	"strconv"

	"mamori/internal/accessreview"
	"mamori/internal/apperr"
)

// Access reviews (棚卸し): reviews of the accounts of the organisation's systems, their accounts
// with the reviewers' decisions and the proofs of removals, and the results by system. The
// access review service decides who reads which review and account.

type accessReviewResults struct {
	Review  accessreview.Review         `json:"review"`
	Systems []accessreview.SystemResult `json:"systems"`
}

type bulkDecided struct {
	Decided int `json:"decided"`
}

func itemIDs(r *http.Request) (int64, int64, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, 0, err
	}
	item, err := strconv.ParseInt(r.PathValue("item"), 10, 64)
	if err != nil || item < 1 {
		return 0, 0, apperr.New(apperr.NotFound, "error.not_found")
	}
	return id, item, nil
}

func (a *api) listAccessReviews(w http.ResponseWriter, r *http.Request) error {
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	list, err := a.s.AccessReviews.List(r.Context(), actor(r), accessreview.Filter{State: r.URL.Query().Get("state"), Limit: 1000})
	if err != nil {
		return err
	}
	return writeList(w, r, p, window(list, p), len(list))
}

func (a *api) myAccessReviews(w http.ResponseWriter, r *http.Request) error {
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	list, _, err := a.s.AccessReviews.Awaiting(r.Context(), actor(r), 1000)
	if err != nil {
		return err
	}
	return writeList(w, r, p, window(list, p), len(list))
}

func (a *api) openAccessReview(w http.ResponseWriter, r *http.Request) error {
	var in accessreview.NewReview
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	rv, err := a.s.AccessReviews.Open(r.Context(), actor(r), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, rv)
	return nil
}

func (a *api) getAccessReview(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	v, err := a.s.AccessReviews.Get(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

func (a *api) accessReviewItems(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	_, items, err := a.s.AccessReviews.Items(r.Context(), actor(r), id, accessreview.ItemFilter{Status: q.Get("status"), Flag: q.Get("flag"),
		SystemRef: q.Get("system"), Outcome: q.Get("outcome"), Query: q.Get("q"), Mine: q.Get("mine") == "true" || q.Get("mine") == "1"})
	if err != nil {
		return err
	}
	return writeList(w, r, p, window(items, p), len(items))
}

func (a *api) accessReviewResults(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	v, systems, err := a.s.AccessReviews.Results(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, accessReviewResults{Review: v.Review, Systems: systems})
	return nil
}

func (a *api) decideAccessReviewItem(w http.ResponseWriter, r *http.Request) error {
	id, item, err := itemIDs(r)
	if err != nil {
		return err
	}
	var in accessreview.Decision
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	it, err := a.s.AccessReviews.Decide(r.Context(), actor(r), id, item, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, it)
	return nil
}

func (a *api) decideAccessReviewItems(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in accessreview.Bulk
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	n, err := a.s.AccessReviews.DecideMany(r.Context(), actor(r), id, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, bulkDecided{Decided: n})
	return nil
}

func (a *api) proveAccessReviewItem(w http.ResponseWriter, r *http.Request) error {
	id, item, err := itemIDs(r)
	if err != nil {
		return err
	}
	var in accessreview.Proof
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	it, err := a.s.AccessReviews.Prove(r.Context(), actor(r), id, item, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, it)
	return nil
}

func (a *api) closeAccessReview(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	rv, err := a.s.AccessReviews.Close(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rv)
	return nil
}
