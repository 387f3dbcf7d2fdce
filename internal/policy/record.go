package policy

import (
	"reflect"
	"time"
)

// AssetRecord is what a rule or an approval condition on assets sees, as `asset`:
//
//	asset.kind in ['terminal', 'media'] && asset.class.importance.rank >= 3
//	asset.zone.rank >= 3
//	asset.attrs.mfa == true
type AssetRecord struct {
	Number     string              `cel:"number"`     // management number
	Kind       string              `cel:"kind"`       // information, system, server, terminal, mobile, media, network, document
	Name       string              `cel:"name"`       //
	Segment    string              `cel:"segment"`    // mynumber, lgwan, internet, management, or ""
	Zone       LevelRef            `cel:"zone"`       // security zone; rank 0 when none
	Class      map[string]LevelRef `cel:"class"`      // axis id → level
	Department string              `cel:"department"` // owning department's code
	Location   string              `cel:"location"`
	Attrs      map[string]any      `cel:"attrs"` // the pack's attributes
	Now        time.Time           `cel:"now"`   // when the rule is evaluated
}

// LevelRef is a classification level or zone as a rule sees it.
type LevelRef struct {
	ID   string `cel:"id"`
	Rank int64  `cel:"rank"`
}

// AssetKinds are the kinds of information asset every pack knows.
var AssetKinds = []string{"information", "system", "server", "terminal", "mobile", "media", "network", "document"}

// recordTypes are the Go types exposed to CEL, by the record name rules use in `on:`.
var recordTypes = map[string]reflect.Type{
	"asset": reflect.TypeFor[AssetRecord](),
}
