package server

// POST /api/v1/events/:id/pairings turns a roadshow lineup (each slot's
// front-row enterprises) or a salon schedule (each 1:1 meeting) into
// pairings. It reads the lineup and schedule only through the event
// planner's Lineup and Schedule methods.

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/techmatch/techmatch/data"
)

// eventPair is one demand × achievement an event brought together.
type eventPair struct {
	demandID, achievementID string
	score                   float64
	explanation             any
}

func (s *Server) eventPairs(ctx context.Context, tok *data.Token, ev *data.Event) (source string, pairs []eventPair, err error) {
	switch ev.Type {
	case data.EventRoadshow:
		l, err := s.planner().Lineup(ctx, tok, ev.ID)
		if err != nil {
			return "", nil, err
		}
		for _, slot := range l.Slots {
			for _, inv := range slot.Invited {
				pairs = append(pairs, eventPair{inv.DemandID, slot.Achievement.ID, inv.Score, inv.Explanation})
			}
		}
		return data.SourceRoadshow, pairs, nil
	case data.EventSalon:
		sch, err := s.planner().Schedule(ctx, tok, ev.ID)
		if err != nil {
			return "", nil, err
		}
		for _, m := range sch.Meetings {
			pairs = append(pairs, eventPair{m.DemandID, m.AchievementID, m.Score, nil})
		}
		return data.SourceSalon, pairs, nil
	}
	return "", nil, data.Errorf(data.EINVALID, "只有路演（roadshow）的议程和沙龙（salon）的洽谈安排可以转为对接")
}

func (s *Server) handleEventPairings(c *gin.Context) {
	ctx := c.Request.Context()
	tok := token(c)
	var req struct {
		BrokerID string `json:"broker_id,omitempty"`
	}
	if err := decodeBody(c, "活动对接", &req); err != nil {
		s.fail(c, err)
		return
	}
	if req.BrokerID != "" {
		if _, err := s.Brokers.Broker(ctx, req.BrokerID); err != nil {
			s.fail(c, err)
			return
		}
	}
	ev, err := s.Events.Event(ctx, c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	source, pairs, err := s.eventPairs(ctx, token(c), ev)
	if err != nil {
		s.fail(c, err)
		return
	}
	if len(pairs) == 0 {
		s.fail(c, data.Errorf(data.ECONFLICT, "活动“%s”还没有可转为对接的安排：请先生成路演议程或洽谈安排", ev.Title))
		return
	}
	type made struct {
		ID            string             `json:"id"`
		DemandID      string             `json:"demand_id"`
		AchievementID string             `json:"achievement_id"`
		Status        data.PairingStatus `json:"status"`
		StatusLabel   string             `json:"status_label"`
		Existing      bool               `json:"existing,omitempty"`
	}
	out := []made{}
	created, skipped := 0, []string{}
	for _, pr := range pairs {
		d, err1 := s.Store.Demand(ctx, pr.demandID)
		a, err2 := s.Store.Achievement(ctx, pr.achievementID)
		if err1 != nil || err2 != nil {
			skipped = append(skipped, pr.demandID+" × "+pr.achievementID)
			continue
		}
		p := &data.Pairing{DemandID: d.ID, AchievementID: a.ID, Source: source, EventID: ev.ID, BrokerID: req.BrokerID,
			Field: d.Field, Region: d.Region, DemandTitle: d.Title, AchievementTitle: a.Title, Score: pr.score, Created: s.clock()}
		if p.Field == "" {
			p.Field = a.Field
		}
		if pr.explanation != nil {
			p.Explanation, _ = json.Marshal(pr.explanation)
		}
		stored, isNew, err := s.Pairings.CreatePairing(ctx, p, data.AuditEntry{Actor: data.ActorOf(tok), Action: data.AuditPairingCreate,
			Detail: fmt.Sprintf("活动 %s：%s × %s", ev.ID, d.ID, a.ID)})
		if err != nil {
			s.fail(c, err)
			return
		}
		if isNew {
			created++
		}
		out = append(out, made{stored.ID, stored.DemandID, stored.AchievementID, stored.Status, stored.Status.Label(), !isNew})
	}
	c.JSON(http.StatusOK, gin.H{"event_id": ev.ID, "source": source, "created": created, "existing": len(out) - created,
		"skipped": skipped, "pairings": out})
}
