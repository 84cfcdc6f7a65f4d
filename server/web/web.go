// Package web is techmatch's workbench (工作台): server-rendered Chinese
// pages for brokers, organisers and enterprises, served by `techmatch serve`
// at / beside the JSON API. It calls the same Go services as the API (the
// store, the search index, the matcher and the event planner), never the
// HTTP API, and shows on every page only what the signed-in role may see
// through the API. Its browser assets (htmx, ECharts) are embedded: the
// workbench works without any network beyond the binary.
package web

import (
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/server"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed assets/app.css assets/app.js assets/charts.js assets/favicon.svg assets/vendor
var assetFS embed.FS

// csp allows only the binary's own scripts, styles and images: no inline
// script or style, no other origin.
const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// Workbench serves the pages. Set the fields, then use it as an
// http.Handler; it is safe for concurrent use.
type Workbench struct {
	Store   data.Store
	Index   server.Index    // nil: search is unavailable
	Matcher server.Matcher  // nil: matches are unavailable
	Events  data.EventStore // nil: events are unavailable
	// API is the JSON API's server, whose services (pairings, brokers,
	// statistics, challenge lists) the pages call in Go; nil, or without
	// its stores, those pages say what is missing.
	API    *server.Server
	Logger *slog.Logger
	// SessionTTL is how long a sign-in lasts without use (12 hours).
	SessionTTL time.Duration
	// Now is the clock of sessions; nil means time.Now.
	Now func() time.Time

	once     sync.Once
	handler  http.Handler
	pages    map[string]*template.Template
	sessions sessions
	csrfKey  []byte
	patterns []string   // every route, for the route × role test
	matches  matchCache // record pages' match lists (matchcache.go)
}

func (wb *Workbench) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	wb.once.Do(wb.init)
	wb.handler.ServeHTTP(w, r)
}

func (wb *Workbench) now() time.Time {
	if wb.Now != nil {
		return wb.Now()
	}
	return time.Now()
}

func (wb *Workbench) logger() *slog.Logger {
	if wb.Logger != nil {
		return wb.Logger
	}
	return slog.Default()
}

func (wb *Workbench) init() {
	wb.pages = parsePages()
	wb.csrfKey = randomKey()
	wb.sessions.ttl = wb.SessionTTL
	if wb.sessions.ttl == 0 {
		wb.sessions.ttl = 12 * time.Hour
	}

	mux := http.NewServeMux()
	assets, _ := fs.Sub(assetFS, "assets")
	files := http.FileServerFS(assets)
	wb.handle(mux, "GET /assets/", http.StripPrefix("/assets/", cacheFor(24*time.Hour, files)))

	wb.handle(mux, "GET /{$}", http.HandlerFunc(wb.home))
	wb.handle(mux, "GET /login", http.HandlerFunc(wb.loginPage))
	wb.handle(mux, "POST /login", http.HandlerFunc(wb.login))
	wb.handle(mux, "POST /logout", http.HandlerFunc(wb.logout))
	wb.handle(mux, "GET /search", http.HandlerFunc(wb.search))
	wb.handle(mux, "GET /demands/{id}", http.HandlerFunc(wb.demand))
	wb.handle(mux, "GET /achievements/{id}", http.HandlerFunc(wb.achievement))
	wb.handle(mux, "GET /submit", http.HandlerFunc(wb.submitPage))
	wb.handle(mux, "POST /submit", http.HandlerFunc(wb.submit))
	wb.feedbackRoutes(mux)
	wb.eventRoutes(mux)
	wb.pairingRoutes(mux)
	wb.statsRoutes(mux)
	wb.challengeRoutes(mux)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		wb.fail(w, r, data.Errorf(data.ENOTFOUND, "没有这个页面：%s", r.URL.Path))
	})
	wb.handler = gzipped(wb.secure(wb.session(wb.checkCSRF(mux))))
}

func (wb *Workbench) handle(mux *http.ServeMux, pattern string, h http.Handler) {
	mux.Handle(pattern, h)
	wb.patterns = append(wb.patterns, pattern)
}

func cacheFor(d time.Duration, h http.Handler) http.Handler {
	v := fmt.Sprintf("public, max-age=%d", int(d.Seconds()))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", v)
		h.ServeHTTP(w, r)
	})
}

// secure sets the headers every response carries.
func (wb *Workbench) secure(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", csp)
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Referrer-Policy", "same-origin")
		h.ServeHTTP(w, r)
	})
}

// ---- Rendering ----

// view is what every page template gets.
type view struct {
	Title string
	Nav   string // the active navigation entry
	User  *data.Token
	CSRF  string
	Path  string // the request's path and query, for sign-in redirects
	Data  any
}

func (wb *Workbench) render(w http.ResponseWriter, r *http.Request, status int, page, title, nav string, d any) {
	t, ok := wb.pages[page]
	if !ok {
		panic("web: no page template " + page)
	}
	v := view{Title: title, Nav: nav, User: user(r), CSRF: csrfToken(r), Path: r.URL.RequestURI(), Data: d}
	var buf strings.Builder
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		wb.logger().Error("render page", "page", page, "err", err)
		http.Error(w, "页面生成失败，请稍后重试", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(buf.String()))
}

// errorPage is what the error template shows.
type errorPage struct {
	Status  int
	Message string
	Login   bool // offer to sign in
}

// fail renders err as a page with the API's status for its code.
func (wb *Workbench) fail(w http.ResponseWriter, r *http.Request, err error) {
	code := data.ErrorCode(err)
	if code == data.EINTERNAL {
		wb.logger().Error("page failed", "path", r.URL.Path, "err", err)
	}
	status := server.ErrorStatus(code)
	title := "出错了"
	switch status {
	case http.StatusNotFound:
		title = "未找到"
	case http.StatusUnauthorized:
		title = "需要登录"
	case http.StatusForbidden:
		title = "无权访问"
	}
	wb.render(w, r, status, "error.html", title, "", errorPage{
		Status: status, Message: data.ErrorMessage(err),
		Login: status == http.StatusUnauthorized || (status == http.StatusForbidden && user(r) == nil),
	})
}

// needRole fails the request unless its user has one of roles.
func (wb *Workbench) needRole(w http.ResponseWriter, r *http.Request, what string, roles ...data.Role) (*data.Token, bool) {
	tok := user(r)
	if tok == nil {
		wb.fail(w, r, data.Errorf(data.EUNAUTHORIZED, "%s需要先登录", what))
		return nil, false
	}
	if !hasRole(tok, roles...) {
		wb.fail(w, r, data.Errorf(data.EFORBIDDEN, "当前账号（%s）无权%s", roleLabel(tok.Role), what))
		return nil, false
	}
	return tok, true
}

func hasRole(tok *data.Token, roles ...data.Role) bool {
	if tok == nil {
		return false
	}
	for _, r := range roles {
		if tok.Role == r {
			return true
		}
	}
	return false
}

// redirect answers a form post with 303 See Other.
func redirect(w http.ResponseWriter, r *http.Request, to string) {
	http.Redirect(w, r, to, http.StatusSeeOther)
}
