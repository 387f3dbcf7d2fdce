package assetio

// The readings of the register import that the other imports of a sheet (the 人事異動 list, the
// accounts of a system, training attendance) read their cells with, so that one sheet reads the
// same wherever it is uploaded.

// NameKey is the form a person's name is compared in: spaces, width and the usual 異体字 folded
// (髙橋　一郎 and 高橋一郎 are one name). Every part that matches a written or typed name to a
// staff record compares these keys — a pledge signed by typing one's name too.
func NameKey(s string) string { return nameKey(s) }

// ParseDate reads a date as municipalities write it (ISO, slashes, 年月日, 和暦, 20260401, an
// Excel serial day) and returns it as YYYY-MM-DD; false for what is no date.
func ParseDate(s string) (string, bool) { return parseDate(s) }

// HeaderKey is the form a column heading is compared in: folded, without required marks.
func HeaderKey(s string) string { return headerKey(s) }

// Fold is the form values are compared in: NFKC, lower case, without spaces.
func Fold(s string) string { return fold(s) }
