package assetio

import "sort"

// ErrorCount is how many problems of one kind one column has, with the first as an example:
// the dry run's report shows these before the rows, so that a user sees that 300 rows fail
// for one department name before reading 300 lines.
type ErrorCount struct {
	Kind      string `json:"kind"` // catalog key of the problem
	Column    string `json:"column"`
	Count     int    `json:"count"`
	Example   string `json:"example"` // the first such problem's message
	ExampleEn string `json:"example_en"`
	FirstRow  int    `json:"first_row"`
}

// summarize counts the problems by kind and column, most first.
func summarize(errs []RowError) []ErrorCount {
	type key struct{ kind, column string }
	at := map[key]int{}
	out := []ErrorCount{}
	for _, e := range errs {
		k := key{e.Kind, e.Column}
		i, ok := at[k]
		if !ok {
			i = len(out)
			at[k] = i
			out = append(out, ErrorCount{Kind: e.Kind, Column: e.Column, Example: e.Message, ExampleEn: e.MessageEn, FirstRow: e.Row})
		}
		out[i].Count++
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Count > out[j].Count })
	return out
}
