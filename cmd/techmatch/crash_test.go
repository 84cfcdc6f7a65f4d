//go:build unix

package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// crashState is what one record should be: absent, or present with a title.
type crashState struct {
	exists bool
	title  string
}

const (
	crashField      = "崩溃测试"
	crashImportRows = 1200 // six files stay below the search window of 10,000
	crashRounds     = 24   // every fourth kills an import instead of the server
)

// TestCrashSafety runs the real binary, writes through the API and imports a
// file while killing the process with SIGKILL at random moments. After every
// restart each acknowledged write is there with its last acknowledged
// content, an unacknowledged write is there whole or not at all, an import
// stored whole batches only, and once the index has caught up a search finds
// exactly the stored records.
func TestCrashSafety(t *testing.T) {
	if testing.Short() {
		t.Skip("the crash test runs the real binary about 25 times; skipped with -short")
	}
	tmp := t.TempDir()
	bin := filepath.Join(tmp, "techmatch")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	dir := filepath.Join(tmp, "data")
	env := append(os.Environ(), "TECHMATCH_ANALYZER=cjk") // fast start; the store is what is tested
	out, err := crashCmd(env, bin, "token", "create", "--data", dir, "--role", "admin").Output()
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	tok := lines[len(lines)-1]

	// One file per import round, so that every round kills an import that
	// has not run before.
	var importFiles []string
	for f := range crashRounds / 4 {
		var file bytes.Buffer
		for i := range crashImportRows {
			fmt.Fprintf(&file, `{"title":"导入需求 %d-%05d 号","field":%q,"description":"第 %d 行"}`+"\n", f, i, crashField, i)
		}
		path := filepath.Join(tmp, fmt.Sprintf("import-%d.jsonl", f))
		if err := os.WriteFile(path, file.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		importFiles = append(importFiles, path)
	}

	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 7))
	acked := map[string]crashState{}   // last acknowledged state per API id
	pending := map[string]crashState{} // a write in flight when the process died
	logf := filepath.Join(tmp, "serve.log")
	start := time.Now()
	for round := range crashRounds + 1 {
		if round%4 == 3 && round < crashRounds {
			cmd := crashCmd(env, bin, "import", "--data", dir, "--kind", "demands", importFiles[round/4])
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			wait := time.Duration(20+rng.IntN(700)) * time.Millisecond
			time.Sleep(wait)
			cmd.Process.Signal(syscall.SIGKILL)
			err := cmd.Wait()
			t.Logf("import %d killed after %v (%v)", round/4, wait, err)
			continue
		}
		last := round == crashRounds
		if last {
			// Finish the import: a re-run stores nothing twice.
			args := append([]string{"import", "--data", dir, "--kind", "demands"}, importFiles...)
			if out, err := crashCmd(env, bin, args...).CombinedOutput(); err != nil {
				t.Fatalf("final import: %v\n%s", err, out)
			}
		}
		srv := startCrashServer(t, env, bin, dir, logf)
		crashVerify(t, srv.base, tok, acked, pending, len(importFiles), last)
		if last {
			srv.kill()
			break
		}
		// Write from four clients, each on its own ids, and kill the
		// server at a random moment.
		var mu sync.Mutex
		var wg sync.WaitGroup
		stop := make(chan struct{})
		for w := range 4 {
			r := rand.New(rand.NewPCG(seed+uint64(round*10+w), 11))
			wg.Go(func() {
				for n := 0; ; n++ {
					select {
					case <-stop:
						return
					default:
					}
					id := fmt.Sprintf("w%d-%d", w, r.IntN(12))
					mu.Lock()
					cur := acked[id]
					mu.Unlock()
					next := crashState{exists: true, title: fmt.Sprintf("崩溃测试 %s 第 %d 轮 %d 次写", id, round, n)}
					method, body := http.MethodPut, fmt.Sprintf(`{"title":%q,"field":%q}`, next.title, crashField)
					switch {
					case cur.exists && r.IntN(4) == 0:
						next, method, body = crashState{}, http.MethodDelete, ""
					case !cur.exists && r.IntN(2) == 0:
						method, body = http.MethodPost, fmt.Sprintf(`{"id":%q,"title":%q,"field":%q}`, id, next.title, crashField)
					}
					mu.Lock()
					pending[id] = next
					mu.Unlock()
					code, err := crashDo(srv.base, tok, method, id, body)
					if err != nil {
						return // the server died: the write stays pending
					}
					want := map[string]int{http.MethodPut: 200, http.MethodPost: 201, http.MethodDelete: 204}[method]
					if method == http.MethodPut && code == 201 && !cur.exists {
						want = 201
					}
					if code != want {
						t.Errorf("%s %s: %d, want %d", method, id, code, want)
						return
					}
					mu.Lock()
					acked[id] = next
					delete(pending, id)
					mu.Unlock()
				}
			})
		}
		time.Sleep(time.Duration(50+rng.IntN(600)) * time.Millisecond)
		srv.kill()
		close(stop)
		wg.Wait()
		if t.Failed() {
			t.FailNow()
		}
	}
	t.Logf("%d rounds in %v, %d API records tracked", crashRounds+1, time.Since(start).Round(time.Second), len(acked))
}

func crashCmd(env []string, bin string, args ...string) *exec.Cmd {
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	return cmd
}

type crashServer struct {
	cmd  *exec.Cmd
	base string
}

// kill SIGKILLs the server and reaps it; a second call does nothing.
func (s *crashServer) kill() {
	if s.cmd.ProcessState != nil {
		return
	}
	s.cmd.Process.Signal(syscall.SIGKILL)
	s.cmd.Wait()
}

