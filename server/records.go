package server

import (
	"time"

	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
	"github.com/techmatch/techmatch/data"
)

// MaxPageSize bounds list and search pages.
const MaxPageSize = 100

// canSeeContact reports whether the caller may see the record's private
// contact data: admins and brokers always, an enterprise for its own records.
func canSeeContact(tok *data.Token, meta *data.Meta) bool {
	if tok == nil {
		return false
	}
	switch tok.Role {
	case data.RoleAdmin, data.RoleBroker:
		return true
	case data.RoleEnterprise:
		return meta.Owner == tok.ID
	}
	return false
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

func (s *Server) getRecord(ctx context.Context, kind data.Kind, id string) (data.Record, error) {
	if kind == data.KindDemand {
		return s.Store.Demand(ctx, id)
	}
	return s.Store.Achievement(ctx, id)
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
	if err := json.Unmarshal(body, rec); err != nil {
		return nil, data.Errorf(data.EINVALID, "请求体不是有效的%s JSON：%v", kind.Label(), err)
	}
	return rec, nil
}

// checkOwner stops an enterprise from touching another's records, and from
// touching achievements at all.
func checkOwner(tok *data.Token, kind data.Kind, existing data.Record) error {
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
		s.Logger.Error("index sync after write", "err", err)
	}
}

func (s *Server) handleGet(c *gin.Context, kind data.Kind) {
	rec, err := s.getRecord(c.Request.Context(), kind, c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, view(token(c), rec))
}

func (s *Server) handleCreate(c *gin.Context, kind data.Kind) {
	ctx := c.Request.Context()
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
	if id := rec.RecordID(); id != "" {
		if _, err := s.getRecord(ctx, kind, id); err == nil {
			s.fail(c, data.Errorf(data.ECONFLICT, "编号 %q 已被占用：修改已有记录请用 PUT /api/v1/%s/%s", id, kind, id))
			return
		} else if data.ErrorCode(err) != data.ENOTFOUND {
			s.fail(c, err)
			return
		}
	}
	rec.RecordMeta().Owner = tok.ID
	s.write(c, kind, rec, http.StatusCreated)
}

func (s *Server) handlePut(c *gin.Context, kind data.Kind) {
	ctx := c.Request.Context()
	tok := token(c)
	id := c.Param("id")
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
	existing, err := s.getRecord(ctx, kind, id)
	if err != nil && data.ErrorCode(err) != data.ENOTFOUND {
		s.fail(c, err)
		return
	}
	if err := checkOwner(tok, kind, existing); err != nil {
		s.fail(c, err)
		return
	}
	status := http.StatusOK
	if existing == nil {
		status = http.StatusCreated
		rec.RecordMeta().Owner = tok.ID
	} else {
		rec.RecordMeta().Owner = existing.RecordMeta().Owner
	}
	s.write(c, kind, rec, status)
}

// write stores rec, syncs the index and answers with the stored record.
func (s *Server) write(c *gin.Context, kind data.Kind, rec data.Record, status int) {
	ctx := c.Request.Context()
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
	s.synced(ctx)
	stored, err := s.getRecord(ctx, kind, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Location", "/api/v1/"+string(kind)+"/"+id)
	out := view(token(c), stored)
	if d, ok := stored.(*data.Demand); ok && status == http.StatusCreated && c.Request.Method == http.MethodPost {
		out = s.withMatches(ctx, out, d)
	}
	c.JSON(status, out)
}

func (s *Server) handleDelete(c *gin.Context, kind data.Kind) {
	ctx := c.Request.Context()
	id := c.Param("id")
	existing, err := s.getRecord(ctx, kind, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	if err := checkOwner(token(c), kind, existing); err != nil {
		s.fail(c, err)
		return
	}
	if kind == data.KindDemand {
		err = s.Store.DeleteDemand(ctx, id)
	} else {
		err = s.Store.DeleteAchievement(ctx, id)
	}
	if err != nil {
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
