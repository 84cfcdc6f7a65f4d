package server

import (
	"time"

	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/techmatch/techmatch/data"
)

// MaxPageSize bounds list and search pages.
const MaxPageSize = 100

// canSeeContact reports whether the caller may see the record's private
// contact data and unknown (extra) fields: admins always, anyone else for
// the records its token created. An assigned broker, and the other side
// once both agreed, see contact data through the pairing
// (GET /api/v1/pairings/:id), where each reveal is audited.
func canSeeContact(tok *data.Token, meta *data.Meta) bool {
	if tok == nil {
		return false
	}
	return tok.Role == data.RoleAdmin || meta.Owner != "" && meta.Owner == tok.ID
}

// view returns what the caller may see of a record.
func view(tok *data.Token, rec data.Record) any {
	switch r := rec.(type) {
	case *data.Achievement:
		if canSeeContact(tok, &r.Meta) {
			return r
		}
		p := r.Public()
		return &p
	case *data.Demand:
		if canSeeContact(tok, &r.Meta) {
			d := *r
			d.Expired = d.PastDeadline(time.Now()) // 已过期, shown, never stored
			return &d
		}
		p := r.Public()
		return &p
	}
	return rec
}

func newRecord(kind data.Kind) data.Record {
	if kind == data.KindDemand {
		return &data.Demand{}
	}
	return &data.Achievement{}
}

// getRecord returns the record or an error, never a typed nil inside a
// non-nil interface.
func (s *Server) getRecord(ctx context.Context, kind data.Kind, id string) (data.Record, error) {
	if kind == data.KindDemand {
		d, err := s.Store.Demand(ctx, id)
		if err != nil || d == nil {
			return nil, orNotFound(err, kind, id)
		}
		return d, nil
	}
	a, err := s.Store.Achievement(ctx, id)
	if err != nil || a == nil {
		return nil, orNotFound(err, kind, id)
	}
	return a, nil
}

func orNotFound(err error, kind data.Kind, id string) error {
	if err != nil {
		return err
	}
	return data.Errorf(data.ENOTFOUND, "%s %q 不存在", kind.Label(), id)
}

// decodeRecord reads a JSON record from the request body.
func decodeRecord(c *gin.Context, kind data.Kind) (data.Record, error) {
	body, err := io.ReadAll(c.Request.Body)
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return nil, err
		}
		return nil, data.Errorf(data.EINVALID, "无法读取请求体：%v", err)
	}
	rec := newRecord(kind)
	if err := decodeJSON(body, rec, kind.Label()); err != nil {
		return nil, err
	}
	return rec, nil
}

// checkOwner stops an enterprise from touching another's records, and from
// touching achievements at all.
func checkOwner(tok *data.Token, kind data.Kind, existing data.Record) error {
	if tok.Role == data.RoleScientist {
		return checkScientist(tok, kind, existing)
	}
	if tok.Role != data.RoleEnterprise {
		return nil
	}
	if kind != data.KindDemand {
		return data.Errorf(data.EFORBIDDEN, "企业账号只能管理自己的技术需求")
	}
	if existing != nil && existing.RecordMeta().Owner != tok.ID {
		return data.Errorf(data.EFORBIDDEN, "这条需求属于其他企业，不能修改或删除")
	}
	return nil
}

// synced catches the indexes up after a write; a failure is logged, not
// returned: the store has the record and the next sync will index it.
func (s *Server) synced(ctx context.Context) {
	if s.Index == nil {
		return
	}
	if _, err := s.Index.Sync(ctx); err != nil {
		s.logCtx(ctx).Error("index sync after write", "err", err)
	}
}

