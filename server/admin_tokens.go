package server

import (
	"encoding/json"
	"net/http"

	"github.com/techmatch/techmatch/data"
)

// tokenRoutes adds `token list` and `token revoke` to the admin socket.
func (a *AdminSocket) tokenRoutes(mux *http.ServeMux) {
	admin := func(w http.ResponseWriter) data.TokenAdmin {
		ta, ok := a.Store.(data.TokenAdmin)
		if !ok {
			http.Error(w, "此数据存储不支持列出或撤销令牌", http.StatusNotImplemented)
		}
		return ta
	}
	mux.HandleFunc("GET /tokens", func(w http.ResponseWriter, r *http.Request) {
		ta := admin(w)
		if ta == nil {
			return
		}
		toks, err := ta.Tokens(r.Context())
		if err != nil {
			http.Error(w, data.ErrorMessageOrText(err), ErrorStatus(data.ErrorCode(err)))
			return
		}
		json.NewEncoder(w).Encode(map[string]any{"tokens": toks})
	})
	mux.HandleFunc("POST /tokens/{id}/revoke", func(w http.ResponseWriter, r *http.Request) {
		ta := admin(w)
		if ta == nil {
			return
		}
		tok, err := ta.RevokeToken(r.Context(), r.PathValue("id"))
		if err != nil {
			http.Error(w, data.ErrorMessageOrText(err), ErrorStatus(data.ErrorCode(err)))
			return
		}
		json.NewEncoder(w).Encode(map[string]any{"token": tok})
	})
}
