package assetio

// Neutralize makes text safe to put in a spreadsheet cell: a value that a spreadsheet would
// read as a formula (one starting with = + - @, a tab or a carriage return) gets a leading
// apostrophe, as the register's export writes it. Other exports (the logbooks) use it too.
func Neutralize(s string) string { return neutralize(s) }
