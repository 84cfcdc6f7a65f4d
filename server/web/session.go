package web

import (
	"compress/gzip"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/techmatch/techmatch/data"
)

// Cookie names. Both are HttpOnly and SameSite=Strict.
const (
	sessionCookie = "tm_session"
	csrfCookie    = "tm_csrf"
	csrfField     = "csrf"
)

type ctxKey int

const (
	userKey ctxKey = iota
	csrfKey
)

func randomKey() []byte {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("web: no randomness: " + err.Error())
	}
	return b
}

func randomID() string { return base64.RawURLEncoding.EncodeToString(randomKey()) }

// sessions maps session ids to the API token secret they signed in with;
// the token is looked up again on every request, so that a revoked or
// expired token ends its sessions at once. Sessions live in memory: a
// restart signs everyone out.
type sessions struct {
	ttl time.Duration
	mu  sync.Mutex
	m   map[string]*sessionEntry
}

type sessionEntry struct {
	secret  string
	expires time.Time
}

func (s *sessions) create(secret string, now time.Time) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = map[string]*sessionEntry{}
	}
	for id, e := range s.m { // drop expired ones, so that the map stays small
		if now.After(e.expires) {
			delete(s.m, id)
		}
	}
	id := randomID()
	s.m[id] = &sessionEntry{secret: secret, expires: now.Add(s.ttl)}
	return id
}

// secret returns the token secret of a live session and extends it.
func (s *sessions) secret(id string, now time.Time) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.m[id]
	if !ok {
		return "", false
	}
	if now.After(e.expires) {
		delete(s.m, id)
		return "", false
	}
	e.expires = now.Add(s.ttl)
	return e.secret, true
}

func (s *sessions) remove(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, id)
}

func setCookie(w http.ResponseWriter, r *http.Request, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{
		Name: name, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil,
	})
}

// session resolves the signed-in user and gives every visitor a CSRF
// cookie; the token forms carry is an HMAC of that cookie.
func (wb *Workbench) session(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/assets/") {
			h.ServeHTTP(w, r)
			return
		}
		ctx := r.Context()
		if c, err := r.Cookie(sessionCookie); err == nil {
			if secret, ok := wb.sessions.secret(c.Value, wb.now()); ok {
				tok, err := wb.Store.TokenBySecret(ctx, secret)
				if err == nil {
					ctx = context.WithValue(ctx, userKey, tok)
				} else {
					wb.sessions.remove(c.Value)
				}
			}
		}
		c, err := r.Cookie(csrfCookie)
		var seed string
		if err == nil && len(c.Value) >= 32 {
			seed = c.Value
		} else {
			seed = randomID()
			setCookie(w, r, csrfCookie, seed, 0)
		}
		ctx = context.WithValue(ctx, csrfKey, wb.csrfFor(seed))
		h.ServeHTTP(w, r.WithContext(ctx))
	})
}

func (wb *Workbench) csrfFor(seed string) string {
	m := hmac.New(sha256.New, wb.csrfKey)
	m.Write([]byte(seed))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// checkCSRF refuses a write (any method but GET and HEAD) whose form does
// not carry the CSRF token of its cookie, or that comes from another origin.
func (wb *Workbench) checkCSRF(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			h.ServeHTTP(w, r)
			return
		}
		bad := func() {
			wb.fail(w, r, data.Errorf(data.EFORBIDDEN, "表单已过期或来源不可信：请刷新页面后重新提交"))
		}
		if o := r.Header.Get("Origin"); o != "" && o != "null" {
			u, err := url.Parse(o)
			if err != nil || u.Host != r.Host {
				bad()
				return
			}
		}
		c, err := r.Cookie(csrfCookie)
		if err != nil {
			bad()
			return
		}
		got := r.PostFormValue(csrfField)
		if got == "" || !hmac.Equal([]byte(got), []byte(wb.csrfFor(c.Value))) {
			bad()
			return
		}
		h.ServeHTTP(w, r)
	})
}

