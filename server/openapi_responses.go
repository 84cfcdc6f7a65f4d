package server

import (
	_ "embed"
	"encoding/json"
	"net/http"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/techmatch/techmatch/data"
)

// recordedJSON holds the real exchanges of the example scenario
// (TestOpenAPIRecordExamples in openapi_examples_test.go writes it with
// -update): the examples of the document, fixed at build time.
//
//go:embed openapi_examples.json
var recordedJSON []byte

// recorded is one operation's exchange: the request body, the status and
// the answer (JSON, or text cut by exampleText) with its headers.
type recorded struct {
	Status   int               `json:"status"`
	Request  json.RawMessage   `json:"request,omitempty"`
	Response json.RawMessage   `json:"response,omitempty"`
	Text     string            `json:"text,omitempty"`
	Headers  map[string]string `json:"headers,omitempty"`
}

// exampleTextMax bounds a text example (a page, a CSV file).
const exampleTextMax = 1200

// exampleText is s cut to exampleTextMax bytes at a rune boundary.
func exampleText(s string) string {
	if len(s) <= exampleTextMax {
		return s
	}
	cut := exampleTextMax
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "\n…"
}

// describedHeaders are the success headers a route's recorded answer
// documents (X-Request-Id is on every answer).
var describedHeaders = []string{"ETag", "Location", "Content-Disposition"}

type headerDoc struct {
	doc     string
	integer bool
}

func (h headerDoc) schema() *openapi3.SchemaRef {
	if h.integer {
		return openapi3.NewIntegerSchema().NewRef()
	}
	return openapi3.NewStringSchema().NewRef()
}

var headerDocs = map[string]headerDoc{
	"X-Request-Id":        {doc: "请求编号：沿用请求的 X-Request-Id（1–64 个字母、数字或 - _ .），否则新生成；服务日志的每一行都带它"},
	"ETag":                {doc: "记录的版本（如 \"3\"）；修改或删除时放进 If-Match，记录已被他人修改则 412"},
	"Location":            {doc: "写入的记录的地址"},
	"Content-Disposition": {doc: "导出文件的文件名：attachment 为下载（Excel、CSV），inline 为网页"},
	"Retry-After":         {doc: "多少秒后重试", integer: true},
}

func headerRef(name string) *openapi3.HeaderRef {
	return &openapi3.HeaderRef{Ref: "#/components/headers/" + name}
}

func headerComponents() openapi3.Headers {
	hs := openapi3.Headers{}
	for _, name := range []string{"X-Request-Id", "Retry-After"} {
		d := headerDocs[name]
		hs[name] = &openapi3.HeaderRef{Value: &openapi3.Header{Parameter: openapi3.Parameter{Description: d.doc, Schema: d.schema()}}}
	}
	return hs
}

func ifMatchParam() *openapi3.Parameter {
	return openapi3.NewHeaderParameter("If-Match").WithSchema(openapi3.NewStringSchema()).
		WithDescription("可选：读取时得到的 ETag（如 \"3\"）或 *；记录已被他人修改时 412，不写入")
}

// errorAnswer is one error status of the shared error JSON, with an
// example a person sees.
type errorAnswer struct {
	name       string
	status     int
	code, msg  string
	retryAfter bool
}

var errorAnswers = []errorAnswer{
	{"BadRequest", http.StatusBadRequest, data.EINVALID, "", false}, // exampleError
	{"Unauthorized", http.StatusUnauthorized, data.EUNAUTHORIZED, "此操作需要登录：请在 Authorization 头中提供 Bearer 令牌", false},
	{"Forbidden", http.StatusForbidden, data.EFORBIDDEN, "这条需求属于其他企业，不能修改或删除", false},
	{"NotFound", http.StatusNotFound, data.ENOTFOUND, "技术需求 \"d-404\" 不存在", false},
	{"Conflict", http.StatusConflict, data.ECONFLICT, "编号 \"d-2026-001\" 已被占用：修改已有记录请用 PUT /api/v1/demands/d-2026-001", false},
	{"PreconditionFailed", http.StatusPreconditionFailed, data.EPRECONDITION, "技术需求 \"d-2026-001\" 已被他人修改（当前版本 4，您提交的是版本 3）：请重新读取后再修改", false},
	{"TooLarge", http.StatusRequestEntityTooLarge, data.ETOOLARGE, "请求体超过 1048576 字节的上限，请缩小后重试", false},
	{"TooManyRequests", http.StatusTooManyRequests, data.ERATELIMIT, "本地址的请求过于频繁（每秒最多 30 次），请 1 秒后重试", true},
	{"Unavailable", http.StatusServiceUnavailable, data.EUNAVAILABLE, "匹配模型正在启动构建中，请约 5 秒后重试（/healthz 的 matcher 为 ready 时即可匹配）", true},
	{"Error", 0, data.EINTERNAL, "服务内部错误，请稍后重试", false},
}

// errorResponses are the components of the error answers, "Error" being
// the default of every operation.
func errorResponses(errRef *openapi3.SchemaRef) openapi3.ResponseBodies {
	rs := openapi3.ResponseBodies{}
	for _, e := range errorAnswers {
		example := errorResponse{Error: errorBody{Code: e.code, Message: e.msg}}
		desc := http.StatusText(e.status) + "：错误 JSON"
		switch e.name {
		case "BadRequest":
			example = exampleError
			desc += "，fields 逐项指出请求中的问题"
		case "Error":
			desc = "其他错误（见 ErrorCode 的状态表）"
		}
		r := openapi3.NewResponse().WithDescription(desc).WithContent(jsonContent(errRef, example))
		r.Headers = openapi3.Headers{"X-Request-Id": headerRef("X-Request-Id")}
		if e.retryAfter {
			r.Headers["Retry-After"] = headerRef("Retry-After")
		}
		rs[e.name] = &openapi3.ResponseRef{Value: r}
	}
	return rs
}

// errorsOf are the error answers an operation documents besides the
// default.
func errorsOf(op apiOp, hasParams bool, method string) []errorAnswer {
	want := map[string]bool{
		"BadRequest":         op.Body != nil || len(op.Query) > 0,
		"Unauthorized":       op.Roles != nil,
		"Forbidden":          op.Roles != nil,
		"NotFound":           hasParams,
		"Conflict":           op.Body != nil && (method == http.MethodPost || method == http.MethodPut),
		"PreconditionFailed": op.IfMatch,
		"TooLarge":           op.Body != nil,
		"TooManyRequests":    true,
		"Unavailable":        op.Waits,
	}
	var out []errorAnswer
	for _, e := range errorAnswers {
		if want[e.name] {
			out = append(out, e)
		}
	}
	return out
}
