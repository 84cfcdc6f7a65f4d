package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/techmatch/techmatch/data"
)

// Backuper takes a consistent hot copy of the store.
type Backuper interface {
	Backup(ctx context.Context, w io.Writer) (int64, error)
}

// AdminSocket serves operator commands (backup, token creation) on a Unix
// socket inside the data directory while `serve` holds the store's lock.
// Only users who can open the data directory reach it; there is no token.
type AdminSocket struct {
	Store  data.Store
	Backup Backuper
	// Brokers checks a broker token's broker; Audit records each token
	// made. Either may be nil.
	Brokers data.BrokerStore
	Audit   data.AuditLog
	srv     *http.Server
	path    string
}

// Open listens on the socket path, replacing a stale socket file.
func (a *AdminSocket) Open(path string) error {
	_ = os.Remove(path)
	ln, err := net.Listen("unix", path)
	if err != nil {
		return fmt.Errorf("listen admin socket: %w", err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return fmt.Errorf("chmod admin socket: %w", err)
	}
	a.path = path
	mux := http.NewServeMux()
	mux.HandleFunc("GET /backup", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		if _, err := a.Backup.Backup(r.Context(), w); err != nil {
			fmt.Fprintln(os.Stderr, "admin socket backup:", err)
			http.Error(w, "备份中途出错，详情见服务日志", http.StatusInternalServerError)
		}
	})
	mux.HandleFunc("POST /tokens", func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Role        data.Role  `json:"role"`
			Name        string     `json:"name"`
			Expires     *time.Time `json:"expires,omitempty"`
			BrokerID    string     `json:"broker_id"`
			Institution string     `json:"institution"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, "建令牌的请求不是有效的 JSON（techmatch 的版本与运行中的服务不同？）", http.StatusBadRequest)
			return
		}
		secret, tok, err := CreateBoundToken(r.Context(), a.Store, a.Brokers, a.Audit,
			data.TokenSpec{Role: req.Role, Name: req.Name, BrokerID: req.BrokerID, Institution: req.Institution, Expires: req.Expires})
		if err != nil {
			http.Error(w, data.ErrorMessageOrText(err), ErrorStatus(data.ErrorCode(err)))
			return
		}
		json.NewEncoder(w).Encode(map[string]any{"secret": secret, "token": tok})
	})
	a.tokenRoutes(mux)
	a.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := a.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			fmt.Fprintln(os.Stderr, "admin socket:", err)
		}
	}()
	return nil
}

// Close stops the socket and removes its file.
func (a *AdminSocket) Close(ctx context.Context) error {
	if a.srv == nil {
		return nil
	}
	err := a.srv.Shutdown(ctx)
	os.Remove(a.path)
	return err
}
