package assetio

// NameKey is the form in which two writings of one person's name compare equal: spaces,
// full-width and half-width forms and the 異体字 of one name aside (「髙橋　一郎」 and 「高橋一郎」).
// Other parts that match a typed name to a staff record (a pledge signed by typing one's full
// name) compare these keys.
func NameKey(s string) string { return nameKey(s) }
