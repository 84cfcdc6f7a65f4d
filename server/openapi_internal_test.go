package server

import (
	"bytes"
	"encoding/json"
	"testing"
)

// TestOpenAPIDeterministic: two builds of the document are the same bytes
// (the served document must not change between starts).
func TestOpenAPIDeterministic(t *testing.T) {
	var examples map[string]recorded
	if err := json.Unmarshal(recordedJSON, &examples); err != nil {
		t.Fatal(err)
	}
	var prev []byte
	for i := 0; i < 3; i++ {
		doc, errs := buildOpenAPI(apiRoutes, examples)
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		b, err := json.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		if prev != nil && !bytes.Equal(prev, b) {
			t.Fatal("two builds of the OpenAPI document differ")
		}
		prev = b
	}
}

// TestOpenAPIExamplesNameDescribedRoutes: an example recorded for a route
// the table does not describe is an error of the build.
func TestOpenAPIExamplesNameDescribedRoutes(t *testing.T) {
	_, errs := buildOpenAPI(apiRoutes, map[string]recorded{"GET /api/v1/gone": {Status: 200}})
	if len(errs) != 1 {
		t.Fatalf("errs %v, want one naming GET /api/v1/gone", errs)
	}
}

// BenchmarkOpenAPIBuild is the cost of the first GET /openapi.json of a
// process (later ones serve the cached bytes).
func BenchmarkOpenAPIBuild(b *testing.B) {
	var examples map[string]recorded
	b.ReportAllocs()
	var size int
	for b.Loop() {
		if err := json.Unmarshal(recordedJSON, &examples); err != nil {
			b.Fatal(err)
		}
		doc, _ := buildOpenAPI(apiRoutes, examples)
		out, err := json.MarshalIndent(doc, "", "  ")
		if err != nil {
			b.Fatal(err)
		}
		size = len(out)
	}
	b.ReportMetric(float64(size), "doc-bytes")
}
