package data

import (
	"context"
	"encoding/json"
	"time"
)

// AuditWeights* are the audit actions of matcher weight versions.
const (
	AuditWeightsPut      = "weights.put"
	AuditWeightsActivate = "weights.activate"
)

// WeightsVersion is one stored version of the matcher's signal weights.
type WeightsVersion struct {
	Version string `json:"version"`
	// Weights is the weights file (package matcher reads it).
	Weights json.RawMessage `json:"weights"`
	Created time.Time       `json:"created"`
	// Source says what the weights were fitted from.
	Source string `json:"source"`
	// Check are the figures the weights were checked with (for instance
	// nDCG@10 of the current and the new weights on the demands kept aside).
	Check map[string]float64 `json:"check,omitempty"`
}

// WeightsStore keeps versions of the matcher's weights and which one is
// active; none active means the embedded default. Writes are audited.
type WeightsStore interface {
	// PutWeightsVersion stores a new version (ECONFLICT if the name is
	// taken); it does not activate it.
	PutWeightsVersion(ctx context.Context, v *WeightsVersion, by Actor) error
	// WeightsVersions lists the versions, oldest first.
	WeightsVersions(ctx context.Context) ([]WeightsVersion, error)
	// ActiveWeights returns the active version, or nil for the default.
	ActiveWeights(ctx context.Context) (*WeightsVersion, error)
	// ActivateWeights makes version active ("" goes back to the default);
	// ENOTFOUND for an unknown version.
	ActivateWeights(ctx context.Context, version string, by Actor) error
}
