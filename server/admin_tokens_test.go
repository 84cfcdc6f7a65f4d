package server_test

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/server"
)

func TestAdminSocketRevokesAtOnce(t *testing.T) {
	ts := newTestServer(t)
	// Unix socket paths are short; TempDir may be long.
	sockDir, err := os.MkdirTemp("", "tm")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(sockDir)
	sock := filepath.Join(sockDir, "a.sock")
	a := &server.AdminSocket{Store: ts.db, Backup: ts.db}
	if err := a.Open(sock); err != nil {
		t.Fatal(err)
	}
	defer a.Close(context.Background())
	cl := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, "unix", sock)
	}}}

	if code := ts.do("GET", "/api/v1/demands", data.RoleBroker, "", nil); code != http.StatusOK {
		t.Fatalf("broker before revoke: %d", code)
	}
	resp, err := cl.Get("http://x/tokens")
	if err != nil {
		t.Fatal(err)
	}
	var list struct{ Tokens []data.Token }
	json.NewDecoder(resp.Body).Decode(&list)
	resp.Body.Close()
	var brokerID string
	for _, tk := range list.Tokens {
		if tk.Role == data.RoleBroker {
			brokerID = tk.ID
		}
	}
	if len(list.Tokens) != 4 || brokerID == "" {
		t.Fatalf("listed %+v", list.Tokens)
	}
	resp, err = cl.Post("http://x/tokens/"+brokerID+"/revoke", "", nil)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("revoke: %v %v", err, resp)
	}
	resp.Body.Close()
	if code := ts.do("GET", "/api/v1/demands", data.RoleBroker, "", nil); code != http.StatusUnauthorized {
		t.Fatalf("broker after revoke: %d, want 401", code)
	}
	resp, _ = cl.Post("http://x/tokens/tok-nope/revoke", "", nil)
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("revoke unknown: %d", resp.StatusCode)
	}
	resp.Body.Close()
}