func user(r *http.Request) *data.Token {
	tok, _ := r.Context().Value(userKey).(*data.Token)
	return tok
}

func csrfToken(r *http.Request) string {
	s, _ := r.Context().Value(csrfKey).(string)
	return s
}

// ---- Sign-in ----

type loginPage struct {
	Next    string
	Message string
}

// localPath keeps a redirect target on this site.
func localPath(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") || strings.HasPrefix(p, "/login") {
		return "/"
	}
	return p
}

func (wb *Workbench) loginPage(w http.ResponseWriter, r *http.Request) {
	wb.render(w, r, http.StatusOK, "login.html", "登录", "login", loginPage{Next: localPath(r.URL.Query().Get("next"))})
}

func (wb *Workbench) login(w http.ResponseWriter, r *http.Request) {
	next := localPath(r.PostFormValue("next"))
	secret := strings.TrimSpace(r.PostFormValue("token"))
	if secret == "" {
		wb.render(w, r, http.StatusBadRequest, "login.html", "登录", "login", loginPage{Next: next, Message: "请填写 API 令牌"})
		return
	}
	if _, err := wb.Store.TokenBySecret(r.Context(), secret); err != nil {
		status := http.StatusUnauthorized
		msg := "令牌无效、已过期或已被吊销：请向管理员索取新令牌"
		if data.ErrorCode(err) == data.EINTERNAL {
			wb.logger().Error("sign in", "err", err)
			status, msg = http.StatusInternalServerError, "暂时无法登录，请稍后重试"
		}
		wb.render(w, r, status, "login.html", "登录", "login", loginPage{Next: next, Message: msg})
		return
	}
	if c, err := r.Cookie(sessionCookie); err == nil {
		wb.sessions.remove(c.Value)
	}
	setCookie(w, r, sessionCookie, wb.sessions.create(secret, wb.now()), 0)
	setCookie(w, r, csrfCookie, randomID(), 0) // a new CSRF seed with every sign-in
	redirect(w, r, next)
}

func (wb *Workbench) logout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		wb.sessions.remove(c.Value)
	}
	setCookie(w, r, sessionCookie, "", -1)
	redirect(w, r, "/")
}

// ---- gzip ----

var gzPool = sync.Pool{New: func() any { return gzip.NewWriter(nil) }}

// gzipped compresses responses for clients that accept it.
func gzipped(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Vary", "Accept-Encoding")
		if !acceptsGzip(r) || r.Method == http.MethodHead {
			h.ServeHTTP(w, r)
			return
		}
		gw := &gzipWriter{ResponseWriter: w}
		defer gw.close()
		h.ServeHTTP(gw, r)
	})
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		name, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.TrimSpace(name) == "gzip" && strings.ReplaceAll(q, " ", "") != "q=0" {
			return true
		}
	}
	return false
}

type gzipWriter struct {
	http.ResponseWriter
	gz          *gzip.Writer
	wroteHeader bool
	plain       bool // no body to compress (1xx, 204, 304)
}

func (g *gzipWriter) WriteHeader(code int) {
	if g.wroteHeader {
		return
	}
	g.wroteHeader = true
	if code < 200 || code == http.StatusNoContent || code == http.StatusNotModified || g.Header().Get("Content-Encoding") != "" {
		g.plain = true
	} else {
		g.Header().Del("Content-Length")
		g.Header().Set("Content-Encoding", "gzip")
	}
	g.ResponseWriter.WriteHeader(code)
}

func (g *gzipWriter) Write(b []byte) (int, error) {
	if !g.wroteHeader {
		g.WriteHeader(http.StatusOK)
	}
	if g.plain {
		return g.ResponseWriter.Write(b)
	}
	if g.gz == nil {
		g.gz = gzPool.Get().(*gzip.Writer)
		g.gz.Reset(g.ResponseWriter)
	}
	return g.gz.Write(b)
}

func (g *gzipWriter) close() {
	if g.gz != nil {
		_ = g.gz.Close()
		g.gz.Reset(nil)
		gzPool.Put(g.gz)
	}
}
