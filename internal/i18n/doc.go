// Package i18n holds Mamori's user-facing text in Japanese and English and
// the helpers that show dates the way Japanese municipalities expect:
// in Asia/Tokyo time, in the Gregorian calendar or the Japanese era (和暦).
package i18n
