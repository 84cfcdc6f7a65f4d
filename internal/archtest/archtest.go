// Package archtest holds the test that enforces the house's import rules
// (see README.md, Layout) on the import graph read from `go list`.
package archtest

import (
	"fmt"
	"sort"
	"strings"
)

// Package is what the rules need of one package of `go list -deps -json`.
type Package struct {
	ImportPath string
	Standard   bool
	Imports    []string
	Module     *struct{ Path string }
}

// Third-party libraries each confined to one room.
const (
	gin   = "github.com/gin-gonic/gin"
	bleve = "github.com/blevesearch/bleve"
	gse   = "github.com/go-ego/gse"
	bbolt = "go.etcd.io/bbolt"
)

// under reports whether path is root or below it.
func under(path, root string) bool {
	return path == root || strings.HasPrefix(path, root+"/")
}

// Check returns every broken import rule of the module mod in the graph
// pkgs (non-test imports), sorted:
//   - data imports only the standard library;
//   - matcher and plan (and below) import no gin, bleve, gse, bbolt, index
//     or store;
//   - only server (and below) imports gin;
//   - only data/bolt imports bbolt;
//   - only index (and below) imports bleve and gse;
//   - index does not import the store;
//   - event (and below) imports no gin.
func Check(mod string, pkgs []Package) []string {
	std := map[string]bool{}
	for _, p := range pkgs {
		if p.Standard {
			std[p.ImportPath] = true
		}
	}
	rel := func(path string) (string, bool) {
		if path == mod {
			return ".", true
		}
		if strings.HasPrefix(path, mod+"/") {
			return path[len(mod)+1:], true
		}
		return "", false
	}
	isStore := func(r string) bool { return under(r, "data/bolt") || under(r, "data/datatest") }
	var bad []string
	for _, p := range pkgs {
		r, ok := rel(p.ImportPath)
		if !ok {
			continue
		}
		for _, imp := range p.Imports {
			ir, local := rel(imp)
			switch {
			case r == "data" && !std[imp]:
				bad = append(bad, fmt.Sprintf("data imports %s: data imports only the standard library", imp))
			case (under(r, "matcher") || under(r, "plan")) &&
				(under(imp, gin) || under(imp, bleve) || under(imp, gse) || under(imp, bbolt) ||
					local && (under(ir, "index") || isStore(ir))):
				bad = append(bad, fmt.Sprintf("%s imports %s: matcher and plan import no gin, bleve, gse, bbolt, index or store", r, imp))
			}
			if under(imp, gin) && !under(r, "server") {
				bad = append(bad, fmt.Sprintf("%s imports %s: only server imports gin", r, imp))
			}
			if under(imp, bbolt) && r != "data/bolt" {
				bad = append(bad, fmt.Sprintf("%s imports %s: only data/bolt imports bbolt", r, imp))
			}
			if (under(imp, bleve) || under(imp, gse)) && !under(r, "index") {
				bad = append(bad, fmt.Sprintf("%s imports %s: only index imports bleve and gse", r, imp))
			}
			if under(r, "index") && local && isStore(ir) {
				bad = append(bad, fmt.Sprintf("%s imports %s: the index does not import the store", r, imp))
			}
		}
	}
	sort.Strings(bad)
	return bad
}
