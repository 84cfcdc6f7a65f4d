package archtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportRules reads the module's import graph with `go list` and fails
// on every broken rule.
func TestImportRules(t *testing.T) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("go is not on PATH (%v): cannot read the import graph", err)
	}
	out, err := exec.Command(goBin, "env", "GOMOD").Output()
	if err != nil {
		t.Fatalf("go env GOMOD: %v", err)
	}
	root := filepath.Dir(strings.TrimSpace(string(out)))
	cmd := exec.Command(goBin, "list", "-deps", "-json=ImportPath,Standard,Imports,Module", "./...")
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if out, err = cmd.Output(); err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	pkgs, mod := decode(t, out)
	if mod == "" || len(pkgs) < 10 {
		t.Fatalf("go list gave %d packages of module %q", len(pkgs), mod)
	}
	own := 0
	for _, p := range pkgs {
		if under(p.ImportPath, mod) {
			own++
		}
	}
	if own < 10 {
		t.Fatalf("go list gave %d packages of module %q", own, mod)
	}
	t.Logf("%d packages of %s checked", own, mod)
	for _, b := range Check(mod, pkgs) {
		t.Error(b)
	}
}

// decode reads the stream of JSON objects of `go list -json` and returns
// the packages and the main module's path.
func decode(tb testing.TB, out []byte) ([]Package, string) {
	tb.Helper()
	var pkgs []Package
	mod := ""
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p Package
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			tb.Fatalf("decode go list output: %v", err)
		}
		pkgs = append(pkgs, p)
	}
	// The main module is the one of the packages named by ./..., listed
	// last by -deps.
	if n := len(pkgs); n > 0 && pkgs[n-1].Module != nil {
		mod = pkgs[n-1].Module.Path
	}
	return pkgs, mod
}

// TestCheckCatches feeds Check a graph that breaks every rule once, so the
// rule test above can fail.
func TestCheckCatches(t *testing.T) {
	const m = "example.com/tm"
	std := func(path string) Package { return Package{ImportPath: path, Standard: true} }
	pkg := func(path string, imports ...string) Package { return Package{ImportPath: path, Imports: imports} }
	tests := []struct {
		name string
		pkg  Package
		want string // a substring of the single complaint; "" for none
	}{
		{"data stdlib", pkg(m+"/data", "fmt"), ""},
		{"data third-party", pkg(m+"/data", "golang.org/x/text/width"), "data imports only the standard library"},
		{"data project", pkg(m+"/data", m+"/index"), "data imports only the standard library"},
		{"matcher index", pkg(m+"/matcher", m+"/index"), "matcher and plan import no"},
		{"matcher store", pkg(m+"/matcher", m+"/data/bolt"), "matcher and plan import no"},
		{"matcher data", pkg(m+"/matcher", m+"/data"), ""},
		{"plan test store", pkg(m+"/plan", m+"/data/datatest"), "matcher and plan import no"},
		{"gin outside server", pkg(m+"/event", gin), "only server imports gin"},
		{"gin in server", pkg(m+"/server", gin), ""},
		{"bbolt outside the store", pkg(m+"/internal/eval", bbolt+"/errors"), "only data/bolt imports bbolt"},
		{"bbolt in the store", pkg(m+"/data/bolt", bbolt), ""},
		{"bleve outside index", pkg(m+"/server", bleve+"/v2"), "only index imports bleve and gse"},
		{"gse in index/zhseg", pkg(m+"/index/zhseg", gse), ""},
		{"index reads the store", pkg(m+"/index", m+"/data/bolt"), "the index does not import the store"},
		{"eval wires store and index", pkg(m+"/internal/eval", m+"/data/bolt", m+"/index"), ""},
	}
	for _, tt := range tests {
		got := Check(m, []Package{std("fmt"), tt.pkg})
		switch {
		case tt.want == "" && len(got) != 0:
			t.Errorf("%s: complaints %q, want none", tt.name, got)
		case tt.want != "" && (len(got) != 1 || !strings.Contains(got[0], tt.want)):
			t.Errorf("%s: complaints %q, want one about %q", tt.name, got, tt.want)
		}
	}
}