func startCrashServer(tb testing.TB, env []string, bin, dir, logPath string) *crashServer {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	logFile, err := os.OpenFile(logPath, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		tb.Fatal(err)
	}
	defer logFile.Close()
	cmd := crashCmd(env, bin, "serve", "--data", dir, "--demo=false", "--addr", addr)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	s := &crashServer{cmd: cmd, base: "http://" + addr}
	tb.Cleanup(s.kill) // also when a check fails mid-round
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(s.base + "/healthz"); err == nil {
			resp.Body.Close()
			return s
		}
		time.Sleep(20 * time.Millisecond)
	}
	s.kill()
	log, _ := os.ReadFile(logPath)
	tb.Fatalf("server did not answer within 60 s; log:\n%s", log)
	return nil
}

var crashClient = &http.Client{Timeout: 10 * time.Second}

func crashDo(base, tok, method, id, body string) (int, error) {
	path := base + "/api/v1/demands"
	if method != http.MethodPost {
		path += "/" + id
	}
	req, err := http.NewRequest(method, path, strings.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := crashClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return 0, err // the answer was cut off: not acknowledged
	}
	return resp.StatusCode, nil
}

func crashGetJSON(tb testing.TB, url, tok string, out any) int {
	tb.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := crashClient.Do(req)
	if err != nil {
		tb.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	if out != nil && resp.StatusCode == 200 {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			tb.Fatalf("GET %s: %v", url, err)
		}
	}
	return resp.StatusCode
}

type crashPage struct {
	Total int
	Items []struct{ ID, Title string }
}

// crashList pages through a listing or search and returns id → title.
func crashList(tb testing.TB, base, tok, query string) (map[string]string, int) {
	tb.Helper()
	got := map[string]string{}
	total := -1
	for page := 1; ; page++ {
		var p crashPage
		if code := crashGetJSON(tb, fmt.Sprintf("%s/api/v1/demands?%spage=%d&size=100", base, query, page), tok, &p); code != 200 {
			tb.Fatalf("list page %d: %d", page, code)
		}
		if total < 0 {
			total = p.Total
		}
		for _, it := range p.Items {
			got[it.ID] = it.Title
		}
		if len(p.Items) < 100 {
			return got, total
		}
	}
}

func crashVerify(t *testing.T, base, tok string, acked, pending map[string]crashState, files int, complete bool) {
	t.Helper()
	stored, total := crashList(t, base, tok, "")
	if total != len(stored) {
		t.Fatalf("listing total %d, %d records listed", total, len(stored))
	}
	// API records: the acknowledged state, or for a write in flight either
	// state, whole.
	for id, title := range stored {
		if strings.HasPrefix(title, "导入需求") {
			continue
		}
		if _, ok := acked[id]; !ok {
			if _, ok := pending[id]; !ok {
				t.Fatalf("record %s (%q) was never written", id, title)
			}
		}
	}
	for id, want := range acked {
		title, ok := stored[id]
		got := crashState{exists: ok, title: title}
		if got == want {
			continue
		}
		if p, ok := pending[id]; ok && got == p {
			acked[id] = p
			continue
		}
		t.Fatalf("record %s is %+v, acknowledged %+v (in flight: %+v)", id, got, want, pending[id])
	}
	for id, p := range pending {
		if _, ok := acked[id]; ok {
			continue
		}
		title, ok := stored[id]
		got := crashState{exists: ok, title: title}
		if got != p && got.exists {
			t.Fatalf("record %s is %+v, neither absent nor the write in flight %+v", id, got, p)
		}
		if got.exists {
			acked[id] = got
		}
	}
	inFlight := len(pending)
	clear(pending)
	// Imported rows: whole batches of 1000 rows in file order.
	nums := make([][]int, files)
	imported := 0
	for _, title := range stored {
		if n, ok := strings.CutPrefix(title, "导入需求 "); ok {
			f, row, _ := strings.Cut(strings.TrimSuffix(n, " 号"), "-")
			fi, err1 := strconv.Atoi(f)
			v, err2 := strconv.Atoi(row)
			if err1 != nil || err2 != nil || fi >= files {
				t.Fatalf("imported title %q", title)
			}
			nums[fi] = append(nums[fi], v)
			imported++
		}
	}
	for f, rows := range nums {
		slices.Sort(rows)
		for i, v := range rows {
			if v != i {
				t.Fatalf("file %d: imported rows are not a prefix of the file: row %d at position %d", f, v, i)
			}
		}
		if n := len(rows); n%importBatch != 0 && n != crashImportRows {
			t.Fatalf("file %d: %d rows stored, not whole batches of %d", f, n, importBatch)
		}
		if complete && len(rows) != crashImportRows {
			t.Fatalf("after the final import %d of %d rows of file %d are stored", len(rows), crashImportRows, f)
		}
	}
	t.Logf("restart: %d records, %d writes were in flight, %d imported rows", len(stored), inFlight, imported)
	// Once the index has caught up a search finds exactly the stored records.
	deadline := time.Now().Add(60 * time.Second)
	for {
		var h struct {
			IndexLag *int `json:"index_lag"`
		}
		crashGetJSON(t, base+"/healthz", tok, &h)
		if h.IndexLag != nil && *h.IndexLag == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the index did not catch up within 60 s")
		}
		time.Sleep(50 * time.Millisecond)
	}
	found, total := crashList(t, base, tok, "field="+url.QueryEscape(crashField)+"&facets=false&highlight=false&")
	if total != len(stored) || len(found) != len(stored) {
		t.Fatalf("search finds %d (total %d), the store holds %d", len(found), total, len(stored))
	}
	for id := range stored {
		if _, ok := found[id]; !ok {
			t.Fatalf("stored record %s is not found by search", id)
		}
	}
}
