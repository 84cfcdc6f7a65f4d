package server

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/techmatch/techmatch/data"
)

// EMETHOD is a server-only code: the path exists but not with that method.
const EMETHOD = "method_not_allowed"

// codes maps error codes to HTTP status codes: the one table.
var codes = map[string]int{
	data.EINVALID:      http.StatusBadRequest,
	data.EUNAUTHORIZED: http.StatusUnauthorized,
	data.EFORBIDDEN:    http.StatusForbidden,
	data.ENOTFOUND:     http.StatusNotFound,
	EMETHOD:            http.StatusMethodNotAllowed,
	data.ECONFLICT:     http.StatusConflict,
	data.ETOOLARGE:     http.StatusRequestEntityTooLarge,
	data.EPRECONDITION: http.StatusPreconditionFailed,
	data.ERATELIMIT:    http.StatusTooManyRequests,
	data.EUNAVAILABLE:  http.StatusServiceUnavailable,
	data.EINTERNAL:     http.StatusInternalServerError,
}

// ErrorStatus returns the HTTP status for an error code.
func ErrorStatus(code string) int {
	if v, ok := codes[code]; ok {
		return v
	}
	return http.StatusInternalServerError
}

// errorResponse is the one JSON shape of every error.
type errorResponse struct {
	Error errorBody `json:"error"`
}

type errorBody struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  []data.FieldError `json:"fields,omitempty"`
}

// fail writes err as the error JSON and aborts the request. Internal errors
// are logged with their detail and shown only as a generic message.
func (s *Server) fail(c *gin.Context, err error) {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		err = data.Errorf(data.ETOOLARGE, "请求体超过 %d 字节的上限，请缩小后重试", tooLarge.Limit)
	}
	code := data.ErrorCode(err)
	if code == data.EINTERNAL {
		s.log(c).Error("request failed", "method", c.Request.Method, "path", c.Request.URL.Path, "err", err)
	}
	// PureJSON: a person reading the answer sees “Bearer <令牌>”, not
	// \u003c (the answer is JSON with nosniff, never HTML).
	c.Abort()
	c.PureJSON(ErrorStatus(code), errorResponse{Error: errorBody{
		Code:    code,
		Message: data.ErrorMessage(err),
		Fields:  data.ErrorFields(err),
	}})
}
