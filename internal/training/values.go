package training

import "mamori/internal/assetio"

// fold and parseDate read a cell as the register import does, so that one sheet reads the
// same wherever it is uploaded.
var (
	fold      = assetio.Fold
	parseDate = assetio.ParseDate
)

// letter is a column's name as a spreadsheet shows it: A, B, … Z, AA …
func letter(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}
