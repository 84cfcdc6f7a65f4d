package server

// The event API: thin handlers over the event planning service (package
// event), all through one adapter (decode → call → error or JSON).

import (
	"bytes"
	"context"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/event"
)

func (s *Server) eventRoutes(v1 *gin.RouterGroup) {
	organiser := s.require(data.RoleOrganiser, data.RoleAdmin)
	registrant := s.require(data.RoleOrganiser, data.RoleAdmin, data.RoleEnterprise)
	g := v1.Group("/events", s.needEvents)
	g.GET("", serveEvent(s, "", func(ctx context.Context, c *gin.Context, _ *struct{}) (reply, error) {
		items, err := s.planner().ListEvents(ctx, token(c), c.Query("type"))
		return listReply(items), err
	}))
	g.POST("", organiser, serveEvent(s, "活动", func(ctx context.Context, c *gin.Context, e *data.Event) (reply, error) {
		v, err := s.planner().CreateEvent(ctx, token(c), *e)
		return reply{status: http.StatusCreated, body: v, location: "/api/v1/events/" + v.ID}, err
	}))
	g.GET("/:id", serveEvent(s, "", func(ctx context.Context, c *gin.Context, _ *struct{}) (reply, error) {
		v, err := s.planner().Event(ctx, token(c), c.Param("id"))
		return ok(v), err
	}))
	g.PUT("/:id", organiser, serveEvent(s, "活动", func(ctx context.Context, c *gin.Context, e *data.Event) (reply, error) {
		v, created, err := s.planner().PutEvent(ctx, token(c), c.Param("id"), *e)
		return reply{status: createdStatus(created), body: v, location: "/api/v1/events/" + v.ID}, err
	}))
	g.GET("/:id/registrations", serveEvent(s, "", func(ctx context.Context, c *gin.Context, _ *struct{}) (reply, error) {
		items, err := s.planner().Registrations(ctx, token(c), c.Param("id"))
		return listReply(items), err
	}))
	register := serveEvent(s, "报名", func(ctx context.Context, c *gin.Context, r *data.Registration) (reply, error) {
		id := c.Param("id")
		v, created, err := s.planner().Register(ctx, token(c), id, c.Param("rid"), *r)
		return reply{status: createdStatus(created), body: v, location: "/api/v1/events/" + id + "/registrations/" + v.ID}, err
	})
	g.POST("/:id/registrations", registrant, register)
	g.PUT("/:id/registrations/:rid", registrant, register)
	g.DELETE("/:id/registrations/:rid", registrant, serveEvent(s, "", func(ctx context.Context, c *gin.Context, _ *struct{}) (reply, error) {
		v, err := s.planner().Withdraw(ctx, token(c), c.Param("id"), c.Param("rid"))
		return ok(v), err
	}))
	g.DELETE("/:id", organiser, serveEvent(s, "", func(ctx context.Context, c *gin.Context, _ *struct{}) (reply, error) {
		err := s.planner().DeleteEvent(ctx, token(c), c.Param("id"))
		return ok(gin.H{"deleted": c.Param("id")}), err
	}))

	g.POST("/:id/lineup", organiser, serveEvent(s, "路演排期参数", func(ctx context.Context, c *gin.Context, in *event.LineupParams) (reply, error) {
		l, err := s.planner().BuildLineup(ctx, token(c), c.Param("id"), *in)
		return ok(l), err
	}))
	g.GET("/:id/lineup", serveEvent(s, "", func(ctx context.Context, c *gin.Context, _ *struct{}) (reply, error) {
		l, err := s.planner().Lineup(ctx, token(c), c.Param("id"))
		return ok(l), err
	}))
	for _, f := range []string{event.FormatXLSX, event.FormatCSV, event.FormatHTML} {
		g.GET("/:id/lineup."+f, serveEvent(s, "", func(ctx context.Context, c *gin.Context, _ *struct{}) (reply, error) {
			l, err := s.planner().Lineup(ctx, token(c), c.Param("id"))
			if err != nil {
				return reply{}, err
			}
			return fileReply(f, "路演议程-"+l.Event.ID, func(w io.Writer) error { return event.WriteLineup(w, f, l) })
		}))
	}
	g.POST("/:id/schedule", organiser, serveEvent(s, "沙龙排期参数", func(ctx context.Context, c *gin.Context, in *event.ScheduleParams) (reply, error) {
		sc, err := s.planner().BuildSchedule(ctx, token(c), c.Param("id"), *in)
		return ok(sc), err
	}))
	g.GET("/:id/schedule", serveEvent(s, "", func(ctx context.Context, c *gin.Context, _ *struct{}) (reply, error) {
		sc, err := s.planner().Schedule(ctx, token(c), c.Param("id"))
		return ok(sc), err
	}))
	for _, f := range []string{event.FormatXLSX, event.FormatCSV, event.FormatHTML} {
		g.GET("/:id/schedule."+f, serveEvent(s, "", func(ctx context.Context, c *gin.Context, _ *struct{}) (reply, error) {
			sc, err := s.planner().Schedule(ctx, token(c), c.Param("id"))
			if err != nil {
				return reply{}, err
			}
			return fileReply(f, "洽谈日程-"+sc.Event.ID, func(w io.Writer) error { return event.WriteSchedule(w, f, sc) })
		}))
	}
	g.GET("/:id/agenda.xlsx", serveEvent(s, "", func(ctx context.Context, c *gin.Context, _ *struct{}) (reply, error) {
		all, err := s.planner().Agendas(ctx, token(c), c.Param("id"))
		if err != nil {
			return reply{}, err
		}
		return fileReply(event.FormatXLSX, "个人日程-"+c.Param("id"), func(w io.Writer) error { return event.WriteAgendas(w, all) })
	}))
	g.GET("/:id/agenda/:file", serveEvent(s, "", func(ctx context.Context, c *gin.Context, _ *struct{}) (reply, error) {
		rid, isHTML := strings.CutSuffix(c.Param("file"), "."+event.FormatHTML)
		if !isHTML {
			return reply{}, data.Errorf(data.ENOTFOUND, "个人日程的地址应为 /api/v1/events/%s/agenda/报名编号.html", c.Param("id"))
		}
		a, err := s.planner().Agenda(ctx, token(c), c.Param("id"), rid)
		if err != nil {
			return reply{}, err
		}
		return fileReply(event.FormatHTML, "个人日程-"+rid, func(w io.Writer) error { return event.WriteAgenda(w, a) })
	}))
}

