package server

import (
	"embed"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/techmatch/techmatch/data"
)

// docsFS is the /docs page: Swagger UI (swagger-ui-dist, pinned and
// copied by server/docsui/fetch.sh, Apache-2.0, its licence beside it)
// over /openapi.json.
//
//go:embed docsui/index.html docsui/init.js docsui/vendor
var docsFS embed.FS

// docsFiles are the files /docs/:file serves, with their media types.
var docsFiles = map[string]struct{ path, media string }{
	"swagger-ui-bundle.js": {"docsui/vendor/swagger-ui-bundle.js", "text/javascript; charset=utf-8"},
	"swagger-ui.css":       {"docsui/vendor/swagger-ui.css", "text/css; charset=utf-8"},
	"init.js":              {"docsui/init.js", "text/javascript; charset=utf-8"},
	"LICENSE":              {"docsui/vendor/swagger-ui.LICENSE", "text/plain; charset=utf-8"},
}

// docsCSP lets the page load its own scripts and styles and fetch the
// document, nothing else.
const docsCSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
	"connect-src 'self'; font-src 'self' data:; frame-ancestors 'none'"

func (s *Server) docsRoutes(r *gin.Engine) {
	serve := func(c *gin.Context, path, media string) {
		b, err := docsFS.ReadFile(path)
		if err != nil {
			s.fail(c, err)
			return
		}
		c.Header("Content-Security-Policy", docsCSP)
		c.Header("Cache-Control", "public, max-age=3600")
		c.Data(http.StatusOK, media, b)
	}
	r.GET("/docs", func(c *gin.Context) { serve(c, "docsui/index.html", "text/html; charset=utf-8") })
	r.GET("/docs/:file", func(c *gin.Context) {
		f, ok := docsFiles[c.Param("file")]
		if !ok {
			c.Header("Content-Security-Policy", docsCSP)
			s.fail(c, errNoDocsFile(c.Param("file")))
			return
		}
		serve(c, f.path, f.media)
	})
}

func errNoDocsFile(name string) error {
	return data.Errorf(data.ENOTFOUND, "接口说明页没有文件 %q", name)
}