func (s *Server) handleGet(c *gin.Context, kind data.Kind) {
	rec, err := s.getRecord(c.Request.Context(), kind, c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("ETag", etag(rec.RecordMeta()))
	c.JSON(http.StatusOK, view(token(c), rec))
}

func (s *Server) handleCreate(c *gin.Context, kind data.Kind) {
	tok := token(c)
	if err := checkOwner(tok, kind, nil); err != nil {
		s.fail(c, err)
		return
	}
	rec, err := decodeRecord(c, kind)
	if err != nil {
		s.fail(c, err)
		return
	}
	rec.RecordMeta().Owner = tok.ID
	if rec.RecordID() == "" {
		// The store assigns a fresh id: nothing to race on.
		s.write(c, kind, rec, http.StatusCreated)
		return
	}
	// An id chosen by the client is taken only if it is free, decided in
	// the store's write transaction (two creates racing: one gets 409).
	s.writeCond(c, kind, rec, data.WriteCond{CreateOnly: true, Owner: tok.ID}, http.StatusCreated)
}

// handlePut upserts: it creates the record when the id is free and
// replaces it otherwise, subject to ownership and If-Match.
func (s *Server) handlePut(c *gin.Context, kind data.Kind) {
	tok := token(c)
	id := c.Param("id")
	if err := checkOwner(tok, kind, nil); err != nil {
		s.fail(c, err)
		return
	}
	cond, err := ifMatch(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	rec, err := decodeRecord(c, kind)
	if err != nil {
		s.fail(c, err)
		return
	}
	if rec.RecordID() != "" && rec.RecordID() != id {
		s.fail(c, data.Errorf(data.EINVALID, "请求体中的编号 %q 与地址中的编号 %q 不一致", rec.RecordID(), id))
		return
	}
	rec.SetRecordID(id)
	// A record created by PUT belongs to its writer; an existing record
	// keeps its owner (data.RecordWriter).
	rec.RecordMeta().Owner = tok.ID
	cond.Owner = ownerCond(tok)
	s.writeCond(c, kind, rec, cond, 0)
}

// ownerCond is the owner a write must match: enterprises and scientists
// may only touch their own records; admins and brokers any.
func ownerCond(tok *data.Token) string {
	if tok != nil && (tok.Role == data.RoleEnterprise || tok.Role == data.RoleScientist) {
		return tok.ID
	}
	return ""
}

// ifMatch reads If-Match: a quoted version (the ETag of a GET) or *.
func ifMatch(c *gin.Context) (data.WriteCond, error) {
	var cond data.WriteCond
	h := strings.TrimSpace(c.GetHeader("If-Match"))
	if h == "" {
		return cond, nil
	}
	if h == "*" {
		cond.IfExists = true
		return cond, nil
	}
	v := strings.Trim(strings.TrimPrefix(h, "W/"), `"`)
	n, err := strconv.ParseUint(v, 10, 64)
	if err != nil || n == 0 {
		return cond, data.Errorf(data.EINVALID, "If-Match 头应为读取记录时得到的 ETag（如 \"3\"），而不是 %q", h)
	}
	cond.IfVersion = n
	return cond, nil
}

func etag(meta *data.Meta) string { return fmt.Sprintf(`"%d"`, meta.Version) }

// writeCond stores one record under cond in one store transaction. status 0
// means 201 when the record was created and 200 otherwise.
func (s *Server) writeCond(c *gin.Context, kind data.Kind, rec data.Record, cond data.WriteCond, status int) {
	ctx := c.Request.Context()
	if err := bindInstitution(token(c), rec); err != nil {
		s.fail(c, err)
		return
	}
	w, ok := s.Store.(data.RecordWriter)
	if !ok {
		s.fail(c, fmt.Errorf("store %T cannot write conditionally", s.Store))
		return
	}
	res, err := w.PutRecord(ctx, rec, cond)
	if err != nil {
		s.fail(c, err)
		return
	}
	if status == 0 {
		status = http.StatusOK
		if res == data.Created {
			status = http.StatusCreated
		}
	}
	s.answerWrite(c, kind, rec.RecordID(), status)
}

// write stores rec (a create with a store-assigned id), syncs the index and
// answers with the stored record.
func (s *Server) write(c *gin.Context, kind data.Kind, rec data.Record, status int) {
	ctx := c.Request.Context()
	if err := bindInstitution(token(c), rec); err != nil {
		s.fail(c, err)
		return
	}
	var id string
	switch r := rec.(type) {
	case *data.Achievement:
		res := []data.Achievement{*r}
		if _, err := s.Store.PutAchievements(ctx, res); err != nil {
			s.fail(c, err)
			return
		}
		id = res[0].ID
	case *data.Demand:
		res := []data.Demand{*r}
		if _, err := s.Store.PutDemands(ctx, res); err != nil {
			s.fail(c, err)
			return
		}
		id = res[0].ID
	}
	s.answerWrite(c, kind, id, status)
}

// answerWrite syncs the index after a write and answers with the stored
// record, its Location and its ETag.
func (s *Server) answerWrite(c *gin.Context, kind data.Kind, id string, status int) {
	ctx := c.Request.Context()
	s.synced(ctx)
	stored, err := s.getRecord(ctx, kind, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	warnings := data.ContactWarnings(stored)
	c.Header("Location", "/api/v1/"+string(kind)+"/"+id)
	c.Header("ETag", etag(stored.RecordMeta()))
	out := view(token(c), stored)
	if d, ok := stored.(*data.Demand); ok && status == http.StatusCreated && c.Request.Method == http.MethodPost {
		out = s.withMatches(ctx, out, d)
	}
	c.JSON(status, withWarnings(out, warnings))
}

func (s *Server) handleDelete(c *gin.Context, kind data.Kind) {
	ctx := c.Request.Context()
	id := c.Param("id")
	tok := token(c)
	if err := checkOwner(tok, kind, nil); err != nil {
		s.fail(c, err)
		return
	}
	cond, err := ifMatch(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	cond.Owner = ownerCond(tok)
	w, ok := s.Store.(data.RecordWriter)
	if !ok {
		s.fail(c, fmt.Errorf("store %T cannot write conditionally", s.Store))
		return
	}
	if err := w.DeleteRecord(ctx, kind, id, cond); err != nil {
		s.fail(c, err)
		return
	}
	s.synced(ctx)
	c.Status(http.StatusNoContent)
}

// pageParams reads page (1-based) and size (1..MaxPageSize, default 20).
func pageParams(c *gin.Context) (page, size int, err error) {
	page, size = 1, 20
	if v := c.Query("page"); v != "" {
		if page, err = strconv.Atoi(v); err != nil || page < 1 {
			return 0, 0, &data.Error{Code: data.EINVALID, Message: "参数 page 应为从 1 开始的整数",
				Fields: []data.FieldError{{Field: "page", Message: "应为正整数"}}}
		}
	}
	if v := c.Query("size"); v != "" {
		if size, err = strconv.Atoi(v); err != nil || size < 1 || size > MaxPageSize {
			return 0, 0, &data.Error{Code: data.EINVALID, Message: "参数 size 应为 1 到 100 之间的整数",
				Fields: []data.FieldError{{Field: "size", Message: "应为 1 到 100 之间的整数"}}}
		}
	}
	if page > 1_000_000 {
		return 0, 0, data.Errorf(data.EINVALID, "参数 page 过大")
	}
	return page, size, nil
}

func (s *Server) handleList(c *gin.Context, kind data.Kind) {
	ctx := c.Request.Context()
	page, size, err := pageParams(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	if q, searching, err := searchParams(c, kind); err != nil {
		s.fail(c, err)
		return
	} else if searching {
		s.search(c, q, page, size)
		return
	}
	counts, err := s.Store.Counts(ctx)
	if err != nil {
		s.fail(c, err)
		return
	}
	opt := data.ListOptions{Offset: (page - 1) * size, Limit: size}
	tok := token(c)
	items := []any{}
	total := counts.Achievements
	if kind == data.KindDemand {
		total = counts.Demands
		recs, err := s.Store.ListDemands(ctx, opt)
		if err != nil {
			s.fail(c, err)
			return
		}
		for i := range recs {
			items = append(items, view(tok, &recs[i]))
		}
	} else {
		recs, err := s.Store.ListAchievements(ctx, opt)
		if err != nil {
			s.fail(c, err)
			return
		}
		for i := range recs {
			items = append(items, view(tok, &recs[i]))
		}
	}
	c.JSON(http.StatusOK, gin.H{"total": total, "page": page, "size": size, "items": items})
}