func (s *Server) needEvents(c *gin.Context) {
	if s.Events == nil {
		s.fail(c, errors.New("event store is not configured"))
		return
	}
	c.Next()
}

// planner returns the event planner over the server's store, index and
// matcher.
func (s *Server) planner() *event.Planner {
	p := &event.Planner{Store: s.Store, Events: s.Events}
	if s.Matcher != nil {
		p.Matcher = s.Matcher
	}
	if s.Index != nil {
		p.Search = s.Index
	}
	return p
}

// reply is what an event handler answers: a status with a JSON body (and
// the Location of what it wrote), or a file.
type reply struct {
	status   int
	body     any
	location string
	file     *file
}

// file is an export: its format, a name without extension and the bytes.
type file struct {
	format, name string
	body         []byte
}

func ok(v any) reply { return reply{status: http.StatusOK, body: v} }

func listReply[T any](items []T) reply {
	return ok(gin.H{"total": len(items), "items": items})
}

func createdStatus(created bool) int {
	if created {
		return http.StatusCreated
	}
	return http.StatusOK
}

func fileReply(format, name string, write func(io.Writer) error) (reply, error) {
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		return reply{}, err
	}
	return reply{status: http.StatusOK, file: &file{format: format, name: name, body: buf.Bytes()}}, nil
}

// serveEvent is the one adapter of the event API: it decodes the request
// body into a new In when what names it (an empty body leaves In zero),
// calls fn, and answers with the error JSON or fn's reply.
func serveEvent[In any](s *Server, what string, fn func(ctx context.Context, c *gin.Context, in *In) (reply, error)) gin.HandlerFunc {
	return func(c *gin.Context) {
		in := new(In)
		if what != "" {
			if err := decodeBody(c, what, in); err != nil {
				s.fail(c, err)
				return
			}
		}
		r, err := fn(c.Request.Context(), c, in)
		if err != nil {
			s.fail(c, err)
			return
		}
		if r.file != nil {
			sendFile(c, r.file)
			return
		}
		if r.location != "" {
			c.Header("Location", r.location)
		}
		c.JSON(r.status, r.body)
	}
}

// sendFile answers with a file: an attachment, except HTML, shown inline so
// that it can be printed from the browser.
func sendFile(c *gin.Context, f *file) {
	types := map[string]string{
		event.FormatXLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		event.FormatCSV:  "text/csv; charset=utf-8",
		event.FormatHTML: "text/html; charset=utf-8",
	}
	disp := "attachment"
	if f.format == event.FormatHTML {
		disp = "inline"
	}
	c.Header("Content-Disposition", mime.FormatMediaType(disp, map[string]string{"filename": f.name + "." + f.format}))
	c.Data(http.StatusOK, types[f.format], f.body)
}
